// Attack tests for sign-in abuse resistance against the real server over
// HTTPS (security review #12, #13, #18, #23; issue 17). Each attacker speaks
// from its own loopback address (127.0.0.x, bound with node:https's
// localAddress), so the per-address limits it trips are its own and the
// other e2e files, which all come from 127.0.0.1, are not affected. What
// needs a clock (decay, expiry, purge, lock bounds) is in
// tests/unit/web/signin_abuse_test.cc with the fake clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { baseUrl, tenants, graphClient, raw, waitForMail } from './harness.mjs';
import { Browser, field, loginForm, passwordSignIn, CLI_CLIENT_ID } from './browser.mjs';

const contoso = tenants.contoso;
const run = Date.now().toString(36);
const PASSWORD = 'Str0ng-Passw0rd!';

// One HTTPS request from `from` (a loopback source address).
function request(from, path, { method = 'GET', form, headers = {} } = {}) {
  const url = new URL(path, baseUrl);
  const body = form ? new URLSearchParams(form).toString() : undefined;
  const h = { ...headers };
  if (body !== undefined) {
    h['Content-Type'] = 'application/x-www-form-urlencoded';
    h['Content-Length'] = Buffer.byteLength(body);
  }
  return new Promise((resolve, reject) => {
    const req = https.request(url, { method, headers: h, localAddress: from, agent: false }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c) => { text += c; });
      res.on('end', () => {
        let json;
        try { json = JSON.parse(text); } catch { json = undefined; }
        resolve({ status: res.statusCode, headers: res.headers, text, json });
      });
    });
    req.on('error', reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

// A browser (cookies, forms) whose requests all come from `from`.
class BrowserFrom {
  constructor(from) { this.from = from; this.jar = new Map(); }
  async go(path, { method = 'GET', form } = {}) {
    const headers = {};
    if (this.jar.size) headers.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const r = await request(this.from, path, { method, form, headers });
    for (const c of [].concat(r.headers['set-cookie'] ?? [])) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (value === '' || attrs.some((a) => /^\s*max-age=0\s*$/i.test(a))) this.jar.delete(name);
      else this.jar.set(name, value);
    }
    return r;
  }
  post(path, form) { return this.go(path, { method: 'POST', form }); }

  async passwordSignIn(email, password) {
    const page = await this.go(`/login?tenant=${contoso.tenantId}`);
    assert.equal(page.status, 200, page.text);
    const step = await this.post('/login', { ...loginForm(page.text), step: 'email', email });
    assert.equal(step.status, 200, step.text);
    return this.post('/login', { ...loginForm(step.text), step: 'password', email, password });
  }

  async startSignUp(email) {
    const page = await this.go('/signup');
    assert.equal(page.status, 200, page.text);
    return this.post('/signup', {
      csrf: field(page.text, 'csrf'), step: 'form', continue: '', email, display_name: `Flood ${run}`,
      password: PASSWORD, confirm: PASSWORD,
    });
  }
}

async function createMember(tag) {
  const email = `${tag}${run}@${contoso.domain}`;
  await graphClient(contoso).api('/users').post({
    accountEnabled: true, displayName: `${tag} ${run}`, mailNickname: `${tag}${run}`, userPrincipalName: email,
    passwordProfile: { forceChangePasswordNextSignIn: false, password: PASSWORD },
  });
  return email;
}

function deviceCode(from, scope = 'openid profile offline_access', tenant = contoso.domain) {
  return request(from, `/${tenant}/oauth2/v2.0/devicecode`, { method: 'POST', form: { client_id: CLI_CLIENT_ID, scope } });
}

// Every message the SMTP sink has received so far, by recipient.
async function mailedTo() {
  const out = new Set();
  for (const n of (await readdir(process.env.GH_MAIL_DIR)).filter((x) => x.endsWith('.json'))) {
    const msg = JSON.parse(await readFile(join(process.env.GH_MAIL_DIR, n), 'utf8'));
    for (const a of msg.rcpt_tos) out.add(a.toLowerCase());
  }
  return out;
}

