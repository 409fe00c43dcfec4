#pragma once
// The whole route table, in one place: the API's routes and the web's
// pages, joined by the composition root (api/ and web/ never include each
// other).
#include <string>
#include <vector>

#include "api/services.h"
#include "http/router.h"
#include "metrics/registry.h"

namespace gh::app {

// GET /metrics, served when `registry` is set (app/metrics.h: MetricsRoute).
struct MetricsEndpoint {
  const metrics::Registry* registry = nullptr;
  std::string scrape_token;  // empty: loopback scrapers only
};

std::vector<http::Route> AllRoutes(api::Services& s, const MetricsEndpoint& metrics = {});
// Graph-shaped errors for /v1.0 and /api/v1 and everything else.
http::Response RenderError(const http::Request& req, const Status& s);

}  // namespace gh::app
