// Attacks on route permissions, through the real server over HTTPS (security
// review findings 4, 7 and the consent half of 18):
//  - a sign-in-only app (openid User.Read) that a Global Administrator signs in
//    to gets a token that can't create a user, assign a role or change a policy;
//  - a user who isn't an administrator can't consent to what needs one;
//  - an app asking for a scope it didn't declare is refused;
//  - an app with no granted application permission can't list users, invite or
//    share an app, until an administrator grants it the permission;
//  - an app may invite only when the authorization policy lets members invite.
// Every refusal is a 4xx in Graph's error shape (or OAuth's), and nothing changes.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, tenants, raw } from './harness.mjs';
import { Browser, passwordSignIn, field, CLI_CLIENT_ID } from './browser.mjs';
import {
  ADMIN_PASSWORD, adminToken, graphServicePrincipal, grantAppRole, pkce, registerApp,
} from './consent.mjs';

const contoso = tenants.contoso;
const run = Date.now().toString(36);
const REDIRECT = 'http://localhost:9/perm-cb';
const MEMBER_PASSWORD = 'Memb3r-Passw0rd!';
const json = { 'Content-Type': 'application/json' };
const adminEmail = `admin@${contoso.domain}`;
const memberEmail = `perm.member.${run}@${contoso.domain}`;

const bearer = (t) => `Bearer ${t}`;
const claims = (jwt) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url'));

function assertDenied(r, what) {
  assert.equal(r.status, 403, `${what}: ${r.text}`);
  assert.equal(r.json?.error?.code, 'Authorization_RequestDenied', `${what}: ${r.text}`);
  assert.ok(r.json.error.innerError?.['request-id'], `${what}: Graph's error shape`);
}

