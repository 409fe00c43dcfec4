#include "http/router.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <string_view>

#include "metrics/http_metrics.h"

namespace gh::http {
namespace {

// Splits "/a/b/c" into {"a","b","c"}. A trailing slash is ignored so that
// "/v1.0/users/" routes like "/v1.0/users"; empty inner segments are kept and
// never match a parameter.
std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> out;
  if (!path.empty() && path.front() == '/') path.remove_prefix(1);
  if (!path.empty() && path.back() == '/') path.remove_suffix(1);
  if (path.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t slash = path.find('/', start);
    out.push_back(
        path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return out;
}

bool IsParam(std::string_view seg) { return seg.size() >= 2 && seg.front() == '{' && seg.back() == '}'; }

// Number of leading segments of `path` that `pattern` matches (for the 404
// message), and whether it matches completely.
size_t MatchPrefix(const std::vector<std::string_view>& pattern, const std::vector<std::string_view>& path) {
  size_t n = 0;
  while (n < pattern.size() && n < path.size()) {
    if (IsParam(pattern[n]) ? path[n].empty() : pattern[n] != path[n]) break;
    ++n;
  }
  return n;
}

// True when `a` is more specific than `b`: at the first segment where one is a
// literal and the other a parameter, the literal wins.
bool MoreSpecific(const std::vector<std::string_view>& a, const std::vector<std::string_view>& b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool pa = IsParam(a[i]), pb = IsParam(b[i]);
    if (pa != pb) return !pa;
  }
  return false;
}

}  // namespace

Router::Router(std::vector<Route> routes, Authenticator* auth, ErrorRenderer render_error)
    : routes_(std::move(routes)), auth_(auth), render_error_(std::move(render_error)) {
  segments_.reserve(routes_.size());
  pattern_of_.reserve(routes_.size());
  for (size_t i = 0; i < routes_.size(); ++i) {
    segments_.push_back(SplitPath(routes_[i].pattern));
    size_t first = i;
    for (size_t j = 0; j < i; ++j) {
      if (segments_[j] == segments_[i]) {
        first = j;
        break;
      }
    }
    pattern_of_.push_back(first);
  }
}

Router::~Router() = default;

void Router::Instrument(metrics::Registry& registry) {
  std::vector<metrics::HttpMetrics::RouteKey> keys;
  keys.reserve(routes_.size());
  for (const Route& r : routes_) keys.push_back({r.method, r.pattern});
  metrics_ = std::make_unique<metrics::HttpMetrics>(registry, keys);
}

std::variant<Router::Match, Response> Router::Find(const Request& req) const {
  const std::vector<std::string_view> path = SplitPath(req.path);

  // 1. The most specific pattern that matches the path, regardless of method.
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t best = kNone;  // index of the first route with the best pattern
  size_t deepest = 0;
  for (size_t i = 0; i < routes_.size(); ++i) {
    if (pattern_of_[i] != i) continue;  // a pattern seen before, with another method
    const std::vector<std::string_view>& pat = segments_[i];
    size_t n = MatchPrefix(pat, path);
    if (n == pat.size() && n == path.size()) {
      if (best == kNone || MoreSpecific(pat, segments_[best])) best = i;
    } else {
      deepest = std::max(deepest, n);
    }
  }
  if (best == kNone) {
    std::string_view segment;
    if (!path.empty()) segment = path[std::min(deepest, path.size() - 1)];
    return render_error_(req, NotFound("Resource not found for the segment '" + std::string(segment) + "'.",
                                       "Request_ResourceNotFound"));
  }

  // 2. Among the routes with that pattern, the one for this method. HEAD falls
  // back to GET with the body dropped.
  Match m;
  const Route* get_route = nullptr;
  std::string allow;
  for (size_t i = best; i < routes_.size(); ++i) {
    if (pattern_of_[i] != best) continue;
    const Route& r = routes_[i];
    if (!allow.empty()) allow += ", ";
    allow += r.method;
    if (r.method == req.method) m.route = &r;
    if (r.method == "GET") get_route = &r;
  }
  m.head_as_get = m.route == nullptr && req.method == "HEAD" && get_route != nullptr;
  if (m.head_as_get) m.route = get_route;
  if (m.route == nullptr) {
    Response res = render_error_(
        req, InvalidArgument("The HTTP method '" + req.method + "' is not allowed for this resource.",
                             "Request_MethodNotAllowed"));
    res.SetHeader("Allow", allow);
    return res;
  }
  const std::vector<std::string_view>& pat = segments_[best];
  for (size_t i = 0; i < pat.size(); ++i) {
    if (IsParam(pat[i])) m.params.emplace(std::string(pat[i].substr(1, pat[i].size() - 2)), std::string(path[i]));
  }
  return m;
}

std::variant<std::optional<identity::Principal>, Response> Router::Admit(const Request& req,
                                                                         const Route& route) const {
  // A session route's handler checks the session and the permission itself.
  if (route.permission.is_public() || route.credential == Credential::kSession)
    return std::optional<identity::Principal>();
  StatusOr<identity::Principal> who =
      auth_ != nullptr ? auth_->Authenticate(req)
                       : StatusOr<identity::Principal>(Unauthenticated("Authentication is not configured."));
  if (!who.ok()) {
    Response res = render_error_(req, who.status());
    // RFC 6750 §3.1: no error code when the request carried no credentials.
    if (who.status().code() == Code::kUnauthenticated) {
      res.SetHeader("WWW-Authenticate", req.Header("Authorization").empty()
                                            ? "Bearer realm=\"gatehouse\""
                                            : "Bearer realm=\"gatehouse\", error=\"invalid_token\"");
    }
    return res;
  }
  if (route.permission.allows && !route.permission.allows(*who)) {
    return render_error_(req, PermissionDenied("Insufficient privileges to complete the operation.",
                                               "Authorization_RequestDenied"));
  }
  return std::optional<identity::Principal>(std::move(who).value());
}

std::optional<Response> Router::AdmitLargeBody(const Request& head) const {
  auto found = Find(head);
  if (auto* refused = std::get_if<Response>(&found)) return std::move(*refused);
  Match& m = std::get<Match>(found);
  if (!m.route->admit_large_body || m.head_as_get)
    return render_error_(head, InvalidArgument("The request body is larger than this resource accepts.",
                                               "Request_EntityTooLarge"));
  try {
    auto admitted = Admit(head, *m.route);
    if (auto* refused = std::get_if<Response>(&admitted)) return std::move(*refused);
    auto& principal = std::get<std::optional<identity::Principal>>(admitted);
    RouteContext ctx{head, std::move(m.params), principal ? &*principal : nullptr};
    return m.route->admit_large_body(ctx);
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception admitting a large body request_id={} route=\"{} {}\" what=\"{}\"",
                  head.request_id, m.route->method, m.route->pattern, e.what());
  }
  return render_error_(head, Internal("An unexpected error occurred. Quote request-id " + head.request_id +
                                      " when reporting it."));
}

