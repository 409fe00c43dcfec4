// The per-request cost of metrics on the router's path: Router::Handle for a
// public route over a route table of the server's size (~300 routes), with
// and without Instrument(); and HttpMetrics::Observe alone, on one thread and
// contended by two (the machine has two cores). The difference of the first
// pair is what every request pays.
#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "http/router.h"
#include "metrics/http_metrics.h"
#include "metrics/registry.h"

namespace gh::http {
namespace {

Response RenderError(const Request&, const Status& s) { return Response::Text(404, s.message()); }

std::vector<Route> Table() {
  std::vector<Route> routes;
  for (int i = 0; i < 300; ++i)
    routes.push_back({"GET", "/v1.0/thing" + std::to_string(i) + "/{id}",
                      [](RouteContext&) { return Response::Text(200, "ok"); }, Permission::Public(), "x"});
  routes.push_back({"POST", "/api/v1/access/check", [](RouteContext&) { return Response::Text(200, "{}"); },
                    Permission::Public(), "check"});
  return routes;
}

Request CheckRequest() {
  Request r;
  r.method = "POST";
  r.target = "/api/v1/access/check";
  r.ParseTarget();
  r.request_id = "11111111-2222-4333-8444-555555555555";
  return r;
}

void BM_RouterHandle(benchmark::State& state) {
  Router router(Table(), nullptr, RenderError);
  metrics::Registry registry;
  if (state.range(0) == 1) router.Instrument(registry);
  const Request req = CheckRequest();
  for (auto _ : state) benchmark::DoNotOptimize(router.Handle(req));
  state.SetLabel(state.range(0) == 1 ? "instrumented" : "plain");
}
BENCHMARK(BM_RouterHandle)->Arg(0)->Arg(1);

metrics::Registry* g_registry = nullptr;
metrics::HttpMetrics* g_metrics = nullptr;

void BM_HttpMetricsObserve(benchmark::State& state) {
  if (state.thread_index() == 0) {
    g_registry = new metrics::Registry;
    g_metrics = new metrics::HttpMetrics(*g_registry, {{"POST", "/api/v1/access/check"}});
  }
  for (auto _ : state) g_metrics->Observe(0, 200, 0.0004);
  if (state.thread_index() == 0) {
    delete g_metrics;
    delete g_registry;
  }
}
BENCHMARK(BM_HttpMetricsObserve)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace gh::http
