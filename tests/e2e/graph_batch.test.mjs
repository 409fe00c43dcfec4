// Graph JSON batching through the official Microsoft Graph JavaScript client's
// BatchRequestContent / BatchResponseContent: requests with dependsOn, each
// answered on its own, a failed dependency answered 424.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BatchRequestContent, BatchResponseContent } from '@microsoft/microsoft-graph-client';
import { baseUrl, graphClient, tenants } from './harness.mjs';

const graph = graphClient(tenants.contoso);
const run = Date.now().toString(36);
const json = { 'Content-Type': 'application/json' };

function step(id, method, path, body, dependsOn) {
  const init = { method, headers: body ? json : {} };
  if (body) init.body = JSON.stringify(body);
  return { id, request: new Request(`${baseUrl}/v1.0${path}`, init), ...(dependsOn ? { dependsOn } : {}) };
}

async function send(steps) {
  const content = await new BatchRequestContent(steps).getContent();
  return new BatchResponseContent(await graph.api('/$batch').post(content));
}

test('a batch creates a user and a group in order and reads them back', async () => {
  const user = {
    accountEnabled: true, displayName: `Batch ${run}`, mailNickname: `b${run}`,
    userPrincipalName: `b${run}@${tenants.contoso.domain}`,
    passwordProfile: { forceChangePasswordNextSignIn: false, password: 'Str0ng-Passw0rd!' },
  };
  const group = { displayName: `Batch group ${run}`, mailNickname: `bg${run}`, mailEnabled: false, securityEnabled: true };
  const res = await send([
    step('1', 'POST', '/users', user),
    step('2', 'POST', '/groups', group, ['1']),
    step('3', 'GET', `/users/${encodeURIComponent(user.userPrincipalName)}?$select=id,displayName`, null, ['2']),
  ]);
  const created = res.getResponseById('1');
  assert.equal(created.status, 201);
  const u = await created.json();
  assert.equal(u.userPrincipalName, user.userPrincipalName);
  assert.equal(res.getResponseById('2').status, 201);
  const g = await res.getResponseById('2').json();
  const read = res.getResponseById('3');
  assert.equal(read.status, 200);
  assert.equal((await read.json()).id, u.id);
  // What the batch did, seen outside it.
  assert.equal((await graph.api(`/groups/${g.id}`).get()).displayName, group.displayName);
  await graph.api(`/users/${u.id}`).delete();
  await graph.api(`/groups/${g.id}`).delete();
});

test('a request whose dependency failed answers 424 and does not run', async () => {
  const name = `Never ${run}`;
  const res = await send([
    step('a', 'GET', '/users/00000000-0000-0000-0000-00000000dead'),
    step('b', 'POST', '/groups', { displayName: name, mailNickname: `nv${run}`, mailEnabled: false, securityEnabled: true }, ['a']),
  ]);
  assert.equal(res.getResponseById('a').status, 404);
  assert.equal(res.getResponseById('b').status, 424);
  const found = await graph.api('/groups').filter(`displayName eq '${name}'`).get();
  assert.equal(found.value.length, 0);
});

test('a batch of more than 20 requests is refused whole', async () => {
  const steps = [...Array(21).keys()].map((i) => ({ id: String(i), method: 'GET', url: '/users?$top=1' }));
  await assert.rejects(graph.api('/$batch').post({ requests: steps }),
    (e) => e.statusCode === 400 && e.code === 'BadRequest');
});
