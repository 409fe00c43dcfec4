#include "api/oauth.h"

#include <spdlog/spdlog.h>

#include <boost/json.hpp>

#include "api/handler_util.h"
#include "core/clock.h"
#include "core/encoding.h"

namespace gh::api {
namespace json = boost::json;
namespace {

// Entra's token-endpoint error body.
http::Response OAuthError(const http::Request& req, const Status& s, const Clock& clock) {
  int status = s.code() == Code::kUnauthenticated      ? 401
               : s.code() == Code::kInvalidArgument    ? 400
               : s.code() == Code::kPermissionDenied   ? 400  // RFC 6749 §5.2: unauthorized_client, access_denied
               : s.code() == Code::kResourceExhausted  ? 429
               : s.code() == Code::kUnavailable        ? 503
                                                       : 500;
  std::string error = s.reason().empty() ? (status >= 500 ? "temporarily_unavailable" : "invalid_request") : s.reason();
  // A 5xx is the server's failure: its message may quote the database, so
  // the client gets a generic description and the log gets the details.
  std::string description = s.message();
  if (status >= 500) {
    spdlog::error("request_id={} token endpoint error answered generically: code={} reason={} detail=\"{}\"",
                  req.request_id, CodeName(s.code()), s.reason(), s.message());
    description = status == 500 ? "AADSTS50000: There was an error issuing a token."
                                : "AADSTS90033: A transient error has occurred. Please try again.";
  }
  json::object body{{"error", error},
                    {"error_description", description},
                    {"error_codes", json::array{identity::AadstsCode(description)}},
                    {"timestamp", FormatIso8601(clock.NowMillis())},
                    {"trace_id", req.request_id},
                    {"correlation_id", req.request_id}};
  auto resp = JsonResponse(status, body);
  resp.SetHeader("Cache-Control", "no-store");
  if (status == 429) resp.SetHeader("Retry-After", "60");
  return resp;
}

http::Response TokenJson(const json::object& body) {
  auto resp = JsonResponse(200, body);
  resp.SetHeader("Cache-Control", "no-store");
  resp.SetHeader("Pragma", "no-cache");
  return resp;
}

http::Response Token(Services& s, http::RouteContext& ctx) {
  const auto& req = ctx.request;
  if (req.Header("Content-Type").find("application/x-www-form-urlencoded") == std::string_view::npos)
    return OAuthError(req, InvalidArgument("AADSTS900144: The request body must contain the following parameter: "
                                           "'grant_type'. The body must be application/x-www-form-urlencoded.",
                                           "invalid_request"),
                      s.clock);
  auto form = http::ParseForm(req.body);
  std::string grant = http::FormValue(form, "grant_type");
  std::string client_id = http::FormValue(form, "client_id");
  std::string secret = http::FormValue(form, "client_secret");
  // RFC 6749 §2.3.1: client credentials may come as HTTP Basic instead.
  std::string_view auth = req.Header("Authorization");
  if (auth.size() > 6 && http::EqualsIgnoreCase(auth.substr(0, 6), "Basic ")) {
    if (auto decoded = Base64Decode(auth.substr(6)); decoded.ok()) {
      auto colon = decoded->find(':');
      if (colon != std::string::npos) {
        client_id = http::PercentDecode(decoded->substr(0, colon), true);
        secret = http::PercentDecode(decoded->substr(colon + 1), true);
      }
    }
  }
  if (grant.empty())
    return OAuthError(req, InvalidArgument("AADSTS900144: The request body must contain the following parameter: "
                                           "'grant_type'.", "invalid_request"), s.clock);
  const std::string& tenant = ctx.params["tenant"];
  if (grant == "client_credentials") {
    auto token = s.tokens.ClientCredentials(tenant, client_id, secret, http::FormValue(form, "scope"));
    if (!token.ok()) return OAuthError(req, token.status(), s.clock);
    return TokenJson(token->ToJson());
  }
  StatusOr<identity::TokenSet> tokens = InvalidArgument("unreachable");
  if (grant == "authorization_code") {
    tokens = s.signin.RedeemCode(tenant, client_id, secret, http::FormValue(form, "code"),
                                 http::FormValue(form, "redirect_uri"), http::FormValue(form, "code_verifier"));
  } else if (grant == "refresh_token") {
    tokens = s.signin.Refresh(tenant, client_id, secret, http::FormValue(form, "refresh_token"));
  } else if (grant == "urn:ietf:params:oauth:grant-type:device_code" || grant == "device_code") {
    tokens = s.signin.PollDevice(tenant, client_id, http::FormValue(form, "device_code"));
  } else {
    return OAuthError(req, InvalidArgument("AADSTS70003: The app requested an unsupported grant type '" + grant + "'.",
                                           "unsupported_grant_type"), s.clock);
  }
  if (!tokens.ok()) return OAuthError(req, tokens.status(), s.clock);
  json::object body{{"token_type", "Bearer"},
                    {"scope", tokens->scope},
                    {"expires_in", tokens->expires_in},
                    {"ext_expires_in", tokens->expires_in},
                    {"access_token", tokens->access_token}};
  if (!tokens->refresh_token.empty()) body["refresh_token"] = tokens->refresh_token;
  if (!tokens->id_token.empty()) body["id_token"] = tokens->id_token;
  return TokenJson(body);
}

http::Response DeviceCode(Services& s, http::RouteContext& ctx) {
  const auto& req = ctx.request;
  auto form = http::ParseForm(req.body);
  auto device = s.signin.StartDevice(ctx.params["tenant"], http::FormValue(form, "client_id"),
                                     http::FormValue(form, "scope"), s.public_base, req.remote_address);
  if (!device.ok()) return OAuthError(req, device.status(), s.clock);
  return TokenJson(json::object{
      {"device_code", device->device_code},
      {"user_code", device->user_code},
      {"verification_uri", device->verification_uri},
      {"expires_in", device->expires_in},
      {"interval", device->interval},
      {"message", "To sign in, use a web browser to open the page " + device->verification_uri +
                      " and enter the code " + device->user_code + " to authenticate."}});
}

http::Response UserInfo(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    const auto& p = *ctx.principal;
    if (p.kind != identity::PrincipalKind::kUser)
      return PermissionDenied("The userinfo endpoint needs a user's token.", "Authorization_RequestDenied");
    GH_ASSIGN_OR_RETURN(auto u, s.directory.GetUser(p.tenant_id, p.object_id));
    json::object body{{"sub", u.id}, {"oid", u.id}, {"tid", p.tenant_id}, {"name", u.display_name},
                      {"preferred_username", u.user_principal_name}};
    if (u.mail) body["email"] = *u.mail;
    if (u.given_name) body["given_name"] = *u.given_name;
    if (u.surname) body["family_name"] = *u.surname;
    return JsonResponse(200, body);
  });
}

