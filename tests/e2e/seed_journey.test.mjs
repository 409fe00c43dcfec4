// The seed's whole journey in a real headless Chromium, every step in
// Gatehouse's own pages (no API calls): Fabrikam's administrator creates a
// security group and a Dataverse environment guarded by it, adds a product,
// and invites a guest; the guest opens the invitation email from the SMTP
// server, signs in with a one-time passcode (also by email), reviews the
// permissions and lands on the redirect URL. Then the guest keeps opening
// the environment URL while the administrator fixes one thing at a time —
// usage location, licence, security group, security role — and before each
// step the refusal page names exactly what is still missing; at the end the
// guest gets in and "My environments" lists it. Last, the troubleshooter
// explains why the guest can't make apps, and flipping the guest-maker
// tenant setting in the portal changes its answer.
// Fabrikam is the resource tenant here so that Contoso's subscriptions stay
// as the licensing tests expect them. Screenshots land in $GH_OUTPUT_DIR.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { baseUrl, tenants, waitForMail } from './harness.mjs';

const shots = path.join(process.env.GH_OUTPUT_DIR || path.resolve('output'), 'screenshots');
mkdirSync(shots, { recursive: true });
const org = tenants.fabrikam;
const portal = `${baseUrl}/portal/${org.domain}`;
const stamp = Date.now().toString(36);
const guest = `journey-${stamp}@partner.example`;
const groupName = `Sales team ${stamp}`;
const envName = `Sales ${stamp}`;
const envUnique = `sales-${stamp}`;
const envUrl = `${baseUrl}/env/${envUnique}`;
const POWERAPPS_PER_USER = 'b30411f5-fea1-4a59-9ad9-3db7c7ead579';  // Microsoft's skuId

let browser, admin, guestPage;
before(async () => {
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  const context = () => browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1280, height: 800 } });
  admin = await (await context()).newPage();
  guestPage = await (await context()).newPage();
});
after(async () => { await browser?.close(); });

const shot = (page, name) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage: true });
const button = (page, name) => page.getByRole('button', { name, exact: true });

// The failed checks the environment's refusal page lists for the guest.
async function missingSteps() {
  const res = await guestPage.goto(envUrl);
  assert.equal(res.status(), 403, 'the environment refuses the guest');
  return guestPage.locator('[data-check]').evaluateAll((els) => els.map((e) => e.dataset.check));
}

test('the administrator prepares a group, an environment and a product in the portal', async () => {
  await admin.goto(`${portal}/groups`);
  await admin.getByLabel('Email address').fill(`admin@${org.domain}`);
  await button(admin, 'Next').click();
  await admin.getByLabel('Password').fill('Adm1n-Passw0rd!');
  await button(admin, 'Sign in').click();
  await admin.waitForURL(`${portal}/groups`);

  await admin.getByLabel('Group name').fill(groupName);
  await admin.getByLabel('Group type').selectOption('security');
  await button(admin, 'Create group').click();
  await admin.waitForURL(/\/groups\/[0-9a-f-]{36}$/);

  await admin.goto(`${portal}/environments`);
  await admin.getByLabel('Environment name').fill(envName);
  await admin.getByLabel('Unique name').fill(envUnique);
  await admin.getByLabel('Dataverse').check();
  await admin.getByLabel('Security group').selectOption({ label: groupName });
  await button(admin, 'Create environment').click();
  await admin.getByRole('link', { name: envName }).click();
  await admin.waitForURL(/\/environments\/[0-9a-f-]{36}$/);
  assert.equal(await admin.getByLabel('Security group', { exact: true }).locator('option:checked').textContent(), groupName);
  await shot(admin, 'journey-environment');

  await admin.goto(`${portal}/licenses`);
  await admin.getByLabel('Product', { exact: true }).selectOption(POWERAPPS_PER_USER);
  await admin.getByLabel('Seats', { exact: true }).fill('5');
  await button(admin, 'Add product').click();
  await admin.waitForURL(/\/licenses$/);
  assert.ok(await admin.getByRole('link', { name: 'Power Apps per user' }).first().isVisible());
  await shot(admin, 'journey-licenses');
});

test('the guest redeems the emailed invitation in the browser and lands on the redirect', async () => {
  const redirect = `${baseUrl}/my/${org.domain}`;
  await admin.goto(`${portal}/users/invite`);
  await admin.getByLabel('Email address').fill(guest);
  await admin.getByLabel('Display name (optional)').fill('Journey Guest');
  await admin.getByLabel('Redirect URL').fill(redirect);
  await button(admin, 'Invite').click();
  await admin.waitForSelector('[data-status="PendingAcceptance"]');

  const invitation = await waitForMail(guest);
  const link = invitation.text.match(/https:\/\/\S*\/redeem\?\S+/)?.[0];
  assert.ok(link, `a redemption link in the email: ${invitation.text}`);
  await guestPage.goto(link);
  // Sign-in with the invited address: not a Gatehouse organisation, so a one-time passcode by email.
  assert.equal(await guestPage.getByLabel('Email address').inputValue(), guest);
  await button(guestPage, 'Next').click();
  const otp = await waitForMail(guest, 20000, (m) => /verification code/.test(m.subject));
  await guestPage.getByLabel('Code').fill(otp.text.match(/\b(\d{6,8})\b/)[1]);
  await shot(guestPage, 'journey-guest-code');
  await button(guestPage, 'Sign in').click();
  await guestPage.waitForSelector('text=Review permissions');
  await shot(guestPage, 'journey-guest-consent');
  await button(guestPage, 'Accept').click();
  await guestPage.waitForURL(redirect);
  assert.ok(await guestPage.getByRole('heading', { name: 'My environments' }).isVisible());
});

