#pragma once
// The OAuth 2.0 token endpoint's logic (client credentials today; authorization
// code and refresh tokens reuse IssueAccessToken later) and bearer-token
// verification for the APIs.
//
// Errors follow Entra ID so existing clients react the same way: the Status
// code picks the HTTP status (InvalidArgument → 400, Unauthenticated → 401),
// reason() is the OAuth "error" value ("invalid_request", "invalid_client",
// "unauthorized_client", "invalid_scope", "invalid_resource"), and message()
// starts with the AADSTS code, e.g. "AADSTS7000215: Invalid client secret
// provided. …". The HTTP layer renders {"error": reason, "error_description":
// message, "error_codes": [<the number after AADSTS>], "timestamp", "trace_id",
// "correlation_id"}; AadstsCode() extracts the number. Store failures pass
// through unchanged (Unavailable, Internal).
//
// The issuer is configuration, not per request: a server reachable as both
// https://localhost:8443 and https://127.0.0.1:8443 mints and accepts tokens
// for one configured public base URL, "<issuer_base>/<tenant id>/v2.0".
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <boost/json/object.hpp>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "identity/keys.h"
#include "identity/principal.h"
#include "identity/verified_tokens.h"
#include "store/store.h"

namespace gh::identity {

// The resource Graph clients ask for, and its well-known application id.
inline constexpr std::string_view kGraphResource = "https://graph.microsoft.com";
inline constexpr std::string_view kGraphAppId = "00000003-0000-0000-c000-000000000000";

// Access-token lifetime, and the expires_in reported for it (Entra reports one
// second less than the lifetime).
inline constexpr int64_t kAccessTokenLifetimeSeconds = 3600;

struct TokenResponse {
  std::string token_type = "Bearer";
  int64_t expires_in = kAccessTokenLifetimeSeconds - 1;
  int64_t ext_expires_in = kAccessTokenLifetimeSeconds - 1;
  std::string access_token;

  // {"token_type","expires_in","ext_expires_in","access_token"} as Entra sends it.
  boost::json::object ToJson() const;
};

// The number in an "AADSTS<n>: …" message, or 0 if there is none.
int64_t AadstsCode(std::string_view message);

class TokenService {
 public:
  // `issuer_base` is the public base URL, e.g. "https://localhost:8443" (a
  // trailing '/' is ignored). The references must outlive the service.
  TokenService(store::Store& store, KeyManager& keys, const Clock& clock, Random& random, std::string issuer_base);

  // OAuth 2.0 client credentials grant. `tenant_ref` is a tenant id or one of
  // its verified domains. `scope` must be "<resource>/.default" where resource
  // is https://graph.microsoft.com (or Graph's app id) or issuer_base; the
  // token's aud is that resource (Graph's app id maps to the Graph URL).
  // Errors (code, reason, AADSTS):
  //   empty client_id                 InvalidArgument  invalid_request     900144
  //   scope without /.default         InvalidArgument  invalid_scope       1002012
  //   unknown tenant                  InvalidArgument  invalid_request     90002
  //   unknown resource in scope       InvalidArgument  invalid_resource    500011
  //   unknown client in the tenant    InvalidArgument  unauthorized_client 700016
  //   no secret sent                  Unauthenticated  invalid_client      7000218
  //   secret matches only expired     Unauthenticated  invalid_client      7000222
  //   secret matches none             Unauthenticated  invalid_client      7000215
  // Secrets with expires_at <= now (including 0) are expired.
  StatusOr<TokenResponse> ClientCredentials(const std::string& tenant_ref, const std::string& client_id,
                                            const std::string& client_secret, const std::string& scope);

  // Verifies a bearer token minted by this service (any tenant) and returns the
  // caller. The tenant comes from the token's "tid"; the signature must be by a
  // published key of that tenant and "iss" must be "<issuer_base>/<tid>/v2.0";
  // "aud" must be Graph (URL or app id) or issuer_base. Unauthenticated with
  // reason "InvalidAuthenticationToken" otherwise. A token verified before is
  // answered from memory (identity/verified_tokens.h) once its key is found
  // still published.
  StatusOr<Principal> VerifyAccessToken(std::string_view token);

  // "<issuer_base>/<tenant_id>/v2.0".
  std::string Issuer(std::string_view tenant_id) const;

  // An ID token this service issued in `tenant_id`, as a client sends it back
  // (OpenID Connect RP-initiated logout's id_token_hint): the signature by
  // one of the tenant's keys and the issuer are checked; expiry is forgiven
  // for `expired_leeway_seconds`, since clients keep the ID token of the
  // sign-in they end. Access tokens are refused (they carry "scp" or
  // "idtyp"). Unauthenticated (InvalidAuthenticationToken) otherwise.
  struct IdTokenHint {
    std::string client_id;  // aud
    std::string user_id;    // oid: the user's object in tenant_id
  };
  StatusOr<IdTokenHint> VerifyIdTokenHint(std::string_view tenant_id, std::string_view token,
                                          int64_t expired_leeway_seconds);

  // Tokens for a signed-in user (authorization code, refresh and device code
  // grants): an access token for Graph carrying the delegated scopes and the
  // user's directory roles (wids), and, when `with_id_token`, an ID token for
  // the client. `idp` is the issuer where the user actually authenticated;
  // acct is 0 for members and 1 for guests, as Entra sets it.
  struct UserTokenRequest {
    std::string tenant_id;
    std::string client_id;
    std::string user_id;
    std::string idp;
    std::string preferred_username;
    std::string email;
    std::string name;
    std::string nonce;
    int acct = 0;
    std::vector<std::string> scopes;
    std::vector<std::string> directory_roles;
    int64_t auth_time = 0;  // seconds
    bool with_id_token = true;
    bool client_secret_used = false;  // a confidential client redeemed the grant with its secret
  };
  struct UserTokens {
    std::string access_token;
    std::string id_token;  // empty unless requested
    int64_t expires_in = kAccessTokenLifetimeSeconds - 1;
  };
  StatusOr<UserTokens> IssueUserTokens(const UserTokenRequest& req);
  const std::string& issuer_base() const { return issuer_base_; }

 private:
  // What varies between grants; IssueAccessToken adds iss, iat, nbf, exp, ver,
  // jti and signs. Shared by client credentials and (later) user flows.
  struct AccessTokenClaims {
    std::string tenant_id;
    std::string audience;
    std::string object_id;  // oid and sub
    std::string app_id;     // azp and appid
    std::string idtyp;      // "app" or "user"
    std::vector<std::string> roles;
    std::vector<std::string> scopes;  // joined into "scp" when non-empty
    boost::json::object extra;        // e.g. name, preferred_username, wids, idp
    bool client_secret_used = false;  // azpacr: 1 when the client authenticated with a secret
  };
  StatusOr<TokenResponse> IssueAccessToken(const AccessTokenClaims& claims);

  store::Store& store_;
  KeyManager& keys_;
  const Clock& clock_;
  Random& random_;
  std::string issuer_base_;
  VerifiedTokens verified_;
};

}  // namespace gh::identity
