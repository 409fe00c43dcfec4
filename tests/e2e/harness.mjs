// Shared set-up for the end-to-end tests: the server under test is started by
// run.sh, which passes its base URL and the tenants' automation credentials in
// the environment. Tokens come from Gatehouse's own token endpoint.
import { Client } from '@microsoft/microsoft-graph-client';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

export const baseUrl = process.env.GH_BASE_URL;
export const tenants = {
  contoso: JSON.parse(process.env.GH_CONTOSO),
  fabrikam: JSON.parse(process.env.GH_FABRIKAM),
};
if (!baseUrl) throw new Error('GH_BASE_URL is not set: run the end-to-end tests through tests/e2e/run.sh');

const tokenCache = new Map();

export async function clientCredentialsToken(tenant) {
  if (tokenCache.has(tenant.tenantId)) return tokenCache.get(tenant.tenantId);
  const res = await fetch(`${baseUrl}/${tenant.domain}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials',
      client_id: tenant.clientId,
      client_secret: tenant.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`token request failed: ${res.status} ${JSON.stringify(body)}`);
  tokenCache.set(tenant.tenantId, body.access_token);
  return body.access_token;
}

// The official Graph client pointed at Gatehouse: baseUrl plus customHosts so
// that it attaches the token and follows absolute @odata.nextLink URLs.
export function graphClient(tenant) {
  return Client.init({
    baseUrl,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(baseUrl).hostname]),
    authProvider: (done) => clientCredentialsToken(tenant).then((t) => done(null, t), (e) => done(e, null)),
  });
}

// Raw HTTP for what the Graph client can't send (malformed bodies, wrong methods).
export async function raw(method, path, { tenant = tenants.contoso, body, headers = {}, token } = {}) {
  const auth = token === undefined ? `Bearer ${await clientCredentialsToken(tenant)}` : token;
  const h = { ...headers };
  if (auth) h.Authorization = auth;
  const res = await fetch(`${baseUrl}${path}`, { method, headers: h, body });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, headers: res.headers, text, json };
}

// Runs `fn` over `items` with at most `limit` in flight.
export async function pool(items, limit, fn) {
  const out = [];
  let next = 0;
  await Promise.all(Array.from({ length: limit }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  }));
  return out;
}

// The first message the SMTP sink (GH_MAIL_DIR, one N.json per message)
// received for `address` (and matching `match`, when given), waiting up to `timeoutMs`.
export async function waitForMail(address, timeoutMs = 20000, match = () => true) {
  const mailDir = process.env.GH_MAIL_DIR;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const n of (await readdir(mailDir)).filter((x) => x.endsWith('.json'))) {
      const msg = JSON.parse(await readFile(join(mailDir, n), 'utf8'));
      if (msg.rcpt_tos.map((a) => a.toLowerCase()).includes(address.toLowerCase()) && match(msg)) return msg;
    }
    if (Date.now() > deadline) throw new Error(`no mail to ${address} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
