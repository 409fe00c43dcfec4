#include "identity/token_service.h"

#include <algorithm>
#include <boost/json/array.hpp>

#include "core/random.h"  // Trim
#include "core/strings.h"
#include "identity/jwt.h"
#include "identity/secrets.h"

namespace gh::identity {
namespace {

constexpr std::string_view kDefaultSuffix = "/.default";

Status BadToken(std::string message) {
  return Unauthenticated(std::move(message), std::string(kInvalidAuthenticationToken));
}

std::string StripTrailingSlashes(std::string s) {
  while (!s.empty() && s.back() == '/') s.pop_back();
  return s;
}

boost::json::array ToJsonArray(const std::vector<std::string>& v) {
  boost::json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

std::vector<std::string> StringArray(const boost::json::object& o, std::string_view name) {
  std::vector<std::string> out;
  const boost::json::value* v = o.if_contains(name);
  if (v == nullptr || !v->is_array()) return out;
  for (const auto& e : v->as_array())
    if (e.is_string()) out.emplace_back(e.as_string());
  return out;
}

std::string StringClaim(const boost::json::object& o, std::string_view name) {
  const boost::json::value* v = o.if_contains(name);
  return v != nullptr && v->is_string() ? std::string(v->as_string()) : std::string();
}

}  // namespace

boost::json::object TokenResponse::ToJson() const {
  return boost::json::object{{"token_type", token_type},
                             {"expires_in", expires_in},
                             {"ext_expires_in", ext_expires_in},
                             {"access_token", access_token}};
}

int64_t AadstsCode(std::string_view message) {
  constexpr std::string_view kPrefix = "AADSTS";
  if (message.substr(0, kPrefix.size()) != kPrefix) return 0;
  int64_t n = 0;
  for (size_t i = kPrefix.size(); i < message.size() && i < kPrefix.size() + 12; ++i) {
    char c = message[i];
    if (c < '0' || c > '9') break;
    n = n * 10 + (c - '0');
  }
  return n;
}

TokenService::TokenService(store::Store& store, KeyManager& keys, const Clock& clock, Random& random,
                           std::string issuer_base)
    : store_(store), keys_(keys), clock_(clock), random_(random), issuer_base_(StripTrailingSlashes(std::move(issuer_base))) {}

std::string TokenService::Issuer(std::string_view tenant_id) const {
  return issuer_base_ + "/" + std::string(tenant_id) + "/v2.0";
}

StatusOr<TokenResponse> TokenService::ClientCredentials(const std::string& tenant_ref, const std::string& client_id,
                                                        const std::string& client_secret, const std::string& scope_in) {
  if (client_id.empty())
    return InvalidArgument("AADSTS900144: The request body must contain the following parameter: 'client_id'.",
                           "invalid_request");
  const std::string scope = Trim(scope_in);
  // Client credentials ask for a whole resource, never individual scopes.
  if (scope.size() <= kDefaultSuffix.size() || scope.compare(scope.size() - kDefaultSuffix.size(), kDefaultSuffix.size(), kDefaultSuffix) != 0 ||
      scope.find(' ') != std::string::npos)
    return InvalidArgument("AADSTS1002012: The provided value for scope " + scope +
                               " is not valid. Client credential flows must have a scope value with /.default "
                               "suffixed to the resource identifier (application ID URI).",
                           "invalid_scope");
  const std::string resource = StripTrailingSlashes(scope.substr(0, scope.size() - kDefaultSuffix.size()));

  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  const std::string ref = ToLower(Trim(tenant_ref));
  StatusOr<directory::Tenant> tenant = IsUuid(ref) ? tx->GetTenant(ref) : tx->FindTenantByDomain(ref);
  if (!tenant.ok()) {
    if (tenant.status().code() != Code::kNotFound) return tenant.status();
    return InvalidArgument("AADSTS90002: Tenant '" + tenant_ref +
                               "' not found. Check to make sure you have the correct tenant ID and are signing into "
                               "the correct cloud.",
                           "invalid_request");
  }
  const std::string directory_name = tenant->name.empty() ? tenant->id : tenant->name;

  std::string audience;
  const std::string lower_resource = ToLower(resource);
  if (lower_resource == kGraphResource || lower_resource == kGraphAppId) {
    audience = std::string(kGraphResource);
  } else if (lower_resource == ToLower(issuer_base_)) {
    audience = issuer_base_;
  } else {
    return InvalidArgument("AADSTS500011: The resource principal named " + resource +
                               " was not found in the tenant named " + directory_name +
                               ". You might have sent your authentication request to the wrong tenant.",
                           "invalid_resource");
  }

  const std::string app_id = IsUuid(client_id) ? ToLower(client_id) : client_id;
  StatusOr<directory::Client> client = tx->FindClientByAppId(tenant->id, app_id);
  if (!client.ok()) {
    if (client.status().code() != Code::kNotFound) return client.status();
    return InvalidArgument("AADSTS700016: Application with identifier '" + client_id +
                               "' was not found in the directory '" + directory_name +
                               "'. This can happen if the application has not been installed by the administrator "
                               "of the tenant. You may have sent your authentication request to the wrong tenant.",
                           "unauthorized_client");
  }
  if (!client->confidential)
    return Unauthenticated(
        "AADSTS700025: Client is public so neither 'client_assertion' nor 'client_secret' should be presented.",
        "invalid_client");
  if (client_secret.empty())
    return Unauthenticated(
        "AADSTS7000218: The request body must contain the following parameter: 'client_assertion' or "
        "'client_secret'.",
        "invalid_client");

  GH_ASSIGN_OR_RETURN(std::vector<directory::ClientSecret> secrets, tx->ListClientSecrets(client->id));
  const int64_t now = clock_.NowMillis();
  bool valid = false, expired_match = false;
  // Every stored hash is compared (no early exit) so timing says nothing about
  // which or how many secrets exist.
  for (const auto& s : secrets) {
    bool match = VerifySecret(client_secret, s.hash);
    if (match && s.expires_at > now) valid = true;
    if (match && s.expires_at <= now) expired_match = true;
  }
  if (!valid && expired_match)
    return Unauthenticated("AADSTS7000222: The provided client secret keys for app '" + client->app_id +
                               "' are expired. Create a new client secret for the app.",
                           "invalid_client");
  if (!valid)
    return Unauthenticated(
        "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client "
        "secret value, not the client secret ID, for a secret added to app '" +
            client->app_id + "'.",
        "invalid_client");
  tx.reset();  // end the read transaction before signing (which may write a first key)

  AccessTokenClaims claims;
  claims.tenant_id = tenant->id;
  claims.audience = audience;
  claims.object_id = client->id;
  claims.app_id = client->app_id;
  claims.idtyp = "app";
  claims.roles = client->app_roles;
  claims.extra["app_displayname"] = client->display_name;  // as Entra's tokens carry it; names the actor in audits
  return IssueAccessToken(claims);
}

StatusOr<TokenService::UserTokens> TokenService::IssueUserTokens(const UserTokenRequest& req) {
  boost::json::object profile{{"idp", req.idp},
                              {"preferred_username", req.preferred_username},
                              {"name", req.name},
                              {"acct", req.acct}};
  if (!req.email.empty()) profile["email"] = req.email;
  AccessTokenClaims claims;
  claims.tenant_id = req.tenant_id;
  claims.audience = std::string(kGraphResource);
  claims.object_id = req.user_id;
  claims.app_id = req.client_id;
  claims.idtyp = "user";
  claims.scopes = req.scopes;
  claims.extra = profile;
  claims.client_secret_used = req.client_secret_used;
  if (!req.directory_roles.empty()) claims.extra["wids"] = ToJsonArray(req.directory_roles);
  GH_ASSIGN_OR_RETURN(TokenResponse access, IssueAccessToken(claims));
  UserTokens out;
  out.access_token = std::move(access.access_token);
  if (req.with_id_token) {
    GH_ASSIGN_OR_RETURN(ActiveKey key, keys_.SigningKey(req.tenant_id));
    const int64_t now = clock_.NowMillis() / 1000;
    boost::json::object id = profile;
    id["iss"] = Issuer(req.tenant_id);
    id["aud"] = req.client_id;
    id["sub"] = req.user_id;
    id["oid"] = req.user_id;
    id["tid"] = req.tenant_id;
    id["iat"] = now;
    id["nbf"] = now;
    id["exp"] = now + kAccessTokenLifetimeSeconds;
    id["auth_time"] = req.auth_time;
    id["ver"] = "2.0";
    if (!req.nonce.empty()) id["nonce"] = req.nonce;
    GH_ASSIGN_OR_RETURN(out.id_token, SignJwt(id, key));
  }
  return out;
}

StatusOr<TokenResponse> TokenService::IssueAccessToken(const AccessTokenClaims& claims) {
  GH_ASSIGN_OR_RETURN(ActiveKey key, keys_.SigningKey(claims.tenant_id));
  const int64_t now = clock_.NowMillis() / 1000;
  boost::json::object payload = claims.extra;
  payload["aud"] = claims.audience;
  payload["iss"] = Issuer(claims.tenant_id);
  payload["iat"] = now;
  payload["nbf"] = now;
  payload["exp"] = now + kAccessTokenLifetimeSeconds;
  payload["azp"] = claims.app_id;
  payload["azpacr"] = claims.idtyp == "app" || claims.client_secret_used ? "1" : "0";  // 1 = client secret
  payload["appid"] = claims.app_id;
  payload["idtyp"] = claims.idtyp;
  payload["oid"] = claims.object_id;
  payload["sub"] = claims.object_id;
  payload["tid"] = claims.tenant_id;
  if (!claims.roles.empty()) payload["roles"] = ToJsonArray(claims.roles);
  if (!claims.scopes.empty()) {
    std::string scp;
    for (const auto& s : claims.scopes) scp += (scp.empty() ? "" : " ") + s;
    payload["scp"] = scp;
  }
  payload["ver"] = "2.0";
  payload["jti"] = random_.NewUuid();
  GH_ASSIGN_OR_RETURN(std::string jwt, SignJwt(payload, key));
  TokenResponse response;
  response.access_token = std::move(jwt);
  return response;
}

StatusOr<Principal> TokenService::VerifyAccessToken(std::string_view token) {
  VerifyOptions options;
  const int64_t now = clock_.NowMillis() / 1000;
  if (auto hit = verified_.Find(token, now, options.leeway_seconds)) {
    // Signed by a key that is still published: the token is as good as when
    // it was verified. A key retired since sends it through the full check.
    auto key = keys_.FindVerificationKey(hit->principal.tenant_id, hit->kid);
    if (key.ok()) return std::move(hit->principal);
    if (key.status().code() != Code::kNotFound) return key.status();
  }

  GH_ASSIGN_OR_RETURN(boost::json::object unverified, DecodeJwtPayloadUnverified(token));
  const std::string tid = StringClaim(unverified, "tid");
  if (!IsUuid(tid)) return BadToken("Access token validation failure. The token has no valid 'tid' claim.");

  options.issuer = Issuer(tid);
  options.audiences = {std::string(kGraphResource), std::string(kGraphAppId), issuer_base_};
  std::string kid;
  KeyLookup lookup = [&](std::string_view k) {
    kid = k;
    return keys_.FindVerificationKey(tid, k);
  };
  GH_ASSIGN_OR_RETURN(boost::json::object claims, VerifyJwt(token, lookup, clock_, options));

  Principal p;
  p.kind = StringClaim(claims, "idtyp") == "app" ? PrincipalKind::kApp : PrincipalKind::kUser;
  p.tenant_id = tid;
  p.object_id = StringClaim(claims, "oid");
  p.app_id = StringClaim(claims, "azp");
  if (p.app_id.empty()) p.app_id = StringClaim(claims, "appid");
  p.display_name = StringClaim(claims, p.kind == PrincipalKind::kApp ? "app_displayname" : "name");
  p.roles = StringArray(claims, "roles");
  p.directory_roles = StringArray(claims, "wids");
  std::string scp = StringClaim(claims, "scp");
  for (size_t i = 0; i < scp.size();) {
    size_t j = scp.find(' ', i);
    if (j == std::string::npos) j = scp.size();
    if (j > i) p.scopes.push_back(scp.substr(i, j - i));
    i = j + 1;
  }
  if (p.object_id.empty()) return BadToken("Access token validation failure. The token has no 'oid' claim.");

  // VerifyJwt checked both: exp is there, nbf may be.
  GH_ASSIGN_OR_RETURN(std::optional<int64_t> exp, NumericDate(claims, "exp"));
  GH_ASSIGN_OR_RETURN(std::optional<int64_t> nbf, NumericDate(claims, "nbf"));
  verified_.Put(token, VerifiedTokens::Entry{p, kid, exp.value_or(0), nbf});
  return p;
}

StatusOr<TokenService::IdTokenHint> TokenService::VerifyIdTokenHint(std::string_view tenant_id,
                                                                    std::string_view token,
                                                                    int64_t expired_leeway_seconds) {
  if (!IsUuid(tenant_id)) return BadToken("The ID token hint names no tenant.");
  VerifyOptions options;
  options.issuer = Issuer(tenant_id);
  options.leeway_seconds = std::max<int64_t>(300, expired_leeway_seconds);
  const std::string tid(tenant_id);
  KeyLookup lookup = [&](std::string_view kid) { return keys_.FindVerificationKey(tid, kid); };
  GH_ASSIGN_OR_RETURN(boost::json::object claims, VerifyJwt(token, lookup, clock_, options));
  if (claims.contains("scp") || claims.contains("idtyp") || claims.contains("roles"))
    return BadToken("The hint is an access token, not an ID token.");
  IdTokenHint hint{StringClaim(claims, "aud"), StringClaim(claims, "oid")};
  if (hint.client_id.empty() || hint.user_id.empty() || StringClaim(claims, "tid") != tid)
    return BadToken("The ID token hint lacks its audience, user or tenant.");
  return hint;
}

}  // namespace gh::identity
