#pragma once
// The one table from a Status to an HTTP status code, shared by every
// presentation: Graph errors (api/graph/errors.h) and web pages
// (web/errors.h). By the Status's code; a few reasons name failures that only
// HTTP has (405, 413, 415), as the router and the upload routes give them.
// A presentation whose wire contract answers differently says so in its own
// mapping file, on top of this table (Graph reports conflicts as 400).
#include "core/status.h"

namespace gh::http {

// OK 200, InvalidArgument 400, Unauthenticated 401, PermissionDenied 403,
// NotFound 404, AlreadyExists and FailedPrecondition 409 (the request
// conflicts with the current state), ResourceExhausted 429, Internal 500,
// Unavailable 503.
int StatusCodeFor(const Status& s);

}  // namespace gh::http
