// /api/v1/environments in-process: CRUD with the Default environment rules,
// securityGroupId validation and re-evaluation, security roles, role
// assignment refused for a disabled user, the access review of a guest
// Environment Maker and its removal, bad input, and tenant confinement.
#include <gtest/gtest.h>

#include "support/test_env.h"

namespace gh::api {
namespace {

using gh::testing::TestEnv;
namespace json = boost::json;
constexpr const char* kSales = "1e1a282c-9c54-43a2-9310-98ef728faace";

class EnvironmentsApiTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");

  std::string CreateUser(const std::string& nick) {
    auto r = env.Call("POST", "/v1.0/users", contoso.token,
                      R"({"accountEnabled":true,"displayName":")" + nick + R"(","mailNickname":")" + nick +
                          R"(","userPrincipalName":")" + nick +
                          R"(@contoso.test","usageLocation":"NO","passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(TestEnv::Json(r).at("id").as_string());
  }
  std::string CreateGroup(const std::string& name) {
    auto r = env.Call("POST", "/v1.0/groups", contoso.token,
                      R"({"displayName":")" + name + R"(","mailNickname":")" + name +
                          R"(","mailEnabled":false,"securityEnabled":true})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(TestEnv::Json(r).at("id").as_string());
  }
  void AddMember(const std::string& group, const std::string& member) {
    ASSERT_EQ(env.Call("POST", "/v1.0/groups/" + group + "/members/$ref", contoso.token,
                       R"({"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/)" + member + R"("})")
                  .status,
              204);
  }
  json::array List(const std::string& path, const std::string& token) {
    auto r = env.Call("GET", path, token);
    EXPECT_EQ(r.status, 200) << r.body;
    return TestEnv::Json(r).at("value").as_array();
  }
  std::string DefaultId() {
    for (const auto& e : List("/api/v1/environments", contoso.token))
      if (e.at("type").as_string() == "Default") return std::string(e.at("id").as_string());
    return "";
  }
  std::string RoleId(const std::string& env_id, const std::string& name) {
    for (const auto& r : List("/api/v1/environments/" + env_id + "/securityRoles", contoso.token))
      if (r.at("name").as_string() == name) return std::string(r.at("id").as_string());
    return "";
  }
};

TEST_F(EnvironmentsApiTest, CrudAndDefaultRules) {
  auto all = List("/api/v1/environments", contoso.token);
  ASSERT_EQ(all.size(), 1u);  // the Default one, created on first use
  std::string def = DefaultId();
  EXPECT_EQ(env.Call("DELETE", "/api/v1/environments/" + def, contoso.token).status, 400);
  std::string g = CreateGroup("Sales");
  EXPECT_EQ(env.Call("PATCH", "/api/v1/environments/" + def, contoso.token, R"({"securityGroupId":")" + g + R"("})").status,
            400);
  auto r = env.Call("POST", "/api/v1/environments", contoso.token,
                    R"({"displayName":"Contoso Sales","uniqueName":"contoso-sales","type":"Production","dataverse":true,"securityGroupId":")" +
                        g + R"("})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto e = TestEnv::Json(r);
  EXPECT_EQ(e.at("url").as_string(), std::string(TestEnv::kBase) + "/env/contoso-sales");
  EXPECT_EQ(e.at("securityGroupId").as_string(), g);
  std::string id(e.at("id").as_string());
  EXPECT_EQ(List("/api/v1/environments/" + id + "/securityRoles", contoso.token).size(), 9u);
  // Bad input: 4xx, nothing created.
  for (const std::string& body :
       {std::string(R"({"displayName":"X","uniqueName":"contoso-sales"})"),  // taken
        std::string(R"({"displayName":"X","uniqueName":"Upper Case"})"),
        std::string(R"({"displayName":"X","type":"Default"})"), std::string(R"({"displayName":"X","type":"Galaxy"})"),
        std::string(R"({"displayName":"X","dataverse":"yes"})"), std::string(R"({"displayName":"X","color":"red"})"),
        std::string(R"({"displayName":"X","type":"Developer","securityGroupId":")") + g + "\"}",
        std::string(R"({"displayName":"X","securityGroupId":"not-a-guid"})"),
        std::string(R"({"displayName":"X","securityGroupId":")") + fabrikam.res.tenant.id + "\"}",
        std::string(R"({"uniqueName":"no-name"})"), std::string("[]")}) {
    auto bad = env.Call("POST", "/api/v1/environments", contoso.token, body);
    EXPECT_EQ(bad.status, 400) << body << " → " << bad.body;
    EXPECT_FALSE(TestEnv::ErrorCode(bad).empty());
  }
  EXPECT_EQ(List("/api/v1/environments", contoso.token).size(), 2u);
  EXPECT_EQ(env.Call("PATCH", "/api/v1/environments/" + id, contoso.token, R"({"uniqueName":"renamed"})").status, 400);
  EXPECT_EQ(env.Call("PATCH", "/api/v1/environments/" + id, contoso.token, R"({"state":"asleep"})").status, 400);
  auto p = env.Call("PATCH", "/api/v1/environments/" + id, contoso.token, R"({"state":"adminMode","securityGroupId":null})");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_TRUE(TestEnv::Json(p).at("securityGroupId").is_null());
  // Tenant confinement: Fabrikam neither sees nor changes Contoso's environment.
  EXPECT_EQ(env.Call("GET", "/api/v1/environments/" + id, fabrikam.token).status, 404);
  EXPECT_EQ(env.Call("DELETE", "/api/v1/environments/" + id, fabrikam.token).status, 404);
  EXPECT_EQ(List("/api/v1/environments", fabrikam.token).size(), 1u);
  EXPECT_EQ(env.Call("GET", "/api/v1/environments/not-an-id", contoso.token).status, 404);
  EXPECT_EQ(env.Call("DELETE", "/api/v1/environments/" + id, contoso.token).status, 204);
  EXPECT_EQ(env.Call("GET", "/api/v1/environments/" + id, contoso.token).status, 404);
  EXPECT_EQ(env.Call("GET", "/api/v1/environments", "").status, 401);
}