Response Router::Handle(const Request& req) const {
  if (!metrics_) return Dispatch(req, nullptr);
  constexpr size_t kNone = static_cast<size_t>(-1);
  size_t route_index = kNone;
  const auto start = std::chrono::steady_clock::now();
  Response res = Dispatch(req, &route_index);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (route_index == kNone) metrics_->ObserveUnmatched(req.method, res.status, seconds);
  else metrics_->Observe(route_index, res.status, seconds);
  return res;
}

Response Router::Dispatch(const Request& req, size_t* route_index) const {
  auto found = Find(req);
  if (auto* refused = std::get_if<Response>(&found)) return std::move(*refused);
  Match& m = std::get<Match>(found);
  const Route* route = m.route;
  if (route_index != nullptr) *route_index = static_cast<size_t>(route - routes_.data());
  const bool head_as_get = m.head_as_get;
  RouteContext ctx{req, std::move(m.params), nullptr, this};

  try {
    // 3. Authentication and permission, for a bearer-token route.
    auto admitted = Admit(req, *route);
    if (auto* refused = std::get_if<Response>(&admitted)) return std::move(*refused);
    auto& principal = std::get<std::optional<identity::Principal>>(admitted);
    if (principal) ctx.principal = &*principal;

    // 4. A form body must decode strictly (no bad escapes, no NUL, UTF-8) or
    // no handler sees it: handlers read forms leniently through FormValue.
    if (IsFormRequest(req)) {
      std::vector<std::pair<std::string, std::string>> form;
      if (!TryParseForm(req.body, &form))
        return render_error_(req, InvalidArgument("The form data is malformed: it has a bad percent-escape, a NUL "
                                                  "character or text that isn't UTF-8.",
                                                  "Request_BadRequest"));
    }

    // 5. The handler.
    Response res = route->handler(ctx);
    if (head_as_get) {
      // The server frames a HEAD response with this length and sends no body.
      res.SetHeader("Content-Length", std::to_string(res.body.size()));
      res.body.clear();
    }
    return res;
  } catch (const std::exception& e) {
    spdlog::error("unhandled exception request_id={} route=\"{} {}\" what=\"{}\"", req.request_id,
                  route->method, route->pattern, e.what());
  } catch (...) {
    spdlog::error("unhandled exception request_id={} route=\"{} {}\" what=(non-std exception)",
                  req.request_id, route->method, route->pattern);
  }
  // Deliberately generic: exception text may carry SQL, paths or secrets.
  return render_error_(req, Internal("An unexpected error occurred. Quote request-id " + req.request_id +
                                     " when reporting it."));
}

}  // namespace gh::http
