#include "metrics/registry.h"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>
#include <prometheus/text_serializer.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

namespace gh::metrics {

const std::vector<double>& LatencyBuckets() {
  static const std::vector<double> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                               0.1,    0.25,  0.5,    1,     2.5,  5,     10};
  return kBuckets;
}

// Series read at scrape time, grouped into families by name.
class Registry::Callbacks : public prometheus::Collectable {
 public:
  void Add(const std::string& name, const std::string& help, prometheus::MetricType type, Labels labels,
           Reader read) {
    std::lock_guard lock(mu_);
    Entry& e = families_[name];
    if (e.series.empty()) {
      e.help = help;
      e.type = type;
    } else if (e.type != type) {
      throw std::invalid_argument("metric " + name + " registered twice with different types");
    }
    e.series.push_back({std::move(labels), std::move(read)});
  }

  bool Has(const std::string& name) const {
    std::lock_guard lock(mu_);
    return families_.contains(name);
  }

  std::vector<prometheus::MetricFamily> Collect() const override {
    // Copy the callbacks out, so none runs under the lock (a slow one would
    // hold up registration, a re-entrant one would deadlock).
    std::map<std::string, Entry> families;
    {
      std::lock_guard lock(mu_);
      families = families_;
    }
    std::vector<prometheus::MetricFamily> out;
    for (const auto& [name, e] : families) {
      prometheus::MetricFamily f{name, e.help, e.type, {}};
      for (const auto& s : e.series) {
        std::optional<double> value = s.read();
        if (!value) continue;
        prometheus::ClientMetric m;
        for (const auto& [k, v] : s.labels) m.label.push_back({k, v});
        if (e.type == prometheus::MetricType::Counter) m.counter.value = *value;
        else m.gauge.value = *value;
        f.metric.push_back(std::move(m));
      }
      out.push_back(std::move(f));
    }
    return out;
  }

 private:
  struct Series {
    Labels labels;
    Reader read;
  };
  struct Entry {
    std::string help;
    prometheus::MetricType type = prometheus::MetricType::Gauge;
    std::vector<Series> series;
  };
  mutable std::mutex mu_;
  std::map<std::string, Entry> families_;
};

Registry::Registry()
    : registry_(std::make_shared<prometheus::Registry>()), callbacks_(std::make_unique<Callbacks>()) {}

Registry::~Registry() = default;

Family<Counter>& Registry::CounterFamily(const std::string& name, const std::string& help) {
  if (callbacks_->Has(name)) throw std::invalid_argument("metric " + name + " is already a callback series");
  return prometheus::BuildCounter().Name(name).Help(help).Register(*registry_);
}

Family<Gauge>& Registry::GaugeFamily(const std::string& name, const std::string& help) {
  if (callbacks_->Has(name)) throw std::invalid_argument("metric " + name + " is already a callback series");
  return prometheus::BuildGauge().Name(name).Help(help).Register(*registry_);
}

Family<Histogram>& Registry::HistogramFamily(const std::string& name, const std::string& help) {
  if (callbacks_->Has(name)) throw std::invalid_argument("metric " + name + " is already a callback series");
  return prometheus::BuildHistogram().Name(name).Help(help).Register(*registry_);
}

void Registry::CallbackGauge(const std::string& name, const std::string& help, Labels labels,
                             Reader read) {
  callbacks_->Add(name, help, prometheus::MetricType::Gauge, std::move(labels), std::move(read));
}

void Registry::CallbackCounter(const std::string& name, const std::string& help, Labels labels,
                               Reader read) {
  callbacks_->Add(name, help, prometheus::MetricType::Counter, std::move(labels), std::move(read));
}

std::string Registry::Expose() const {
  std::vector<prometheus::MetricFamily> all = registry_->Collect();
  for (auto& f : callbacks_->Collect()) all.push_back(std::move(f));
  // A family with no series yet (nothing observed) is left out: a # TYPE
  // line with no samples tells a scraper nothing.
  std::erase_if(all, [](const prometheus::MetricFamily& f) { return f.metric.empty(); });
  std::sort(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, all);
  return out.str();
}

}  // namespace gh::metrics