TEST_F(EnvironmentsApiTest, UsersSecurityGroupAndReevaluation) {
  ASSERT_EQ(env.Call("POST", "/api/v1/skus", contoso.token, R"({"skuPartNumber":"DYN365_ENTERPRISE_SALES","prepaidUnits":5})").status, 201);
  std::string g = CreateGroup("Sales"), other = CreateGroup("Other");
  std::string in = CreateUser("in"), out = CreateUser("out");
  AddMember(g, in);
  for (const auto& u : {in, out})
    ASSERT_EQ(env.Call("POST", "/v1.0/users/" + u + "/assignLicense", contoso.token,
                       std::string(R"({"addLicenses":[{"skuId":")") + kSales + R"("}],"removeLicenses":[]})").status,
              200);
  std::string unlicensed = CreateUser("unlicensed");
  auto r = env.Call("POST", "/api/v1/environments", contoso.token,
                    R"({"displayName":"Sales","type":"Sandbox","dataverse":true,"securityGroupId":")" + g + R"("})");
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id(TestEnv::Json(r).at("id").as_string());
  std::string users = "/api/v1/environments/" + id + "/users";
  auto add = env.Call("POST", users, contoso.token, R"({"userId":")" + in + R"("})");
  ASSERT_EQ(add.status, 201) << add.body;
  EXPECT_EQ(TestEnv::Json(add).at("addedBy").as_string(), "admin");
  auto refused = env.Call("POST", users, contoso.token, R"({"userId":")" + out + R"("})");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("security group"), std::string::npos) << refused.body;
  refused = env.Call("POST", users, contoso.token, R"({"userId":")" + unlicensed + R"("})");
  EXPECT_EQ(refused.status, 400);
  EXPECT_NE(refused.body.find("licence"), std::string::npos) << refused.body;
  EXPECT_EQ(env.Call("POST", users, contoso.token, R"({"userId":42})").status, 400);
  EXPECT_EQ(List(users, contoso.token).size(), 1u);
  // Changing the group disables non-members (the record stays).
  ASSERT_EQ(env.Call("PATCH", "/api/v1/environments/" + id, contoso.token, R"({"securityGroupId":")" + other + R"("})").status,
            200);
  auto records = List(users, contoso.token);
  ASSERT_EQ(records.size(), 1u);
  EXPECT_FALSE(records[0].at("enabled").as_bool());
  // Roles go to enabled users only.
  auto assign = env.Call("POST", "/api/v1/environments/" + id + "/roleAssignments", contoso.token,
                         R"({"principalId":")" + in + R"(","roleId":")" + RoleId(id, "Basic User") + R"("})");
  EXPECT_EQ(assign.status, 400) << assign.body;
  // Just-in-time sync for the out user: refused, no record.
  auto sync = TestEnv::Json(env.Call("POST", users + "/" + out + "/sync", contoso.token));
  EXPECT_FALSE(sync.at("entitled").as_bool());
  EXPECT_TRUE(sync.at("record").is_null());
  EXPECT_EQ(env.Call("DELETE", users + "/" + in, contoso.token).status, 204);
  EXPECT_EQ(env.Call("DELETE", users + "/" + in, contoso.token).status, 404);
}

