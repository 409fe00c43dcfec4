#include "http/status_code.h"

#include <gtest/gtest.h>

namespace gh::http {
namespace {

TEST(StatusCodeForTest, OneStatusPerCode) {
  EXPECT_EQ(StatusCodeFor(OkStatus()), 200);
  EXPECT_EQ(StatusCodeFor(InvalidArgument("x")), 400);
  EXPECT_EQ(StatusCodeFor(Unauthenticated("x")), 401);
  EXPECT_EQ(StatusCodeFor(PermissionDenied("x")), 403);
  EXPECT_EQ(StatusCodeFor(NotFound("x")), 404);
  EXPECT_EQ(StatusCodeFor(AlreadyExists("x")), 409);
  EXPECT_EQ(StatusCodeFor(FailedPrecondition("x")), 409);
  EXPECT_EQ(StatusCodeFor(ResourceExhausted("x")), 429);
  EXPECT_EQ(StatusCodeFor(Internal("x")), 500);
  EXPECT_EQ(StatusCodeFor(Unavailable("x")), 503);
}

TEST(StatusCodeForTest, HttpOnlyFailuresByReason) {
  EXPECT_EQ(StatusCodeFor(InvalidArgument("x", "Request_MethodNotAllowed")), 405);
  EXPECT_EQ(StatusCodeFor(InvalidArgument("x", "Request_EntityTooLarge")), 413);
  EXPECT_EQ(StatusCodeFor(InvalidArgument("x", "Request_UnsupportedMediaType")), 415);
  EXPECT_EQ(StatusCodeFor(InvalidArgument("x", "Request_BadRequest")), 400);
}

}  // namespace
}  // namespace gh::http
