#pragma once
// Requests by route template: http_requests_total{route,method,status} and
// http_request_duration_seconds{route,method}, where `route` is the matched
// pattern ("/v1.0/users/{id}"), never the path, so the series stay as many as
// the route table's entries. A request no route matched (404, 405) counts
// under route="unmatched", its method folded into the few HTTP defines, so a
// client inventing paths or methods cannot create series.
//
// Observe() is the router's hot path: it looks up pre-sized slots by index,
// creates a series (one lock, one allocation) only the first time a route
// answers with a given status, and otherwise is one atomic counter add and
// one histogram observation. Thread-safe.
#include <array>
#include <atomic>
#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "metrics/registry.h"

namespace gh::metrics {

class HttpMetrics {
 public:
  struct RouteKey {
    std::string method;   // "GET"
    std::string pattern;  // "/v1.0/users/{id}"
  };

  // One entry per route, in the router's order: Observe(i, …) is route i.
  HttpMetrics(Registry& registry, const std::vector<RouteKey>& routes);
  ~HttpMetrics();

  // A request that route `route_index` answered with `status` in `seconds`.
  void Observe(size_t route_index, int status, double seconds);
  // A request no route matched.
  void ObserveUnmatched(std::string_view method, int status, double seconds);

 private:
  // Distinct statuses one route keeps a lock-free slot for; a route that
  // answers with more (none does today) takes a lock for the rest.
  static constexpr size_t kStatusSlots = 12;
  struct Slot {
    std::atomic<int> status{0};  // 0: free
    std::atomic<Counter*> counter{nullptr};
  };
  struct Series {
    std::string route, method;
    std::atomic<Histogram*> duration{nullptr};
    std::array<Slot, kStatusSlots> slots;
  };

  void ObserveSeries(Series& s, int status, double seconds);
  Counter& CounterFor(Series& s, int status);

  Family<Counter>& requests_;
  Family<Histogram>& durations_;
  std::vector<std::unique_ptr<Series>> routes_;     // by route index
  std::vector<std::unique_ptr<Series>> unmatched_;  // by UnmatchedIndex(method)
  std::mutex create_mu_;                            // creating series only
};

}  // namespace gh::metrics
