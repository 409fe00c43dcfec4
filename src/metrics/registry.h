#pragma once
// The process's metrics and their exposition in the Prometheus text format
// 0.0.4. Counters, gauges and histograms are prometheus-cpp's (Debian's
// prometheus-cpp-dev, core library only: no HTTP exposer, /metrics is an
// ordinary route); this module adds gauges and counters read by a callback at
// scrape time (a pool's use, the outbox's depth, an age) and the exposition
// (its own writer: prometheus-cpp 1.0.1's puts a histogram's _count and _sum
// before its buckets, leaves HELP unescaped and spells NaN "Nan").
//
// Hot path: a Counter increment is one atomic add; a Histogram observation
// takes that series' own mutex (prometheus-cpp 1.0), never a global one, and
// neither allocates. Creating a series (Family::Add) locks its family and
// allocates: do it at startup or once per label set, and keep the reference
// (http_metrics.h shows how for status codes seen only at run time).
//
// Thread-safe: families and series may be added, observed and exposed from
// any thread. A callback runs on the scraping thread, with no lock of this
// registry held, and must be cheap and thread-safe itself.
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/histogram.h>
#include <prometheus/registry.h>

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace gh::metrics {

using Labels = std::map<std::string, std::string>;
using Counter = prometheus::Counter;
using Gauge = prometheus::Gauge;
using Histogram = prometheus::Histogram;
template <typename T>
using Family = prometheus::Family<T>;

// Buckets for request and rebuild latencies, in seconds: 0.5 ms to 10 s.
const std::vector<double>& LatencyBuckets();

class Registry {
 public:
  Registry();
  ~Registry();
  Registry(const Registry&) = delete;
  Registry& operator=(const Registry&) = delete;

  // A family of series (one per label set). Names follow Prometheus rules
  // (a counter's name ends in _total); a name given twice returns the same
  // family when the type matches and throws std::invalid_argument otherwise.
  Family<Counter>& CounterFamily(const std::string& name, const std::string& help);
  Family<Gauge>& GaugeFamily(const std::string& name, const std::string& help);
  Family<Histogram>& HistogramFamily(const std::string& name, const std::string& help);

  // A series whose value `read` returns at each scrape; nullopt leaves the
  // series out of that scrape (no value yet, or the source failed: a gap,
  // rather than a NaN some parsers refuse). A callback counter must never go
  // down (a restart is the only reset Prometheus expects).
  using Reader = std::function<std::optional<double>()>;
  void CallbackGauge(const std::string& name, const std::string& help, Labels labels, Reader read);
  void CallbackCounter(const std::string& name, const std::string& help, Labels labels, Reader read);

  // Every family, sorted by name, in the text format 0.0.4 (Content-Type
  // "text/plain; version=0.0.4; charset=utf-8"): # HELP and # TYPE lines,
  // label values escaped, histograms as cumulative _bucket{le=…} series
  // ending in le="+Inf", then _sum and _count.
  std::string Expose() const;

 private:
  class Callbacks;
  std::shared_ptr<prometheus::Registry> registry_;
  std::unique_ptr<Callbacks> callbacks_;
};

inline constexpr const char* kContentType = "text/plain; version=0.0.4; charset=utf-8";

}  // namespace gh::metrics
