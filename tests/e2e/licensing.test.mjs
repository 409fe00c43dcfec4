// Licences through the official Microsoft Graph JavaScript client: the
// tenant's subscriptions (subscribedSkus), a user's usage location, Graph's
// assignLicense errors and success (with disabledPlans, then removeLicenses),
// licenseDetails, and group-based licensing reaching a guest who is a
// transitive member, with the tenant's default usage location inherited.
// The seats come from Gatehouse's own /api/v1/skus (a fresh `init` tenant has
// no subscriptions).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { ResponseType } from '@microsoft/microsoft-graph-client';
import { graphClient, tenants, raw } from './harness.mjs';
import { adminGraphClient } from './consent.mjs';

const contoso = tenants.contoso;
const fabrikam = tenants.fabrikam;
const graph = graphClient(contoso);
const run = Date.now().toString(36);

// Microsoft's public identifiers ("Product names and service plan identifiers for licensing").
const SALES = '1e1a282c-9c54-43a2-9310-98ef728faace';           // DYN365_ENTERPRISE_SALES
const FIELD_SERVICE = 'c7d15985-e746-4f01-b113-20b575898250';   // DYN365_ENTERPRISE_FIELD_SERVICE
const POWERAPPS_PER_USER = 'b30411f5-fea1-4a59-9ad9-3db7c7ead579';
const FLOW_DYN_APPS = '7e6d7d78-73de-46ba-83b1-6d25117334ba';   // a service plan of the Sales SKU
const NO_LOCATION = 'License assignment cannot be done for user with invalid usage location.';

const add = (skuId, disabledPlans = []) => ({ addLicenses: [{ skuId, disabledPlans }], removeLicenses: [] });
const remove = (skuId) => ({ addLicenses: [], removeLicenses: [skuId] });
const ref = (id) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });

// Subscribes Contoso to a catalogue product with `seats` seats.
async function subscribe(skuPartNumber, seats) {
  const res = await raw('POST', '/api/v1/skus', {
    headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ skuPartNumber, prepaidUnits: seats }) });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.skuPartNumber, skuPartNumber);
  assert.equal(res.json.prepaidUnits.enabled, seats);
  return res.json;
}

async function sku(skuId) {
  const all = await graph.api('/subscribedSkus').get();
  const found = all.value.find((s) => s.skuId === skuId);
  assert.ok(found, `subscribed to ${skuId}: ${JSON.stringify(all.value.map((s) => s.skuPartNumber))}`);
  return found;
}

async function newMember(nick, extra = {}) {
  return graph.api('/users').post({
    accountEnabled: true, displayName: `Lic ${nick} ${run}`, mailNickname: `lic${nick}${run}`,
    userPrincipalName: `lic.${nick}.${run}@${contoso.domain}`, passwordProfile: { password: 'Str0ng-Passw0rd!' }, ...extra,
  });
}

async function newGroup(name) {
  return graph.api('/groups').post({
    displayName: `${name} ${run}`, mailNickname: `${name.toLowerCase()}${run}`, mailEnabled: false, securityEnabled: true });
}

const licenceState = (id) => graph.api(`/users/${id}`).select('usageLocation,assignedLicenses,licenseAssignmentStates').get();

function assertGraphError(e, status, code, message) {
  assert.equal(e.statusCode, status, e.message);
  assert.equal(e.code, code);
  if (message instanceof RegExp) assert.match(e.message, message);
  else if (message !== undefined) assert.equal(e.message, message);
  return true;
}

before(async () => {
  await subscribe('DYN365_ENTERPRISE_SALES', 10);
  await subscribe('DYN365_ENTERPRISE_FIELD_SERVICE', 1);  // few seats: the no-seats error
  await subscribe('POWERAPPS_PER_USER', 5);               // for group-based licensing
});