StatusOr<directory::Tenant> ResolveTenant(Services& s, const std::string& ref) {
  auto t = s.directory.ResolveTenant(ref);
  if (!t.ok() && t.status().code() == Code::kNotFound)
    return NotFound("Tenant '" + ref + "' not found.", "Request_ResourceNotFound");
  return t;
}

http::Response Keys(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto t, ResolveTenant(s, ctx.params["tenant"]));
    GH_ASSIGN_OR_RETURN(auto jwks, s.keys.Jwks(t.id));
    auto resp = JsonResponse(200, jwks);
    resp.SetHeader("Cache-Control", "public, max-age=300");
    return resp;
  });
}

http::Response Discovery(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto t, ResolveTenant(s, ctx.params["tenant"]));
    std::string base = s.public_base + "/" + t.id;
    json::object doc{
        {"issuer", s.tokens.Issuer(t.id)},
        {"authorization_endpoint", base + "/oauth2/v2.0/authorize"},
        {"token_endpoint", base + "/oauth2/v2.0/token"},
        {"device_authorization_endpoint", base + "/oauth2/v2.0/devicecode"},
        {"userinfo_endpoint", base + "/oidc/userinfo"},
        {"end_session_endpoint", base + "/oauth2/v2.0/logout"},
        {"jwks_uri", base + "/discovery/v2.0/keys"},
        {"response_types_supported", json::array{"code"}},
        {"response_modes_supported", json::array{"query", "form_post"}},
        {"grant_types_supported", json::array{"authorization_code", "refresh_token", "client_credentials",
                                              "urn:ietf:params:oauth:grant-type:device_code"}},
        {"code_challenge_methods_supported", json::array{"S256"}},
        {"scopes_supported", json::array{"openid", "profile", "email", "offline_access"}},
        {"subject_types_supported", json::array{"pairwise"}},
        {"id_token_signing_alg_values_supported", json::array{"RS256"}},
        {"token_endpoint_auth_methods_supported", json::array{"client_secret_post", "client_secret_basic", "none"}},
        {"claims_supported", json::array{"sub", "iss", "aud", "exp", "iat", "auth_time", "nonce", "name",
                                         "preferred_username", "email", "oid", "tid", "idp", "acct", "ver"}},
        {"tenant_region_scope", nullptr},
        {"cloud_instance_name", "gatehouse"}};
    return JsonResponse(200, doc);
  });
}

}  // namespace

