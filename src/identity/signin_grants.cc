// SigninService, its OAuth side: consent, authorization codes, token
// issuance, refresh tokens and the device authorization grant. The
// interactive side (sessions, home-realm discovery, passwords, one-time
// passcodes, sign-up, throttles) is signin.cc.
#include <algorithm>

#include "core/address.h"
#include "core/encoding.h"
#include "core/strings.h"
#include "directory/policy_service.h"
#include "identity/consent.h"
#include "identity/graph_permissions.h"
#include "identity/secrets.h"
#include "identity/signin.h"
#include "identity/signin_internal.h"
#include "store/signin_repository.h"

namespace gh::identity {
namespace {

// "abcd efgh", "ABCD-EFGH" and "abcdefgh" are the same user code.
std::string NormaliseUserCode(std::string code) {
  std::string out;
  for (char c : code)
    if (std::isalnum(static_cast<unsigned char>(c))) out += static_cast<char>(std::toupper(c));
  if (out.size() == 8) out.insert(4, "-");
  return out;
}

}  // namespace

// ---- consent -----------------------------------------------------------------

ConsentClient SigninService::ConsentClientOf(const ClientInfo& c) const {
  return {c.app_id, c.object_id, c.display_name, c.publisher_tenant_id, c.allowed_scopes, c.first_party};
}

StatusOr<Consent::Evaluation> SigninService::EvaluateConsent(const std::string& tenant_id, const ClientInfo& client,
                                                             const std::string& user_id, const std::string& scope) {
  GH_ASSIGN_OR_RETURN(auto asked, ParseScopeRequest(ConsentClientOf(client), scope));
  return Consent(store_, clock_, random_).Evaluate(tenant_id, ConsentClientOf(client), user_id, asked.All());
}

Status SigninService::RecordConsent(const std::string& tenant_id, const ClientInfo& client,
                                    const directory::User& user, const std::string& scope, bool for_organization) {
  GH_ASSIGN_OR_RETURN(auto asked, ParseScopeRequest(ConsentClientOf(client), scope));
  GH_ASSIGN_OR_RETURN(auto roles, directory_.EffectiveRoles(tenant_id, user.id));
  return Consent(store_, clock_, random_)
      .GrantByUser(tenant_id, ConsentClientOf(client), user, roles, asked.All(), for_organization);
}

StatusOr<store::DeviceCodeRow> SigninService::PendingDeviceCode(const std::string& user_code) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  auto row = tx->Signin().FindPendingDeviceCode(NormaliseUserCode(user_code), clock_.NowMillis());
  if (!row.ok() && row.status().code() == Code::kNotFound)
    return InvalidArgument("That code is not valid or has expired. Check the code on your device.", "bad_user_code");
  return row;
}

StatusOr<SigninService::DeviceConsent> SigninService::DeviceConsentFor(const std::string& user_code,
                                                                       const Session& session) {
  auto row = PendingDeviceCode(user_code);
  if (!row.ok()) return row.status();
  DeviceConsent out;
  out.tenant_id = row->tenant_id;
  out.scope = row->scope;
  GH_ASSIGN_OR_RETURN(out.client, FindClient(row->tenant_id, row->client_id));
  GH_ASSIGN_OR_RETURN(out.user, PrincipalIn(session, row->tenant_id));
  GH_ASSIGN_OR_RETURN(out.evaluation, EvaluateConsent(row->tenant_id, out.client, out.user.id, row->scope));
  return out;
}

// ---- grants ------------------------------------------------------------------

Status SigninService::CheckStillTrusted(const directory::User& user, int64_t auth_time_ms) {
  const Status revoked = OAuth("invalid_grant", "AADSTS50173: The provided grant has expired due to it being revoked, "
                                                "a fresh auth token is needed. The user might have changed or reset "
                                                "their password, or been disabled.");
  auto revoked_since = [&](const directory::User& u) { return auth_time_ms < u.sessions_valid_from; };
  if (!user.account_enabled || revoked_since(user)) return revoked;
  // A guest bound to an account of a tenant on this server: that account too.
  for (const auto& id : user.identities) {
    if (id.sign_in_type != "federated") continue;
    std::string home_tenant;
    if (id.issuer == "live.com") {
      home_tenant = std::string(wire::kConsumersTenantId);
    } else {
      const std::string prefix = tokens_.issuer_base() + "/";
      if (!id.issuer.starts_with(prefix) || !id.issuer.ends_with("/v2.0")) continue;  // "mail": no home account
      home_tenant = id.issuer.substr(prefix.size(), id.issuer.size() - prefix.size() - 5);
    }
    auto home = directory_.GetUser(home_tenant, id.issuer_assigned_id);
    if (!home.ok() && home.status().code() != Code::kNotFound) return home.status();
    if (!home.ok() || !home->account_enabled || revoked_since(*home)) return revoked;
  }
  return OkStatus();
}