test('subscribedSkus: seats, consumption and service plans in Graph shape', async () => {
  const all = await graph.api('/subscribedSkus').get();
  assert.deepEqual(all.value.map((s) => s.skuPartNumber).sort(),
    ['DYN365_ENTERPRISE_FIELD_SERVICE', 'DYN365_ENTERPRISE_SALES', 'POWERAPPS_PER_USER']);
  const sales = all.value.find((s) => s.skuPartNumber === 'DYN365_ENTERPRISE_SALES');
  assert.equal(sales.skuId, SALES);
  assert.equal(sales.id, `${contoso.tenantId}_${SALES}`);
  assert.equal(sales.appliesTo, 'User');
  assert.equal(sales.capabilityStatus, 'Enabled');
  assert.equal(sales.prepaidUnits.enabled, 10);
  for (const k of ['suspended', 'warning', 'lockedOut']) assert.equal(sales.prepaidUnits[k], 0, k);
  assert.equal(sales.consumedUnits, 0);
  assert.ok(sales.servicePlans.length >= 2);
  for (const p of sales.servicePlans) {
    assert.match(p.servicePlanId, /^[0-9a-f-]{36}$/);
    assert.equal(typeof p.servicePlanName, 'string');
    assert.equal(p.provisioningStatus, 'Success');
    assert.equal(p.appliesTo, 'User');
  }
  assert.ok(sales.servicePlans.some((p) => p.servicePlanName === 'DYN365_ENTERPRISE_SALES'));
  assert.ok(sales.servicePlans.some((p) => p.servicePlanId === FLOW_DYN_APPS && p.servicePlanName === 'FLOW_DYN_APPS'));

  // $select trims the entity, as Graph does.
  const selected = await graph.api('/subscribedSkus').select('skuId,consumedUnits').get();
  for (const s of selected.value) assert.deepEqual(Object.keys(s).sort(), ['consumedUnits', 'skuId']);
  // Another tenant sees none of Contoso's subscriptions.
  assert.deepEqual((await graphClient(fabrikam).api('/subscribedSkus').get()).value, []);
});

test('PATCH usageLocation: a real ISO 3166-1 code is kept, anything else is a 400 Graph error', async () => {
  const u = await newMember('loc');
  assert.equal((await graph.api(`/users/${u.id}`).select('usageLocation').get()).usageLocation, null);
  await graph.api(`/users/${u.id}`).patch({ usageLocation: 'GB' });
  assert.equal((await graph.api(`/users/${u.id}`).select('usageLocation').get()).usageLocation, 'GB');

  for (const bad of ['XX', 'GBR', 'gb', '']) {
    await assert.rejects(graph.api(`/users/${u.id}`).patch({ usageLocation: bad }),
      (e) => assertGraphError(e, 400, 'Request_BadRequest', /usageLocation/), bad);
  }
  // The raw body is Graph's error shape.
  const clientRequestId = randomUUID();
  const res = await raw('PATCH', `/v1.0/users/${u.id}`, {
    headers: { 'Content-Type': 'application/json', 'client-request-id': clientRequestId },
    body: JSON.stringify({ usageLocation: 'ZZ' }) });
  assert.equal(res.status, 400, res.text);
  assert.equal(res.json.error.code, 'Request_BadRequest');
  assert.match(res.json.error.message, /'ZZ' is not one/);
  assert.ok(res.json.error.innerError.date);
  assert.ok(res.json.error.innerError['request-id']);
  assert.equal(res.json.error.innerError['client-request-id'], clientRequestId);
  // Nothing changed.
  assert.equal((await graph.api(`/users/${u.id}`).select('usageLocation').get()).usageLocation, 'GB');
});

