#pragma once
// Graph's throttling of writes, with Graph's published limits (the reference's
// "Throttling and service limits"): requests on /invitations, 150 per 5 s per
// tenant for all apps; identity writes (POST, PATCH, PUT, DELETE on /v1.0),
// 3,000 per 150 s per app in a tenant and 18,000 per 300 s per tenant. Over a
// limit the request is refused before it runs — 429 TooManyRequests with
// Retry-After, which the Graph SDKs' retry handlers honour — and changes
// nothing. Reads are not throttled (Graph's read quotas are resource units
// sized for Microsoft's service, not for one server's), and each node counts
// on its own: N nodes admit up to N times a limit.
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "http/router.h"

namespace gh::api {

class GraphThrottle {
 public:
  struct Limit {
    double requests;
    int64_t window_ms;
  };
  struct Limits {
    Limit invitations_per_tenant{150, 5'000};
    Limit writes_per_app_in_tenant{3'000, 150'000};
    Limit writes_per_tenant{18'000, 300'000};
  };
  // A refusal: how long until the request would be admitted, and which limit.
  struct Refusal {
    int retry_after_seconds;
    std::string scope;  // Graph's x-ms-throttle-scope, e.g. "Tenant/Write/{appId}/{tenantId}"
    std::string limit;  // in words, for the error message
  };

  explicit GraphThrottle(const Clock& clock);  // Graph's limits
  GraphThrottle(const Clock& clock, Limits limits) : clock_(clock), limits_(limits) {}

  // Takes one request of `caller` from every bucket it counts against, or
  // none when one of them is empty.
  std::optional<Refusal> Admit(const identity::Principal& caller, bool invitation);

 private:
  struct Bucket {
    double tokens;
    int64_t at_ms;
  };
  // A bucket a request counts against; the scope and words are built only
  // for a refusal.
  struct Take {
    std::string key;
    const Limit* limit;
    const char* scope;  // Graph's scope kind: "Tenant" or "Tenant_Application"
    const char* what;   // "invitation requests", "writes for an application in a tenant", …
  };
  static double PerMs(const Limit& l) { return l.requests / static_cast<double>(l.window_ms); }
  // `b` refilled to now.
  static double Refilled(const Bucket& b, const Limit& l, int64_t now);
  void ForgetFullBucketsLocked(int64_t now);

  const Clock& clock_;
  const Limits limits_;
  std::mutex mu_;
  std::map<std::string, Bucket> buckets_;
};

// Wraps every Graph write route of `routes` (and /invitations) so it asks
// `throttle` first; a refused request answers 429 without running.
void ThrottleGraphWrites(std::vector<http::Route>& routes, std::shared_ptr<GraphThrottle> throttle);

}  // namespace gh::api
