// Permissions set-up for the end-to-end tests, done the way a tenant's
// administrator does it through Graph: an app registration declares the
// scopes it asks for (requiredResourceAccess), an administrator consents for
// everyone (an AllPrincipals oauth2PermissionGrant) or grants application
// permissions (appRoleAssignments); and an administrator's own Graph client
// (the built-in CLI's delegated token, pre-authorised for the admin scopes).
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { Client } from '@microsoft/microsoft-graph-client';
import { baseUrl, raw } from './harness.mjs';
import { deviceTokens } from './browser.mjs';

export const GRAPH_APP_ID = '00000003-0000-0000-c000-000000000000';
export const ADMIN_PASSWORD = 'Adm1n-Passw0rd!';

const json = { 'Content-Type': 'application/json' };
const spCache = new Map();

// Microsoft Graph's service principal in `tenant` (its id, appRoles and oauth2PermissionScopes).
export async function graphServicePrincipal(tenant) {
  if (spCache.has(tenant.tenantId)) return spCache.get(tenant.tenantId);
  const r = await raw('GET', `/v1.0/servicePrincipals?$filter=${encodeURIComponent(`appId eq '${GRAPH_APP_ID}'`)}`,
    { tenant });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.value.length, 1, r.text);
  spCache.set(tenant.tenantId, r.json.value[0]);
  return r.json.value[0];
}

// requiredResourceAccess declaring delegated `scopes` and application `roles` on Graph.
export async function graphAccess(tenant, scopes = [], roles = []) {
  const sp = await graphServicePrincipal(tenant);
  const id = (list, name) => {
    const p = sp[list].find((x) => x.value === name);
    assert.ok(p, `Graph has no ${list} entry ${name}`);
    return p.id;
  };
  return [{
    resourceAppId: GRAPH_APP_ID,
    resourceAccess: [
      ...scopes.map((s) => ({ id: id('oauth2PermissionScopes', s), type: 'Scope' })),
      ...roles.map((s) => ({ id: id('appRoles', s), type: 'Role' })),
    ],
  }];
}

// Registers an app through Graph (the tenant's automation client) declaring
// `scopes`; when `consent`, an administrator's consent to them for everyone.
export async function registerApp(tenant, body, scopes = [], { consent = true } = {}) {
  const r = await raw('POST', '/v1.0/applications', {
    tenant, headers: json, body: JSON.stringify({ ...body, requiredResourceAccess: await graphAccess(tenant, scopes) }),
  });
  assert.equal(r.status, 201, r.text);
  if (consent && scopes.length) await consentForEveryone(tenant, r.json.id, scopes);
  return r.json;
}

// An AllPrincipals grant of `scopes` to the app with object id `clientId`.
export async function consentForEveryone(tenant, clientId, scopes) {
  const sp = await graphServicePrincipal(tenant);
  const r = await raw('POST', '/v1.0/oauth2PermissionGrants', {
    tenant, headers: json,
    body: JSON.stringify({ clientId, consentType: 'AllPrincipals', resourceId: sp.id, scope: scopes.join(' ') }),
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// Grants the app (object id) an application permission; with `token` as the
// caller (default: the tenant's automation client).
export async function grantAppRole(tenant, appObjectId, permission, token) {
  const sp = await graphServicePrincipal(tenant);
  const role = sp.appRoles.find((x) => x.value === permission);
  assert.ok(role, `Graph has no application permission ${permission}`);
  return raw('POST', `/v1.0/servicePrincipals/${appObjectId}/appRoleAssignments`, {
    tenant, headers: json, token,
    body: JSON.stringify({ principalId: appObjectId, resourceId: sp.id, appRoleId: role.id }),
  });
}

const adminTokenCache = new Map();

// The tenant's first Global Administrator's delegated access token, through
// the built-in CLI's device-code flow (the CLI's pre-authorised scopes).
export async function adminToken(tenant) {
  if (!adminTokenCache.has(tenant.tenantId)) {
    const t = await deviceTokens(tenant.domain, `admin@${tenant.domain}`, ADMIN_PASSWORD);
    adminTokenCache.set(tenant.tenantId, t.access_token);
  }
  return adminTokenCache.get(tenant.tenantId);
}

// The official Graph client acting as the tenant's Global Administrator.
export function adminGraphClient(tenant) {
  return Client.init({
    baseUrl,
    defaultVersion: 'v1.0',
    customHosts: new Set([new URL(baseUrl).hostname]),
    authProvider: (done) => adminToken(tenant).then((t) => done(null, t), (e) => done(e, null)),
  });
}

// RFC 7636 S256.
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}