TEST_F(EnvironmentsApiTest, AccessReviewOfGuestMakersAndRemoval) {
  std::string def = DefaultId();
  std::string guest = CreateUser("guest"), member = CreateUser("member"), viaGroup = CreateUser("viagroup");
  ASSERT_EQ(env.Call("PATCH", "/v1.0/users/" + guest, contoso.token, R"({"userType":"Guest"})").status, 204);
  ASSERT_EQ(env.Call("PATCH", "/v1.0/users/" + viaGroup, contoso.token, R"({"userType":"Guest"})").status, 204);
  std::string makers = CreateGroup("Makers");
  AddMember(makers, viaGroup);
  std::string ra = "/api/v1/environments/" + def + "/roleAssignments";
  std::string maker = RoleId(def, "Environment Maker");
  ASSERT_FALSE(maker.empty());
  for (const auto& p : {guest, member, makers}) {
    auto r = env.Call("POST", ra, contoso.token, R"({"principalId":")" + p + R"(","roleId":")" + maker + R"("})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  EXPECT_EQ(env.Call("POST", ra, contoso.token, R"({"principalId":")" + guest + R"(","roleId":")" + maker + R"("})").status,
            400);  // already held
  EXPECT_EQ(env.Call("POST", ra, contoso.token, R"({"principalId":")" + fabrikam.res.admin.id + R"(","roleId":")" + maker + R"("})").status,
            400);  // not of this tenant
  EXPECT_EQ(env.Call("POST", ra, contoso.token, R"({"principalId":")" + guest + R"(","roleId":"x","extra":1})").status, 400);

  auto review = List(ra + "?role=Environment%20Maker&userType=Guest", contoso.token);
  ASSERT_EQ(review.size(), 2u);
  std::string direct_id, inherited_id;
  for (const auto& h : review) {
    EXPECT_EQ(h.at("userType").as_string(), "Guest");
    EXPECT_EQ(h.at("roleName").as_string(), "Environment Maker");
    EXPECT_TRUE(h.as_object().contains("assignedDateTime"));
    if (h.at("assignedVia").as_string() == "direct") direct_id = std::string(h.at("id").as_string());
    else {
      EXPECT_EQ(h.at("groupDisplayName").as_string(), "Makers");
      inherited_id = std::string(h.at("id").as_string());
    }
  }
  ASSERT_FALSE(direct_id.empty());
  ASSERT_FALSE(inherited_id.empty());
  EXPECT_EQ(List(ra + "?role=" + maker, contoso.token).size(), 3u);
  EXPECT_EQ(env.Call("GET", ra + "?role=Pilot", contoso.token).status, 400);
  EXPECT_EQ(env.Call("GET", ra + "?userType=Alien", contoso.token).status, 400);

  auto removed = env.Call("POST", ra + "/remove", contoso.token,
                          R"({"assignmentIds":[")" + direct_id + R"(",")" + inherited_id +
                              R"(","00000000-0000-0000-0000-000000000001"]})");
  ASSERT_EQ(removed.status, 200) << removed.body;
  auto results = TestEnv::Json(removed).at("value").as_array();
  EXPECT_EQ(results[0].at("result").as_string(), "removed");
  EXPECT_EQ(results[1].at("result").as_string(), "inheritedFromGroup");
  EXPECT_NE(std::string(results[1].at("message").as_string()).find("Makers"), std::string::npos);
  EXPECT_EQ(results[2].at("result").as_string(), "notFound");
  review = List(ra + "?role=Environment%20Maker&userType=Guest", contoso.token);
  ASSERT_EQ(review.size(), 1u);
  EXPECT_EQ(review[0].at("assignedVia").as_string(), "group");
  EXPECT_EQ(env.Call("POST", ra + "/remove", contoso.token, R"({"assignmentIds":"x"})").status, 400);
  EXPECT_EQ(env.Call("POST", ra + "/remove", contoso.token, R"({"assignmentIds":[]})").status, 400);
  // Custom roles.
  auto custom = env.Call("POST", "/api/v1/environments/" + def + "/securityRoles", contoso.token,
                         R"({"name":"App Sharer","privileges":["shareApps"]})");
  ASSERT_EQ(custom.status, 201) << custom.body;
  EXPECT_FALSE(TestEnv::Json(custom).at("isPredefined").as_bool());
  EXPECT_EQ(env.Call("POST", "/api/v1/environments/" + def + "/securityRoles", contoso.token,
                     R"({"name":"Bad","privileges":["teleport"]})").status,
            400);
  // Audited.
  auto audit = TestEnv::Json(env.Call(
      "GET", "/v1.0/auditLogs/directoryAudits?$filter=category%20eq%20'EnvironmentManagement'", contoso.token));
  EXPECT_GE(audit.at("value").as_array().size(), 5u);
}

}  // namespace
}  // namespace gh::api
