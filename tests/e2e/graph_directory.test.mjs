// The directory through the official Microsoft Graph JavaScript client:
// create, filter, page through 2,500 users, patch, group membership, delete.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { graphClient, tenants, pool } from './harness.mjs';

const graph = graphClient(tenants.contoso);
const domain = tenants.contoso.domain;
const run = Date.now().toString(36);

function newUser(i) {
  return {
    accountEnabled: true,
    displayName: `Paging ${run} ${String(i).padStart(4, '0')}`,
    mailNickname: `p${run}${i}`,
    userPrincipalName: `p${run}.${i}@${domain}`,
    passwordProfile: { forceChangePasswordNextSignIn: false, password: 'Str0ng-Passw0rd!' },
  };
}

test('creates, reads, filters, patches and deletes a user', async () => {
  const created = await graph.api('/users').post({
    ...newUser('solo'), givenName: 'Ada', surname: 'Lovelace', usageLocation: 'GB', jobTitle: 'Analyst',
  });
  assert.match(created.id, /^[0-9a-f-]{36}$/);
  assert.equal(created.userPrincipalName, `p${run}.solo@${domain}`);
  assert.equal(created.givenName, 'Ada');

  const byUpn = await graph.api(`/users/${encodeURIComponent(created.userPrincipalName)}`).get();
  assert.equal(byUpn.id, created.id);
  // usageLocation and userType come only with $select, as in Graph.
  assert.equal(byUpn.usageLocation, undefined);
  const selected = await graph.api(`/users/${created.id}`).select('usageLocation,userType,accountEnabled').get();
  assert.deepEqual(selected.usageLocation, 'GB');
  assert.equal(selected.userType, 'Member');

  await graph.api(`/users/${created.id}`).patch({ surname: 'Byron', usageLocation: 'FR', jobTitle: null });
  const patched = await graph.api(`/users/${created.id}`).select('surname,usageLocation,jobTitle').get();
  assert.equal(patched.surname, 'Byron');
  assert.equal(patched.usageLocation, 'FR');
  assert.equal(patched.jobTitle, null);

  const filtered = await graph.api('/users')
    .filter(`surname eq 'Byron' and startswith(userPrincipalName,'p${run}.')`).get();
  assert.deepEqual(filtered.value.map((u) => u.id), [created.id]);

  await graph.api(`/users/${created.id}`).delete();
  await assert.rejects(graph.api(`/users/${created.id}`).get(), (e) => e.statusCode === 404 && e.code === 'Request_ResourceNotFound');
});

test('pages through 2,500 users with @odata.nextLink while others insert', async () => {
  const n = 2500;
  await pool([...Array(n).keys()], 8, (i) => graph.api('/users').post(newUser(i)));

  const count = await graph.api('/users').header('ConsistencyLevel', 'eventual').count(true)
    .filter(`startswith(displayName,'Paging ${run} ')`).top(1).get();
  assert.equal(count['@odata.count'], n);

  const seen = new Set();
  let page = await graph.api('/users').filter(`startswith(displayName,'Paging ${run} ')`).top(999).select('id,displayName').get();
  let pages = 0;
  let inserted = 0;
  for (;;) {
    pages++;
    for (const u of page.value) {
      assert.ok(!seen.has(u.id), `user ${u.id} returned twice`);
      seen.add(u.id);
    }
    if (!page['@odata.nextLink']) break;
    assert.ok(page['@odata.nextLink'].startsWith('https://'), 'nextLink is absolute');
    // Concurrent inserts between pages must not make the pager skip or repeat.
    await graph.api('/users').post(newUser(`late${inserted++}`));
    page = await graph.api(page['@odata.nextLink']).get();
  }
  assert.equal(pages, 3);
  const names = [...seen];
  assert.ok(names.length >= n && names.length <= n + inserted, `saw ${names.length}`);
});

