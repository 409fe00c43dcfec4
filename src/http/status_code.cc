#include "http/status_code.h"

namespace gh::http {

int StatusCodeFor(const Status& s) {
  const std::string& r = s.reason();
  if (r == "Request_MethodNotAllowed") return 405;
  if (r == "Request_EntityTooLarge") return 413;
  if (r == "Request_UnsupportedMediaType") return 415;
  switch (s.code()) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kUnauthenticated: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists:
    case Code::kFailedPrecondition: return 409;
    case Code::kResourceExhausted: return 429;
    case Code::kInternal: return 500;
    case Code::kUnavailable: return 503;
  }
  return 500;
}

}  // namespace gh::http
