// The registry and its exposition in the Prometheus text format 0.0.4: what a
// scraper reads (HELP, TYPE, escaping, cumulative buckets ending in +Inf),
// callback series, and the per-route request series the router feeds.
#include "metrics/registry.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>
#include <thread>

#include "metrics/http_metrics.h"

namespace gh::metrics {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::vector<std::string> Lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

TEST(RegistryTest, CounterAndGaugeWithHelpAndType) {
  Registry r;
  r.CounterFamily("jobs_total", "Jobs done").Add({{"kind", "a"}}).Increment(3);
  r.GaugeFamily("queue_depth", "Items waiting").Add({}).Set(7);
  std::string text = r.Expose();
  EXPECT_THAT(text, HasSubstr("# HELP jobs_total Jobs done\n# TYPE jobs_total counter\njobs_total{kind=\"a\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("# HELP queue_depth Items waiting\n# TYPE queue_depth gauge\nqueue_depth 7\n"));
}

TEST(RegistryTest, FamiliesAreSortedAndEmptyOnesLeftOut) {
  Registry r;
  r.CounterFamily("b_total", "b").Add({}).Increment();
  r.CounterFamily("a_total", "a").Add({}).Increment();
  r.CounterFamily("unused_total", "never given a series");
  std::string text = r.Expose();
  EXPECT_LT(text.find("a_total"), text.find("b_total"));
  EXPECT_THAT(text, Not(HasSubstr("unused_total")));
}

TEST(RegistryTest, LabelValuesAndHelpAreEscaped) {
  Registry r;
  r.CounterFamily("odd_total", "Help with a \\ backslash\nand a newline")
      .Add({{"path", "a\"quoted\"\\back\nline"}})
      .Increment();
  std::string text = r.Expose();
  // Text format 0.0.4: in label values \ " and newline are escaped; in HELP
  // only \ and newline.
  EXPECT_THAT(text, HasSubstr("odd_total{path=\"a\\\"quoted\\\"\\\\back\\nline\"} 1"));
  EXPECT_THAT(text, HasSubstr("# HELP odd_total Help with a \\\\ backslash\\nand a newline\n"));
  for (const auto& line : Lines(text)) EXPECT_EQ(line.find('\r'), std::string::npos);
}

TEST(RegistryTest, HistogramBucketsAreCumulativeAndEndInInf) {
  Registry r;
  Histogram& h = r.HistogramFamily("wait_seconds", "Waits").Add({{"route", "/x/{id}"}}, std::vector<double>{0.1, 1, 10});
  for (double v : {0.05, 0.1, 0.5, 2.0, 20.0}) h.Observe(v);
  std::string text = r.Expose();
  EXPECT_THAT(text, HasSubstr("# TYPE wait_seconds histogram\n"));
  // le is "less than or equal": 0.1 falls in the 0.1 bucket.
  EXPECT_THAT(text, HasSubstr("wait_seconds_bucket{route=\"/x/{id}\",le=\"0.1\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("wait_seconds_bucket{route=\"/x/{id}\",le=\"1\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("wait_seconds_bucket{route=\"/x/{id}\",le=\"10\"} 4\n"));
  EXPECT_THAT(text, HasSubstr("wait_seconds_bucket{route=\"/x/{id}\",le=\"+Inf\"} 5\n"));
  // Buckets first, then _sum and _count, as the reference clients write them.
  EXPECT_THAT(text, HasSubstr("le=\"+Inf\"} 5\nwait_seconds_sum{route=\"/x/{id}\"} 22.65\n"
                              "wait_seconds_count{route=\"/x/{id}\"} 5\n"));
}

TEST(RegistryTest, CallbacksAreReadAtScrapeTimeAndNulloptLeavesTheSeriesOut) {
  Registry r;
  double depth = 1;
  bool known = false;
  r.CallbackGauge("depth", "Depth now", {{"queue", "mail"}}, [&] { return depth; });
  r.CallbackCounter("patches_total", "Patches", {}, [&]() -> std::optional<double> {
    if (!known) return std::nullopt;
    return 42.0;
  });
  EXPECT_THAT(r.Expose(), HasSubstr("depth{queue=\"mail\"} 1\n"));
  EXPECT_THAT(r.Expose(), Not(HasSubstr("patches_total")));
  depth = 5;
  known = true;
  std::string text = r.Expose();
  EXPECT_THAT(text, HasSubstr("depth{queue=\"mail\"} 5\n"));
  EXPECT_THAT(text, HasSubstr("# TYPE patches_total counter\npatches_total 42\n"));
}

TEST(RegistryTest, SpecialValuesAreSpelledAsTheFormatSays) {
  Registry r;
  r.CallbackGauge("g", "g", {{"v", "nan"}}, [] { return std::nan(""); });
  r.CallbackGauge("g", "g", {{"v", "inf"}}, [] { return HUGE_VAL; });
  r.CallbackGauge("g", "g", {{"v", "-inf"}}, [] { return -HUGE_VAL; });
  r.CallbackGauge("g", "g", {{"v", "small"}}, [] { return 0.0005; });
  r.CallbackGauge("g", "g", {{"v", "big"}}, [] { return 12345678901.0; });
  std::string text = r.Expose();
  EXPECT_THAT(text, HasSubstr("g{v=\"nan\"} NaN\n"));
  EXPECT_THAT(text, HasSubstr("g{v=\"inf\"} +Inf\n"));
  EXPECT_THAT(text, HasSubstr("g{v=\"-inf\"} -Inf\n"));
  EXPECT_THAT(text, HasSubstr("g{v=\"small\"} 0.0005\n"));
  EXPECT_THAT(text, HasSubstr("g{v=\"big\"} 12345678901\n"));
}

TEST(RegistryTest, OneNameIsOneType) {
  Registry r;
  r.CallbackGauge("level", "A level", {}, [] { return 1.0; });
  EXPECT_THROW(r.CounterFamily("level", "again"), std::invalid_argument);
  EXPECT_THROW(r.CallbackCounter("level", "again", {}, [] { return 1.0; }), std::invalid_argument);
  r.CallbackGauge("level", "A level", {{"x", "2"}}, [] { return 2.0; });  // a second series is fine
  EXPECT_THAT(r.Expose(), HasSubstr("level{x=\"2\"} 2\n"));
}

TEST(HttpMetricsTest, CountsByRouteTemplateMethodAndStatus) {
  Registry r;
  HttpMetrics m(r, {{"GET", "/v1.0/users/{id}"}, {"POST", "/api/v1/access/check"}});
  m.Observe(0, 200, 0.002);
  m.Observe(0, 200, 0.003);
  m.Observe(0, 404, 0.001);
  m.Observe(1, 200, 0.0001);
  m.Observe(7, 200, 0.1);  // out of range: ignored
  std::string text = r.Expose();
  EXPECT_THAT(text, HasSubstr("http_requests_total{method=\"GET\",route=\"/v1.0/users/{id}\",status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("http_requests_total{method=\"GET\",route=\"/v1.0/users/{id}\",status=\"404\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("http_requests_total{method=\"POST\",route=\"/api/v1/access/check\",status=\"200\"} 1\n"));
  EXPECT_THAT(text,
              HasSubstr("http_request_duration_seconds_count{method=\"GET\",route=\"/v1.0/users/{id}\"} 3\n"));
  EXPECT_THAT(text, HasSubstr("http_request_duration_seconds_bucket{method=\"POST\",route=\"/api/v1/access/check\","
                              "le=\"0.0005\"} 1\n"));
}

TEST(HttpMetricsTest, UnmatchedRequestsCannotMakeNewSeries) {
  Registry r;
  HttpMetrics m(r, {});
  m.ObserveUnmatched("GET", 404, 0.001);
  m.ObserveUnmatched("BREW", 405, 0.001);
  m.ObserveUnmatched("X-INVENTED", 405, 0.001);
  std::string text = r.Expose();
  EXPECT_THAT(text, HasSubstr("http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1\n"));
  EXPECT_THAT(text, HasSubstr("http_requests_total{method=\"other\",route=\"unmatched\",status=\"405\"} 2\n"));
  EXPECT_THAT(text, Not(HasSubstr("BREW")));
}

TEST(HttpMetricsTest, MoreStatusesThanSlotsStillCount) {
  Registry r;
  HttpMetrics m(r, {{"GET", "/x"}});
  for (int status = 200; status < 230; ++status) m.Observe(0, status, 0.001);
  for (int status = 200; status < 230; ++status) m.Observe(0, status, 0.001);
  std::string text = r.Expose();
  EXPECT_THAT(text, HasSubstr("status=\"200\"} 2\n"));
  EXPECT_THAT(text, HasSubstr("status=\"229\"} 2\n"));
}

TEST(HttpMetricsTest, ConcurrentObservationsAreAllCounted) {
  Registry r;
  HttpMetrics m(r, {{"GET", "/x"}});
  constexpr int kThreads = 4, kEach = 20000;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kEach; ++i) m.Observe(0, i % 3 == 0 ? 404 : 200 + t, 0.001);
    });
  for (auto& t : threads) t.join();
  std::string text = r.Expose();
  EXPECT_THAT(text, HasSubstr("http_request_duration_seconds_count{method=\"GET\",route=\"/x\"} " +
                              std::to_string(kThreads * kEach) + "\n"));
  int per_404 = 0;
  for (int i = 0; i < kEach; ++i) per_404 += i % 3 == 0;
  EXPECT_THAT(text, HasSubstr("status=\"404\"} " + std::to_string(per_404 * kThreads) + "\n"));
  EXPECT_THAT(text, HasSubstr("status=\"201\"} " + std::to_string(kEach - per_404) + "\n"));
}

}  // namespace
}  // namespace gh::metrics
