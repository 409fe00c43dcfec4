// Attacks on the transport and the browser-facing pages, replayed against a
// real server over HTTPS (security review #5, #10, #13, #19, #20, #21, #22,
// #28): open redirects after sign-in and sign-up (checked with WHATWG URL
// parsing, as browsers resolve a Location, and in a real Chromium), NUL and
// invalid UTF-8 in forms, the prompt=none identity leak, error texts, the
// hardening headers, sign-out by GET, huge unauthenticated uploads, and — on
// servers this file starts itself — connection caps and X-Forwarded-For.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import tls from 'node:tls';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { baseUrl, tenants, raw, waitForMail, clientCredentialsToken } from './harness.mjs';
import { Browser, field, loginForm } from './browser.mjs';
import { adminToken } from './consent.mjs';

const contoso = tenants.contoso;
const fabrikam = tenants.fabrikam;
const PASSWORD = 'Adm1n-Passw0rd!';
const admin = `admin@${contoso.domain}`;
const origin = new URL(baseUrl).origin;
const run = Date.now().toString(36);
const REDIRECT = 'http://localhost:9/attack-cb';

// Where an attacker's continue= would send the browser after sign-in. Each
// one resolves off-site as a Location (tabs and newlines are dropped, '\' is
// '/', "//host" and "scheme:" leave).
const OFF_SITE = ['/\t/evil.example', '/\n/evil.example', '/\\evil.example', '\\/evil.example', '//evil.example',
  '/ /evil.example', 'https://evil.example/', '/\r/evil.example', '/\x0b/evil.example', '\t//evil.example',
  '//\tevil.example', '/\t\\evil.example'];

// The origin a browser lands on when it follows `location` from this server.
const landsOn = (location) => new URL(location, baseUrl).origin;

async function signIn(browser, tenantRef, email, forgedContinue = '', base = '') {
  const page = await browser.get(`${base}/login?tenant=${encodeURIComponent(tenantRef)}`);
  assert.equal(page.status, 200, page.text);
  const form = { ...loginForm(page.text), continue: forgedContinue };
  const step1 = await browser.post(`${base}/login`, { ...form, step: 'email', email });
  assert.equal(step1.status, 200, step1.text);
  return browser.post(`${base}/login`, { ...loginForm(step1.text), continue: forgedContinue, step: 'password', email,
    password: PASSWORD });
}

async function graph(method, p, body, tenant = contoso) {
  return raw(method, p, { tenant, body: body && JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
}

let app;
before(async () => {
  const r = await graph('POST', '/v1.0/applications', { displayName: `Attack RP ${run}`, publicClient: { redirectUris: [REDIRECT] } });
  assert.equal(r.status, 201, r.text);
  app = r.json;
});

// ---- #5 open redirect -------------------------------------------------------

test('a forged continue= never sends the browser off-site after sign-in', async () => {
  for (const target of OFF_SITE) {
    const browser = new Browser();
    // The link's value isn't carried into the form...
    const page = await browser.get(`/login?tenant=${contoso.domain}&continue=${encodeURIComponent(target)}`);
    assert.equal(page.status, 200);
    assert.equal(field(page.text, 'continue') ?? '', '', `carried: ${JSON.stringify(target)}`);
    // ...and a forged form field isn't followed after the password.
    const done = await signIn(browser, contoso.domain, admin, target);
    if (done.rawLocation !== null) {
      assert.equal(landsOn(done.rawLocation), origin, `${JSON.stringify(target)} → Location ${JSON.stringify(done.rawLocation)}`);
    } else {
      assert.equal(done.status, 200, done.text);
    }
  }
});

test('a forged continue= never sends the browser off-site after sign-up', async () => {
  for (const [i, target] of ['/\t/evil.example', '/\\evil.example', '//evil.example'].entries()) {
    const browser = new Browser();
    const email = `attack-${run}-${i}@outlook.com`;
    const form = await browser.get(`/signup?continue=${encodeURIComponent(target)}`);
    assert.equal(form.status, 200);
    assert.equal(field(form.text, 'continue') ?? '', '');
    const csrf = field(form.text, 'csrf');
    const sent = await browser.post('/signup', { csrf, step: 'form', continue: target, email, display_name: 'Attack',
      password: PASSWORD, confirm: PASSWORD });
    assert.equal(sent.status, 200, sent.text);
    const code = (await waitForMail(email)).text.match(/\b(\d{8})\b/)[1];
    const done = await browser.post('/signup', { csrf, step: 'verify', continue: target, email, code });
    if (done.rawLocation !== null) assert.equal(landsOn(done.rawLocation), origin, JSON.stringify(done.rawLocation));
    else assert.equal(done.status, 200, done.text);
  }
});

test('in a real browser, a sign-in link with continue=/%09/evil.example stays on the site', async () => {
  const chrome = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
  try {
    const context = await chrome.newContext({ ignoreHTTPSErrors: true });
    const offSite = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.origin !== origin) { offSite.push(url.href); return route.fulfill({ status: 200, body: 'evil' }); }
      return route.continue();
    });
    for (const target of ['/%09/evil.example', '/%5Cevil.example', '/%0A/evil.example']) {
      const page = await context.newPage();
      await page.goto(`${baseUrl}/login?tenant=${contoso.domain}&continue=${target}`);
      await page.getByLabel('Email address').fill(admin);
      await page.getByRole('button', { name: 'Next' }).click();
      await page.getByLabel('Password').fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      // Signed in, on this site; or (the attack working) on another site's page.
      await page.getByRole('heading', { name: 'You\'re signed in' }).waitFor({ timeout: 15000 }).catch(() => {});
      assert.equal(new URL(page.url()).origin, origin, `${target} led to ${page.url()}`);
      await page.close();
    }
    assert.deepEqual(offSite, [], 'the browser requested another site');
  } finally {
    await chrome.close();
  }
});

