// Several nodes on one PostgreSQL behind HAProxy (started by cluster_test.sh):
// what one node does, another node (and the balancer) sees. Tokens issued by
// any node verify on every node; a Graph write on one node reads back on
// another; the gate of one node follows the writes of another (and how fast
// is printed, never asserted); the outbox delivers each mail once with every
// node sending; a portal session and its CSRF token made on one node work on
// another.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Browser, field, loginForm } from '../browser.mjs';
import { pool } from '../harness.mjs';
import { balancer, nodes, contoso, token, call, graphAt, measureFreshness, summary } from './lib.mjs';

const run = Date.now().toString(36);
const [A, B] = nodes;
const sql = (q) => execFileSync('psql', ['-X', '-A', '-t', '-q', process.env.GH_DATABASE, '-c', q], { encoding: 'utf8' }).trim();
const tokens = new Map();  // node -> token it issued

before(async () => {
  // The first tokens of the tenant, asked of every node at once: each node
  // may create the tenant's first signing key (cluster_test.sh starts them
  // on a tenant that has none yet).
  const issued = await Promise.all([...nodes, balancer].map((n) => token(n)));
  [...nodes, balancer].forEach((n, i) => tokens.set(n, issued[i]));
});

test('the balancer spreads requests over every node and checks their readiness', async () => {
  const seen = new Set();
  for (let i = 0; i < 4 * nodes.length; ++i) {
    const r = await fetch(`${balancer}/readyz`);
    assert.equal(r.status, 200);
    seen.add(r.headers.get('x-served-by'));
  }
  assert.equal(seen.size, nodes.length, [...seen].join(','));
});

test('a token issued by any node verifies on every node and through the balancer', async () => {
  for (const [issuer, bearer] of tokens) {
    for (const verifier of [...nodes, balancer]) {
      const r = await call(verifier, 'GET', '/v1.0/users?$top=1&$select=id', { bearer });
      assert.equal(r.status, 200, `token from ${issuer} on ${verifier}: ${r.text}`);
    }
  }
  // One issuer, one set of keys: every node publishes the same JWKS.
  const jwks = await Promise.all(nodes.map(async (n) => (await fetch(`${n}/${contoso.domain}/discovery/v2.0/keys`)).text()));
  for (const j of jwks) assert.deepEqual(JSON.parse(j), JSON.parse(jwks[0]));
  const issuers = await Promise.all(nodes.map(async (n) =>
    (await (await fetch(`${n}/${contoso.domain}/v2.0/.well-known/openid-configuration`)).json()).issuer));
  assert.equal(new Set(issuers).size, 1, issuers.join(' '));
});

test('a Graph client writes through one node and reads through another', async () => {
  const onA = graphAt(A, tokens.get(A));
  const onB = graphAt(B, tokens.get(B));
  const upn = `cross.${run}@${contoso.domain}`;
  const made = await onA.api('/users').post({ accountEnabled: true, displayName: 'Cross Node', mailNickname: `cross${run}`,
    userPrincipalName: upn, usageLocation: 'GB', passwordProfile: { password: 'Cr0ss-Passw0rd!' } });
  const read = await onB.api(`/users/${made.id}`).select('id,displayName,userPrincipalName,usageLocation').get();
  assert.equal(read.userPrincipalName, upn);
  assert.equal(read.usageLocation, 'GB');
  await onB.api(`/users/${made.id}`).patch({ displayName: 'Cross Node (renamed on B)' });
  assert.equal((await onA.api(`/users/${made.id}`).get()).displayName, 'Cross Node (renamed on B)');
  // And through the balancer, whichever node answers.
  const viaLb = graphAt(balancer, tokens.get(balancer));
  for (let i = 0; i < nodes.length; ++i) assert.equal((await viaLb.api(`/users/${made.id}`).get()).id, made.id);
});

test("a group membership added on one node opens another node's gate", async () => {
  const onA = graphAt(A, tokens.get(A));
  const group = await onA.api('/groups').post({ displayName: `Cross ${run}`, mailEnabled: false, mailNickname: `cross-g-${run}`,
    securityEnabled: true });
  const env = await call(A, 'POST', '/api/v1/environments', { bearer: tokens.get(A), body: {
    displayName: `Cross ${run}`, uniqueName: `cross-${run}`, type: 'Sandbox', securityGroupId: group.id } });
  assert.equal(env.status, 201, env.text);
  const user = await onA.api('/users').post({ accountEnabled: true, displayName: 'Gate Cross', mailNickname: `gate${run}`,
    userPrincipalName: `gate.${run}@${contoso.domain}`, passwordProfile: { password: 'G4te-Passw0rd!' } });
  const groupCheck = async (node) => {
    const r = await call(node, 'POST', '/api/v1/access/check', { bearer: tokens.get(node),
      body: { userId: user.id, action: 'environment.access', environmentId: env.json.id } });
    if (r.status === 404) return undefined;  // this node does not know the user yet
    assert.equal(r.status, 200, r.text);
    return r.json.checks.find((c) => c.id === 'environment.securityGroup').passed;
  };
  // Seen on B, written on A: B follows A's commits through the change feed
  // (NOTIFY, or its poll), so B is polled until it shows them, up to 10 s.
  const until = async (what, want) => {
    const t0 = performance.now();
    for (;;) {
      const got = await groupCheck(B);
      if (got === want) return performance.now() - t0;
      if (performance.now() - t0 > 10000) assert.fail(`node B never showed ${what} (last: ${got})`);
    }
  };
  await until('the user outside the group', false);
  await onA.api(`/groups/${group.id}/members/$ref`).post({ '@odata.id': `${A}/v1.0/directoryObjects/${user.id}` });
  assert.equal(await groupCheck(A), true, 'the writing node sees its own write at once');
  const ms = await until('the new membership', true);
  await onA.api(`/groups/${group.id}/members/${user.id}/$ref`).delete();
  const ms2 = await until('the removed membership', false);
  console.log(`# node B showed the membership ${ms.toFixed(1)} ms after node A's 2xx, its removal ${ms2.toFixed(1)} ms after`);
});

