#pragma once
// The one place a Status becomes a Graph error response:
//   {"error":{"code":…,"message":…,"innerError":{"date","request-id","client-request-id"}}}
// The HTTP status is the shared table's (http/status_code.h), except that
// Graph answers AlreadyExists and FailedPrecondition with 400 unless the
// reason is Request_Conflict (409), and any Status whose reason is
// Request_BadRequest with 400. A 5xx never carries the
// Status's message (logged instead, with the request id): only a generic
// sentence quoting the request id.
#include <boost/json.hpp>

#include "core/status.h"
#include "http/message.h"

namespace gh::api {

int HttpStatusFor(const Status& s);
std::string GraphErrorCode(const Status& s);
// The body alone, for responses that add to its innerError.
boost::json::object GraphErrorBody(const http::Request& req, const Status& s);
http::Response GraphError(const http::Request& req, const Status& s);

}  // namespace gh::api