StatusOr<std::string> SigninService::IssueCode(const AuthorizeRequest& req, const Session& session,
                                               const directory::User& principal) {
  if (client_gate_) GH_RETURN_IF_ERROR(client_gate_(req.tenant_id, principal, req.client.app_id));
  GH_ASSIGN_OR_RETURN(auto consent, EvaluateConsent(req.tenant_id, req.client, principal.id, req.scope));
  if (!consent.missing.empty())
    return OAuth("consent_required", "AADSTS65001: The user or administrator has not consented to use the application "
                                     "'" + req.client.display_name + "'. Send an interactive authorization request "
                                     "for this user and resource.", Code::kPermissionDenied);
  std::string code = random_.Token(32);
  store::AuthCodeRow row{Sha256Hex(code), req.tenant_id, req.client.app_id, principal.id, req.redirect_uri,
                         req.scope,       req.nonce,     req.code_challenge, IdpOf(session), session.created_at,
                         clock_.NowMillis() + config_.code_ttl_ms, std::nullopt};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->Signin().InsertAuthCode(row));
  GH_RETURN_IF_ERROR(tx->Commit());
  return code;
}

StatusOr<TokenSet> SigninService::Issue(const std::string& tenant_id, const std::string& client_id,
                                        const std::string& user_id, const std::string& scope, const std::string& idp,
                                        int64_t auth_time, const std::string& nonce, const std::string& family_id,
                                        bool client_secret_used) {
  auto user = directory_.GetUser(tenant_id, user_id);
  if (!user.ok() || !user->account_enabled)
    return OAuth("invalid_grant", "AADSTS50057: The user account no longer exists or is disabled.");
  GH_RETURN_IF_ERROR(CheckStillTrusted(*user, auth_time));
  // What the grant asked for, narrowed to what the client may still ask for
  // and the user still has consent for: consent withdrawn or a permission
  // dropped from the registration since shrinks the token, nothing widens it.
  GH_ASSIGN_OR_RETURN(auto client, FindClient(tenant_id, client_id));
  ScopeRequest asked = ParseScopeRequestLenient(ConsentClientOf(client), scope);
  GH_ASSIGN_OR_RETURN(auto consent,
                      Consent(store_, clock_, random_).Evaluate(tenant_id, ConsentClientOf(client), user_id, asked.All()));
  struct {
    std::vector<std::string> oidc, graph;
  } scopes;
  for (const auto& s : consent.granted) (IsOidcScope(s) ? scopes.oidc : scopes.graph).push_back(s);
  GH_ASSIGN_OR_RETURN(auto roles, directory_.EffectiveRoles(tenant_id, user_id));
  TokenService::UserTokenRequest req;
  req.tenant_id = tenant_id;
  req.client_id = client_id;
  req.user_id = user_id;
  req.idp = idp;
  req.preferred_username = user->mail && user->user_type == directory::UserType::kGuest ? *user->mail
                                                                                         : user->user_principal_name;
  req.email = user->mail.value_or("");
  req.name = user->display_name;
  req.nonce = nonce;
  req.acct = user->user_type == directory::UserType::kGuest ? 1 : 0;
  req.scopes = scopes.graph;
  req.directory_roles = roles;
  req.auth_time = auth_time / 1000;
  req.with_id_token = Contains(scopes.oidc, "openid");
  req.client_secret_used = client_secret_used;
  GH_ASSIGN_OR_RETURN(auto issued, tokens_.IssueUserTokens(req));
  TokenSet out;
  out.access_token = std::move(issued.access_token);
  out.id_token = std::move(issued.id_token);
  out.expires_in = issued.expires_in;
  std::vector<std::string> granted = scopes.oidc;
  for (const auto& g : scopes.graph) granted.push_back("https://graph.microsoft.com/" + g);
  out.scope = JoinScopes(granted);
  if (Contains(scopes.oidc, "offline_access")) {
    out.refresh_token = random_.Token(32);
    const int64_t now = clock_.NowMillis();
    // Each rotation lives refresh_ttl_ms, but no family outlives its sign-in by more than refresh_max_age_ms.
    const int64_t expires = std::min(now + config_.refresh_ttl_ms, auth_time + config_.refresh_max_age_ms);
    store::RefreshTokenRow row{Sha256Hex(out.refresh_token), family_id.empty() ? random_.NewUuid() : family_id,
                               tenant_id, client_id, user_id, scope, idp, auth_time, now,
                               expires, std::nullopt, false, client_secret_used};
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
    GH_RETURN_IF_ERROR(tx->Signin().InsertRefreshToken(row));
    GH_RETURN_IF_ERROR(tx->Commit());
  }
  return out;
}

