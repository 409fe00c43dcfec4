// A minimal browser for the end-to-end tests (cookies, manual redirects,
// forms with their hidden fields), and user tokens obtained the way a real
// user gets them: the CLI's device-code flow approved on the sign-in pages.
import assert from 'node:assert/strict';
import { baseUrl } from './harness.mjs';

export const CLI_CLIENT_ID = '2b7e4a63-5d0c-4c58-9a7e-6f8a1d4b3c21';  // built-in public client

export class Browser {
  constructor() { this.jar = new Map(); }

  async request(url, { method = 'GET', form, headers: extra = {} } = {}) {
    const headers = { ...extra };
    if (this.jar.size) headers.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    let body;
    if (form) {
      headers['Content-Type'] = 'application/x-www-form-urlencoded';
      body = new URLSearchParams(form).toString();
    }
    const res = await fetch(new URL(url, baseUrl), { method, headers, body, redirect: 'manual' });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair, ...attrs] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attrs.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (expired || value === '') this.jar.delete(name); else this.jar.set(name, value);
    }
    const location = res.headers.get('location');
    return {
      status: res.status,
      location: location ? new URL(location, baseUrl).href : null,
      rawLocation: location,
      headers: res.headers,
      text: await res.text(),
      setCookies,
    };
  }

  get(url, opts) { return this.request(url, opts); }
  post(url, form, opts = {}) { return this.request(url, { ...opts, method: 'POST', form }); }
}

export function unescapeHtml(s) {
  return s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
    .replace(/&#x2F;/gi, '/').replace(/&#x3D;/gi, '=').replace(/&amp;/g, '&');
}

export function field(html, name) {
  const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  return m ? unescapeHtml(m[1]) : undefined;
}

// The hidden fields every /login form step carries.
export function loginForm(html) {
  const form = { csrf: field(html, 'csrf'), tenant: field(html, 'tenant'), continue: field(html, 'continue') ?? '' };
  assert.ok(form.csrf, `no csrf field in:\n${html}`);
  return form;
}

// Signs `email` in on the /login page reached at `loginUrl` (email step, then
// password step); returns the response to the password POST.
export async function passwordSignIn(browser, loginUrl, email, password) {
  const page = await browser.get(loginUrl);
  assert.equal(page.status, 200, page.text);
  const step1 = await browser.post('/login', { ...loginForm(page.text), step: 'email', email });
  assert.equal(step1.status, 200, step1.text);
  assert.match(step1.text, /Enter password/);
  return browser.post('/login', { ...loginForm(step1.text), step: 'password', email, password });
}

async function tokenRequest(tenantRef, form) {
  const res = await fetch(`${baseUrl}/${tenantRef}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form),
  });
  return { status: res.status, body: await res.json() };
}

// A user's tokens for the built-in CLI client in `tenantRef` (a tenant id or
// domain): the device code is started, approved in a browser signed in as
// `email`, and redeemed. `scope` is what the CLI asks for.
export async function deviceTokens(tenantRef, email, password,
  scope = 'openid profile offline_access https://graph.microsoft.com/.default') {
  const start = await fetch(`${baseUrl}/${tenantRef}/oauth2/v2.0/devicecode`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLI_CLIENT_ID, scope }),
  });
  const device = await start.json();
  assert.equal(start.status, 200, JSON.stringify(device));
  const browser = new Browser();
  const r = await browser.get(`/devicelogin?user_code=${encodeURIComponent(device.user_code)}`);
  assert.equal(r.status, 302, r.text);
  const done = await passwordSignIn(browser, r.location, email, password);
  assert.equal(done.status, 302, done.text);
  const confirm = await browser.get(done.location);
  assert.equal(confirm.status, 200, confirm.text);
  const approved = await browser.post('/devicelogin', {
    csrf: field(confirm.text, 'csrf'), user_code: field(confirm.text, 'user_code'), step: 'approve',
  });
  assert.equal(approved.status, 200, approved.text);
  const tokens = await tokenRequest(tenantRef, {
    grant_type: 'urn:ietf:params:oauth:grant-type:device_code', client_id: CLI_CLIENT_ID, device_code: device.device_code,
  });
  assert.equal(tokens.status, 200, JSON.stringify(tokens.body));
  return { ...tokens.body, browser };
}

// A refresh of `refreshToken` for the CLI client: { status, body }.
export function refreshCliToken(tenantRef, refreshToken) {
  return tokenRequest(tenantRef, { grant_type: 'refresh_token', client_id: CLI_CLIENT_ID, refresh_token: refreshToken });
}
