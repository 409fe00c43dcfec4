// Helpers for the several-node tests and the freshness benchmark: the
// balancer and every node (started by cluster.sh, passed in GH_BASE_URL and
// GH_NODES), tokens from a chosen node, JSON requests to a chosen node, and
// the freshness measurement (a change written on one node, polled for on
// another node's gate).
import { Client } from '@microsoft/microsoft-graph-client';

export const balancer = process.env.GH_BASE_URL;
export const nodes = (process.env.GH_NODES ?? '').split(',').filter(Boolean);
export const contoso = JSON.parse(process.env.GH_CONTOSO ?? '{}');
if (!balancer || nodes.length < 2) throw new Error('run through tests/e2e/nodes/cluster_test.sh (GH_BASE_URL, GH_NODES)');

// A client-credentials token issued by `base` (a node or the balancer).
export async function token(base, tenant = contoso) {
  const res = await fetch(`${base}/${tenant.domain}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'client_credentials', client_id: tenant.clientId, client_secret: tenant.clientSecret,
      scope: 'https://graph.microsoft.com/.default',
    }),
  });
  const body = await res.json();
  if (res.status !== 200) throw new Error(`token from ${base}: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}

// One JSON request to `base`; { status, json, text, headers }.
export async function call(base, method, path, { body, bearer } = {}) {
  const headers = { Authorization: `Bearer ${bearer}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json;
  try { json = JSON.parse(text); } catch { json = undefined; }
  return { status: res.status, json, text, headers: res.headers };
}

// The official Graph client pointed at one node (or the balancer).
export function graphAt(base, bearer) {
  return Client.init({
    baseUrl: base,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(base).hostname]),
    authProvider: (done) => done(null, bearer),
  });
}

export async function accessCheck(base, bearer, body) {
  const r = await call(base, 'POST', '/api/v1/access/check', { body, bearer });
  if (r.status !== 200) throw new Error(`access check on ${base}: ${r.status} ${r.text}`);
  return r.json;
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function summary(ms) {
  const s = [...ms].sort((a, b) => a - b);
  const f = (x) => x.toFixed(1);
  return `n=${s.length} p50=${f(percentile(s, 50))} ms p90=${f(percentile(s, 90))} ms p99=${f(percentile(s, 99))} ms `
    + `max=${f(s[s.length - 1])} ms`;
}

// Freshness: `changes` times, disable or enable one user on node `writer`
// (PATCH accountEnabled, Graph) and poll node `reader`'s gate
// (directory.read, whose account.enabled check follows the flag) until its
// decision shows the change. Returns the milliseconds from the PATCH's 2xx to
// the answer of the first access check that shows it (one round trip at least), per
// change. A change not seen within `giveUpMs` throws: the node never caught up.
export async function measureFreshness({ writer, reader, changes, giveUpMs = 30000, tenant = contoso }) {
  const [wt, rt] = [await token(writer, tenant), await token(reader, tenant)];
  const run = Date.now().toString(36) + Math.floor(Math.random() * 1e6).toString(36);
  const upn = `fresh.${run}@${tenant.domain}`;
  const made = await call(writer, 'POST', '/v1.0/users', { bearer: wt, body: {
    accountEnabled: true, displayName: `Freshness ${run}`, mailNickname: `fresh${run}`, userPrincipalName: upn,
    passwordProfile: { password: 'Fr3sh-Passw0rd!' } } });
  if (made.status !== 201) throw new Error(`create user: ${made.status} ${made.text}`);
  const id = made.json.id;
  const enabledOn = async () => {
    const d = await accessCheck(reader, rt, { userId: id, action: 'directory.read' });
    return d.checks.find((c) => c.id === 'account.enabled').passed;
  };
  // The reader knows the user first (its creation travels the same way).
  const deadline0 = Date.now() + giveUpMs;
  for (;;) {
    const r = await call(reader, 'POST', '/api/v1/access/check', { bearer: rt, body: { userId: id, action: 'directory.read' } });
    if (r.status === 200) break;
    if (Date.now() > deadline0) throw new Error(`node ${reader} never saw the new user: ${r.status} ${r.text}`);
    await new Promise((res) => setTimeout(res, 5));
  }
  const delays = [];
  let enabled = true;
  for (let i = 0; i < changes; ++i) {
    enabled = !enabled;
    const patched = await call(writer, 'PATCH', `/v1.0/users/${id}`, { bearer: wt, body: { accountEnabled: enabled } });
    if (patched.status !== 204 && patched.status !== 200) throw new Error(`PATCH: ${patched.status} ${patched.text}`);
    const t0 = performance.now();
    for (;;) {
      if ((await enabledOn()) === enabled) break;
      if (performance.now() - t0 > giveUpMs) throw new Error(`change ${i} not seen on ${reader} within ${giveUpMs} ms`);
    }
    delays.push(performance.now() - t0);
  }
  return delays;
}
