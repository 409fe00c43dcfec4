#pragma once
// The whole route table, in one place.
#include <vector>

#include "api/services.h"
#include "http/router.h"

namespace gh::api {

std::vector<http::Route> AllRoutes(Services& s);
// Graph-shaped errors for /v1.0 and /api/v1 and everything else.
http::Response RenderError(const http::Request& req, const Status& s);

}  // namespace gh::api