test('each admin step removes one reason from the refusal page until the guest gets in', async () => {
  const before = await missingSteps();
  for (const id of ['license.environmentAccess', 'environment.securityGroup', 'environment.securityRole'])
    assert.ok(before.includes(id), `${id} missing before the admin steps: ${before}`);
  await shot(guestPage, 'journey-refused');

  // The guest's page in the portal, through the users list.
  await admin.goto(`${portal}/users?q=${encodeURIComponent('Journey Guest')}`);
  await admin.getByRole('link', { name: 'Journey Guest' }).click();
  await admin.waitForURL(/\/users\/[0-9a-f-]{36}/);
  const userPage = admin.url().split('#')[0];

  // A licence can't be assigned without a usage location: the refusal is next to the field.
  // (The picker starts on an empty choice: index 1 is the first product.)
  await admin.getByLabel('License', { exact: true }).selectOption({ index: 1 });
  await button(admin, 'Assign license').click();
  assert.match(await admin.locator('#skuId-error').textContent(), /usage location/);
  assert.ok((await missingSteps()).includes('license.environmentAccess'));

  await admin.goto(userPage);
  await admin.getByLabel('Usage location').fill('US');
  await button(admin, 'Save profile').click();
  await admin.waitForURL(new RegExp(`^${userPage}`));
  await admin.getByLabel('License', { exact: true }).selectOption({ index: 1 });
  await button(admin, 'Assign license').click();
  await admin.waitForURL(new RegExp(`^${userPage}`));
  await shot(admin, 'journey-user-page');
  await admin.setViewportSize({ width: 390, height: 844 });  // the same page at phone width
  await shot(admin, 'journey-user-page-phone');
  await admin.setViewportSize({ width: 1280, height: 800 });
  let missing = await missingSteps();
  assert.ok(!missing.includes('license.environmentAccess'), `licensed: ${missing}`);
  assert.ok(missing.includes('environment.securityGroup'), `${missing}`);

  await admin.goto(userPage);
  await admin.getByLabel('Add to group').selectOption({ label: groupName });
  await button(admin, 'Add to group').click();
  await admin.waitForURL(new RegExp(`^${userPage}`));
  missing = await missingSteps();
  assert.deepEqual(missing, ['environment.securityRole']);
  await shot(guestPage, 'journey-refused-role');

  await admin.goto(`${portal}/environments`);
  await admin.getByRole('link', { name: envName }).click();
  await admin.getByLabel('User or group (user principal name, email, group name or id)').fill(guest);
  await admin.getByLabel('Security role').selectOption({ label: 'Basic User' });
  await button(admin, 'Assign role').click();
  await admin.waitForURL(/\/environments\/[0-9a-f-]{36}/);
  await shot(admin, 'journey-environment-roles');

  const res = await guestPage.goto(envUrl);
  assert.equal(res.status(), 200);
  await shot(guestPage, 'journey-guest-in');
  await guestPage.goto(`${baseUrl}/my/${org.domain}`);
  assert.ok(await guestPage.getByRole('link', { name: new RegExp(envName) }).first().isVisible());
  await shot(guestPage, 'journey-my-environments');
});

test('turning on guest makers in the portal changes what the troubleshooter says', async () => {
  const ask = async () => {
    await admin.goto(`${portal}/troubleshoot`);
    await admin.getByLabel('User').fill(guest);
    await admin.getByLabel('Action').selectOption('app.create');
    await admin.getByLabel('Environment').selectOption({ label: envName });
    await button(admin, 'Check access').click();
    await admin.waitForSelector('[data-verdict]');
    return admin.locator('[data-check="tenantSettings.enableGuestsToMake"]').getAttribute('data-passed');
  };
  assert.equal(await ask(), 'false');
  assert.equal(await admin.getAttribute('[data-verdict]', 'data-verdict'), 'denied');
  assert.ok(await admin.getByRole('link', { name: 'Fix this' }).first().isVisible());
  await shot(admin, 'journey-troubleshooter-before');

  await admin.goto(`${portal}/settings`);
  await admin.getByLabel(/enableGuestsToMake/).check();
  await button(admin, 'Save settings').click();
  await admin.waitForURL(/\/settings/);
  assert.equal(await ask(), 'true');
  await shot(admin, 'journey-troubleshooter-after');
});
