// Tenant confinement and bad input: every refusal is a 4xx in Graph's error
// shape, and nothing changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphClient, tenants, raw, baseUrl } from './harness.mjs';

const contoso = graphClient(tenants.contoso);
const fabrikam = graphClient(tenants.fabrikam);
const run = Date.now().toString(36);

function assertGraphError(res, status, code) {
  assert.equal(res.status, status, res.text);
  assert.ok(res.json && res.json.error, `Graph error shape: ${res.text}`);
  if (code) assert.equal(res.json.error.code, code);
  assert.equal(typeof res.json.error.message, 'string');
  assert.ok(res.json.error.innerError['request-id']);
}

test("a token of one tenant can neither read nor change another tenant's objects", async () => {
  const victim = await contoso.api('/users').post({
    accountEnabled: true, displayName: 'Victim', mailNickname: `victim${run}`,
    userPrincipalName: `victim${run}@${tenants.contoso.domain}`,
    passwordProfile: { password: 'Str0ng-Passw0rd!' },
  });
  const group = await contoso.api('/groups').post({
    displayName: 'Private', mailNickname: `private${run}`, mailEnabled: false, securityEnabled: true,
  });
  for (const path of [`/users/${victim.id}`, `/users/${encodeURIComponent(victim.userPrincipalName)}`, `/groups/${group.id}`]) {
    await assert.rejects(fabrikam.api(path).get(), (e) => e.statusCode === 404, path);
  }
  await assert.rejects(fabrikam.api(`/users/${victim.id}`).patch({ displayName: 'Pwned' }), (e) => e.statusCode === 404);
  await assert.rejects(fabrikam.api(`/users/${victim.id}`).delete(), (e) => e.statusCode === 404);
  await assert.rejects(fabrikam.api(`/groups/${group.id}/members/$ref`).post({ '@odata.id': `${baseUrl}/v1.0/directoryObjects/${victim.id}` }),
    (e) => e.statusCode === 404);
  const list = await fabrikam.api('/users').filter(`id eq '${victim.id}'`).get();
  assert.equal(list.value.length, 0);
  // Fabrikam's own user can't be put in Contoso's group either.
  const own = await fabrikam.api('/users').top(1).get();
  await assert.rejects(contoso.api(`/groups/${group.id}/members/$ref`).post({ '@odata.id': `${baseUrl}/v1.0/directoryObjects/${own.value[0].id}` }),
    (e) => e.statusCode === 404);
  const still = await contoso.api(`/users/${victim.id}`).get();
  assert.equal(still.displayName, 'Victim');
});

test('authentication: no token, a garbage token, a tampered token', async () => {
  assertGraphError(await raw('GET', '/v1.0/users', { token: null }), 401, 'InvalidAuthenticationToken');
  assertGraphError(await raw('GET', '/v1.0/users', { token: 'Bearer not.a.jwt' }), 401, 'InvalidAuthenticationToken');
  const good = (await raw('GET', '/v1.0/users?$top=1')).status;
  assert.equal(good, 200);
  const res = await fetch(`${baseUrl}/${tenants.contoso.domain}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: tenants.contoso.clientId,
      client_secret: tenants.contoso.clientSecret, scope: 'https://graph.microsoft.com/.default' }),
  });
  const token = (await res.json()).access_token;
  const [h, p, s] = token.split('.');
  const claims = JSON.parse(Buffer.from(p, 'base64url'));
  claims.tid = tenants.fabrikam.tenantId;
  const forged = [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
  assertGraphError(await raw('GET', '/v1.0/users', { token: `Bearer ${forged}` }), 401, 'InvalidAuthenticationToken');
});

test('token endpoint errors look like Entra', async () => {
  const post = (params, tenant = tenants.contoso.domain) => fetch(`${baseUrl}/${tenant}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(params),
  }).then(async (r) => ({ status: r.status, body: await r.json() }));
  const base = { grant_type: 'client_credentials', client_id: tenants.contoso.clientId, scope: 'https://graph.microsoft.com/.default' };
  let r = await post({ ...base, client_secret: 'wrong' });
  assert.equal(r.status, 401);
  assert.equal(r.body.error, 'invalid_client');
  assert.deepEqual(r.body.error_codes, [7000215]);
  r = await post({ ...base, client_secret: tenants.contoso.clientSecret }, tenants.fabrikam.domain);
  assert.equal(r.status, 400);
  assert.equal(r.body.error, 'unauthorized_client');
  r = await post({ ...base, client_secret: tenants.contoso.clientSecret, scope: 'User.Read' });
  assert.equal(r.body.error, 'invalid_scope');
  r = await post({ ...base, grant_type: 'password' });
  assert.equal(r.body.error, 'unsupported_grant_type');
  r = await post({ ...base, client_secret: tenants.contoso.clientSecret }, 'nowhere.example');
  assert.equal(r.status, 400);
  assert.equal(r.body.error, 'invalid_request');
});

