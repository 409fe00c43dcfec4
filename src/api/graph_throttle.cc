#include "api/graph_throttle.h"

#include <algorithm>
#include <cmath>

#include "api/graph/errors.h"

namespace gh::api {

namespace {
constexpr size_t kMaxBuckets = 100'000;  // past this, full buckets (the same as none) are dropped
}

GraphThrottle::GraphThrottle(const Clock& clock) : GraphThrottle(clock, Limits()) {}

double GraphThrottle::Refilled(const Bucket& b, const Limit& l, int64_t now) {
  return std::min(l.requests, b.tokens + PerMs(l) * static_cast<double>(std::max<int64_t>(0, now - b.at_ms)));
}

void GraphThrottle::ForgetFullBucketsLocked(int64_t now) {
  const int64_t longest =
      std::max({limits_.invitations_per_tenant.window_ms, limits_.writes_per_app_in_tenant.window_ms,
                limits_.writes_per_tenant.window_ms});
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    // A bucket untouched for the longest window is full whatever its limit.
    if (now - it->second.at_ms >= longest)
      it = buckets_.erase(it);
    else
      ++it;
  }
}

std::optional<GraphThrottle::Refusal> GraphThrottle::Admit(const identity::Principal& caller,
                                                           bool invitation) {
  const std::string& tenant = caller.tenant_id;
  std::vector<Take> takes;
  if (invitation)
    takes.push_back(
        {"i|" + tenant, &limits_.invitations_per_tenant, "Tenant", "invitation requests for a tenant"});
  takes.push_back({"a|" + caller.app_id + "|" + tenant, &limits_.writes_per_app_in_tenant,
                   "Tenant_Application", "writes for an application in a tenant"});
  takes.push_back({"t|" + tenant, &limits_.writes_per_tenant, "Tenant", "writes for a tenant"});

  const int64_t now = clock_.NowMillis();
  std::lock_guard<std::mutex> lock(mu_);
  if (buckets_.size() > kMaxBuckets) ForgetFullBucketsLocked(now);
  // Refused by the first empty bucket; nothing is taken from the others.
  for (const Take& t : takes) {
    auto it = buckets_.find(t.key);
    const double tokens = it == buckets_.end() ? t.limit->requests : Refilled(it->second, *t.limit, now);
    if (tokens < 1.0) {
      const int wait_s = static_cast<int>(std::ceil((1.0 - tokens) / PerMs(*t.limit) / 1000.0));
      return Refusal{std::max(1, wait_s), std::string(t.scope) + "/Write/" + caller.app_id + "/" + tenant,
                     std::to_string(static_cast<int64_t>(t.limit->requests)) + " " + t.what + " per " +
                         std::to_string(t.limit->window_ms / 1000) + " s"};
    }
  }
  for (const Take& t : takes) {
    auto it = buckets_.try_emplace(t.key, Bucket{t.limit->requests, now}).first;
    it->second = Bucket{Refilled(it->second, *t.limit, now) - 1.0, now};
  }
  return std::nullopt;
}

void ThrottleGraphWrites(std::vector<http::Route>& routes, std::shared_ptr<GraphThrottle> throttle) {
  for (http::Route& r : routes) {
    const bool invitation = r.pattern == "/v1.0/invitations";
    const bool graph_write = r.pattern.starts_with("/v1.0/") && r.pattern != "/v1.0/$batch" &&
                             r.method != "GET" && r.method != "HEAD";
    if (!graph_write) continue;
    r.handler = [throttle, invitation, inner = std::move(r.handler)](http::RouteContext& ctx) {
      if (ctx.principal != nullptr) {
        if (auto refused = throttle->Admit(*ctx.principal, invitation)) {
          http::Response res = GraphError(
              ctx.request, ResourceExhausted("Too many requests: the limit of " + refused->limit +
                                                 " was reached. Retry after " +
                                                 std::to_string(refused->retry_after_seconds) + " s.",
                                             "TooManyRequests"));
          res.SetHeader("Retry-After", std::to_string(refused->retry_after_seconds));
          res.SetHeader("x-ms-throttle-scope", refused->scope);
          return res;
        }
      }
      return inner(ctx);
    };
  }
}

}  // namespace gh::api