StatusOr<TokenSet> SigninService::RedeemCode(const std::string& tenant_ref, const std::string& client_id,
                                             const std::string& client_secret, const std::string& code,
                                             const std::string& redirect_uri, const std::string& code_verifier) {
  GH_ASSIGN_OR_RETURN(auto tenant, Tenant(tenant_ref));
  GH_ASSIGN_OR_RETURN(auto client, FindClient(tenant.id, client_id));
  const Status invalid = OAuth("invalid_grant", "AADSTS70000: The provided authorization code is invalid or has "
                                                "expired.");
  if (code.empty()) return OAuth("invalid_request", "AADSTS900144: The request body must contain the following "
                                                    "parameter: 'code'.");
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto row = tx->Signin().GetAuthCode(Sha256Hex(code));
  if (!row.ok()) return row.status().code() == Code::kNotFound ? invalid : row.status();
  if (row->tenant_id != tenant.id || row->client_id != client.app_id) return invalid;
  if (row->used_at)
    return OAuth("invalid_grant", "AADSTS54005: OAuth2 Authorization code was already redeemed, please retry with a "
                                  "new valid code or use an existing refresh token.");
  if (row->expires_at <= clock_.NowMillis())
    return OAuth("invalid_grant", "AADSTS70008: The provided authorization code or refresh token has expired due to "
                                  "inactivity. Send a new interactive authorization request for this user and "
                                  "resource.");
  if (row->redirect_uri != redirect_uri)
    return OAuth("invalid_grant", "AADSTS50148: The redirect_uri does not match the one used in the authorization "
                                  "request.");
  GH_RETURN_IF_ERROR(AuthenticateClient(client, client_secret, Contains(client.public_redirect_uris, row->redirect_uri)));
  if (!row->code_challenge.empty() && PkceChallenge(code_verifier) != row->code_challenge)
    return OAuth("invalid_grant", "AADSTS50148: The code_verifier does not match the code_challenge supplied in the "
                                  "authorization request for PKCE.");
  Status used = tx->Signin().UseAuthCode(row->code_hash, clock_.NowMillis());
  if (used.code() == Code::kNotFound)
    return OAuth("invalid_grant", "AADSTS54005: OAuth2 Authorization code was already redeemed.");
  GH_RETURN_IF_ERROR(used);
  GH_RETURN_IF_ERROR(tx->Commit());
  return Issue(tenant.id, client.app_id, row->user_id, row->scope, row->idp, row->auth_time, row->nonce, "",
               !client_secret.empty());
}