test('assignLicense: Graph\'s errors, then success with disabledPlans, licenseDetails, and removeLicenses', async () => {
  const nowhere = await newMember('nowhere');
  const ada = await newMember('ada', { usageLocation: 'NO' });
  const bo = await newMember('bo', { usageLocation: 'SE' });

  // No usage location: refused with Graph's exact message; no seat taken.
  await assert.rejects(graph.api(`/users/${nowhere.id}/assignLicense`).post(add(SALES)),
    (e) => assertGraphError(e, 400, 'Request_BadRequest', NO_LOCATION));
  assert.equal((await sku(SALES)).consumedUnits, 0);
  assert.deepEqual((await licenceState(nowhere.id)).assignedLicenses, []);

  // A SKU the tenant doesn't subscribe to.
  const unknown = '11111111-2222-3333-4444-555555555555';
  await assert.rejects(graph.api(`/users/${ada.id}/assignLicense`).post(add(unknown)),
    (e) => assertGraphError(e, 400, 'Request_BadRequest', `License ${unknown} does not correspond to a valid company License.`));

  // No seats left: Field Service has one.
  await graph.api(`/users/${ada.id}/assignLicense`).post(add(FIELD_SERVICE));
  assert.equal((await sku(FIELD_SERVICE)).consumedUnits, 1);
  await assert.rejects(graph.api(`/users/${bo.id}/assignLicense`).post(add(FIELD_SERVICE)),
    (e) => assertGraphError(e, 400, 'Request_BadRequest',
      `Subscription with SKU ${FIELD_SERVICE} does not have any available licenses.`));
  assert.equal((await sku(FIELD_SERVICE)).consumedUnits, 1);
  assert.deepEqual((await licenceState(bo.id)).assignedLicenses, []);
  // Re-assigning the seat a user already holds needs no new one.
  await graph.api(`/users/${ada.id}/assignLicense`).post(add(FIELD_SERVICE));
  assert.equal((await sku(FIELD_SERVICE)).consumedUnits, 1);

  // Success, with a service plan disabled: the user comes back with assignedLicenses.
  const assigned = await graph.api(`/users/${bo.id}/assignLicense`).post(add(SALES, [FLOW_DYN_APPS]));
  assert.equal(assigned.id, bo.id);
  assert.equal(assigned.userPrincipalName, bo.userPrincipalName);
  assert.deepEqual(assigned.assignedLicenses, [{ skuId: SALES, disabledPlans: [FLOW_DYN_APPS] }]);
  assert.equal((await sku(SALES)).consumedUnits, 1);
  const state = await licenceState(bo.id);
  assert.deepEqual(state.assignedLicenses, [{ skuId: SALES, disabledPlans: [FLOW_DYN_APPS] }]);
  assert.equal(state.licenseAssignmentStates.length, 1);
  assert.equal(state.licenseAssignmentStates[0].skuId, SALES);
  assert.equal(state.licenseAssignmentStates[0].assignedByGroup, null);
  assert.equal(state.licenseAssignmentStates[0].state, 'Active');
  assert.equal(state.licenseAssignmentStates[0].error, 'None');

  const details = await graph.api(`/users/${bo.id}/licenseDetails`).get();
  assert.equal(details.value.length, 1);
  const d = details.value[0];
  assert.equal(d.skuId, SALES);
  assert.equal(d.skuPartNumber, 'DYN365_ENTERPRISE_SALES');
  assert.equal(d.id, `${bo.id}_${SALES}`);
  const plans = Object.fromEntries(d.servicePlans.map((p) => [p.servicePlanId, p]));
  assert.equal(plans[FLOW_DYN_APPS].servicePlanName, 'FLOW_DYN_APPS');
  assert.equal(plans[FLOW_DYN_APPS].provisioningStatus, 'Disabled');
  const others = d.servicePlans.filter((p) => p.servicePlanId !== FLOW_DYN_APPS);
  assert.equal(others.length, (await sku(SALES)).servicePlans.length - 1);
  for (const p of others) assert.equal(p.provisioningStatus, 'Success', p.servicePlanName);
  // By userPrincipalName too.
  const byUpn = await graph.api(`/users/${encodeURIComponent(bo.userPrincipalName)}/licenseDetails`).get();
  assert.deepEqual(byUpn.value.map((x) => x.skuId), [SALES]);

  // Removing a licence the user doesn't hold is refused; removing one held frees the seat.
  await assert.rejects(graph.api(`/users/${bo.id}/assignLicense`).post(remove(FIELD_SERVICE)),
    (e) => assertGraphError(e, 400, 'Request_BadRequest', `User does not have a corresponding license ${FIELD_SERVICE}.`));
  const removed = await graph.api(`/users/${bo.id}/assignLicense`).post(remove(SALES));
  assert.deepEqual(removed.assignedLicenses, []);
  assert.deepEqual((await graph.api(`/users/${bo.id}/licenseDetails`).get()).value, []);
  assert.equal((await sku(SALES)).consumedUnits, 0);
  // The freed Field Service seat can now go to someone else.
  await graph.api(`/users/${ada.id}/assignLicense`).post(remove(FIELD_SERVICE));
  await graph.api(`/users/${bo.id}/assignLicense`).post(add(FIELD_SERVICE));
  assert.deepEqual((await graph.api(`/users/${bo.id}/licenseDetails`).get()).value.map((x) => x.skuPartNumber),
    ['DYN365_ENTERPRISE_FIELD_SERVICE']);

  // Licences are the resource tenant's: Fabrikam can't license Contoso's user.
  await assert.rejects(graphClient(fabrikam).api(`/users/${ada.id}/assignLicense`).post(add(SALES)),
    (e) => e.statusCode === 404);

  // Every change is in the audit log.
  const log = await graph.api('/auditLogs/directoryAudits').filter("category eq 'LicenseManagement'").top(100).get();
  const mine = log.value.filter((e) => e.targetResources[0].id === bo.id).map((e) => e.activityDisplayName);
  assert.deepEqual(mine, ['Change user license', 'Change user license', 'Change user license']);
});

