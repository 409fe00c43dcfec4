#include "metrics/registry.h"

#include <prometheus/collectable.h>
#include <prometheus/metric_family.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>
#include <map>
#include <stdexcept>

namespace gh::metrics {
namespace {

// The text format 0.0.4, written here rather than by prometheus-cpp 1.0.1's
// TextSerializer, which writes a histogram's _count and _sum before its
// buckets (parsers that follow the reference clients' order fail on it),
// HELP text unescaped (a newline in it ends the line) and NaN as "Nan".

void AppendEscaped(std::string& out, std::string_view text, bool quote) {
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (quote && c == '"') out += "\\\"";
    else out += c;
  }
}

void AppendValue(std::string& out, double v) {
  if (std::isnan(v)) out += "NaN";
  else if (std::isinf(v)) out += v > 0 ? "+Inf" : "-Inf";
  else {
    char buf[64];
    // The shortest form that reads back exactly, in plain decimals where
    // that is short ("0.0005", as other clients write bucket bounds).
    const double a = std::fabs(v);
    const auto format = a == 0 || (a >= 1e-6 && a < 1e15) ? std::chars_format::fixed : std::chars_format::general;
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v, format);
    out.append(buf, end);
  }
}

void AppendSample(std::string& out, const std::string& name, std::string_view suffix,
                  const std::vector<prometheus::ClientMetric::Label>& labels, const char* le_name, double le,
                  double value) {
  out += name;
  out += suffix;
  if (!labels.empty() || le_name != nullptr) {
    out += '{';
    bool first = true;
    for (const auto& l : labels) {
      if (!first) out += ',';
      first = false;
      out += l.name;
      out += "=\"";
      AppendEscaped(out, l.value, true);
      out += '"';
    }
    if (le_name != nullptr) {
      if (!first) out += ',';
      out += le_name;
      out += "=\"";
      AppendValue(out, le);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  AppendValue(out, value);
  out += '\n';
}

const char* TypeName(prometheus::MetricType t) {
  switch (t) {
    case prometheus::MetricType::Counter: return "counter";
    case prometheus::MetricType::Gauge: return "gauge";
    case prometheus::MetricType::Histogram: return "histogram";
    case prometheus::MetricType::Summary: return "summary";
    default: return "untyped";
  }
}

void AppendFamily(std::string& out, const prometheus::MetricFamily& f) {
  out += "# HELP ";
  out += f.name;
  out += ' ';
  AppendEscaped(out, f.help, false);
  out += "\n# TYPE ";
  out += f.name;
  out += ' ';
  out += TypeName(f.type);
  out += '\n';
  for (const auto& m : f.metric) {
    switch (f.type) {
      case prometheus::MetricType::Counter:
        AppendSample(out, f.name, "", m.label, nullptr, 0, m.counter.value);
        break;
      case prometheus::MetricType::Gauge:
        AppendSample(out, f.name, "", m.label, nullptr, 0, m.gauge.value);
        break;
      case prometheus::MetricType::Histogram:
        // prometheus-cpp's last bucket is +Inf; cumulative counts.
        for (const auto& b : m.histogram.bucket)
          AppendSample(out, f.name, "_bucket", m.label, "le", b.upper_bound, static_cast<double>(b.cumulative_count));
        AppendSample(out, f.name, "_sum", m.label, nullptr, 0, m.histogram.sample_sum);
        AppendSample(out, f.name, "_count", m.label, nullptr, 0, static_cast<double>(m.histogram.sample_count));
        break;
      default:
        AppendSample(out, f.name, "", m.label, nullptr, 0, m.untyped.value);
        break;
    }
  }
}

}  // namespace

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
  std::string out;
  for (const auto& f : all) AppendFamily(out, f);
  return out;
}

}  // namespace gh::metrics