StatusOr<TokenSet> SigninService::Refresh(const std::string& tenant_ref, const std::string& client_id,
                                          const std::string& client_secret, const std::string& refresh_token) {
  GH_ASSIGN_OR_RETURN(auto tenant, Tenant(tenant_ref));
  GH_ASSIGN_OR_RETURN(auto client, FindClient(tenant.id, client_id));
  const Status invalid = OAuth("invalid_grant", "AADSTS9002313: The refresh token is invalid or malformed.");
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto row = tx->Signin().GetRefreshToken(Sha256Hex(refresh_token));
  if (!row.ok()) return row.status().code() == Code::kNotFound ? invalid : row.status();
  if (row->tenant_id != tenant.id || row->client_id != client.app_id) return invalid;
  // A grant that began with the client's secret is refreshed only with it; a
  // public client's (PKCE, device code) without (RFC 6749 §6).
  GH_RETURN_IF_ERROR(AuthenticateClient(client, client_secret, !row->client_authenticated));
  if (row->revoked) return OAuth("invalid_grant", "AADSTS50173: The refresh token has been revoked.");
  if (row->used_at) {
    // Reuse of a rotated token means it leaked: revoke the whole grant.
    GH_RETURN_IF_ERROR(tx->Signin().RevokeRefreshFamily(row->family_id));
    GH_RETURN_IF_ERROR(tx->Commit());
    return OAuth("invalid_grant", "AADSTS50173: The refresh token was already used. All tokens of this sign-in "
                                  "have been revoked; sign in again.");
  }
  if (row->expires_at <= clock_.NowMillis())
    return OAuth("invalid_grant", "AADSTS700082: The refresh token has expired due to inactivity.");
  GH_RETURN_IF_ERROR(tx->Signin().UseRefreshToken(row->token_hash, clock_.NowMillis()));
  GH_RETURN_IF_ERROR(tx->Commit());
  return Issue(tenant.id, client.app_id, row->user_id, row->scope, row->idp, row->auth_time, "", row->family_id,
               row->client_authenticated || !client_secret.empty());
}

Status SigninService::CheckDeviceFlowAllowed(const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto policies, directory::PolicyService::GetIn(*tx, tenant_id));
  if (policies.authorization.allow_device_code_flow) return OkStatus();
  return OAuth("unauthorized_client",
               "AADSTS53003: Access has been blocked by Conditional Access policies. The device code flow is turned "
               "off in this organization (authorizationPolicy.allowDeviceCodeFlow); sign in another way.",
               Code::kPermissionDenied);
}

StatusOr<DeviceAuthorization> SigninService::StartDevice(const std::string& tenant_ref, const std::string& client_id,
                                                         const std::string& scope, const std::string& public_base,
                                                         const std::string& remote_address) {
  GH_ASSIGN_OR_RETURN(auto tenant, Tenant(tenant_ref));
  GH_ASSIGN_OR_RETURN(auto client, FindClient(tenant.id, client_id));
  if (!client.allows_public_flows)
    return OAuth("invalid_client", "AADSTS7000218: The device code flow is for public clients; enable public "
                                   "client flows for this application.", Code::kUnauthenticated);
  GH_RETURN_IF_ERROR(CheckDeviceFlowAllowed(tenant.id));
  const std::string asked = scope.empty() ? "openid profile offline_access" : scope;
  GH_RETURN_IF_ERROR(ParseScopeRequest(ConsentClientOf(client), asked).status());
  DeviceAuthorization out;
  out.device_code = random_.Token(32);
  static constexpr std::string_view kAlphabet = "BCDFGHJKLMNPQRSTVWXZ";  // no vowels: no words
  std::string user_code;
  for (int i = 0; i < 8; ++i) {
    uint8_t b = 0;
    do random_.Fill(&b, 1);
    while (b >= 240);  // 240 = 12 × 20: rejection keeps letters uniform
    user_code += kAlphabet[b % kAlphabet.size()];
  }
  out.user_code = NormaliseUserCode(user_code);
  out.verification_uri = public_base + "/devicelogin";
  out.expires_in = config_.device_ttl_ms / 1000;
  const int64_t now = clock_.NowMillis();
  store::DeviceCodeRow row{Sha256Hex(out.device_code), out.user_code, tenant.id, client.app_id, asked,
                           "pending", "", "", 0, now + config_.device_ttl_ms, out.interval, 0,
                           remote_address, now};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  // Unauthenticated and a row each: counted per address, in the same
  // transaction, so a refused request writes nothing but its count.
  GH_RETURN_IF_ERROR(CountAgainst(*tx, "device-addr:" + AddressKey(remote_address),
                                  config_.device_per_address, config_.device_window_ms, "slow_down",
                                  "AADSTS90055: There are too many incoming device code requests from your network. "
                                  "Wait a few minutes and try again."));
  GH_RETURN_IF_ERROR(tx->Signin().InsertDeviceCode(row));
  GH_RETURN_IF_ERROR(tx->Commit());
  return out;
}

