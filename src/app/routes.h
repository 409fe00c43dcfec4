#pragma once
// The whole route table, in one place: the API's routes and the web's
// pages, joined by the composition root (api/ and web/ never include each
// other).
#include <vector>

#include "api/services.h"
#include "http/router.h"

namespace gh::app {

std::vector<http::Route> AllRoutes(api::Services& s);
// Graph-shaped errors for /v1.0 and /api/v1 and everything else.
http::Response RenderError(const http::Request& req, const Status& s);

}  // namespace gh::app
