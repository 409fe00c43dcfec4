// Attacks on the privilege boundaries, replayed against a real server with
// real tokens: users of each administrator role sign in through the pages
// (the CLI's device-code flow) and try to reach above their role — the
// security review's findings 1 (resetRedemption takeover), 2 (User
// Administrator → Global Administrator), 3 (role-holding groups), 8 (tokens
// that outlive trust) and 17 (redemption by an editable mail attribute).
// Each attack must be refused with a Graph error and change nothing.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, tenants, raw, waitForMail } from './harness.mjs';
import { Browser, field, passwordSignIn, deviceTokens, refreshCliToken } from './browser.mjs';

const contoso = tenants.contoso;
const fabrikam = tenants.fabrikam;
const run = Date.now().toString(36);
const PASSWORD = 'Str0ng-Passw0rd!';
const ADMIN_PASSWORD = 'Adm1n-Passw0rd!';
const ROLE = {
  globalAdmin: '62e90394-69f5-4237-9190-012177145e10',
  userAdmin: 'fe930be7-5e62-47db-91af-98c3a49a38b1',
  guestInviter: '95e79109-95c0-4d8e-aee3-d01accf2d47b',
  helpdesk: '729827e3-9c14-49f7-bb1b-9608f156bbb8',
  privilegedRoleAdmin: 'e8611ab8-c189-46e8-94e1-60213ab1f814',
  licenseAdmin: '4d6ac14f-3453-41d0-bef9-a3e0c569773a',
};

// Graph as the tenant's automation client (app token), or with a user's token.
async function graph(method, path, body, { tenant = contoso, token } = {}) {
  const r = await raw(method, path, {
    tenant, token: token === undefined ? undefined : `Bearer ${token}`,
    body: body === undefined ? undefined : JSON.stringify(body),
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
  });
  return r;
}

function assertRefused(r, status = 403, code = 'Authorization_RequestDenied') {
  assert.equal(r.status, status, r.text);
  assert.equal(r.json?.error?.code, code, r.text);
  assert.ok(r.json.error.message.length > 10, 'the refusal explains itself');
}

async function newUser(nick, { tenant = contoso, roles = [] } = {}) {
  const upn = `${nick}.${run}@${tenant.domain}`;
  const r = await graph('POST', '/v1.0/users', {
    accountEnabled: true, displayName: `${nick} ${run}`, mailNickname: `${nick}${run}`, userPrincipalName: upn, mail: upn,
    passwordProfile: { password: PASSWORD },
  }, { tenant });
  assert.equal(r.status, 201, r.text);
  for (const role of roles) {
    const a = await graph('POST', '/v1.0/roleManagement/directory/roleAssignments',
      { roleDefinitionId: role, principalId: r.json.id, directoryScopeId: '/' }, { tenant });
    assert.equal(a.status, 201, a.text);
  }
  return { ...r.json, upn };
}

async function tokenOf(user, tenant = contoso, password = PASSWORD) {
  return deviceTokens(tenant.domain, user.upn, password);
}