// ---- #12 sign-up -------------------------------------------------------------------------

test('a flood of sign-ups from one address stops being hashed and mailed after 20', async () => {
  const flood = new BrowserFrom('127.0.0.21');
  const accepted = [];
  for (let i = 0; i < 20; i++) {
    const email = `flood${i}.${run}@outlook.com`;
    const r = await flood.startSignUp(email);
    assert.equal(r.status, 200, r.text);
    assert.match(r.text, /We sent a code/);
    accepted.push(email);
  }
  const refused = [];
  for (let i = 0; i < 10; i++) {
    const email = `refused${i}.${run}@hotmail.com`;
    const r = await flood.startSignUp(email);
    assert.equal(r.status, 429, r.text);
    assert.equal(r.headers['retry-after'], '60');
    assert.match(r.text, /Too many accounts were started from your network/);
    refused.push(email);
  }
  // Someone else, elsewhere, still signs up.
  const other = `real.${run}@live.com`;
  assert.equal((await new BrowserFrom('127.0.0.22').startSignUp(other)).status, 200);
  // The 20 accepted and the other one were mailed (by real SMTP); none of the refused ones.
  for (const email of [...accepted, other]) await waitForMail(email);
  const mailed = await mailedTo();
  for (const email of refused) assert.ok(!mailed.has(email), `${email} was mailed`);
});

// ---- #13 smart lockout ---------------------------------------------------------------------

test('an attacker who locks an admin out cannot keep them from signing in from their usual address', async () => {
  const email = await createMember('usual');
  const usual = new BrowserFrom('127.0.0.31');
  const first = await usual.passwordSignIn(email, PASSWORD);
  assert.equal(first.status, 200, first.text);
  assert.ok(usual.jar.has('gh_session'));

  const attacker = new BrowserFrom('127.0.0.32');
  for (let i = 0; i < 5; i++) {
    const r = await attacker.passwordSignIn(email, `Wrong-${i}-Passw0rd!`);
    assert.equal(r.status, 401, r.text);
  }
  const locked = await attacker.passwordSignIn(email, PASSWORD);
  assert.equal(locked.status, 429, locked.text);
  assert.match(locked.text, /temporarily locked/);
  assert.ok(!attacker.jar.has('gh_session'));
  // Still locked from any address the account never signed in from…
  const stranger = new BrowserFrom('127.0.0.33');
  assert.equal((await stranger.passwordSignIn(email, PASSWORD)).status, 429);
  // …but the owner, at their usual address, gets in with the right password.
  const again = new BrowserFrom('127.0.0.31');
  const ok = await again.passwordSignIn(email, PASSWORD);
  assert.equal(ok.status, 200, ok.text);
  assert.ok(again.jar.has('gh_session'));
});

// ---- Argon2 on a bounded pool ------------------------------------------------------------

test('a sign-in flood does not starve the API: sign-ins are refused or answered, Graph still answers', async () => {
  const graph = graphClient(contoso);
  const flood = [];
  for (let a = 0; a < 6; a++) {
    for (let i = 0; i < 5; i++) {
      const b = new BrowserFrom(`127.0.0.5${a}`);  // one cookie jar (CSRF token) per flow
      flood.push(b.passwordSignIn(`nobody${a}.${i}.${run}@${contoso.domain}`, 'Wrong-Passw0rd!'));
    }
  }
  // While they are in flight the directory answers…
  const users = await graph.api('/users').top(1).get();
  assert.ok(Array.isArray(users.value));
  const health = await raw('GET', '/healthz', { token: '' });
  assert.equal(health.status, 200);
  // …and every sign-in got a proper answer: a wrong password, or "busy, try again".
  for (const r of await Promise.all(flood)) {
    assert.ok([401, 429].includes(r.status), `${r.status}: ${r.text.slice(0, 300)}`);
    if (r.status === 429) {
      assert.match(r.text, /The server is busy|Too many sign-in attempts/);
      assert.ok(r.headers['retry-after']);
    }
  }
});