test('bad input on users is refused with a Graph error and changes nothing', async () => {
  const json = { 'Content-Type': 'application/json' };
  const upn = `bad${run}@${tenants.contoso.domain}`;
  const valid = { accountEnabled: true, displayName: 'Bad', mailNickname: `bad${run}`, userPrincipalName: upn,
    passwordProfile: { password: 'Str0ng-Passw0rd!' } };
  const cases = [
    ['{not json', 'Request_BadRequest', 'BadRequest'],
    ['[1,2]', 'BadRequest'],
    [JSON.stringify({ ...valid, favouriteColour: 'blue' }), 'Request_BadRequest'],
    [JSON.stringify({ ...valid, id: '00000000-0000-0000-0000-000000000000' }), 'Request_BadRequest'],
    [JSON.stringify({ ...valid, accountEnabled: 'yes' }), 'Request_BadRequest'],
    [JSON.stringify({ ...valid, usageLocation: 'XX' }), 'Request_BadRequest'],
    [JSON.stringify({ ...valid, userPrincipalName: `bad${run}@not-ours.example` }), 'Request_BadRequest'],
    [JSON.stringify({ ...valid, displayName: 'x'.repeat(257) }), 'Request_BadRequest'],
    [JSON.stringify({ ...valid, passwordProfile: undefined }), 'Request_BadRequest'],
  ];
  for (const [body, ...codes] of cases) {
    const res = await raw('POST', '/v1.0/users', { body, headers: json });
    assert.equal(res.status, 400, `${body.slice(0, 60)} → ${res.text}`);
    assert.ok(codes.includes(res.json.error.code), `${body.slice(0, 60)} → ${res.json.error.code}`);
  }
  const list = await raw('GET', `/v1.0/users?$filter=${encodeURIComponent(`userPrincipalName eq '${upn}'`)}`);
  assert.equal(list.json.value.length, 0, 'nothing was created');

  assertGraphError(await raw('GET', '/v1.0/users/not-a-guid'), 400);
  assertGraphError(await raw('GET', '/v1.0/users/00000000-0000-0000-0000-000000000000'), 404, 'Request_ResourceNotFound');
  assertGraphError(await raw('PATCH', '/v1.0/users/00000000-0000-0000-0000-000000000000', { body: '{}', headers: json }), 404);
  assertGraphError(await raw('GET', `/v1.0/users?$filter=${encodeURIComponent("displayName eq")}`), 400);
  assertGraphError(await raw('GET', `/v1.0/users?$filter=${encodeURIComponent("favouriteColour eq 'blue'")}`), 400, 'Request_UnsupportedQuery');
  assertGraphError(await raw('GET', `/v1.0/users?$filter=${encodeURIComponent("accountEnabled eq 'yes'")}`), 400);
  assertGraphError(await raw('GET', '/v1.0/users?$top=0'), 400);
  assertGraphError(await raw('GET', '/v1.0/users?$top=1000'), 400);
  assertGraphError(await raw('GET', '/v1.0/users?$select=favouriteColour'), 400);
  assertGraphError(await raw('GET', '/v1.0/users?$count=true'), 400);
  assertGraphError(await raw('GET', '/v1.0/users?$skiptoken=garbage'), 400);
  assertGraphError(await raw('GET', '/v1.0/users?$skip=10'), 400);
});

