#pragma once
// One explicit route table: method, path pattern, handler, required permission,
// one-line description, whether it changes state. The router is a plain
// function from Request to Response: it matches the route, authenticates the
// caller when the route needs it, checks the permission, refuses (400) an
// application/x-www-form-urlencoded body that TryParseForm refuses, calls the
// handler, and turns anything unexpected into a 500 without leaking details.
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/message.h"
#include "identity/principal.h"

namespace gh::http {

struct RouteContext {
  const Request& request;
  std::map<std::string, std::string> params;       // from "{name}" pattern segments
  const identity::Principal* principal = nullptr;  // null on public routes
};

using Handler = std::function<Response(RouteContext&)>;

// Permission predicates. kPublic routes need no token.
struct Permission {
  std::string name;                                        // shown in the route table and in 403 messages
  std::function<bool(const identity::Principal&)> allows;  // null = any authenticated caller
  static Permission Public() { return {"public", nullptr}; }
  bool is_public() const { return name == "public"; }
};

struct Route {
  std::string method;   // "GET", "POST", ...
  std::string pattern;  // "/v1.0/users/{id}"; a segment "{name}" matches one path segment
  Handler handler;
  Permission permission;
  std::string description;
  bool mutates = false;
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
  Response Handle(const Request& req) const;
  const std::vector<Route>& routes() const { return routes_; }

 private:
  std::vector<Route> routes_;
  Authenticator* auth_;
  ErrorRenderer render_error_;
};

}  // namespace gh::http
