// Graph's Status → HTTP status: the shared table (http/status_code.h) with
// Graph's one difference, conflicts as 400 Request_BadRequest.
#include "api/graph/errors.h"

#include <gtest/gtest.h>

#include "http/status_code.h"

namespace gh::api {
namespace {

TEST(GraphHttpStatusTest, ConflictsAre400UnlessTheReasonSaysConflict) {
  EXPECT_EQ(HttpStatusFor(AlreadyExists("x")), 400);
  EXPECT_EQ(HttpStatusFor(FailedPrecondition("x")), 400);
  EXPECT_EQ(HttpStatusFor(AlreadyExists("x", "Request_Conflict")), 409);
}

TEST(GraphHttpStatusTest, OtherwiseTheSharedTable) {
  for (const Status& s : {InvalidArgument("x"), Unauthenticated("x"), PermissionDenied("x"), NotFound("x"),
                          ResourceExhausted("x"), Internal("x"), Unavailable("x"),
                          InvalidArgument("x", "Request_MethodNotAllowed"),
                          InvalidArgument("x", "Request_EntityTooLarge"),
                          InvalidArgument("x", "Request_UnsupportedMediaType")})
    EXPECT_EQ(HttpStatusFor(s), http::StatusCodeFor(s)) << s.ToString();
}

}  // namespace
}  // namespace gh::api
