#pragma once
// Small helpers that keep handlers to "decode → one domain call → encode".
#include <boost/json.hpp>
#include <functional>

#include "api/graph/errors.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "http/router.h"

namespace gh::api {

// Runs a handler body that returns StatusOr<Response>; errors become Graph errors.
http::Response Guard(http::RouteContext& ctx, const std::function<StatusOr<http::Response>()>& body);

http::Response JsonResponse(int status, const boost::json::object& body);

// The audit actor for the authenticated caller.
directory::Actor ActorOf(const http::RouteContext& ctx);
const std::string& TenantOf(const http::RouteContext& ctx);

}  // namespace gh::api