StatusOr<identity::Principal> BearerAuthenticator::Authenticate(const http::Request& req) {
  std::string_view auth = req.Header("Authorization");
  if (auth.empty())
    return Unauthenticated("Access token is empty.", "InvalidAuthenticationToken");
  if (auth.size() < 8 || !http::EqualsIgnoreCase(auth.substr(0, 7), "Bearer "))
    return Unauthenticated("The Authorization header must use the Bearer scheme.", "InvalidAuthenticationToken");
  GH_ASSIGN_OR_RETURN(auto principal, s_.tokens.VerifyAccessToken(auth.substr(7)));
  if (principal.kind == identity::PrincipalKind::kUser) {
    // A token outlives neither its user nor the user's enabled state, and
    // acts with the roles the user holds now, not when it was issued.
    auto caller = s_.directory.UserWithRoles(principal.tenant_id, principal.object_id);
    if (!caller.ok() && caller.status().code() != Code::kNotFound) return caller.status();
    if (!caller.ok() || !caller->first.account_enabled)
      return Unauthenticated("The user of this access token no longer exists or is disabled.",
                             "InvalidAuthenticationToken");
    principal.directory_roles = std::move(caller->second);
  }
  return principal;
}

std::vector<http::Route> OAuthRoutes(Services& s) {
  using http::Permission;
  using http::Route;
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  return {
      Route{"POST", "/{tenant}/oauth2/v2.0/token", h(Token), Permission::Public(),
            "OAuth 2.0 token endpoint (all grants)"},
      Route{"POST", "/{tenant}/oauth2/v2.0/devicecode", h(DeviceCode), Permission::Public(),
            "Device authorization endpoint (RFC 8628)"},
      Route{"GET", "/{tenant}/oidc/userinfo", h(UserInfo), Permission{"signed-in user", nullptr},
            "OpenID Connect userinfo for a user's access token"},
      Route{"GET", "/{tenant}/discovery/v2.0/keys", h(Keys), Permission::Public(), "The tenant's signing keys (JWKS)"},
      Route{"GET", "/{tenant}/v2.0/.well-known/openid-configuration", h(Discovery), Permission::Public(),
            "OpenID Connect discovery document"},
  };
}

std::vector<http::Route> HealthRoutes(Services& s) {
  using http::Permission;
  using http::Route;
  return {
      Route{"GET", "/healthz", [](http::RouteContext&) { return http::Response::Text(200, "ok\n"); },
            Permission::Public(), "Liveness: the process serves requests"},
      Route{"GET", "/readyz",
            [&s](http::RouteContext&) {
              if (!s.directory.Ready().ok()) return http::Response::Text(503, "database unavailable\n");
              return http::Response::Text(200, "ready\n");
            },
            Permission::Public(), "Readiness: the database answers"},
  };
}

}  // namespace gh::api