// ---- #22 NUL and invalid UTF-8 in forms ---------------------------------------

test('a portal form with %00 or invalid UTF-8 is refused with 400 and stores nothing', async () => {
  const browser = new Browser();
  const landing = await browser.get(`/portal/${contoso.domain}/groups`);
  assert.equal(landing.status, 303);
  const done = await signIn(browser, contoso.tenantId, admin, `/portal/${contoso.domain}/groups`);
  assert.equal(done.status, 302, done.text);
  const page = await browser.get(`/portal/${contoso.domain}/groups`);
  assert.equal(page.status, 200, page.text);
  const csrf = field(page.text, 'csrf');
  const name = `NulTest${run}`;
  for (const bad of [`${name}%00x`, `${name}%FFx`, `${name}%C3%28`, `${name}%ED%A0%80`]) {
    const res = await fetch(`${baseUrl}/portal/${contoso.domain}/groups`, {
      method: 'POST', redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ') },
      body: `csrf=${encodeURIComponent(csrf)}&displayName=${bad}&groupType=security`,
    });
    assert.equal(res.status, 400, `${bad}: ${await res.text()}`);
  }
  const found = await raw('GET', `/v1.0/groups?$filter=startswith(displayName,'${name}')`);
  assert.equal(found.status, 200, found.text);
  assert.deepEqual(found.json.value, [], 'a refused form stored a group');
  // The token endpoint too: a Graph-shaped 400.
  const token = await fetch(`${baseUrl}/${contoso.domain}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: `grant_type=client_credentials&client_id=${contoso.clientId}%00&client_secret=x`,
  });
  assert.equal(token.status, 400);
  const body = await token.json();
  assert.equal(body.error.code, 'Request_BadRequest');
  assert.ok(body.error.innerError['request-id']);
});

// ---- #19 prompt=none ---------------------------------------------------------

test('prompt=none tells another tenant\'s app only interaction_required, never who is signed in', async () => {
  const browser = new Browser();
  const done = await signIn(browser, fabrikam.tenantId, `admin@${fabrikam.domain}`);
  assert.equal(done.status, 200, done.text);
  const url = new URL(`${baseUrl}/${contoso.tenantId}/oauth2/v2.0/authorize`);
  for (const [k, v] of Object.entries({ client_id: app.appId, redirect_uri: REDIRECT, response_type: 'code', scope: 'openid',
    state: 'st', prompt: 'none', code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM', code_challenge_method: 'S256' }))
    url.searchParams.set(k, v);
  const r = await browser.get(url.href);
  assert.equal(r.status, 302, r.text);
  const back = new URL(r.location);
  assert.equal(`${back.origin}${back.pathname}`, REDIRECT);
  assert.equal(back.searchParams.get('error'), 'interaction_required');
  assert.equal(back.searchParams.get('state'), 'st');
  assert.deepEqual([...back.searchParams.keys()].sort(), ['error', 'state']);
  assert.doesNotMatch(r.location, new RegExp(`admin|${fabrikam.domain}|AADSTS`, 'i'));
});

// ---- #21 headers ------------------------------------------------------------

// Raw bytes over TLS; the response as { status, headers } (what the transport
// itself answers to broken HTTP, which fetch can't send).
function rawTls(hostname, bytes) {
  const { port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => socket.write(bytes));
    let text = '';
    socket.on('data', (d) => { text += d; });
    socket.on('error', reject);
    socket.on('close', () => {
      const [head] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const headers = new Headers();
      for (const l of lines.slice(1)) { const i = l.indexOf(':'); if (i > 0) headers.append(l.slice(0, i), l.slice(i + 1).trim()); }
      resolve({ status: Number(lines[0].slice(9, 12)), headers });
    });
  });
}

test('every kind of response says nosniff and, over HTTPS, sends HSTS', async () => {
  // HSTS is per host name, so the server leaves it out for "localhost" (it
  // would pin every local development server to HTTPS); the same server by
  // its IP address gets it.
  const ipBase = baseUrl.replace('//localhost:', '//127.0.0.1:');
  const token = `Bearer ${await clientCredentialsToken(contoso)}`;
  const job = await raw('POST', '/api/v1/bulkInvitations?redirectUrl=https://myapps.microsoft.com&sendEmail=false',
    { body: 'email\nnot-an-address\n', headers: { 'Content-Type': 'text/csv' }, token: `Bearer ${await adminToken(contoso)}` });
  assert.equal(job.status, 202, job.text);
  const kinds = (base) => ({
    page: () => fetch(`${base}/login?tenant=${contoso.domain}`),
    json: () => fetch(`${base}/v1.0/users?$top=1`, { headers: { Authorization: token } }),
    csv: () => fetch(`${base}/api/v1/bulkInvitations/${job.json.id}/results`, { headers: { Authorization: token } }),
    error: () => fetch(`${base}/v1.0/nothing-here`),
    redirect: () => fetch(`${base}/portal/${contoso.domain}`, { redirect: 'manual' }),
    static: () => fetch(`${base}/static/gatehouse.css`),
    transport: () => rawTls(new URL(base).hostname, 'GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n'),
  });
  for (const [kind, get] of Object.entries(kinds(ipBase))) {
    const res = await get();
    if (kind === 'csv') assert.match(res.headers.get('content-type'), /^text\/csv/);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', kind);
    assert.match(res.headers.get('strict-transport-security') ?? '', /^max-age=\d{7,}/, kind);
  }
  for (const [kind, get] of Object.entries(kinds(baseUrl))) {
    const res = await get();
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff', kind);
  }
  const local = await fetch(`${baseUrl.replace('//127.0.0.1:', '//localhost:')}/login?tenant=${contoso.domain}`);
  assert.equal(local.headers.get('strict-transport-security'), null, 'HSTS pinned localhost');
});

// ---- #28 sign-out ------------------------------------------------------------

test('a page can\'t sign you out by GET; the confirmation form can', async () => {
  const browser = new Browser();
  const done = await signIn(browser, contoso.domain, admin, `/portal/${contoso.domain}`);
  assert.equal(done.status, 302, done.text);
  const signedIn = async () => (await browser.get(`/portal/${contoso.domain}`)).status === 200;
  assert.ok(await signedIn());
  for (const p of ['/logout', `/${contoso.tenantId}/oauth2/v2.0/logout`,
    `/${contoso.domain}/oauth2/v2.0/logout?post_logout_redirect_uri=${encodeURIComponent(REDIRECT)}&client_id=${app.appId}`]) {
    const r = await browser.get(p);
    assert.equal(r.status, 200, `${p}: ${r.text}`);
    assert.match(r.text, /Sign out\?/);
    assert.ok(await signedIn(), `GET ${p} signed the user out`);
  }
  const forged = await browser.post('/logout', { csrf: 'x'.repeat(43) });
  assert.equal(forged.status, 400);
  assert.ok(await signedIn());
  const confirm = await browser.get('/logout');
  const out = await browser.post('/logout', { csrf: field(confirm.text, 'csrf') });
  assert.equal(out.status, 200, out.text);
  assert.equal(await signedIn(), false);
});

// ---- #10 huge unauthenticated uploads -----------------------------------------

// Sends a request declaring `declared` body bytes and pushes the body as fast
// as the server takes it, until it answers or stops reading for 3 s. Returns
// the status line and how many bytes the kernel accepted from us.
function pushUpload(requestPath, headers, declared) {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false });
    let answer = '';
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      clearTimeout(stall);
      resolve({ status: Number(answer.slice(9, 12)), answer, written: socket.bytesWritten });
      socket.destroy();
    };
    let stall = setTimeout(finish, 3000);
    socket.on('data', (d) => { answer += d.toString('latin1'); if (answer.includes('\r\n\r\n')) setTimeout(finish, 200); });
    socket.on('error', () => finish());
    socket.on('close', () => finish());
    socket.on('secureConnect', async () => {
      const head = `POST ${requestPath} HTTP/1.1\r\nHost: ${hostname}:${port}\r\nContent-Length: ${declared}\r\n` +
        Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n';
      socket.write(head);
      const chunk = Buffer.alloc(256 * 1024, 'a');
      let sent = 0;
      while (!finished && sent < declared) {
        const ok = socket.write(chunk);
        sent += chunk.length;
        clearTimeout(stall);
        stall = setTimeout(finish, 3000);
        if (!ok) await new Promise((r) => { socket.once('drain', r); socket.once('close', r); });
      }
    });
    socket.setTimeout(60000, () => reject(new Error('upload test timed out')));
  });
}

test('a huge unauthenticated upload is refused without being read', async () => {
  const declared = 200 * 1024 * 1024;
  const api = await pushUpload('/api/v1/bulkInvitations', { 'Content-Type': 'text/csv' }, declared);
  assert.equal(api.status, 401, api.answer.slice(0, 300));
  assert.ok(api.written < 32 * 1024 * 1024, `the server took ${api.written} bytes of an unauthenticated body`);
  const portal = await pushUpload(`/portal/${contoso.domain}/bulk`,
    { 'Content-Type': 'multipart/form-data; boundary=x' }, declared);
  assert.ok([302, 303, 401, 403].includes(portal.status), portal.answer.slice(0, 300));
  assert.ok(portal.written < 32 * 1024 * 1024, `the server took ${portal.written} bytes of an anonymous portal upload`);
  // A bad token is no better than none.
  const forged = await pushUpload('/api/v1/bulkInvitations', { 'Content-Type': 'text/csv', Authorization: 'Bearer x.y.z' }, declared);
  assert.equal(forged.status, 401);
  assert.ok(forged.written < 32 * 1024 * 1024);
});

test('an authenticated upload over the default body limit is still read', async () => {
  // 9 MiB (over the 8 MiB default) with no rows: read whole, then refused for its content.
  const csv = 'email\n' + '\n'.repeat(9 * 1024 * 1024);
  const r = await raw('POST', '/api/v1/bulkInvitations?redirectUrl=https://myapps.microsoft.com', {
    body: csv, headers: { 'Content-Type': 'text/csv' }, token: `Bearer ${await adminToken(contoso)}` });
  assert.notEqual(r.status, 413, r.text);
  assert.notEqual(r.status, 401, r.text);
  assert.ok(r.status === 202 || r.status === 400, r.text);
});

// ---- #10, #13, #21 on servers of our own: caps, proxies, Secure behind a proxy -

const here = path.dirname(fileURLToPath(import.meta.url));
const bin = process.env.GATEHOUSE_BIN || path.resolve(here, '../../build/gatehouse');
const spawned = [];

// A plain-HTTP server (as behind a TLS-terminating proxy) on its own SQLite
// data folder, with `args`; resolves with its port and a way to read its log.
async function startServer(args, data = mkdtempSync(path.join(tmpdir(), 'gh-attacks-web-'))) {
  const child = spawn(bin, ['serve', '--data', data, '--listen', '127.0.0.1:0', '--insecure-http', ...args],
    { stdio: ['ignore', 'pipe', 'pipe'] });
  const server = { child, data, log: '' };
  spawned.push(server);
  child.stderr.on('data', (d) => { server.log += d; });
  child.stdout.on('data', (d) => { server.log += d; });  // spdlog writes the request log to stdout
  server.port = await new Promise((resolve, reject) => {
    const look = () => {
      const m = server.log.match(/listening on http:\/\/[^\s]*:(\d+)/);
      if (m) resolve(Number(m[1]));
    };
    child.stdout.on('data', look);
    child.stderr.on('data', look);
    child.on('exit', (code) => reject(new Error(`server exited (${code}): ${server.log}`)));
  });
  return server;
}

after(async () => {
  for (const s of spawned) {
    s.child.kill('SIGTERM');
    await new Promise((r) => (s.child.exitCode !== null ? r() : s.child.once('exit', r)));
    rmSync(s.data, { recursive: true, force: true });
  }
});

// One keep-alive HTTP/1.1 connection; `get` sends a request and resolves with
// the response head, or null when the server closed without answering.
function connection(port) {
  const socket = net.connect(port, '127.0.0.1');
  let buffered = Buffer.alloc(0);
  let waiting = null;
  socket.on('data', (d) => {
    buffered = Buffer.concat([buffered, d]);
    const end = buffered.indexOf('\r\n\r\n');
    if (end < 0 || !waiting) return;
    const head = buffered.subarray(0, end).toString('latin1');
    const length = Number((head.match(/content-length: (\d+)/i) ?? [0, 0])[1]);
    if (buffered.length >= end + 4 + length) {
      const whole = buffered.toString('utf8');
      buffered = Buffer.alloc(0);
      waiting(whole);
      waiting = null;
    }
  });
  const closed = () => { if (waiting) { waiting(null); waiting = null; } };
  socket.on('close', closed);
  socket.on('error', closed);
  return {
    socket,
    get(p, headers = {}) {
      return new Promise((resolve) => {
        waiting = resolve;
        socket.write(`GET ${p} HTTP/1.1\r\nHost: gatehouse.example\r\n` +
          Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('') + '\r\n');
      });
    },
  };
}

test('connections over the per-address cap are refused; a trusted proxy is exempt', async () => {
  const capped = await startServer(['--max-connections-per-address', '4']);
  const held = [];
  for (let i = 0; i < 4; i++) {
    const c = connection(capped.port);
    held.push(c);
    assert.match(await c.get('/healthz') ?? '', /^HTTP\/1\.1 200/, `connection ${i}`);
  }
  const extra = connection(capped.port);
  assert.equal(await extra.get('/healthz'), null, 'a fifth connection from the same address was served');
  assert.match(await held[0].get('/healthz') ?? '', /^HTTP\/1\.1 200/, 'the held ones still work');
  for (const c of held) c.socket.destroy();

  const proxied = await startServer(['--max-connections-per-address', '1', '--trusted-proxy', '127.0.0.1']);
  const many = [connection(proxied.port), connection(proxied.port), connection(proxied.port)];
  for (const c of many) assert.match(await c.get('/healthz') ?? '', /^HTTP\/1\.1 200/);
  for (const c of many) c.socket.destroy();
});

test('X-Forwarded-For is ignored from an untrusted peer and honoured from a trusted proxy', async () => {
  const direct = await startServer(['--trusted-proxy', '10.20.30.40']);
  const c1 = connection(direct.port);
  assert.match(await c1.get('/healthz?spoof', { 'X-Forwarded-For': '198.51.100.66' }) ?? '', /^HTTP\/1\.1 200/);
  c1.socket.destroy();
  const proxied = await startServer(['--trusted-proxy', '127.0.0.0/8,10.20.30.40']);
  const c2 = connection(proxied.port);
  assert.match(await c2.get('/healthz?proxied', { 'X-Forwarded-For': '203.0.113.5, 198.51.100.77' }) ?? '', /^HTTP\/1\.1 200/);
  c2.socket.destroy();
  // The server's own record of who asked (its request log).
  await new Promise((r) => setTimeout(r, 300));
  assert.match(direct.log, /path=\/healthz status=200 .* remote=127\.0\.0\.1\b/);
  assert.doesNotMatch(direct.log, /198\.51\.100\.66/, 'a spoofed X-Forwarded-For was believed');
  assert.match(proxied.log, /remote=198\.51\.100\.77 via 127\.0\.0\.1/);
  assert.doesNotMatch(proxied.log, /remote=203\.0\.113\.5/, 'the client-written hop was believed');
});

test('behind a TLS proxy with an https public URL, cookies are Secure and HSTS is sent', async () => {
  const behind = await startServer(['--public-url', 'https://gatehouse.example']);
  const c = connection(behind.port);
  const head = await c.get('/signup');
  c.socket.destroy();
  assert.match(head ?? '', /^HTTP\/1\.1 200/);
  assert.match(head, /Set-Cookie: gh_csrf=[^\r\n]*; Secure/i);
  assert.match(head, /Strict-Transport-Security: max-age=\d+/i);
  assert.match(head, /X-Content-Type-Options: nosniff/i);
});

// ---- #20 error texts, on a server of our own whose database we break ------------

test('a database failure answers a generic message with the request id, no driver text', async () => {
  const data = mkdtempSync(path.join(tmpdir(), 'gh-attacks-db-'));
  const domain = `errors-${run}.test`;
  const init = spawnSync(bin, ['init', '--data', data, '--tenant', 'Errors', '--domain', domain,
    '--admin', `admin@${domain}`, '--password', PASSWORD, '--output', 'json'], { encoding: 'utf8' });
  assert.equal(init.status, 0, init.stderr);
  const tenant = JSON.parse(init.stdout);
  const server = await startServer([], data);
  const base = `http://127.0.0.1:${server.port}`;
  const tokenRes = await fetch(`${base}/${domain}/oauth2/v2.0/token`, { method: 'POST',
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: tenant.clientId,
      client_secret: tenant.clientSecret, scope: 'https://graph.microsoft.com/.default' }) });
  const token = (await tokenRes.json()).access_token;
  assert.ok(token);
  const browser = new Browser();
  assert.equal((await signIn(browser, domain, `admin@${domain}`, '', base)).status, 200);
  assert.equal((await browser.get(`${base}/portal/${domain}/groups`)).status, 200);

  // An operator's slip or a broken migration: the table is gone under the running server.
  const broke = spawnSync('/usr/bin/python3', ['-c', 'import sqlite3,sys\nc=sqlite3.connect(sys.argv[1])\n' +
    'c.execute("PRAGMA foreign_keys=OFF")\nc.execute("DROP TABLE groups")\nc.commit()', path.join(data, 'gatehouse.db')],
  { encoding: 'utf8' });
  assert.equal(broke.status, 0, broke.stderr);

  const api = await fetch(`${base}/v1.0/groups`, { headers: { Authorization: `Bearer ${token}` } });
  const body = await api.json();
  assert.ok(api.status >= 500, JSON.stringify(body));
  assert.match(body.error.message, new RegExp(body.error.innerError['request-id']));
  assert.doesNotMatch(JSON.stringify(body), /no such table|sqlite|SQL|groups/i);
  const page = await browser.get(`${base}/portal/${domain}/groups`);
  assert.ok(page.status >= 500, page.text);
  assert.match(page.text, new RegExp(page.headers.get('request-id')));
  assert.doesNotMatch(page.text, /no such table|sqlite|SQL/i);
  // The details are in the server's log, under that request id.
  await new Promise((r) => setTimeout(r, 200));
  assert.match(server.log, new RegExp(`request_id=${body.error.innerError['request-id']} .*no such table`));
});