test('groups: create, add members by $ref, nested membership, remove, delete', async () => {
  const u = await graph.api('/users').post(newUser('grp'));
  const inner = await graph.api('/groups').post({
    displayName: `Inner ${run}`, mailNickname: `inner${run}`, mailEnabled: false, securityEnabled: true,
  });
  const outer = await graph.api('/groups').post({
    displayName: `Outer ${run}`, mailNickname: `outer${run}`, mailEnabled: true, securityEnabled: false,
    groupTypes: ['Unified'],
  });
  assert.deepEqual(outer.groupTypes, ['Unified']);
  assert.equal(outer.mail, `outer${run}@${domain}`);

  await graph.api(`/groups/${inner.id}/members/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${u.id}` });
  await graph.api(`/groups/${outer.id}/members/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${inner.id}` });
  await assert.rejects(
    graph.api(`/groups/${inner.id}/members/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${u.id}` }),
    (e) => e.statusCode === 400 && /already exist/.test(e.message));
  // A cycle is refused.
  await assert.rejects(
    graph.api(`/groups/${inner.id}/members/$ref`).post({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${outer.id}` }),
    (e) => e.statusCode === 400);

  const members = await graph.api(`/groups/${inner.id}/members`).get();
  assert.deepEqual(members.value.map((m) => [m['@odata.type'], m.id]), [['#microsoft.graph.user', u.id]]);
  const transitive = await graph.api(`/users/${u.id}/transitiveMemberOf`).get();
  assert.deepEqual(transitive.value.map((g) => g.id).sort(), [inner.id, outer.id].sort());

  await graph.api(`/groups/${inner.id}/members/${u.id}/$ref`).delete();
  assert.equal((await graph.api(`/groups/${inner.id}/members`).get()).value.length, 0);
  await graph.api(`/groups/${outer.id}`).patch({ description: 'Marketing team' });
  assert.equal((await graph.api(`/groups/${outer.id}`).get()).description, 'Marketing team');
  await graph.api(`/groups/${outer.id}`).delete();
  await assert.rejects(graph.api(`/groups/${outer.id}`).get(), (e) => e.statusCode === 404);
});

test('directory roles: assign User Administrator, list, filter and remove', async () => {
  const u = await graph.api('/users').post(newUser('role'));
  const userAdmin = 'fe930be7-5e62-47db-91af-98c3a49a38b1';
  const roles = await graph.api('/directoryRoles').get();
  assert.ok(roles.value.some((r) => r.roleTemplateId === userAdmin && r.displayName === 'User Administrator'));
  const a = await graph.api('/roleManagement/directory/roleAssignments').post({
    principalId: u.id, roleDefinitionId: userAdmin, directoryScopeId: '/',
  });
  const listed = await graph.api('/roleManagement/directory/roleAssignments').filter(`principalId eq '${u.id}'`).get();
  assert.deepEqual(listed.value.map((x) => x.id), [a.id]);
  const members = await graph.api(`/directoryRoles/${userAdmin}/members`).get();
  assert.ok(members.value.some((m) => m.id === u.id));
  await graph.api(`/roleManagement/directory/roleAssignments/${a.id}`).delete();
  const after = await graph.api('/roleManagement/directory/roleAssignments').filter(`principalId eq '${u.id}'`).get();
  assert.equal(after.value.length, 0);
});

test('every write is in the audit log', async () => {
  const u = await graph.api('/users').post(newUser('audit'));
  await graph.api(`/users/${u.id}`).patch({ displayName: 'Audited' });
  const log = await graph.api('/auditLogs/directoryAudits').filter("category eq 'UserManagement'").top(50).get();
  const mine = log.value.filter((e) => e.targetResources[0].id === u.id);
  assert.deepEqual(mine.map((e) => e.activityDisplayName), ['Update user', 'Add user']);
  assert.equal(mine[0].result, 'success');
  assert.equal(mine[0].initiatedBy.app.displayName, 'Gatehouse automation');
  assert.deepEqual(mine[0].targetResources[0].modifiedProperties.map((p) => p.displayName), ['DisplayName']);
});
