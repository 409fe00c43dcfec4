// Graph's JSON batching (POST /v1.0/$batch, api/graph/batch.cc) through the
// router with real tokens: each batched request is authenticated and
// authorised as if it came alone, with the batch's token; dependsOn orders
// them and a failed dependency answers 424 without running; a malformed
// batch is refused whole and changes nothing; a batched URL reaches Graph's
// resources only.
#include <gtest/gtest.h>

#include "support/test_env.h"

namespace gh::api {
namespace {

namespace json = boost::json;
using gh::testing::TestEnv;

class BatchTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");

  http::Response Batch(const std::string& token, const json::value& requests) {
    return env.Call("POST", "/v1.0/$batch", token, json::serialize(json::object{{"requests", requests}}));
  }
  // The batch's answers by request id.
  static std::map<std::string, json::object> Answers(const http::Response& r) {
    EXPECT_EQ(r.status, 200) << r.body;
    std::map<std::string, json::object> out;
    if (r.status != 200) return out;
    const json::value body = TestEnv::Json(r);
    for (const auto& a : body.at("responses").as_array())
      out[std::string(a.at("id").as_string())] = a.as_object();
    return out;
  }
  static int StatusOf(const json::object& answer) { return static_cast<int>(answer.at("status").to_number<int>()); }
  int CountGroupsNamed(const std::string& name) {
    auto r = env.Call("GET", "/v1.0/groups?$filter=displayName%20eq%20'" + name + "'", contoso.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return static_cast<int>(TestEnv::Json(r).at("value").as_array().size());
  }
  static json::value Group(const std::string& name) {
    return json::object{{"displayName", name}, {"mailNickname", name}, {"mailEnabled", false}, {"securityEnabled", true}};
  }
  static const json::object kJson;
};

const json::object BatchTest::kJson{{"Content-Type", "application/json"}};

TEST_F(BatchTest, EachRequestIsAnsweredWithItsOwnStatusHeadersAndBody) {
  auto r = Batch(contoso.token,
                 json::array{json::object{{"id", "1"}, {"method", "GET"}, {"url", "/users?$select=id,displayName"}},
                             json::object{{"id", "2"},
                                          {"method", "POST"},
                                          {"url", "groups"},
                                          {"headers", kJson},
                                          {"body", Group("Batched")}},
                             json::object{{"id", "3"}, {"method", "GET"}, {"url", "/users/nobody@contoso.test"}}});
  auto answers = Answers(r);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(StatusOf(answers["1"]), 200);
  EXPECT_FALSE(answers["1"].at("body").at("value").as_array().empty());
  EXPECT_EQ(StatusOf(answers["2"]), 201);
  EXPECT_EQ(answers["2"].at("body").at("displayName").as_string(), "Batched");
  EXPECT_TRUE(answers["2"].at("headers").as_object().contains("Content-Type"));
  EXPECT_EQ(StatusOf(answers["3"]), 404);
  EXPECT_EQ(answers["3"].at("body").at("error").at("code").as_string(), "Request_ResourceNotFound");
  EXPECT_EQ(CountGroupsNamed("Batched"), 1);
}

TEST_F(BatchTest, EachRequestIsAuthorisedOnItsOwnWithTheBatchsToken) {
  // An app without directory permissions may send a batch, but nothing in it passes.
  auto weak = env.clients->RegisterConfidential(directory::Actor::System(), contoso.res.tenant.id, "Reader", {});
  ASSERT_TRUE(weak.ok());
  auto tok = env.tokens->ClientCredentials("contoso.test", weak->client.app_id, weak->secret,
                                           "https://graph.microsoft.com/.default");
  ASSERT_TRUE(tok.ok());
  auto answers = Answers(Batch(
      tok->access_token,
      json::array{json::object{{"id", "read"}, {"method", "GET"}, {"url", "/users"}},
                  json::object{{"id", "write"}, {"method", "POST"}, {"url", "/groups"}, {"headers", kJson}, {"body", Group("Weak")}}}));
  EXPECT_EQ(StatusOf(answers["read"]), 403);
  EXPECT_EQ(StatusOf(answers["write"]), 403);
  EXPECT_EQ(answers["write"].at("body").at("error").at("code").as_string(), "Authorization_RequestDenied");
  EXPECT_EQ(CountGroupsNamed("Weak"), 0);

  // A token named inside a request is ignored: the batch's token is the caller.
  answers = Answers(Batch(
      tok->access_token,
      json::array{json::object{{"id", "1"},
                               {"method", "GET"},
                               {"url", "/users"},
                               {"headers", json::object{{"Authorization", "Bearer " + contoso.token}}}}}));
  EXPECT_EQ(StatusOf(answers["1"]), 403);

  // Another tenant's batch sees its own tenant only.
  answers = Answers(Batch(fabrikam.token, json::array{json::object{
                                              {"id", "1"}, {"method", "GET"}, {"url", "/users/admin@contoso.test"}}}));
  EXPECT_EQ(StatusOf(answers["1"]), 404);

  // No token, no batch.
  EXPECT_EQ(Batch("", json::array{json::object{{"id", "1"}, {"method", "GET"}, {"url", "/users"}}}).status, 401);
}

TEST_F(BatchTest, ARequestWhoseDependencyFailedAnswers424AndDoesNotRun) {
  auto answers = Answers(Batch(
      contoso.token,
      json::array{
          // Listed first, runs last: it depends on "b".
          json::object{{"id", "c"}, {"method", "POST"}, {"url", "/groups"}, {"headers", kJson}, {"body", Group("C")}, {"dependsOn", json::array{"b"}}},
          json::object{{"id", "a"}, {"method", "GET"}, {"url", "/groups/00000000-0000-0000-0000-000000000001"}},
          json::object{{"id", "b"}, {"method", "POST"}, {"url", "/groups"}, {"headers", kJson}, {"body", Group("B")}, {"dependsOn", json::array{"A"}}},
          json::object{{"id", "d"}, {"method", "POST"}, {"url", "/groups"}, {"headers", kJson}, {"body", Group("D")}}}));
  EXPECT_EQ(StatusOf(answers["a"]), 404);
  EXPECT_EQ(StatusOf(answers["b"]), 424);
  EXPECT_EQ(StatusOf(answers["c"]), 424);  // its dependency didn't run, so it failed too
  EXPECT_EQ(StatusOf(answers["d"]), 201);
  EXPECT_EQ(CountGroupsNamed("B"), 0);
  EXPECT_EQ(CountGroupsNamed("C"), 0);
  EXPECT_EQ(CountGroupsNamed("D"), 1);

  // With the dependency met, they run in dependency order.
  answers = Answers(Batch(
      contoso.token,
      json::array{json::object{{"id", "2"}, {"method", "GET"}, {"url", "/groups?$filter=displayName%20eq%20'E'"}, {"dependsOn", json::array{"1"}}},
                  json::object{{"id", "1"}, {"method", "POST"}, {"url", "/groups"}, {"headers", kJson}, {"body", Group("E")}}}));
  EXPECT_EQ(StatusOf(answers["1"]), 201);
  ASSERT_EQ(StatusOf(answers["2"]), 200);
  EXPECT_EQ(answers["2"].at("body").at("value").as_array().size(), 1u);
}

TEST_F(BatchTest, AMalformedBatchIsRefusedWholeAndChangesNothing) {
  const json::object create{{"id", "ok"}, {"method", "POST"}, {"url", "/groups"}, {"headers", kJson}, {"body", Group("Never")}};
  auto refused = [&](const json::value& requests, const std::string& why) {
    auto r = Batch(contoso.token, requests);
    EXPECT_EQ(r.status, 400) << why << ": " << r.body;
    if (r.status == 400) {
      EXPECT_EQ(TestEnv::ErrorCode(r), "BadRequest") << why;
    }
  };
  json::array too_many;
  for (int i = 0; i < 21; ++i) too_many.push_back(json::object{{"id", std::to_string(i)}, {"method", "GET"}, {"url", "/users"}});
  too_many.push_back(create);
  refused(too_many, "21 requests");
  refused(json::array{}, "no requests");
  refused(json::array{create, json::object{{"id", "OK"}, {"method", "GET"}, {"url", "/users"}}}, "duplicate ids (ids ignore case)");
  refused(json::array{create, json::object{{"id", "x"}, {"method", "GET"}, {"url", "/users"}, {"dependsOn", json::array{"nope"}}}},
          "a dependency not in the batch");
  refused(json::array{create, json::object{{"id", "x"}, {"method", "GET"}, {"url", "/users"}, {"dependsOn", json::array{"y"}}},
                      json::object{{"id", "y"}, {"method", "GET"}, {"url", "/users"}, {"dependsOn", json::array{"x"}}}},
          "a cycle");
  refused(json::array{create, json::object{{"id", "x"}, {"method", "POST"}, {"url", "/groups"}, {"body", Group("Untyped")}}},
          "a body without Content-Type");
  refused(json::array{create, json::object{{"id", "x"}, {"method", "TRACE"}, {"url", "/users"}}}, "an unknown method");
  refused(json::array{create, json::object{{"id", "x"}, {"method", "GET"}, {"url", "https://graph.microsoft.com/v1.0/users"}}},
          "an absolute URL");
  refused(json::array{create, json::object{{"id", "x"}, {"method", "GET"}}}, "no url");
  refused(json::array{create, 7}, "a request that isn't an object");
  EXPECT_EQ(CountGroupsNamed("Never"), 0);
  EXPECT_EQ(CountGroupsNamed("Untyped"), 0);

  auto r = env.Call("POST", "/v1.0/$batch", contoso.token, "{\"requests\":");
  EXPECT_EQ(r.status, 400) << r.body;
}

TEST_F(BatchTest, ABatchedUrlReachesGraphResourcesOnly) {
  auto answers = Answers(Batch(
      contoso.token,
      json::array{json::object{{"id", "up"}, {"method", "GET"}, {"url", "/../api/v1/environments"}},
                  json::object{{"id", "encoded"}, {"method", "GET"}, {"url", "/%2e%2e/api/v1/environments"}},
                  json::object{{"id", "nested"}, {"method", "POST"}, {"url", "/$batch"}, {"headers", kJson}, {"body", json::object{{"requests", json::array{}}}}},
                  json::object{{"id", "bad"}, {"method", "GET"}, {"url", "/users/%zz"}},
                  json::object{{"id", "fine"}, {"method", "GET"}, {"url", "/users/admin@contoso.test"}}}));
  EXPECT_EQ(StatusOf(answers["up"]), 400);
  EXPECT_EQ(StatusOf(answers["encoded"]), 400);
  EXPECT_EQ(StatusOf(answers["nested"]), 400);
  EXPECT_EQ(StatusOf(answers["bad"]), 400);
  EXPECT_EQ(answers["bad"].at("body").at("error").at("code").as_string(), "BadRequest");
  EXPECT_EQ(StatusOf(answers["fine"]), 200);
}

}  // namespace
}  // namespace gh::api