// ---- #23 device codes --------------------------------------------------------------------

test('POST /devicecode from one address is throttled; other addresses are not', async () => {
  for (let i = 0; i < 60; i++) {
    const r = await deviceCode('127.0.0.41');
    assert.equal(r.status, 200, r.text);
  }
  const refused = await deviceCode('127.0.0.41');
  assert.equal(refused.status, 429, refused.text);
  assert.equal(refused.json.error, 'slow_down');
  assert.equal(refused.headers['retry-after'], '60');
  assert.equal((await deviceCode('127.0.0.42')).status, 200);
});

// ---- #18 the device approval page ------------------------------------------------------------

test('the device approval page shows the permissions asked for, the client, and where and when it started', async () => {
  const started = await deviceCode('127.0.0.43', 'openid offline_access https://graph.microsoft.com/User.ReadWrite.All');
  assert.equal(started.status, 200, started.text);
  const browser = new Browser();
  const r = await browser.get(`/devicelogin?user_code=${encodeURIComponent(started.json.user_code)}`);
  assert.equal(r.status, 302, r.text);
  const done = await passwordSignIn(browser, r.location, `admin@${contoso.domain}`, 'Adm1n-Passw0rd!');
  assert.equal(done.status, 302, done.text);
  const confirm = await browser.get(done.location);
  assert.equal(confirm.status, 200, confirm.text);
  assert.match(confirm.text, /Gatehouse CLI/);
  assert.match(confirm.text, /offline_access/);
  assert.match(confirm.text, /Maintain access to data you have given it access to/);
  assert.match(confirm.text, /User\.ReadWrite\.All/);
  assert.match(confirm.text, /Read and write all users/);
  assert.match(confirm.text, /127\.0\.0\.43/);
  assert.match(confirm.text, new RegExp(new Date().toISOString().slice(0, 10)));
  // Cancelling leaves nothing approved.
  const cancelled = await browser.post('/devicelogin', {
    csrf: field(confirm.text, 'csrf'), user_code: field(confirm.text, 'user_code'), step: 'deny',
  });
  assert.equal(cancelled.status, 200, cancelled.text);
});

// ---- #18 tenants can turn the device code flow off ---------------------------------------

test('a tenant with the device code flow off refuses it with an Entra-like error', async () => {
  const graph = graphClient(contoso);
  const before = await graph.api('/policies/authorizationPolicy').get();
  assert.equal(before.allowDeviceCodeFlow, true);
  const bad = await raw('PATCH', '/v1.0/policies/authorizationPolicy', {
    body: JSON.stringify({ allowDeviceCodeFlow: 'off' }), headers: { 'Content-Type': 'application/json' },
  });
  assert.equal(bad.status, 400, bad.text);
  assert.ok(bad.json.error.code && bad.json.error.message && bad.json.error.innerError);
  await graph.api('/policies/authorizationPolicy').patch({ allowDeviceCodeFlow: false });
  try {
    assert.equal((await graph.api('/policies/authorizationPolicy').get()).allowDeviceCodeFlow, false);
    const refused = await deviceCode('127.0.0.44');
    assert.equal(refused.status, 400, refused.text);
    assert.equal(refused.json.error, 'unauthorized_client');
    assert.match(refused.json.error_description, /^AADSTS53003:/);
    assert.deepEqual(refused.json.error_codes, [53003]);
    // Another tenant on the server is not affected.
    assert.equal((await deviceCode('127.0.0.44', 'openid', tenants.fabrikam.domain)).status, 200);
  } finally {
    await graph.api('/policies/authorizationPolicy').patch({ allowDeviceCodeFlow: true });
  }
  assert.equal((await deviceCode('127.0.0.44')).status, 200);
});
