// Graph's throttling with the official Graph JavaScript client: a burst of
// 200 invitations in one tenant, over Graph's 150 per 5 seconds, all succeed
// because the SDK's retry handler waits out each 429's Retry-After — and the
// server's metrics show that some were refused first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { baseUrl, tenants, pool, raw } from './harness.mjs';
import { adminGraphClient, adminToken } from './consent.mjs';

const run = Date.now().toString(36);

async function refusedInvitations() {
  const res = await fetch(`${baseUrl}/metrics`, { headers: { Authorization: `Bearer ${process.env.GH_METRICS_TOKEN}` } });
  assert.equal(res.status, 200);
  const requests = parsePrometheusTextFormat(await res.text()).find((f) => f.name === 'http_requests_total');
  const m = requests?.metrics.find((x) => x.labels.route === '/v1.0/invitations' && x.labels.method === 'POST' &&
    x.labels.status === '429');
  return m ? Number(m.value) : 0;
}

test('a burst of invitations over the limit completes through the SDK\'s retries', async () => {
  await adminToken(tenants.fabrikam);  // once, before the burst asks for it
  const inviter = adminGraphClient(tenants.fabrikam);
  const before = await refusedInvitations();
  const n = 200;
  const made = await pool([...Array(n).keys()], 16, (i) => inviter.api('/invitations').post({
    invitedUserEmailAddress: `burst.${run}.${i}@example.org`,
    inviteRedirectUrl: 'https://localhost/',
    sendInvitationMessage: false,
  }));
  assert.equal(made.length, n);
  assert.ok(made.every((inv) => inv.status === 'PendingAcceptance'));
  assert.ok(await refusedInvitations() > before, 'no invitation was throttled: the burst did not pass the limit');
});

test('a throttled request says when to retry, in Graph\'s error shape', async () => {
  const token = `Bearer ${await adminToken(tenants.fabrikam)}`;
  // Requests refused by validation count too, as in Graph; 16 at a time pass the limit.
  let seen;
  for (let round = 0; round < 60 && !seen; round++) {
    const answers = await Promise.all([...Array(16).keys()].map(() => raw('POST', '/v1.0/invitations', {
      tenant: tenants.fabrikam, token, headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ invitedUserEmailAddress: 'not-an-address', inviteRedirectUrl: 'https://localhost/' }),
    })));
    for (const r of answers) assert.ok(r.status === 400 || r.status === 429, `${r.status} ${r.text}`);
    seen = answers.find((r) => r.status === 429);
  }
  assert.ok(seen, 'never throttled');
  assert.match(seen.headers.get('retry-after'), /^[1-9][0-9]*$/);
  assert.equal(seen.json.error.code, 'TooManyRequests');
  assert.match(seen.headers.get('x-ms-throttle-scope'), /^Tenant\/Write\//);
});
