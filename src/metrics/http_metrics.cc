#include "metrics/http_metrics.h"

namespace gh::metrics {
namespace {

// The methods an unmatched request is labelled with; anything else is "other".
constexpr std::array<std::string_view, 9> kMethods = {"GET",     "HEAD", "POST",  "PUT",  "PATCH",
                                                      "DELETE", "OPTIONS", "TRACE", "other"};

size_t UnmatchedIndex(std::string_view method) {
  for (size_t i = 0; i + 1 < kMethods.size(); ++i)
    if (kMethods[i] == method) return i;
  return kMethods.size() - 1;
}

}  // namespace

HttpMetrics::HttpMetrics(Registry& registry, const std::vector<RouteKey>& routes)
    : requests_(registry.CounterFamily("http_requests_total",
                                       "HTTP requests answered, by route template, method and status")),
      durations_(registry.HistogramFamily("http_request_duration_seconds",
                                          "Time from routing a request to its response, by route template")) {
  for (const auto& r : routes) {
    auto s = std::make_unique<Series>();
    s->route = r.pattern;
    s->method = r.method;
    routes_.push_back(std::move(s));
  }
  for (std::string_view m : kMethods) {
    auto s = std::make_unique<Series>();
    s->route = "unmatched";
    s->method = std::string(m);
    unmatched_.push_back(std::move(s));
  }
}

HttpMetrics::~HttpMetrics() = default;

void HttpMetrics::Observe(size_t route_index, int status, double seconds) {
  if (route_index >= routes_.size()) return;
  ObserveSeries(*routes_[route_index], status, seconds);
}

void HttpMetrics::ObserveUnmatched(std::string_view method, int status, double seconds) {
  ObserveSeries(*unmatched_[UnmatchedIndex(method)], status, seconds);
}

void HttpMetrics::ObserveSeries(Series& s, int status, double seconds) {
  CounterFor(s, status).Increment();
  Histogram* h = s.duration.load(std::memory_order_acquire);
  if (h == nullptr) {
    std::lock_guard lock(create_mu_);
    h = s.duration.load(std::memory_order_relaxed);
    if (h == nullptr) {
      h = &durations_.Add({{"route", s.route}, {"method", s.method}}, LatencyBuckets());
      s.duration.store(h, std::memory_order_release);
    }
  }
  h->Observe(seconds);
}

Counter& HttpMetrics::CounterFor(Series& s, int status) {
  // Lock-free once the slot exists: a slot's counter is published (release)
  // only after its status, and read (acquire) before being trusted.
  for (Slot& slot : s.slots) {
    int seen = slot.status.load(std::memory_order_acquire);
    if (seen == 0) break;
    if (seen == status) {
      if (Counter* c = slot.counter.load(std::memory_order_acquire)) return *c;
      break;  // being created: take the lock below
    }
  }
  std::lock_guard lock(create_mu_);
  Counter& c = requests_.Add({{"route", s.route}, {"method", s.method}, {"status", std::to_string(status)}});
  for (Slot& slot : s.slots) {
    int seen = slot.status.load(std::memory_order_relaxed);
    if (seen == status) return c;  // another thread published it meanwhile
    if (seen == 0) {
      slot.counter.store(&c, std::memory_order_release);
      slot.status.store(status, std::memory_order_release);
      return c;
    }
  }
  return c;  // every slot taken: this status stays on the locked path
}

}  // namespace gh::metrics
