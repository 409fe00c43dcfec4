// The seed's core flow with real components: the official Graph client sends
// the invitation, a real SMTP server receives the email, the guest follows its
// Get Started link, signs in at their home tenant (Fabrikam), accepts on the
// "Review permissions" page, lands on the redirect URL, and can then sign in
// to Contoso as a guest (tid Contoso, idp Fabrikam, acct 1).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { baseUrl, tenants, graphClient, waitForMail } from './harness.mjs';
import { adminGraphClient, registerApp } from './consent.mjs';

// Contoso's Global Administrator invites: an app may invite only when the
// authorization policy lets members invite, and the default (invitations
// limited to administrators and Guest Inviters) doesn't.
const inviter = adminGraphClient(tenants.contoso);

const contoso = tenants.contoso;
const fabrikam = tenants.fabrikam;
const run = Date.now().toString(36);
const PASSWORD = 'Gu3st-Passw0rd!';

// A minimal cookie-keeping browser (redirects are followed by the test).
class Browser {
  constructor() { this.jar = new Map(); }
  async request(url, { method = 'GET', form } = {}) {
    const headers = {};
    if (this.jar.size) headers.Cookie = [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
    const body = form ? new URLSearchParams(form).toString() : undefined;
    if (form) headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const res = await fetch(new URL(url, baseUrl), { method, headers, body, redirect: 'manual' });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const value = pair.slice(eq + 1).trim();
      if (value) this.jar.set(pair.slice(0, eq).trim(), value); else this.jar.delete(pair.slice(0, eq).trim());
    }
    const location = res.headers.get('location');
    return { status: res.status, location: location ? new URL(location, baseUrl).href : null, text: await res.text() };
  }
}

const unescape = (s) => s.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>')
  .replace(/&#x2F;/gi, '/').replace(/&#x3D;/gi, '=').replace(/&amp;/g, '&');
const field = (html, name) => {
  const m = html.match(new RegExp(`name="${name}" value="([^"]*)"`));
  return m ? unescape(m[1]) : undefined;
};

// From the Get Started link through the home tenant's sign-in to the consent page.
async function redeemToConsent(browser, link, email) {
  let r = await browser.request(link);
  assert.equal(r.status, 302, r.text);
  assert.ok(r.location.startsWith(`${baseUrl}/login?`), r.location);
  r = await browser.request(r.location);
  const form = { csrf: field(r.text, 'csrf'), tenant: field(r.text, 'tenant'), continue: field(r.text, 'continue') };
  r = await browser.request('/login', { method: 'POST', form: { ...form, step: 'email', email } });
  assert.match(r.text, /Enter password/);
  assert.match(r.text, /Fabrikam account/, 'home realm discovery found Fabrikam');
  r = await browser.request('/login', { method: 'POST', form: { ...form, step: 'password', email, password: PASSWORD } });
  assert.equal(r.status, 302, r.text);
  r = await browser.request(r.location);
  assert.equal(r.status, 200, r.text);
  assert.match(r.text, /Review permissions/);
  return r;
}

test('invite by Graph, email by SMTP, redeem at home, accept, then sign in as a guest', async () => {
  const email = `invitee.${run}@${fabrikam.domain}`;
  await graphClient(fabrikam).api('/users').post({
    accountEnabled: true, displayName: 'Invitee', mailNickname: `invitee${run}`, userPrincipalName: email, mail: email,
    passwordProfile: { password: PASSWORD },
  });
  const graph = graphClient(contoso);
  const invitation = await inviter.api('/invitations').post({
    invitedUserEmailAddress: email,
    inviteRedirectUrl: 'https://localhost/welcome',
    invitedUserDisplayName: 'Invitee from Fabrikam',
    sendInvitationMessage: true,
    invitedUserMessageInfo: { customizedMessageBody: 'Bienvenue chez Contoso.', messageLanguage: 'fr-FR' },
  });
  assert.equal(invitation.status, 'PendingAcceptance');
  assert.equal(invitation.invitedUserType, 'Guest');
  const userId = invitation.invitedUser.id;
  let user = await graph.api(`/users/${userId}`).select('userPrincipalName,externalUserState,creationType,userType').get();
  assert.equal(user.externalUserState, 'PendingAcceptance');
  assert.equal(user.creationType, 'Invitation');
  assert.equal(user.userPrincipalName, `${email.replace('@', '_')}#EXT#@${contoso.domain}`);

  const mail = await waitForMail(email);
  assert.match(mail.text, /Bienvenue chez Contoso\./);
  const link = mail.text.match(/https:\/\/\S+\/redeem\?\S+/)?.[0];
  assert.ok(link, `a redeem link in:\n${mail.text}`);
  assert.equal(link, invitation.inviteRedeemUrl);
  assert.match(mail.html, /redeem\?tenant=/);

  const browser = new Browser();
  const consent = await redeemToConsent(browser, link, email);
  const accepted = await browser.request('/redeem', {
    method: 'POST',
    form: { csrf: field(consent.text, 'csrf'), tenant: field(consent.text, 'tenant'), user: field(consent.text, 'user'),
            ticket: field(consent.text, 'ticket'), action: 'accept' },
  });
  assert.equal(accepted.status, 302, accepted.text);
  assert.equal(accepted.location, 'https://localhost/welcome');
  user = await graph.api(`/users/${userId}`).select('externalUserState,identities').get();
  assert.equal(user.externalUserState, 'Accepted');
  assert.ok(user.identities.some((i) => i.signInType === 'federated' && i.issuer === `${baseUrl}/${fabrikam.tenantId}/v2.0`));

  // The link is single use.
  const again = await new Browser().request(link);
  assert.equal(again.status, 410);

  // Sign in to a Contoso app as the guest: the session at Fabrikam is enough.
  // The app signs people in (openid), which an administrator consented to for everyone.
  const app = await registerApp(contoso, { displayName: `Guest app ${run}`, web: { redirectUris: ['https://localhost/cb'] } },
    ['openid']);
  const secret = await graph.api(`/applications/${app.id}/addPassword`).post({ passwordCredential: { displayName: 'e2e' } });
  const authz = await browser.request(`/${contoso.tenantId}/oauth2/v2.0/authorize?` + new URLSearchParams({
    client_id: app.appId, redirect_uri: 'https://localhost/cb', response_type: 'code', scope: 'openid', state: 's1' }));
  assert.equal(authz.status, 302, authz.text);
  const code = new URL(authz.location).searchParams.get('code');
  assert.ok(code, authz.location);
  const tokenRes = await fetch(`${baseUrl}/${contoso.tenantId}/oauth2/v2.0/token`, {
    method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'authorization_code', client_id: app.appId, client_secret: secret.secretText,
                                code, redirect_uri: 'https://localhost/cb' }),
  });
  const tokens = await tokenRes.json();
  assert.equal(tokenRes.status, 200, JSON.stringify(tokens));
  const claims = JSON.parse(Buffer.from(tokens.id_token.split('.')[1], 'base64url'));
  assert.equal(claims.tid, contoso.tenantId);
  assert.equal(claims.oid, userId);
  assert.equal(claims.idp, `${baseUrl}/${fabrikam.tenantId}/v2.0`);
  assert.equal(claims.acct, 1);
});