test('bad input on groups, memberships and roles', async () => {
  const json = { 'Content-Type': 'application/json' };
  assertGraphError(await raw('POST', '/v1.0/groups', { body: JSON.stringify({ displayName: 'No nickname', mailEnabled: false, securityEnabled: true }), headers: json }), 400);
  assertGraphError(await raw('POST', '/v1.0/groups', { body: JSON.stringify({ displayName: 'x', mailNickname: 'x', mailEnabled: false, securityEnabled: true, groupTypes: ['Weird'] }), headers: json }), 400);
  assertGraphError(await raw('GET', '/v1.0/groups/not-a-guid'), 400);
  const g = await contoso.api('/groups').post({ displayName: `Refs ${run}`, mailNickname: `refs${run}`, mailEnabled: false, securityEnabled: true });
  assertGraphError(await raw('POST', `/v1.0/groups/${g.id}/members/$ref`, { body: JSON.stringify({ '@odata.id': 'https://x/v1.0/directoryObjects/nope' }), headers: json }), 400);
  assertGraphError(await raw('POST', `/v1.0/groups/${g.id}/members/$ref`, { body: JSON.stringify({ '@odata.id': 'https://x/v1.0/directoryObjects/00000000-0000-0000-0000-000000000000' }), headers: json }), 404);
  assertGraphError(await raw('POST', `/v1.0/groups/${g.id}/members/$ref`, { body: JSON.stringify({ '@odata.id': `https://x/v1.0/directoryObjects/${g.id}` }), headers: json }), 400);
  assertGraphError(await raw('POST', '/v1.0/roleManagement/directory/roleAssignments', { body: JSON.stringify({ principalId: g.id, roleDefinitionId: '00000000-0000-0000-0000-000000000000' }), headers: json }), 404);
  assertGraphError(await raw('POST', '/v1.0/roleManagement/directory/roleAssignments', { body: JSON.stringify({ principalId: 'x', roleDefinitionId: 'y' }), headers: json }), 400);
  assertGraphError(await raw('GET', `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent("principalId ne 'x'")}`), 400);
  assertGraphError(await raw('GET', '/v1.0/auditLogs/directoryAudits?$top=abc'), 400);
});

test('routing and transport errors', async () => {
  assertGraphError(await raw('GET', '/v1.0/nothingHere'), 404);
  const res = await raw('PUT', '/v1.0/users');
  assertGraphError(res, 405, 'Request_MethodNotAllowed');
  assert.match(res.headers.get('allow'), /GET/);
  const big = 'x'.repeat(9 * 1024 * 1024);
  let status;
  try {
    status = (await raw('POST', '/v1.0/users', { body: big, headers: { 'Content-Type': 'application/json' } })).status;
  } catch (e) {
    status = 'connection closed';
  }
  assert.ok(status === 413 || status === 'connection closed', `oversized body → ${status}`);
  const health = await fetch(`${baseUrl}/healthz`);
  assert.equal(health.status, 200);
  const ready = await fetch(`${baseUrl}/readyz`);
  assert.equal(ready.status, 200);
});

test('discovery and JWKS are published per tenant', async () => {
  const disc = await (await fetch(`${baseUrl}/${tenants.contoso.tenantId}/v2.0/.well-known/openid-configuration`)).json();
  assert.equal(disc.issuer, `${baseUrl}/${tenants.contoso.tenantId}/v2.0`);
  const jwks = await (await fetch(disc.jwks_uri)).json();
  assert.ok(jwks.keys.length >= 1);
  assert.equal(jwks.keys[0].kty, 'RSA');
  assert.equal(jwks.keys[0].alg, 'RS256');
});
