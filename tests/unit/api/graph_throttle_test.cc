// Graph's write throttling (api/graph_throttle.h): the token buckets alone,
// and through a router built as the server builds it — the 151st invitation
// request in 5 seconds answers 429 with Retry-After and invites nobody, and
// the next one after the wait goes through.
#include "api/graph_throttle.h"

#include <gtest/gtest.h>

#include "app/routes.h"
#include "support/app_consent.h"
#include "support/test_env.h"

namespace gh::api {
namespace {

using gh::testing::TestEnv;

identity::Principal Caller(const std::string& tenant, const std::string& app) {
  identity::Principal p;
  p.tenant_id = tenant;
  p.app_id = app;
  return p;
}

TEST(GraphThrottleTest, RefusesOverALimitUntilItRefills) {
  FakeClock clock;
  GraphThrottle::Limits limits;
  limits.invitations_per_tenant = {3, 5'000};
  limits.writes_per_app_in_tenant = {5, 1'000'000};  // refill nothing to speak of during the test
  limits.writes_per_tenant = {8, 1'000'000};
  GraphThrottle throttle(clock, limits);

  for (int i = 0; i < 3; ++i) EXPECT_FALSE(throttle.Admit(Caller("t1", "app1"), true)) << i;
  auto refused = throttle.Admit(Caller("t1", "app1"), true);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->retry_after_seconds, 2);  // one request refills in 5/3 s
  EXPECT_EQ(refused->scope, "Tenant/Write/app1/t1");
  // Invitations are a tenant's limit, for every app.
  EXPECT_TRUE(throttle.Admit(Caller("t1", "app2"), true));
  EXPECT_FALSE(throttle.Admit(Caller("t2", "app1"), true));  // another tenant counts apart
  clock.Advance(1'700);
  EXPECT_FALSE(throttle.Admit(Caller("t1", "app1"), true));

  // Invitations are writes too: app1 has used 4 of its 5 (a refused request
  // took nothing from any bucket).
  EXPECT_FALSE(throttle.Admit(Caller("t1", "app1"), false));
  refused = throttle.Admit(Caller("t1", "app1"), false);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->scope, "Tenant_Application/Write/app1/t1");
  // app2 has its own 5, but the tenant's 8 run out first (5 taken by app1).
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(throttle.Admit(Caller("t1", "app2"), false)) << i;
  refused = throttle.Admit(Caller("t1", "app2"), false);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->scope, "Tenant/Write/app2/t1");
  clock.Advance(1'000'000);
  EXPECT_FALSE(throttle.Admit(Caller("t1", "app1"), false));
}

TEST(GraphThrottleTest, TheServersRoutesRefuseThe151stInvitationIn5Seconds) {
  TestEnv env;
  auto contoso = env.Tenant("Contoso", "contoso.test");
  const std::string admin = gh::testing::AdminUserToken(env, contoso);
  std::vector<http::Route> routes = app::AllRoutes(*env.services);
  ThrottleGraphWrites(routes, std::make_shared<GraphThrottle>(env.clock));
  http::Router router(std::move(routes), env.auth.get(), app::RenderError);
  auto call = [&](const std::string& method, const std::string& target, const std::string& token,
                  const std::string& body) {
    http::Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.headers = {{"Host", "localhost:8443"}, {"Authorization", "Bearer " + token}};
    if (!body.empty()) req.headers.emplace_back("Content-Type", "application/json");
    req.secure = true;
    req.request_id = "00000000-0000-4000-8000-000000000151";
    EXPECT_TRUE(req.ParseTarget());
    return router.Handle(req);
  };
  auto invite = [&](int i) {
    return call("POST", "/v1.0/invitations", admin,
                R"({"invitedUserEmailAddress":"g)" + std::to_string(i) +
                    R"(@example.org","inviteRedirectUrl":"https://example.org/","sendInvitationMessage":false})");
  };
  for (int i = 0; i < 150; ++i) ASSERT_EQ(invite(i).status, 201) << i;
  auto r = invite(150);
  ASSERT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(TestEnv::ErrorCode(r), "TooManyRequests");
  EXPECT_EQ(r.Header("Retry-After"), "1");
  EXPECT_FALSE(r.Header("x-ms-throttle-scope").empty());
  // Nobody was invited.
  auto found = call("GET", "/v1.0/users?$filter=mail%20eq%20'g150@example.org'", contoso.token, "");
  ASSERT_EQ(found.status, 200) << found.body;
  EXPECT_TRUE(TestEnv::Json(found).at("value").as_array().empty());
  // Reads are not throttled.
  for (int i = 0; i < 200; ++i) ASSERT_EQ(call("GET", "/v1.0/users?$top=1", contoso.token, "").status, 200);

  env.clock.Advance(1'000);
  EXPECT_EQ(invite(150).status, 201);
}

}  // namespace
}  // namespace gh::api
