#include "api/graph/errors.h"

#include <boost/json.hpp>
#include <ctime>

#include <spdlog/spdlog.h>

#include "core/clock.h"
#include "http/status_code.h"

namespace gh::api {

int HttpStatusFor(const Status& s) {
  if (s.reason() == "Request_Conflict") return 409;
  // Graph pairs Request_BadRequest with 400 alone: a policy that refuses an
  // invitation (a blocked domain, cross-tenant settings) is a PermissionDenied
  // inside (bulk results count it as "blocked by policy"), a 400 on the wire.
  if (s.reason() == "Request_BadRequest") return 400;
  // The shared table (http/status_code.h), except that Graph reports a
  // conflict with the directory's state (a taken name, a member added twice)
  // as 400 Request_BadRequest: only Request_Conflict is a 409.
  const int status = http::StatusCodeFor(s);
  return status == 409 ? 400 : status;
}

std::string GraphErrorCode(const Status& s) {
  if (!s.reason().empty()) return s.reason();
  switch (s.code()) {
    case Code::kInvalidArgument:
    case Code::kAlreadyExists:
    case Code::kFailedPrecondition: return "Request_BadRequest";
    case Code::kNotFound: return "Request_ResourceNotFound";
    case Code::kPermissionDenied: return "Authorization_RequestDenied";
    case Code::kUnauthenticated: return "InvalidAuthenticationToken";
    case Code::kResourceExhausted: return "TooManyRequests";
    case Code::kUnavailable: return "serviceNotAvailable";
    default: return "generalException";
  }
}

boost::json::object GraphErrorBody(const http::Request& req, const Status& s) {
  boost::json::object inner{{"date", FormatIso8601(SystemClock().NowMillis())},
                            {"request-id", req.request_id},
                            {"client-request-id", req.request_id}};
  // A 5xx is the server's failure: its message may quote the database driver,
  // SQL or paths, so the client gets a generic sentence and the request id,
  // and the details go to the log under that id.
  std::string message = s.message();
  if (HttpStatusFor(s) >= 500) {
    spdlog::error("request_id={} server error answered generically: code={} reason={} detail=\"{}\"",
                  req.request_id, CodeName(s.code()), s.reason(), s.message());
    message = s.code() == Code::kUnavailable
                  ? "The service is temporarily unavailable. Try again later; quote request-id " + req.request_id +
                        " if it persists."
                  : "An unexpected error occurred. Quote request-id " + req.request_id + " when reporting it.";
  }
  boost::json::object err{{"code", GraphErrorCode(s)}, {"message", message}, {"innerError", std::move(inner)}};
  return {{"error", std::move(err)}};
}

http::Response GraphError(const http::Request& req, const Status& s) {
  auto resp = http::Response::Json(HttpStatusFor(s), boost::json::serialize(GraphErrorBody(req, s)));
  if (s.code() == Code::kResourceExhausted) resp.SetHeader("Retry-After", "5");
  return resp;
}

}  // namespace gh::api
