#pragma once
// One explicit route table: method, path pattern, handler, required permission,
// one-line description, whether it changes state, and how the caller proves
// who they are. The router is a plain function from Request to Response: it
// matches the route, authenticates a bearer-token route's caller and checks its
// permission (a session route's own handler does both), refuses (400) an
// application/x-www-form-urlencoded body that TryParseForm refuses, calls the
// handler, and turns anything unexpected into a 500 without leaking details.
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "identity/model/principal.h"

namespace gh::metrics {
class HttpMetrics;
class Registry;
}  // namespace gh::metrics

namespace gh::http {

class Router;

struct RouteContext {
  const Request& request;
  std::map<std::string, std::string> params;       // from "{name}" pattern segments
  const identity::Principal* principal = nullptr;  // null on public and session routes
  const Router* router = nullptr;  // the router handling it (JSON batching dispatches through it)
};

using Handler = std::function<Response(RouteContext&)>;

// Permission predicates. kPublic routes need no token.
struct Permission {
  std::string name;                                        // shown in the route table and in 403 messages
  std::function<bool(const identity::Principal&)> allows;  // null = any authenticated caller
  static Permission Public() { return {"public", nullptr}; }
  bool is_public() const { return name == "public"; }
};

// How the caller of a non-public route proves who they are.
enum class Credential {
  // A bearer token, checked by the router's Authenticator before the handler
  // runs: none or a bad one is a 401, a missing permission a 403.
  kBearerToken,
  // A session cookie, checked by the route's own handler (with the route's
  // permission), because its answer to "no session" is its own, such as a
  // redirect to a sign-in page. The router asks for no token.
  kSession,
};

// Asked, from the request's headers alone, whether a body larger than the
// server's default limit may be read: nullopt admits it; a response (401,
// 403, a sign-in redirect…) is sent instead and the body is never read.
using LargeBodyAdmission = std::function<std::optional<Response>(RouteContext&)>;

struct Route {
  std::string method;   // "GET", "POST", ...
  std::string pattern;  // "/v1.0/users/{id}"; a segment "{name}" matches one path segment
  Handler handler;
  Permission permission;
  std::string description;
  // Upload routes only: null means a body over the default limit is refused
  // (413) before it is read.
  LargeBodyAdmission admit_large_body = nullptr;
  Credential credential = Credential::kBearerToken;  // ignored on public routes
};

class Authenticator {
 public:
  virtual ~Authenticator() = default;
  // Verifies the request's bearer token. Unauthenticated when absent or bad.
  virtual StatusOr<identity::Principal> Authenticate(const Request& req) = 0;
};

// Renders router-level failures (404, 405, 401, 403, 500) for a request, so
// Graph paths get Graph's error shape and web pages get a page.
using ErrorRenderer = std::function<Response(const Request&, const Status&)>;

class Router {
 public:
  Router(std::vector<Route> routes, Authenticator* auth, ErrorRenderer render_error);
  ~Router();
  // Counts every request Handle() answers, by route template and status,
  // with its latency (metrics/http_metrics.h), in `registry`. Call once,
  // before the router is shared between threads; `registry` must outlive it.
  void Instrument(metrics::Registry& registry);
  Response Handle(const Request& req) const;
  // For the server, before it reads a body over its default limit: nullopt
  // when the request (headers, path; no body yet) goes to a route with
  // admit_large_body that admits it, after the route's authentication and
  // permission check (a session route's admit_large_body does both);
  // otherwise the response to send instead (404, 405,
  // 401, 403, or 413 for a route that takes no large bodies).
  std::optional<Response> AdmitLargeBody(const Request& head) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Match {
    const Route* route = nullptr;
    bool head_as_get = false;
    std::map<std::string, std::string> params;
  };
  // The route for the request, or the error response (404, 405).
  std::variant<Match, Response> Find(const Request& req) const;
  // The caller of a bearer-token route (nullopt on public and session
  // routes), or the error response (401, 403).
  std::variant<std::optional<identity::Principal>, Response> Admit(const Request& req, const Route& route) const;
  // Handle() without the metrics; sets *route_index to the matched route's
  // index in routes_ (untouched when none matched).
  Response Dispatch(const Request& req, size_t* route_index) const;

  std::vector<Route> routes_;
  // Split once at construction (views into routes_' patterns, which never
  // move): segments_[i] is routes_[i].pattern's segments, and pattern_of_[i]
  // the index of the first route with the same pattern.
  std::vector<std::vector<std::string_view>> segments_;
  std::vector<size_t> pattern_of_;
  Authenticator* auth_;
  ErrorRenderer render_error_;
  std::unique_ptr<metrics::HttpMetrics> metrics_;
};

}  // namespace gh::http