namespace {

// What a requested scope lets the client do: the catalogue's consent name.
std::string DescribeScope(const std::string& scope) {
  std::string name = scope;
  for (std::string_view prefix : {"https://graph.microsoft.com/", "00000003-0000-0000-c000-000000000000/"})
    if (name.starts_with(prefix)) name = name.substr(prefix.size());
  if (name == ".default") return "Everything the application is allowed to do as you (.default)";
  const GraphPermission* p = FindPermission(name);
  return p != nullptr ? std::string(p->consent_name) : "Use the permission \"" + name + "\" as you";
}

}  // namespace

StatusOr<SigninService::PendingDevice> SigninService::DescribeDevice(const std::string& user_code) {
  auto row = PendingDeviceCode(user_code);
  if (!row.ok()) return row.status();
  GH_ASSIGN_OR_RETURN(auto client, FindClient(row->tenant_id, row->client_id));
  PendingDevice out{row->tenant_id, client.display_name, row->user_code, {}, row->origin_address, row->created_at,
                    row->expires_at};
  for (const auto& s : SplitScopes(row->scope)) out.scopes.push_back({s, DescribeScope(s)});
  return out;
}

Status SigninService::ApproveDevice(const std::string& user_code, const Session& session, bool approve) {
  auto row = PendingDeviceCode(user_code);
  if (!row.ok()) return row.status();
  // Turned off after the code was started: the code can't be approved either.
  if (approve) GH_RETURN_IF_ERROR(CheckDeviceFlowAllowed(row->tenant_id));
  GH_ASSIGN_OR_RETURN(auto principal, PrincipalIn(session, row->tenant_id));
  if (approve && client_gate_) GH_RETURN_IF_ERROR(client_gate_(row->tenant_id, principal, row->client_id));
  if (approve) {
    GH_ASSIGN_OR_RETURN(auto client, FindClient(row->tenant_id, row->client_id));
    GH_ASSIGN_OR_RETURN(auto consent, EvaluateConsent(row->tenant_id, client, principal.id, row->scope));
    if (!consent.missing.empty())
      return OAuth("consent_required", "AADSTS65001: You haven't consented to what " + client.display_name +
                                           " asks for yet.", Code::kPermissionDenied);
  }
  row->status = approve ? "approved" : "denied";
  row->user_id = principal.id;
  row->idp = IdpOf(session);
  row->auth_time = session.created_at;
  GH_ASSIGN_OR_RETURN(auto wtx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(wtx->Signin().UpdateDeviceCode(*row));
  return wtx->Commit();
}

StatusOr<TokenSet> SigninService::PollDevice(const std::string& tenant_ref, const std::string& client_id,
                                             const std::string& device_code) {
  GH_ASSIGN_OR_RETURN(auto tenant, Tenant(tenant_ref));
  GH_ASSIGN_OR_RETURN(auto client, FindClient(tenant.id, client_id));
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  auto row = tx->Signin().GetDeviceCode(Sha256Hex(device_code));
  if (!row.ok() || row->tenant_id != tenant.id || row->client_id != client.app_id) {
    if (!row.ok() && row.status().code() != Code::kNotFound) return row.status();
    return OAuth("invalid_grant", "AADSTS70000: The provided device code is invalid.");
  }
  const int64_t now = clock_.NowMillis();
  if (row->expires_at <= now) return OAuth("expired_token", "AADSTS70020: The provided device code has expired.");
  if (row->status == "denied") return OAuth("access_denied", "AADSTS70000: The user declined the sign-in.");
  if (row->status == "consumed") return OAuth("invalid_grant", "AADSTS70000: The device code was already used.");
  if (row->status == "pending") {
    bool too_fast = row->last_poll_at && now - row->last_poll_at < row->interval_s * 1000;
    row->last_poll_at = now;
    GH_RETURN_IF_ERROR(tx->Signin().UpdateDeviceCode(*row));
    GH_RETURN_IF_ERROR(tx->Commit());
    if (too_fast) return OAuth("slow_down", "AADSTS70000: Poll less often.");
    return OAuth("authorization_pending",
                 "AADSTS70016: OAuth 2.0 device flow error. Authorization is pending. Continue polling.");
  }
  row->status = "consumed";
  GH_RETURN_IF_ERROR(tx->Signin().UpdateDeviceCode(*row));
  GH_RETURN_IF_ERROR(tx->Commit());
  return Issue(tenant.id, client.app_id, row->user_id, row->scope, row->idp, row->auth_time, "", "", false);
}

}  // namespace gh::identity