test('group-based licensing reaches a transitive guest member, who inherits the tenant default usage location', async () => {
  // A Fabrikam user invited into Contoso: a guest with no usage location.
  const email = `lic.guest.${run}@${fabrikam.domain}`;
  await graphClient(fabrikam).api('/users').post({
    accountEnabled: true, displayName: 'Licensed guest', mailNickname: `licguest${run}`, userPrincipalName: email,
    mail: email, passwordProfile: { password: 'Gu3st-Passw0rd!' } });
  // Invited by the Global Administrator (apps invite only when members may).
  const invitation = await adminGraphClient(contoso).api('/invitations').post({
    invitedUserEmailAddress: email, inviteRedirectUrl: 'https://localhost/welcome', sendInvitationMessage: false });
  const guest = invitation.invitedUser.id;
  const located = await newMember('located', { usageLocation: 'DK' });

  // Licensed group ⊃ team ⊃ guest; the member with a location is in the team too.
  const licensed = await newGroup('Licensed');
  const team = await newGroup('Team');
  await graph.api(`/groups/${licensed.id}/members/$ref`).post(ref(team.id));
  await graph.api(`/groups/${team.id}/members/$ref`).post(ref(guest));
  await graph.api(`/groups/${team.id}/members/$ref`).post(ref(located.id));

  const org = `/organization/${contoso.tenantId}`;
  try {
    // Graph answers a group's assignLicense with 202 (processed in the background).
    const res = await graph.api(`/groups/${licensed.id}/assignLicense`).responseType(ResponseType.RAW)
      .post(add(POWERAPPS_PER_USER));
    assert.equal(res.status, 202);
    const body = await res.json();
    assert.equal(body.id, licensed.id);
    assert.deepEqual(body.assignedLicenses, [{ skuId: POWERAPPS_PER_USER, disabledPlans: [] }]);

    // The member with a usage location holds it through the group.
    let s = await licenceState(located.id);
    assert.deepEqual(s.assignedLicenses, [{ skuId: POWERAPPS_PER_USER, disabledPlans: [] }]);
    assert.equal(s.licenseAssignmentStates[0].assignedByGroup, licensed.id);
    assert.equal(s.licenseAssignmentStates[0].state, 'Active');

    // The guest has no usage location and the tenant no default: a per-user error, no seat.
    s = await licenceState(guest);
    assert.equal(s.usageLocation, null);
    assert.deepEqual(s.assignedLicenses, []);
    assert.equal(s.licenseAssignmentStates.length, 1);
    assert.equal(s.licenseAssignmentStates[0].skuId, POWERAPPS_PER_USER);
    assert.equal(s.licenseAssignmentStates[0].assignedByGroup, licensed.id);
    assert.equal(s.licenseAssignmentStates[0].state, 'Error');
    assert.equal(s.licenseAssignmentStates[0].error, 'ProhibitedInUsageLocationViolation');
    assert.deepEqual((await graph.api(`/users/${guest}/licenseDetails`).get()).value, []);
    assert.equal((await sku(POWERAPPS_PER_USER)).consumedUnits, 1);

    // The tenant's default usage location: the guest inherits it and the licence applies.
    await graph.api(org).patch({ defaultUsageLocation: 'NO' });
    s = await licenceState(guest);
    assert.equal(s.usageLocation, null, 'inherited, not copied onto the user');
    assert.deepEqual(s.assignedLicenses, [{ skuId: POWERAPPS_PER_USER, disabledPlans: [] }]);
    assert.equal(s.licenseAssignmentStates[0].state, 'Active');
    assert.equal(s.licenseAssignmentStates[0].error, 'None');
    const details = await graph.api(`/users/${guest}/licenseDetails`).get();
    assert.deepEqual(details.value.map((d) => d.skuPartNumber), ['POWERAPPS_PER_USER']);
    assert.equal((await sku(POWERAPPS_PER_USER)).consumedUnits, 2);
    // A direct assignment still needs the user's own usage location.
    await assert.rejects(graph.api(`/users/${guest}/assignLicense`).post(add(SALES)),
      (e) => assertGraphError(e, 400, 'Request_BadRequest', NO_LOCATION));

    // Seats run out for a group too: the member's state says so (Field Service's only seat is taken).
    const fieldTeam = await newGroup('FieldTeam');
    await graph.api(`/groups/${fieldTeam.id}/members/$ref`).post(ref(guest));
    await graph.api(`/groups/${fieldTeam.id}/assignLicense`).post(add(FIELD_SERVICE));
    s = await licenceState(guest);
    const field = s.licenseAssignmentStates.find((x) => x.skuId === FIELD_SERVICE);
    assert.equal(field.assignedByGroup, fieldTeam.id);
    assert.equal(field.state, 'Error');
    assert.equal(field.error, 'CountViolation');
    assert.deepEqual(s.assignedLicenses.map((l) => l.skuId), [POWERAPPS_PER_USER]);

    // Leaving the team (the transitive path) takes the group's licence away.
    await graph.api(`/groups/${team.id}/members/${guest}/$ref`).delete();
    s = await licenceState(guest);
    assert.deepEqual(s.assignedLicenses, []);
    assert.deepEqual(s.licenseAssignmentStates.map((x) => x.skuId), [FIELD_SERVICE]);
    assert.equal((await sku(POWERAPPS_PER_USER)).consumedUnits, 1);

    // Removing the group's licence frees the remaining member's seat.
    const after = await graph.api(`/groups/${licensed.id}/assignLicense`).post(remove(POWERAPPS_PER_USER));
    assert.deepEqual(after.assignedLicenses, []);
    assert.deepEqual((await licenceState(located.id)).licenseAssignmentStates, []);
    assert.equal((await sku(POWERAPPS_PER_USER)).consumedUnits, 0);
    await assert.rejects(graph.api(`/groups/${licensed.id}/assignLicense`).post(remove(POWERAPPS_PER_USER)),
      (e) => assertGraphError(e, 400, 'Request_BadRequest', `Group does not have a corresponding license ${POWERAPPS_PER_USER}.`));
  } finally {
    // Leave the tenant as the other end-to-end files expect it.
    await graph.api(org).patch({ defaultUsageLocation: null });
  }
});
