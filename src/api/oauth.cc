#include "api/oauth.h"

#include <boost/json.hpp>

#include "api/handler_util.h"
#include "core/clock.h"
#include "core/encoding.h"

namespace gh::api {
namespace json = boost::json;
namespace {

// Entra's token-endpoint error body.
http::Response OAuthError(const http::Request& req, const Status& s, const Clock& clock) {
  int status = s.code() == Code::kUnauthenticated ? 401
               : s.code() == Code::kInvalidArgument ? 400
               : s.code() == Code::kUnavailable     ? 503
                                                    : 500;
  std::string error = s.reason().empty() ? (status >= 500 ? "temporarily_unavailable" : "invalid_request") : s.reason();
  std::string description = status == 500 ? "AADSTS50000: There was an error issuing a token." : s.message();
  json::object body{{"error", error},
                    {"error_description", description},
                    {"error_codes", json::array{identity::AadstsCode(description)}},
                    {"timestamp", FormatIso8601(clock.NowMillis())},
                    {"trace_id", req.request_id},
                    {"correlation_id", req.request_id}};
  auto resp = JsonResponse(status, body);
  resp.SetHeader("Cache-Control", "no-store");
  return resp;
}

std::string FormValue(const std::vector<std::pair<std::string, std::string>>& form, std::string_view key) {
  for (const auto& [k, v] : form)
    if (k == key) return v;
  return {};
}

http::Response Token(Services& s, http::RouteContext& ctx) {
  const auto& req = ctx.request;
  if (req.Header("Content-Type").find("application/x-www-form-urlencoded") == std::string_view::npos)
    return OAuthError(req, InvalidArgument("AADSTS900144: The request body must contain the following parameter: "
                                           "'grant_type'. The body must be application/x-www-form-urlencoded.",
                                           "invalid_request"),
                      s.clock);
  auto form = ParseForm(req.body);
  std::string grant = FormValue(form, "grant_type");
  std::string client_id = FormValue(form, "client_id");
  std::string secret = FormValue(form, "client_secret");
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
  if (grant != "client_credentials")
    return OAuthError(req, InvalidArgument("AADSTS70003: The app requested an unsupported grant type '" + grant + "'.",
                                           "unsupported_grant_type"), s.clock);
  auto token = s.tokens.ClientCredentials(ctx.params["tenant"], client_id, secret, FormValue(form, "scope"));
  if (!token.ok()) return OAuthError(req, token.status(), s.clock);
  auto resp = JsonResponse(200, token->ToJson());
  resp.SetHeader("Cache-Control", "no-store");
  resp.SetHeader("Pragma", "no-cache");
  return resp;
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
    json::object doc{{"issuer", s.tokens.Issuer(t.id)},
                     {"token_endpoint", base + "/oauth2/v2.0/token"},
                     {"jwks_uri", base + "/discovery/v2.0/keys"},
                     {"response_types_supported", json::array{"code"}},
                     {"grant_types_supported", json::array{"client_credentials"}},
                     {"subject_types_supported", json::array{"pairwise"}},
                     {"id_token_signing_alg_values_supported", json::array{"RS256"}},
                     {"token_endpoint_auth_methods_supported", json::array{"client_secret_post", "client_secret_basic"}},
                     {"tenant_region_scope", nullptr},
                     {"cloud_instance_name", "gatehouse"}};
    return JsonResponse(200, doc);
  });
}

}  // namespace

std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t start = 0;
  while (start < body.size()) {
    size_t amp = body.find('&', start);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view pair = body.substr(start, amp - start);
    size_t eq = pair.find('=');
    if (!pair.empty())
      out.emplace_back(http::PercentDecode(pair.substr(0, eq), true),
                       eq == std::string_view::npos ? "" : http::PercentDecode(pair.substr(eq + 1), true));
    start = amp + 1;
  }
  return out;
}

StatusOr<identity::Principal> BearerAuthenticator::Authenticate(const http::Request& req) {
  std::string_view auth = req.Header("Authorization");
  if (auth.empty())
    return Unauthenticated("Access token is empty.", "InvalidAuthenticationToken");
  if (auth.size() < 8 || !http::EqualsIgnoreCase(auth.substr(0, 7), "Bearer "))
    return Unauthenticated("The Authorization header must use the Bearer scheme.", "InvalidAuthenticationToken");
  GH_ASSIGN_OR_RETURN(auto principal, s_.tokens.VerifyAccessToken(auth.substr(7)));
  if (principal.kind == identity::PrincipalKind::kUser) {
    GH_ASSIGN_OR_RETURN(principal.directory_roles, s_.directory.EffectiveRoles(principal.tenant_id, principal.object_id));
  }
  return principal;
}

std::vector<http::Route> OAuthRoutes(Services& s) {
  using http::Permission;
  using http::Route;
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  return {
      Route{"POST", "/{tenant}/oauth2/v2.0/token", h(Token), Permission::Public(),
            "OAuth 2.0 token endpoint (client credentials)", true},
      Route{"GET", "/{tenant}/discovery/v2.0/keys", h(Keys), Permission::Public(), "The tenant's signing keys (JWKS)",
            false},
      Route{"GET", "/{tenant}/v2.0/.well-known/openid-configuration", h(Discovery), Permission::Public(),
            "OpenID Connect discovery document", false},
  };
}

std::vector<http::Route> HealthRoutes(Services& s) {
  using http::Permission;
  using http::Route;
  return {
      Route{"GET", "/healthz", [](http::RouteContext&) { return http::Response::Text(200, "ok\n"); },
            Permission::Public(), "Liveness: the process serves requests", false},
      Route{"GET", "/readyz",
            [&s](http::RouteContext&) {
              auto tx = s.store.Begin(store::TxMode::kRead);
              if (!tx.ok()) return http::Response::Text(503, "database unavailable\n");
              return http::Response::Text(200, "ready\n");
            },
            Permission::Public(), "Readiness: the database answers", false},
  };
}

}  // namespace gh::api