async function getUser(id, select = 'id,mail,otherMails,userPrincipalName,accountEnabled,externalUserState,identities') {
  const r = await graph('GET', `/v1.0/users/${id}?$select=${select}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
}

// The tenant's first Global Administrator, created by `gatehouse init`.
const ga = { id: contoso.adminUserId, upn: `admin@${contoso.domain}` };
const actors = {};

before(async () => {
  actors.inviter = await newUser('inviter', { roles: [ROLE.guestInviter] });
  actors.userAdmin = await newUser('useradmin', { roles: [ROLE.userAdmin] });
  actors.helpdesk = await newUser('helpdesk', { roles: [ROLE.helpdesk] });
  actors.pra = await newUser('pra', { roles: [ROLE.privilegedRoleAdmin] });
  actors.licenseAdmin = await newUser('licadmin', { roles: [ROLE.licenseAdmin] });
  for (const a of ['inviter', 'userAdmin', 'helpdesk', 'pra']) actors[a].token = (await tokenOf(actors[a])).access_token;
  actors.ga = { ...ga, token: (await deviceTokens(contoso.domain, ga.upn, ADMIN_PASSWORD)).access_token };
});

// ---- finding 1: resetRedemption -------------------------------------------------

test('a Guest Inviter cannot take over the Global Administrator with resetRedemption', async () => {
  const before = await getUser(ga.id);
  const r = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: `attacker.${run}@outlook.com`, inviteRedirectUrl: 'https://localhost/x',
    resetRedemption: true, invitedUser: { id: ga.id },
  }, { token: actors.inviter.token });
  assert.ok([400, 403].includes(r.status), r.text);
  assert.ok(!r.text.includes('/redeem?'), 'no redeem link handed back');
  assert.deepEqual(await getUser(ga.id), before, 'the Global Administrator is unchanged');

  // Not a User Administrator either, nor with the GA's own address.
  const ua = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: ga.upn, inviteRedirectUrl: 'https://localhost/x', resetRedemption: true,
    invitedUser: { id: ga.id }, sendInvitationMessage: true,
  }, { token: actors.userAdmin.token });
  assert.ok([400, 403].includes(ua.status), ua.text);
  assert.deepEqual(await getUser(ga.id), before);
  // An application with User.Invite.All can't reset a user who holds roles (Entra's rule for app-only calls).
  const app = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: ga.upn, inviteRedirectUrl: 'https://localhost/x', resetRedemption: true,
    invitedUser: { id: ga.id }, sendInvitationMessage: true,
  });
  assert.ok([400, 403].includes(app.status), app.text);
  assert.deepEqual(await getUser(ga.id), before);
});

test('resetRedemption: only external users, only with a user\'s own address, the link only for a Global Administrator', async () => {
  const guestMail = `reset.${run}@example.org`;
  const invited = await graph('POST', '/v1.0/invitations', { invitedUserEmailAddress: guestMail, inviteRedirectUrl: 'https://localhost/x' });
  assert.equal(invited.status, 201, invited.text);
  const guestId = invited.json.invitedUser.id;
  const member = await newUser('plainmember');

  // A member account of the organisation is not an invitation to reset.
  const onMember = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: member.upn, inviteRedirectUrl: 'https://localhost/x', resetRedemption: true,
    invitedUser: { id: member.id }, sendInvitationMessage: true,
  }, { token: actors.userAdmin.token });
  assertRefused(onMember, 400, 'Request_BadRequest');

  // A Guest Inviter may invite, but not reset.
  const byInviter = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: guestMail, inviteRedirectUrl: 'https://localhost/x', resetRedemption: true,
    invitedUser: { id: guestId }, sendInvitationMessage: true,
  }, { token: actors.inviter.token });
  assertRefused(byInviter);

  // A Helpdesk Administrator may reset, to an address the guest already has,
  // and the link goes only by email.
  const elsewhere = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: `someone.else.${run}@example.org`, inviteRedirectUrl: 'https://localhost/x',
    resetRedemption: true, invitedUser: { id: guestId }, sendInvitationMessage: true,
  }, { token: actors.helpdesk.token });
  assertRefused(elsewhere);
  const noMail = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: guestMail, inviteRedirectUrl: 'https://localhost/x', resetRedemption: true,
    invitedUser: { id: guestId },
  }, { token: actors.helpdesk.token });
  assertRefused(noMail, 400, 'Request_BadRequest');
  const byHelpdesk = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: guestMail, inviteRedirectUrl: 'https://localhost/x', resetRedemption: true,
    invitedUser: { id: guestId }, sendInvitationMessage: true,
  }, { token: actors.helpdesk.token });
  assert.equal(byHelpdesk.status, 201, byHelpdesk.text);
  assert.equal(byHelpdesk.json.inviteRedeemUrl, null, 'the link is withheld from the caller');
  const mail = await waitForMail(guestMail);
  assert.match(mail.text, /\/redeem\?/, 'the guest gets the link by email');

  // A Global Administrator gets the link back.
  const byGa = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: `new.address.${run}@example.org`, inviteRedirectUrl: 'https://localhost/x',
    resetRedemption: true, invitedUser: { id: guestId },
  }, { token: actors.ga.token });
  assert.equal(byGa.status, 201, byGa.text);
  assert.match(byGa.json.inviteRedeemUrl, /\/redeem\?/);
});

// ---- finding 2: privileged users --------------------------------------------------

test('a User Administrator cannot reset, disable, rename, re-mail or delete a Global Administrator', async () => {
  const before = await getUser(ga.id);
  const token = actors.userAdmin.token;
  for (const patch of [
    { passwordProfile: { password: 'Hijacked-Passw0rd!' } },
    { accountEnabled: false },
    { userPrincipalName: `renamed.${run}@${contoso.domain}` },
    { mail: `attacker.${run}@example.org` },
    { otherMails: [`attacker.${run}@example.org`] },
  ]) {
    assertRefused(await graph('PATCH', `/v1.0/users/${ga.id}`, patch, { token }));
  }
  assertRefused(await graph('DELETE', `/v1.0/users/${ga.id}`, undefined, { token }));
  assertRefused(await graph('POST', `/v1.0/users/${ga.id}/revokeSignInSessions`, undefined, { token }));
  assert.deepEqual(await getUser(ga.id), before);
  // The Global Administrator's own password still signs in.
  await deviceTokens(contoso.domain, ga.upn, ADMIN_PASSWORD);

  // Nor other privileged administrators; the Helpdesk Administrator not even a User Administrator.
  assertRefused(await graph('PATCH', `/v1.0/users/${actors.pra.id}`, { accountEnabled: false }, { token }));
  assertRefused(await graph('PATCH', `/v1.0/users/${actors.licenseAdmin.id}`,
    { passwordProfile: { password: 'Hijacked-Passw0rd!' } }, { token }));
  assertRefused(await graph('POST', `/v1.0/users/${actors.userAdmin.id}/revokeSignInSessions`, undefined,
    { token: actors.helpdesk.token }));

  // What a User Administrator may do still works: a plain member, a Helpdesk Administrator.
  const plain = await newUser('resettable');
  const ok = await graph('PATCH', `/v1.0/users/${plain.id}`, { passwordProfile: { password: 'N3w-Passw0rd!x' } }, { token });
  assert.equal(ok.status, 204, ok.text);
  const hd = await graph('PATCH', `/v1.0/users/${actors.helpdesk.id}`, { jobTitle: 'Helpdesk' }, { token });
  assert.equal(hd.status, 204, hd.text);
  // A weak password is refused through Graph too (finding 24).
  assertRefused(await graph('PATCH', `/v1.0/users/${plain.id}`, { passwordProfile: { password: 'a' } }, { token }),
    400, 'Request_BadRequest');
});

// ---- finding 3: role-assignable groups ------------------------------------------------

test('roles go only to role-assignable groups, whose members only Global and Privileged Role Administrators change', async () => {
  const plainGroup = await graph('POST', '/v1.0/groups', {
    displayName: `Plain ${run}`, mailNickname: `plain${run}`, mailEnabled: false, securityEnabled: true,
  });
  assert.equal(plainGroup.status, 201, plainGroup.text);
  assert.equal(plainGroup.json.isAssignableToRole, false);
  assertRefused(await graph('POST', '/v1.0/roleManagement/directory/roleAssignments',
    { roleDefinitionId: ROLE.globalAdmin, principalId: plainGroup.json.id, directoryScopeId: '/' }), 400, 'Request_BadRequest');

  // Only a Global or Privileged Role Administrator creates one.
  const spec = (n) => ({ displayName: `Admins ${n} ${run}`, mailNickname: `admins${n}${run}`, mailEnabled: false,
    securityEnabled: true, isAssignableToRole: true });
  assertRefused(await graph('POST', '/v1.0/groups', spec('ua'), { token: actors.userAdmin.token }));
  const roleGroup = await graph('POST', '/v1.0/groups', spec('ga'), { token: actors.ga.token });
  assert.equal(roleGroup.status, 201, roleGroup.text);
  assert.equal(roleGroup.json.isAssignableToRole, true);
  const assigned = await graph('POST', '/v1.0/roleManagement/directory/roleAssignments',
    { roleDefinitionId: ROLE.globalAdmin, principalId: roleGroup.json.id, directoryScopeId: '/' }, { token: actors.ga.token });
  assert.equal(assigned.status, 201, assigned.text);
  // isAssignableToRole is fixed at creation.
  assertRefused(await graph('PATCH', `/v1.0/groups/${plainGroup.json.id}`, { isAssignableToRole: true }), 400, 'Request_BadRequest');

  const ref = (id) => ({ '@odata.id': `${baseUrl}/v1.0/directoryObjects/${id}` });
  const members = async () => (await graph('GET', `/v1.0/groups/${roleGroup.json.id}/members`)).json.value.map((m) => m.id);
  // A User Administrator adding themselves, or removing anyone: refused.
  assertRefused(await graph('POST', `/v1.0/groups/${roleGroup.json.id}/members/$ref`, ref(actors.userAdmin.id),
    { token: actors.userAdmin.token }));
  // An application with GroupMember.ReadWrite.All but not RoleManagement: the automation client has it, so use a
  // nested group instead — role-assignable groups take no groups as members.
  assertRefused(await graph('POST', `/v1.0/groups/${roleGroup.json.id}/members/$ref`, ref(plainGroup.json.id),
    { token: actors.ga.token }), 400, 'Request_BadRequest');
  assert.deepEqual(await members(), []);
  // A Privileged Role Administrator may.
  const byPra = await graph('POST', `/v1.0/groups/${roleGroup.json.id}/members/$ref`, ref(actors.licenseAdmin.id),
    { token: actors.pra.token });
  assert.equal(byPra.status, 204, byPra.text);
  assertRefused(await graph('DELETE', `/v1.0/groups/${roleGroup.json.id}/members/${actors.licenseAdmin.id}/$ref`,
    undefined, { token: actors.userAdmin.token }));
  assertRefused(await graph('DELETE', `/v1.0/groups/${roleGroup.json.id}`, undefined, { token: actors.userAdmin.token }));
  assert.deepEqual(await members(), [actors.licenseAdmin.id]);
  // …but a Privileged Role Administrator has no say over ordinary groups.
  assertRefused(await graph('POST', `/v1.0/groups/${plainGroup.json.id}/members/$ref`, ref(actors.pra.id),
    { token: actors.pra.token }));

  // An invitation is no back door: a Guest Inviter can't put the invitee into any group.
  for (const groupIds of [[roleGroup.json.id], [plainGroup.json.id]]) {
    const email = `backdoor.${groupIds[0].slice(0, 6)}.${run}@example.org`;
    const r = await graph('POST', '/v1.0/invitations',
      { invitedUserEmailAddress: email, inviteRedirectUrl: 'https://localhost/x', groupIds }, { token: actors.inviter.token });
    assertRefused(r);
    const found = await graph('GET', `/v1.0/users?$filter=mail eq '${email}'`);
    assert.deepEqual(found.json.value, [], 'nobody was invited');
  }
  // A User Administrator may add the invitee to an ordinary group, not to a role group.
  const ok = await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: `grouped.${run}@example.org`, inviteRedirectUrl: 'https://localhost/x', groupIds: [plainGroup.json.id],
  }, { token: actors.userAdmin.token });
  assert.equal(ok.status, 201, ok.text);
  assertRefused(await graph('POST', '/v1.0/invitations', {
    invitedUserEmailAddress: `rolegrouped.${run}@example.org`, inviteRedirectUrl: 'https://localhost/x', groupIds: [roleGroup.json.id],
  }, { token: actors.userAdmin.token }));
  assert.deepEqual(await members(), [actors.licenseAdmin.id]);

  // The bulk CSV groups column too: each row naming the role group is refused.
  const csv = `email,displayName,redirectUrl,groups\r\nbulkrole.${run}@example.org,Bulk Role,https://localhost/x,${roleGroup.json.id}\r\n`;
  const submitted = await raw('POST', '/api/v1/bulkInvitations', {
    token: `Bearer ${actors.userAdmin.token}`, body: csv, headers: { 'Content-Type': 'text/csv' } });
  assert.equal(submitted.status, 202, submitted.text);
  let job;
  for (let i = 0; i < 100; i++) {
    job = await raw('GET', `/api/v1/bulkInvitations/${submitted.json.id}`, { token: `Bearer ${actors.userAdmin.token}` });
    if (['completed', 'completedWithErrors', 'failed'].includes(job.json.status)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const results = await raw('GET', `/api/v1/bulkInvitations/${submitted.json.id}/results`, { token: `Bearer ${actors.userAdmin.token}` });
  assert.match(results.text, /blockedByPolicy/, results.text);
  assert.deepEqual(await members(), [actors.licenseAdmin.id]);

  // The portal's invite form offers a User Administrator only the groups they may fill, and refuses a forged one.
  const browser = new Browser();
  const page = await browser.get(`/portal/${contoso.tenantId}/users/invite`);
  const signedIn = await passwordSignIn(browser, page.location, actors.userAdmin.upn, PASSWORD);
  const form = await browser.get(signedIn.location);
  assert.equal(form.status, 200, form.text);
  assert.ok(form.text.includes(plainGroup.json.id), 'the ordinary group is offered');
  assert.ok(!form.text.includes(roleGroup.json.id), 'the role group is not offered');
  const forged = await browser.post(`/portal/${contoso.tenantId}/users/invite`, {
    csrf: field(form.text, 'csrf'), email: `portal.forged.${run}@example.org`, redirectUrl: 'https://localhost/x',
    groups: roleGroup.json.id,
  });
  assert.equal(forged.status, 403, forged.text);
  assert.deepEqual(await members(), [actors.licenseAdmin.id]);
});

// ---- finding 8: credentials end when trust ends ----------------------------------------------

test('a password reset, a disable and revokeSignInSessions end refresh tokens; a disabled user\'s access token stops working', async () => {
  const user = await newUser('lifecycle');
  let tokens = await tokenOf(user);
  // Reset by an administrator: the refresh token (and the browser session) no longer work.
  assert.equal((await graph('PATCH', `/v1.0/users/${user.id}`, { passwordProfile: { password: 'R3set-Passw0rd!' } })).status, 204);
  let refreshed = await refreshCliToken(contoso.domain, tokens.refresh_token);
  assert.equal(refreshed.status, 400, JSON.stringify(refreshed.body));
  assert.equal(refreshed.body.error, 'invalid_grant');
  const portal = await tokens.browser.get(`/portal/${contoso.tenantId}`);
  assert.equal(portal.status, 303, 'the old session now leads to the sign-in page');
  assert.match(portal.location, /\/login\?/);

  // Signed in anew: works, until revokeSignInSessions.
  tokens = await deviceTokens(contoso.domain, user.upn, 'R3set-Passw0rd!');
  refreshed = await refreshCliToken(contoso.domain, tokens.refresh_token);
  assert.equal(refreshed.status, 200, JSON.stringify(refreshed.body));
  const revoke = await graph('POST', `/v1.0/users/${user.id}/revokeSignInSessions`);
  assert.equal(revoke.status, 200, revoke.text);
  assert.equal(revoke.json.value, true);
  refreshed = await refreshCliToken(contoso.domain, refreshed.body.refresh_token);
  assert.equal(refreshed.body.error, 'invalid_grant');

  // Disabled: the access token already issued is refused at once.
  tokens = await deviceTokens(contoso.domain, user.upn, 'R3set-Passw0rd!');
  assert.equal((await graph('GET', `/v1.0/users/${user.id}`, undefined, { token: tokens.access_token })).status, 200);
  assert.equal((await graph('PATCH', `/v1.0/users/${user.id}`, { accountEnabled: false })).status, 204);
  const refused = await graph('GET', `/v1.0/users/${user.id}`, undefined, { token: tokens.access_token });
  assertRefused(refused, 401, 'InvalidAuthenticationToken');
  assert.equal((await refreshCliToken(contoso.domain, tokens.refresh_token)).body.error, 'invalid_grant');
});

// Invites a Fabrikam user into Contoso and redeems it through the pages; returns the guest's id.
async function redeemAsGuest(homeUser) {
  const inv = await graph('POST', '/v1.0/invitations', { invitedUserEmailAddress: homeUser.upn, inviteRedirectUrl: 'https://localhost/welcome' });
  assert.equal(inv.status, 201, inv.text);
  const browser = new Browser();
  let r = await browser.get(inv.json.inviteRedeemUrl);
  assert.equal(r.status, 302, r.text);
  r = await passwordSignIn(browser, r.location, homeUser.upn, PASSWORD);
  assert.equal(r.status, 302, r.text);
  const consent = await browser.get(r.location);
  assert.match(consent.text, /Review permissions/);
  const accepted = await browser.post('/redeem', { csrf: field(consent.text, 'csrf'), tenant: field(consent.text, 'tenant'),
    user: field(consent.text, 'user'), ticket: field(consent.text, 'ticket'), action: 'accept' });
  assert.equal(accepted.status, 302, accepted.text);
  return inv.json.invitedUser.id;
}

test('a guest whose home account is disabled can no longer refresh into the resource tenant', async () => {
  const home = await newUser('homeuser', { tenant: fabrikam });
  await redeemAsGuest(home);
  const tokens = await deviceTokens(contoso.domain, home.upn, PASSWORD);
  assert.equal((await refreshCliToken(contoso.domain, tokens.refresh_token)).status, 200);
  const fresh = await deviceTokens(contoso.domain, home.upn, PASSWORD);
  // Fabrikam disables its own user: Contoso's refresh tokens for that person end too.
  assert.equal((await graph('PATCH', `/v1.0/users/${home.id}`, { accountEnabled: false }, { tenant: fabrikam })).status, 204);
  const refreshed = await refreshCliToken(contoso.domain, fresh.refresh_token);
  assert.equal(refreshed.status, 400, JSON.stringify(refreshed.body));
  assert.equal(refreshed.body.error, 'invalid_grant');
});

// ---- finding 17: redemption proves the address by the sign-in name -------------------------

test('a home-tenant admin setting someone\'s mail attribute to the invited address cannot redeem their invitation', async () => {
  const victimAddress = `victim.${run}@${fabrikam.domain}`;
  const inv = await graph('POST', '/v1.0/invitations', { invitedUserEmailAddress: victimAddress, inviteRedirectUrl: 'https://localhost/x' });
  assert.equal(inv.status, 201, inv.text);
  // A Fabrikam account under another name, whose mail attribute claims the victim's address.
  const impostor = await newUser('impostor', { tenant: fabrikam });
  assert.equal((await graph('PATCH', `/v1.0/users/${impostor.id}`, { mail: victimAddress }, { tenant: fabrikam })).status, 204);
  const browser = new Browser();
  let r = await browser.get(inv.json.inviteRedeemUrl);
  r = await passwordSignIn(browser, r.location, impostor.upn, PASSWORD);
  const page = await browser.get(r.location);
  if (page.status === 200 && /Review permissions/.test(page.text)) {
    const accepted = await browser.post('/redeem', { csrf: field(page.text, 'csrf'), tenant: field(page.text, 'tenant'),
      user: field(page.text, 'user'), ticket: field(page.text, 'ticket'), action: 'accept' });
    assert.notEqual(accepted.status, 302, accepted.text);
  } else {
    assert.ok(page.status >= 400, `${page.status}: ${page.text}`);
  }
  const guest = await getUser(inv.json.invitedUser.id);
  assert.equal(guest.externalUserState, 'PendingAcceptance', 'the invitation is still unredeemed');
});
