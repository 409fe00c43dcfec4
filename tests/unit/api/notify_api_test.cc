// POST /api/v1/environments/{id}/notify: "Notify your invited users".
#include <gtest/gtest.h>

#include "support/test_env.h"

namespace gh::api {
namespace {

using gh::testing::TestEnv;

TEST(NotifyApiTest, EmailsTheEnvironmentUrlToEachUserInTheirLanguage) {
  TestEnv env;
  auto contoso = env.Tenant("Contoso", "contoso.test");
  auto created = env.Call("POST", "/v1.0/users", contoso.token,
                          R"({"accountEnabled":true,"displayName":"Gita","mailNickname":"gita","userPrincipalName":"gita@contoso.test",)"
                          R"("mail":"gita@example.org","preferredLanguage":"fr-FR","passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  std::string gita(TestEnv::Json(created).at("id").as_string());
  auto nomail = env.Call("POST", "/v1.0/users", contoso.token,
                         R"({"accountEnabled":true,"displayName":"Nomail","mailNickname":"nomail","userPrincipalName":"nomail@contoso.test",)"
                         R"("passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
  std::string no_mail_id(TestEnv::Json(nomail).at("id").as_string());
  auto env_created = env.Call("POST", "/api/v1/environments", contoso.token,
                              R"({"displayName":"Contoso Sales","uniqueName":"contoso-sales","type":"Production","dataverse":true})");
  ASSERT_EQ(env_created.status, 201) << env_created.body;
  std::string env_id(TestEnv::Json(env_created).at("id").as_string());

  auto r = env.Call("POST", "/api/v1/environments/" + env_id + "/notify", contoso.token,
                    R"({"userIds":[")" + gita + R"(",")" + no_mail_id + R"(","00000000-0000-4000-8000-000000000000"]})");
  ASSERT_EQ(r.status, 200) << r.body;
  auto v = TestEnv::Json(r).at("value").as_array();
  EXPECT_EQ(v[0].at("outcome").as_string(), "queued");
  EXPECT_EQ(v[1].at("outcome").as_string(), "noEmailAddress");
  EXPECT_EQ(v[2].at("outcome").as_string(), "notFound");
  ASSERT_EQ(env.sent_notices.size(), 1u);
  EXPECT_EQ(env.sent_notices[0].to, "gita@example.org");
  EXPECT_EQ(env.sent_notices[0].language, "fr-FR");
  EXPECT_EQ(env.sent_notices[0].environment_url, std::string(TestEnv::kBase) + "/env/contoso-sales");

  // Bad input changes nothing and sends nothing.
  EXPECT_EQ(env.Call("POST", "/api/v1/environments/" + env_id + "/notify", contoso.token, R"({"userIds":[]})").status, 400);
  EXPECT_EQ(env.Call("POST", "/api/v1/environments/" + env_id + "/notify", contoso.token, R"({"users":["x"]})").status, 400);
  EXPECT_EQ(env.Call("POST", "/api/v1/environments/00000000-0000-4000-8000-000000000000/notify", contoso.token,
                     R"({"userIds":[")" + gita + R"("]})").status,
            404);
  EXPECT_EQ(env.sent_notices.size(), 1u);
}

}  // namespace
}  // namespace gh::api