test('a pending invitation refuses sign-in, and the wrong account cannot redeem it', async () => {
  const invited = `pending.${run}@${fabrikam.domain}`;
  const other = `other.${run}@${fabrikam.domain}`;
  for (const upn of [invited, other]) {
    await graphClient(fabrikam).api('/users').post({
      accountEnabled: true, displayName: upn, mailNickname: upn.split('@')[0].replace('.', ''), userPrincipalName: upn,
      mail: upn, passwordProfile: { password: PASSWORD } });
  }
  const invitation = await inviter.api('/invitations').post({
    invitedUserEmailAddress: invited, inviteRedirectUrl: 'https://localhost/welcome', sendInvitationMessage: false });
  const browser = new Browser();
  const consent = await redeemToConsent(browser, invitation.inviteRedeemUrl, other);
  assert.match(consent.text, /was sent to/);
  const refused = await browser.request('/redeem', {
    method: 'POST',
    form: { csrf: field(consent.text, 'csrf'), tenant: field(consent.text, 'tenant'), user: field(consent.text, 'user'),
            ticket: field(consent.text, 'ticket'), action: 'accept' },
  });
  assert.equal(refused.status, 403);
  const user = await graphClient(contoso).api(`/users/${invitation.invitedUser.id}`).select('externalUserState').get();
  assert.equal(user.externalUserState, 'PendingAcceptance');
});

test('invitation errors are Graph errors', async () => {
  const graph = inviter;
  await assert.rejects(graph.api('/invitations').post({ invitedUserEmailAddress: 'nope', inviteRedirectUrl: 'https://localhost/' }),
    (e) => e.statusCode === 400 && e.code === 'Request_BadRequest');
  await assert.rejects(graph.api('/invitations').post({ invitedUserEmailAddress: `x.${run}@example.org`, inviteRedirectUrl: 'javascript:alert(1)' }),
    (e) => e.statusCode === 400);
  await assert.rejects(graph.api('/invitations').post({ invitedUserEmailAddress: `admin@${contoso.domain}`, inviteRedirectUrl: 'https://localhost/' }),
    (e) => e.statusCode === 400 && /verified domain/.test(e.message));
});