async function token(form) {
  const res = await fetch(`${baseUrl}/${contoso.domain}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(form),
  });
  return { status: res.status, body: await res.json() };
}

async function appToken(app) {
  const t = await token({ grant_type: 'client_credentials', client_id: app.appId, client_secret: app.secret,
    scope: 'https://graph.microsoft.com/.default' });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  return t.body.access_token;
}

// An app registered through Graph with a secret, declaring `scopes` (no consent, no application permission).
async function appWithSecret(name, scopes = [], extra = {}) {
  const app = await registerApp(contoso, { displayName: `${name} ${run}`, ...extra }, scopes, { consent: false });
  const secret = await raw('POST', `/v1.0/applications/${app.id}/addPassword`, { headers: json, body: '{}' });
  assert.equal(secret.status, 200, secret.text);
  return { ...app, secret: secret.json.secretText };
}

function authorizeUrl(app, scope, challenge, extra = {}) {
  return `/${contoso.tenantId}/oauth2/v2.0/authorize?` + new URLSearchParams({
    client_id: app.appId, redirect_uri: REDIRECT, response_type: 'code', scope, state: 'st',
    code_challenge: challenge, code_challenge_method: 'S256', ...extra,
  });
}

// Signs `email` in at an authorize URL; returns the page /authorize shows afterwards.
async function signInAt(browser, url, email, password) {
  const r = await browser.get(url);
  assert.equal(r.status, 302, r.text);
  assert.ok(r.location.startsWith(`${baseUrl}/login?`), r.location);
  const done = await passwordSignIn(browser, r.location, email, password);
  assert.equal(done.status, 302, done.text);
  return browser.get(done.location);
}

function consentForm(page, action, organization = false) {
  const form = { csrf: field(page.text, 'csrf'), kind: field(page.text, 'kind'), tenant: field(page.text, 'tenant'),
    request: field(page.text, 'request') ?? '', user_code: field(page.text, 'user_code') ?? '', action };
  if (organization) form.organization = '1';
  return form;
}

const codeOf = (r) => new URL(r.location).searchParams.get('code');

async function grants(appObjectId) {
  const r = await raw('GET', `/v1.0/oauth2PermissionGrants?$filter=${encodeURIComponent(`clientId eq '${appObjectId}'`)}`);
  assert.equal(r.status, 200, r.text);
  return r.json.value;
}

let member;

before(async () => {
  const r = await raw('POST', '/v1.0/users', {
    headers: json, body: JSON.stringify({ accountEnabled: true, displayName: 'Perm member', mailNickname: `perm${run}`,
      userPrincipalName: memberEmail, passwordProfile: { password: MEMBER_PASSWORD } }),
  });
  assert.equal(r.status, 201, r.text);
  member = r.json;
});

test('a sign-in-only app used by a Global Administrator gets a token that cannot write the directory', async () => {
  const app = await registerApp(contoso, { displayName: `Sign-in only ${run}`, publicClient: { redirectUris: [REDIRECT] } },
    ['openid', 'User.Read'], { consent: false });
  const { verifier, challenge } = pkce();
  const browser = new Browser();
  // Consent on the real page: the app, who registered it, what it asks for.
  const page = await signInAt(browser, authorizeUrl(app, 'openid User.Read', challenge), adminEmail, ADMIN_PASSWORD);
  assert.equal(page.status, 200, page.text);
  assert.match(page.text, /Permissions requested/);
  assert.match(page.text, new RegExp(`Sign-in only ${run}`));
  assert.match(page.text, /Sign you in and read your profile/);
  assert.match(page.text, /Consent on behalf of your organization/, 'an administrator may consent for everyone');
  const accepted = await browser.post('/consent', consentForm(page, 'accept'));
  assert.equal(accepted.status, 303, accepted.text);
  const back = await browser.get(accepted.location);
  assert.equal(back.status, 302, back.text);
  const t = await token({ grant_type: 'authorization_code', client_id: app.appId, code: codeOf(back),
    redirect_uri: REDIRECT, code_verifier: verifier });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  assert.equal(claims(t.body.access_token).scp, 'User.Read');
  assert.ok(claims(t.body.access_token).wids.includes('62e90394-69f5-4237-9190-012177145e10'), 'a Global Administrator');
  const as = { token: bearer(t.body.access_token), headers: json };

  assertDenied(await raw('POST', '/v1.0/users', { ...as, body: JSON.stringify({ accountEnabled: true,
    displayName: 'Mallory', mailNickname: `mallory${run}`, userPrincipalName: `mallory.${run}@${contoso.domain}`,
    passwordProfile: { password: 'Str0ng-Passw0rd!' } }) }), 'create a user');
  assertDenied(await raw('POST', '/v1.0/roleManagement/directory/roleAssignments', { ...as, body: JSON.stringify({
    principalId: member.id, roleDefinitionId: '62e90394-69f5-4237-9190-012177145e10', directoryScopeId: '/' }) }),
  'assign Global Administrator');
  assertDenied(await raw('PATCH', '/v1.0/policies/authorizationPolicy',
    { ...as, body: JSON.stringify({ allowInvitesFrom: 'everyone' }) }), 'change a policy');
  assertDenied(await raw('GET', '/v1.0/users', as), 'list users');

  // Nothing changed.
  assert.equal((await raw('GET', `/v1.0/users/${encodeURIComponent(`mallory.${run}@${contoso.domain}`)}`)).status, 404);
  const roles = await raw('GET', `/v1.0/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(
    `principalId eq '${member.id}'`)}`);
  assert.deepEqual(roles.json.value, []);
  assert.equal((await raw('GET', '/v1.0/policies/authorizationPolicy')).json.allowInvitesFrom, 'adminsAndGuestInviters');
});

test('a user who is not an administrator cannot consent to what needs an administrator', async () => {
  const app = await registerApp(contoso, { displayName: `Directory reader ${run}`, publicClient: { redirectUris: [REDIRECT] } },
    ['openid', 'User.Read', 'User.Read.All'], { consent: false });
  const { challenge } = pkce();
  const browser = new Browser();
  const page = await signInAt(browser, authorizeUrl(app, 'openid User.Read.All', challenge), memberEmail, MEMBER_PASSWORD);
  assert.equal(page.status, 403, page.text);
  assert.match(page.text, /Need admin approval/);
  assert.match(page.text, /AADSTS90094/);
  assert.doesNotMatch(page.text, /value="accept"/, 'no Accept button');
  // Submitting an Accept anyway, even "for the organization", records nothing.
  for (const organization of [false, true]) {
    const forced = await browser.post('/consent', consentForm(page, 'accept', organization));
    assert.equal(forced.status, 403, forced.text);
  }
  assert.deepEqual(await grants(app.id), []);
  // Silently: consent_required, no code.
  const silent = await browser.get(authorizeUrl(app, 'openid User.Read.All', challenge, { prompt: 'none' }));
  assert.equal(silent.status, 302, silent.text);
  assert.equal(new URL(silent.location).searchParams.get('error'), 'consent_required');
  assert.equal(codeOf(silent), null);
  // Returning to the app says the user declined.
  const back = await browser.post('/consent', consentForm(page, 'cancel'));
  assert.equal(back.status, 302, back.text);
  assert.equal(new URL(back.location).searchParams.get('error'), 'access_denied');
});

test('an app asking for a scope it did not declare is refused', async () => {
  const app = await registerApp(contoso, { displayName: `Declares little ${run}`, publicClient: { redirectUris: [REDIRECT] } },
    ['openid', 'User.Read'], { consent: false });
  const { challenge } = pkce();
  for (const scope of ['openid User.ReadWrite.All', 'openid Directory.AccessAsUser.All', 'openid NotAPermission.All']) {
    const r = await new Browser().get(authorizeUrl(app, scope, challenge));
    assert.equal(r.status, 302, r.text);
    assert.ok(r.location.startsWith(REDIRECT), r.location);
    assert.equal(new URL(r.location).searchParams.get('error'), 'invalid_scope', scope);
  }
  // The device flow too (for a public client).
  const dc = await fetch(`${baseUrl}/${contoso.domain}/oauth2/v2.0/devicecode`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: app.appId, scope: 'openid RoleManagement.ReadWrite.Directory' }),
  });
  assert.equal(dc.status, 400);
  assert.equal((await dc.json()).error, 'invalid_scope');
  // And the built-in CLI can't be used to ask for more than it is pre-authorised for.
  const cli = await fetch(`${baseUrl}/${contoso.domain}/oauth2/v2.0/devicecode`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: CLI_CLIENT_ID, scope: 'openid Directory.AccessAsUser.All' }),
  });
  assert.equal(cli.status, 400);
  assert.equal((await cli.json()).error, 'invalid_scope');
});

test('an app with no granted permission cannot list users, invite or share an app, until an admin grants it', async () => {
  const app = await appWithSecret('No permissions', [], {});
  let t = await appToken(app);
  assert.equal(claims(t).roles, undefined, 'no application permission in the token');
  const as = () => ({ token: bearer(t), headers: json });
  assertDenied(await raw('GET', '/v1.0/users', as()), 'list users');
  assertDenied(await raw('POST', '/v1.0/invitations', { ...as(), body: JSON.stringify({
    invitedUserEmailAddress: `x.${run}@example.org`, inviteRedirectUrl: 'https://localhost/' }) }), 'invite');
  const envs = await raw('GET', '/api/v1/environments');
  assert.equal(envs.status, 200, envs.text);
  const envId = envs.json.value[0].id;
  const share = `/api/v1/environments/${envId}/apps/00000000-0000-4000-8000-000000000001/share`;
  assertDenied(await raw('POST', share, { ...as(), body: JSON.stringify({ everyone: true }) }), 'share an app');
  assertDenied(await raw('GET', `/api/v1/environments/${envId}/apps`, as()), 'list apps');
  // The app can't grant itself anything either.
  assertDenied(await grantAppRole(contoso, app.id, 'User.Read.All', bearer(t)), 'grant itself a permission');

  // A Global Administrator grants User.Read.All: the app's next token lists users, and does no more.
  const admin = bearer(await adminToken(contoso));
  const granted = await grantAppRole(contoso, app.id, 'User.Read.All', admin);
  assert.equal(granted.status, 201, granted.text);
  t = await appToken(app);
  assert.deepEqual(claims(t).roles, ['User.Read.All']);
  const users = await raw('GET', '/v1.0/users', as());
  assert.equal(users.status, 200, users.text);
  assertDenied(await raw('PATCH', `/v1.0/users/${member.id}`, { ...as(), body: JSON.stringify({ jobTitle: 'x' }) }),
    'write a user');
  // Environment.ReadWrite.All lets it share (the app id here doesn't exist: 404, past the permission check).
  assert.equal((await grantAppRole(contoso, app.id, 'Environment.ReadWrite.All', admin)).status, 201);
  t = await appToken(app);
  const shared = await raw('POST', share, { ...as(), body: JSON.stringify({ everyone: true }) });
  assert.equal(shared.status, 404, shared.text);
  // Revoked: gone from the next token.
  const list = await raw('GET', `/v1.0/servicePrincipals/${app.id}/appRoleAssignments`, { token: admin });
  const readAll = list.json.value.find((a) => a.appRoleId === 'df021288-bdef-4463-88db-98f22de89214');
  assert.ok(readAll, list.text);
  const del = await raw('DELETE', `/v1.0/servicePrincipals/${app.id}/appRoleAssignments/${readAll.id}`, { token: admin });
  assert.equal(del.status, 204, del.text);
  t = await appToken(app);
  assertDenied(await raw('GET', '/v1.0/users', as()), 'list users after revocation');
});

test('a non-administrator cannot grant application permissions or consent for others', async () => {
  const app = await appWithSecret('Wants more', ['openid', 'User.Read']);
  // The member signed in to the built-in CLI (its token has the admin scopes, but the member no admin role).
  const { deviceTokens } = await import('./browser.mjs');
  const memberToken = bearer((await deviceTokens(contoso.domain, memberEmail, MEMBER_PASSWORD)).access_token);
  assertDenied(await grantAppRole(contoso, app.id, 'Directory.ReadWrite.All', memberToken), 'grant an app role');
  const sp = await graphServicePrincipal(contoso);
  assertDenied(await raw('POST', '/v1.0/oauth2PermissionGrants', { token: memberToken, headers: json,
    body: JSON.stringify({ clientId: app.id, consentType: 'AllPrincipals', resourceId: sp.id, scope: 'openid User.Read' }) }),
  'consent for everyone');
  assert.deepEqual(await grants(app.id), []);
  assert.equal(claims(await appToken(app)).roles, undefined);
});

test('apps invite only when the authorization policy lets members invite', async () => {
  const app = await appWithSecret('Onboarding');
  assert.equal((await grantAppRole(contoso, app.id, 'User.Invite.All')).status, 201);
  const t = await appToken(app);
  const invite = (email) => raw('POST', '/v1.0/invitations', { token: bearer(t), headers: json,
    body: JSON.stringify({ invitedUserEmailAddress: email, inviteRedirectUrl: 'https://localhost/', sendInvitationMessage: false }) });
  // Default: limited to administrators and Guest Inviters → refused, naming the rule, and no guest is created.
  const refused = await invite(`app.guest.${run}@example.org`);
  assert.equal(refused.status, 403, refused.text);
  assert.match(refused.json.error.message, /allowInvitesFrom/);
  const found = await raw('GET', `/v1.0/users?$filter=${encodeURIComponent(`mail eq 'app.guest.${run}@example.org'`)}`);
  assert.deepEqual(found.json.value, []);
  // When members may invite, so may the app; the policy is put back afterwards.
  const patch = (v) => raw('PATCH', '/v1.0/policies/authorizationPolicy', { headers: json,
    body: JSON.stringify({ allowInvitesFrom: v }) });
  assert.equal((await patch('adminsGuestInvitersAndAllMembers')).status, 204);
  try {
    const ok = await invite(`app.guest.${run}@example.org`);
    assert.equal(ok.status, 201, ok.text);
  } finally {
    assert.equal((await patch('adminsAndGuestInviters')).status, 204);
  }
});

test('the built-in CLI gets exactly its pre-authorised scopes, with no consent page', async () => {
  const { deviceTokens } = await import('./browser.mjs');
  const t = await deviceTokens(contoso.domain, adminEmail, ADMIN_PASSWORD);
  const scp = claims(t.access_token).scp.split(' ');
  assert.ok(scp.includes('User.ReadWrite.All') && scp.includes('Environment.ReadWrite.All'), scp.join(' '));
  assert.ok(!scp.includes('Directory.AccessAsUser.All'), 'never the catch-all scope');
  assert.ok(!scp.includes('Directory.ReadWrite.All'));
  // Refresh can't widen it.
  const r = await token({ grant_type: 'refresh_token', client_id: CLI_CLIENT_ID, refresh_token: t.refresh_token,
    scope: 'openid offline_access Directory.AccessAsUser.All' });
  assert.equal(r.status, 200, JSON.stringify(r.body));
  assert.deepEqual(claims(r.body.access_token).scp.split(' ').sort(), [...scp].sort());
});

test('an administrator consents once for everyone; the grant is visible and removable in Graph', async () => {
  const app = await registerApp(contoso, { displayName: `Team app ${run}`, publicClient: { redirectUris: [REDIRECT] } },
    ['openid', 'User.Read'], { consent: false });
  const { challenge, verifier } = pkce();
  const browser = new Browser();
  const page = await signInAt(browser, authorizeUrl(app, 'openid User.Read', challenge), adminEmail, ADMIN_PASSWORD);
  assert.equal(page.status, 200, page.text);
  const accepted = await browser.post('/consent', consentForm(page, 'accept', true));
  assert.equal(accepted.status, 303, accepted.text);
  const list = await grants(app.id);
  assert.equal(list.length, 1);
  assert.equal(list[0].consentType, 'AllPrincipals');
  assert.equal(list[0].principalId, null);
  assert.equal(list[0].scope, 'openid User.Read');
  // The member now signs in with no page.
  const mb = new Browser();
  const r = await signInAt(mb, authorizeUrl(app, 'openid User.Read', challenge), memberEmail, MEMBER_PASSWORD);
  assert.equal(r.status, 302, r.text);
  const t = await token({ grant_type: 'authorization_code', client_id: app.appId, code: codeOf(r), redirect_uri: REDIRECT,
    code_verifier: verifier });
  assert.equal(t.status, 200, JSON.stringify(t.body));
  // Withdrawn in Graph: the member is asked again.
  const del = await raw('DELETE', `/v1.0/oauth2PermissionGrants/${list[0].id}`, { token: bearer(await adminToken(contoso)) });
  assert.equal(del.status, 204, del.text);
  const again = await mb.get(authorizeUrl(app, 'openid User.Read', challenge));
  assert.equal(again.status, 200, again.text);
  assert.match(again.text, /Permissions requested/);
});