test('freshness: 100 changes on one node, each polled for on the other node (printed, not asserted)', async () => {
  const delays = await measureFreshness({ writer: A, reader: B, changes: 100 });
  console.log(`# freshness A->B: ${summary(delays)}`);
  const back = await measureFreshness({ writer: B, reader: A, changes: 20 });
  console.log(`# freshness B->A: ${summary(back)}`);
});

test('the outbox delivers each mail exactly once with every node sending', async () => {
  const bearer = tokens.get(balancer);
  const policy = await call(balancer, 'PATCH', '/v1.0/policies/authorizationPolicy',
    { bearer, body: { allowInvitesFrom: 'adminsGuestInvitersAndAllMembers' } });
  assert.ok(policy.status === 204 || policy.status === 200, policy.text);
  const count = 200;
  const addresses = Array.from({ length: count }, (_, i) => `mail${i}.${run}@partner${i % 4}.example`);
  // Invitations spread over the nodes, so each node's sender has mail of its own to claim, and all of them race for the rest.
  await pool(addresses, 8, async (email, i) => {
    const node = nodes[i % nodes.length];
    const r = await call(node, 'POST', '/v1.0/invitations', { bearer: tokens.get(node), body: {
      invitedUserEmailAddress: email, inviteRedirectUrl: 'https://apps.contoso.test/', sendInvitationMessage: true } });
    assert.equal(r.status, 201, r.text);
  });
  const inList = addresses.map((a) => `'${a}'`).join(',');
  const pending = () => Number(sql(`SELECT COUNT(*) FROM mail_outbox WHERE kind = 'invitation' AND sent_at IS NULL
    AND to_addrs::jsonb ->> 0 IN (${inList})`));
  const deadline = Date.now() + 60000;
  while (pending() > 0) {
    assert.ok(Date.now() < deadline, `mail still queued after 60 s: ${pending()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  // Every node has run a few more sender passes: nothing is sent twice late.
  await new Promise((r) => setTimeout(r, 2500));
  const got = new Map();
  const dir = process.env.GH_MAIL_DIR;
  for (const n of (await readdir(dir)).filter((x) => x.endsWith('.json'))) {
    const msg = JSON.parse(await readFile(join(dir, n), 'utf8'));
    for (const to of msg.rcpt_tos) if (addresses.includes(to)) got.set(to, (got.get(to) ?? 0) + 1);
  }
  for (const a of addresses) assert.equal(got.get(a), 1, `${a} received ${got.get(a) ?? 0} mails`);
  const senders = sql(`SELECT COUNT(*) FROM mail_outbox WHERE to_addrs::jsonb ->> 0 IN (${inList}) GROUP BY leased_by`);
  console.log(`# ${count} invitation mails, each delivered once; mails per sending node: ${senders.split('\n').join(', ')}`);
});

test('a portal session and its CSRF token made on one node work on another', async () => {
  const browser = new Browser();
  const admin = `admin@${contoso.domain}`;
  const groupsPage = `/portal/${contoso.domain}/groups`;
  const page = await browser.get(`${A}/login?tenant=${contoso.domain}`);
  assert.equal(page.status, 200, page.text);
  const step1 = await browser.post(`${A}/login`, { ...loginForm(page.text), continue: groupsPage, step: 'email', email: admin });
  assert.equal(step1.status, 200, step1.text);
  const done = await browser.post(`${A}/login`, { ...loginForm(step1.text), continue: groupsPage, step: 'password', email: admin,
    password: 'Adm1n-Passw0rd!' });
  assert.equal(done.status, 302, done.text);
  // The form is rendered by A, posted to B.
  const form = await browser.get(`${A}${groupsPage}`);
  assert.equal(form.status, 200, form.text);
  const csrf = field(form.text, 'csrf');
  assert.ok(csrf);
  const onB = await browser.get(`${B}${groupsPage}`);
  assert.equal(onB.status, 200, 'the session made on A is a session on B');
  const name = `Portal Cross ${run}`;
  const posted = await browser.post(`${B}${groupsPage}`, { csrf, displayName: name, groupType: 'security' });
  assert.equal(posted.status, 303, posted.text);
  const found = await call(A, 'GET', `/v1.0/groups?$filter=displayName eq '${encodeURIComponent(name)}'`, { bearer: tokens.get(A) });
  assert.equal(found.status, 200, found.text);
  assert.equal(found.json.value.length, 1);
  // A forged token is refused on B as on A.
  const forged = await browser.post(`${B}${groupsPage}`, { csrf: 'x'.repeat(43), displayName: `${name} forged`, groupType: 'security' });
  assert.ok(forged.status >= 400, `forged CSRF token: ${forged.status}`);
});
