// The admin portal in a real headless Chromium (Debian's, driven by
// playwright-core): an administrator signs in through Gatehouse's own pages,
// downloads the bulk invite template, uploads a CSV, watches the job finish,
// and downloads the per-row results; a file that is not CSV is refused next
// to the file field; the directory-role picker starts on no role. Screenshots
// of each page land in $GH_OUTPUT_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { baseUrl, graphClient, tenants, waitForMail } from './harness.mjs';

const outputDir = process.env.GH_OUTPUT_DIR || path.resolve('output');
const shots = path.join(outputDir, 'screenshots');
mkdirSync(shots, { recursive: true });
const contoso = tenants.contoso;
const admin = `admin@${contoso.domain}`;
const portal = `${baseUrl}/portal/${contoso.domain}`;

let browser;
before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
});
after(async () => { await browser?.close(); });

// A page in a fresh browser context (the server's certificate is from its own local CA).
async function newPage(viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, acceptDownloads: true, viewport });
  return context.newPage();
}

async function signInAsAdmin(page, target) {
  await page.goto(target);
  await page.getByLabel('Email address').fill(admin);
  await page.getByRole('button', { name: 'Next' }).click();
  await page.getByLabel('Password').fill('Adm1n-Passw0rd!');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(target);
}

test('an admin bulk-invites from a CSV in the portal and downloads the results', async () => {
  const page = await newPage();
  await signInAsAdmin(page, `${portal}/bulk`);
  await page.screenshot({ path: path.join(shots, 'portal-bulk-empty.png'), fullPage: true });

  const [templateDownload] = await Promise.all([page.waitForEvent('download'),
                                                page.getByRole('link', { name: 'download the template' }).click()]);
  const template = readFileSync(await templateDownload.path(), 'utf8');
  assert.match(template, /^version:v1\.0,,,\r\nEmail address to invite \[inviteeEmail\] Required,/);

  const stamp = Date.now();
  const csv = template +
    `portal-ann-${stamp}@partner.example,https://myapps.microsoft.com,true,"Hello, Ann"\r\n` +
    `portal-ben-${stamp}@partner.example,https://myapps.microsoft.com,false,\r\n` +
    'not-an-address,https://myapps.microsoft.com,true,\r\n';
  await page.setInputFiles('#file', { name: 'guests.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Upload and invite' }).click();
  await page.waitForURL(/\/bulk\/[0-9a-f-]{36}$/);
  // The job page refreshes itself until the job is done.
  await page.waitForSelector('[data-status="completedWithErrors"]', { timeout: 60_000 });
  assert.equal(await page.textContent('[data-count="succeeded"]'), '2');
  assert.equal(await page.textContent('[data-count="failed"]'), '1');
  await page.screenshot({ path: path.join(shots, 'portal-bulk-job.png'), fullPage: true });

  const [resultsDownload] = await Promise.all([page.waitForEvent('download'),
                                               page.getByRole('link', { name: /Download the results/ }).click()]);
  const lines = readFileSync(await resultsDownload.path(), 'utf8').trim().split(/\r?\n/);
  assert.equal(lines[0], 'row,email,outcome,userId,redeemUrl,error');
  assert.match(lines[1], new RegExp(`^3,portal-ann-${stamp}@partner\\.example,invited,[0-9a-f-]{36},https://`));
  assert.match(lines[2], new RegExp(`^4,portal-ben-${stamp}@partner\\.example,invited,`));
  assert.match(lines[3], /^5,not-an-address,invalid,,,/);

  await page.goto(`${portal}/bulk`);
  assert.ok(await page.getByRole('link', { name: 'guests.csv' }).first().isVisible());
  await page.screenshot({ path: path.join(shots, 'portal-bulk-list.png'), fullPage: true });
  await page.context().close();
});

test('an admin invites one guest with New guest user and the email reaches the SMTP server', async () => {
  const page = await newPage();
  await signInAsAdmin(page, `${portal}/users/invite`);
  const email = `portal-one-${Date.now()}@partner.example`;
  await page.getByLabel('Email address').fill('not-an-address');
  await page.getByRole('button', { name: 'Invite' }).click();
  assert.match(await page.locator('#email-error').textContent(), /not a valid email address/);
  await page.getByLabel('Email address').fill(email);
  await page.getByLabel('Display name (optional)').fill('Portal Guest');
  await page.getByLabel('Personal message (optional)').fill('Welcome to Contoso');
  await page.getByRole('button', { name: 'Invite' }).click();
  await page.waitForSelector('[data-status="PendingAcceptance"]');
  const link = await page.inputValue('#redeem');
  assert.ok(link.startsWith(`${baseUrl}/redeem?`), link);
  await page.screenshot({ path: path.join(shots, 'portal-new-guest-sent.png'), fullPage: true });
  const mail = await waitForMail(email);
  assert.match(mail.text, /Welcome to Contoso/);
  assert.ok(mail.text.includes(link), 'the email carries the same redemption link');
  await page.context().close();
});

test('a file that is not CSV is refused next to the file field, also on a phone-width screen', async () => {
  const page = await newPage({ width: 390, height: 844 });
  await signInAsAdmin(page, `${portal}/bulk`);
  await page.setInputFiles('#file', { name: 'photo.png', mimeType: 'image/png',
                                      buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]) });
  await page.getByRole('button', { name: 'Upload and invite' }).click();
  const error = page.locator('#file-error');
  await error.waitFor();
  assert.match(await error.textContent(), /not a CSV text file/);
  assert.equal(await page.getAttribute('#file', 'aria-invalid'), 'true');
  await page.screenshot({ path: path.join(shots, 'portal-bulk-error-phone.png'), fullPage: true });
  await page.context().close();
});

test('the directory-role picker starts on no role, and submitting it unchosen is refused at the field', async () => {
  // A member of our own, so that nothing else in the run depends on this page.
  const nick = `role-picker-${Date.now()}`;
  const member = await graphClient(contoso).api('/users').post({
    accountEnabled: true, displayName: 'Role Picker', mailNickname: nick,
    userPrincipalName: `${nick}@${contoso.domain}`, passwordProfile: { password: 'Str0ng-Passw0rd!' },
  });
  const page = await newPage();
  await signInAsAdmin(page, `${portal}/users/${member.id}`);
  const picker = page.getByLabel('Directory role', { exact: true });
  assert.equal(await picker.inputValue(), '');
  assert.equal(await picker.locator('option').first().textContent(), 'Choose a role');
  await page.getByRole('button', { name: 'Assign role' }).click();
  const error = page.locator('#roleId-error');
  await error.waitFor();
  assert.equal(await error.textContent(), 'Choose a role.');
  assert.equal(await page.getAttribute('#roleId', 'aria-invalid'), 'true');
  assert.ok(await page.getByText('No directory roles.').isVisible(), 'no role was assigned');
  await page.screenshot({ path: path.join(shots, 'portal-role-picker-error.png'), fullPage: true });
  await page.context().close();
});
