// Graph licensing routes in-process: subscribedSkus, assignLicense (users and
// groups) with Graph's exact errors, licenseDetails, $select of
// assignedLicenses / licenseAssignmentStates, the SKU admin routes, bad input
// changing nothing, and tenant confinement.
#include <gtest/gtest.h>

#include "licensing/licensing_service.h"
#include "support/test_env.h"

namespace gh::api {
namespace {

using gh::testing::TestEnv;
namespace json = boost::json;
constexpr const char* kSales = "1e1a282c-9c54-43a2-9310-98ef728faace";

class LicensingApiTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");

  void SetUp() override {
    auto r = env.Call("POST", "/api/v1/skus", contoso.token, R"({"skuPartNumber":"DYN365_ENTERPRISE_SALES","prepaidUnits":2})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  std::string CreateUser(const std::string& nick, const std::string& extra = R"(,"usageLocation":"NO")") {
    env.clock.Advance(1000);  // group members are served in creation order
    auto r = env.Call("POST", "/v1.0/users", contoso.token,
                      R"({"accountEnabled":true,"displayName":")" + nick + R"(","mailNickname":")" + nick +
                          R"(","userPrincipalName":")" + nick +
                          R"(@contoso.test","passwordProfile":{"password":"Str0ng-Passw0rd!"})" + extra + "}");
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
    auto r = env.Call("POST", "/v1.0/groups/" + group + "/members/$ref", contoso.token,
                      R"({"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/)" + member + R"("})");
    ASSERT_EQ(r.status, 204) << r.body;
  }
  static std::string Assign(const std::string& sku) {
    return R"({"addLicenses":[{"skuId":")" + sku + R"(","disabledPlans":[]}],"removeLicenses":[]})";
  }
  void ExpectGraphError(const http::Response& r, const std::string& message) {
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(TestEnv::ErrorCode(r), "Request_BadRequest");
    EXPECT_EQ(TestEnv::Json(r).at("error").at("message").as_string(), message) << r.body;
  }
  json::object Sku(const TestEnv::TenantHandle& t = {}) {
    auto r = env.Call("GET", "/v1.0/subscribedSkus", contoso.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return TestEnv::Json(r).at("value").at(0).as_object();
  }
};

TEST_F(LicensingApiTest, SubscribedSkusShape) {
  auto sku = Sku();
  EXPECT_EQ(sku.at("id").as_string(), contoso.res.tenant.id + "_" + kSales);
  EXPECT_EQ(sku.at("skuPartNumber").as_string(), "DYN365_ENTERPRISE_SALES");
  EXPECT_EQ(sku.at("appliesTo").as_string(), "User");
  EXPECT_EQ(sku.at("capabilityStatus").as_string(), "Enabled");
  EXPECT_EQ(sku.at("consumedUnits").as_int64(), 0);
  EXPECT_EQ(sku.at("prepaidUnits").at("enabled").as_int64(), 2);
  EXPECT_TRUE(sku.at("prepaidUnits").as_object().contains("lockedOut"));
  auto plans = sku.at("servicePlans").as_array();
  ASSERT_FALSE(plans.empty());
  EXPECT_TRUE(plans[0].as_object().contains("servicePlanId"));
  EXPECT_EQ(plans[0].at("provisioningStatus").as_string(), "Success");
  auto sel = TestEnv::Json(env.Call("GET", "/v1.0/subscribedSkus?$select=skuId", contoso.token));
  EXPECT_EQ(sel.at("value").at(0).as_object().size(), 1u);
  EXPECT_EQ(env.Call("GET", "/v1.0/subscribedSkus?$filter=skuId%20eq%20'x'", contoso.token).status, 400);
  // Fabrikam sees none of Contoso's subscriptions.
  EXPECT_TRUE(TestEnv::Json(env.Call("GET", "/v1.0/subscribedSkus", fabrikam.token)).at("value").as_array().empty());
}

TEST_F(LicensingApiTest, AssignLicenseErrorsAsGraph) {
  std::string nowhere = CreateUser("nowhere", "");
  ExpectGraphError(env.Call("POST", "/v1.0/users/" + nowhere + "/assignLicense", contoso.token, Assign(kSales)),
                   "License assignment cannot be done for user with invalid usage location.");
  std::string a = CreateUser("a"), b = CreateUser("b"), c = CreateUser("c");
  std::string unknown = "11111111-2222-3333-4444-555555555555";
  ExpectGraphError(env.Call("POST", "/v1.0/users/" + a + "/assignLicense", contoso.token, Assign(unknown)),
                   "License " + unknown + " does not correspond to a valid company License.");
  auto ok = env.Call("POST", "/v1.0/users/" + a + "/assignLicense", contoso.token, Assign(kSales));
  ASSERT_EQ(ok.status, 200) << ok.body;
  EXPECT_EQ(TestEnv::Json(ok).at("id").as_string(), a);
  EXPECT_EQ(TestEnv::Json(ok).at("assignedLicenses").at(0).at("skuId").as_string(), kSales);
  ASSERT_EQ(env.Call("POST", "/v1.0/users/b@contoso.test/assignLicense", contoso.token, Assign(kSales)).status, 200);
  ExpectGraphError(env.Call("POST", "/v1.0/users/" + c + "/assignLicense", contoso.token, Assign(kSales)),
                   std::string("Subscription with SKU ") + kSales + " does not have any available licenses.");
  // Bad disabledPlans, missing keys, wrong types, unknown properties: 400, nothing changes.
  for (const std::string& body :
       {std::string(R"({"addLicenses":[{"skuId":")") + kSales +
            R"(","disabledPlans":["99999999-9999-9999-9999-999999999999"]}],"removeLicenses":[]})",
        std::string(R"({"addLicenses":[]})"), std::string(R"({"removeLicenses":[]})"),
        std::string(R"({"addLicenses":{},"removeLicenses":[]})"),
        std::string(R"({"addLicenses":[{"skuId":42}],"removeLicenses":[]})"),
        std::string(R"({"addLicenses":[{"skuId":"not-a-guid"}],"removeLicenses":[]})"),
        std::string(R"({"addLicenses":[],"removeLicenses":[],"extra":1})"), std::string("[]")}) {
    auto r = env.Call("POST", "/v1.0/users/" + c + "/assignLicense", contoso.token, body);
    EXPECT_EQ(r.status, 400) << body << " → " << r.body;
  }
  EXPECT_EQ(env.Call("POST", "/v1.0/users/" + fabrikam.res.admin.id + "/assignLicense", contoso.token, Assign(kSales)).status,
            404);  // another tenant's user
  EXPECT_EQ(Sku().at("consumedUnits").as_int64(), 2);
  // Removing frees the seat.
  ASSERT_EQ(env.Call("POST", "/v1.0/users/" + b + "/assignLicense", contoso.token,
                     std::string(R"({"addLicenses":[],"removeLicenses":[")") + kSales + R"("]})")
                .status,
            200);
  EXPECT_EQ(Sku().at("consumedUnits").as_int64(), 1);
  auto details = TestEnv::Json(env.Call("GET", "/v1.0/users/" + a + "/licenseDetails", contoso.token));
  EXPECT_EQ(details.at("value").at(0).at("skuPartNumber").as_string(), "DYN365_ENTERPRISE_SALES");
  EXPECT_TRUE(TestEnv::Json(env.Call("GET", "/v1.0/users/" + b + "/licenseDetails", contoso.token))
                  .at("value").as_array().empty());
}

TEST_F(LicensingApiTest, GroupLicensingWithInheritedLocationAndCountViolation) {
  std::string g = CreateGroup("Sales"), g2 = CreateGroup("AlsoSales");
  // Created last, so it is served last (see licensing_service.h on ordering).
  std::string first = CreateUser("first"), third = CreateUser("third"), guest = CreateUser("guest", "");
  ASSERT_EQ(env.Call("PATCH", "/v1.0/users/" + guest, contoso.token, R"({"userType":"Guest"})").status, 204);
  for (const auto& u : {first, guest, third}) AddMember(g, u);
  AddMember(g2, first);
  auto r = env.Call("POST", "/v1.0/groups/" + g + "/assignLicense", contoso.token, Assign(kSales));
  ASSERT_EQ(r.status, 202) << r.body;
  ASSERT_EQ(env.Call("POST", "/v1.0/groups/" + g2 + "/assignLicense", contoso.token, Assign(kSales)).status, 202);
  auto states = [&](const std::string& id) {
    return TestEnv::Json(env.Call("GET", "/v1.0/users/" + id + "?$select=assignedLicenses,licenseAssignmentStates",
                                  contoso.token));
  };
  // The guest has no usage location and the tenant none either.
  EXPECT_EQ(states(guest).at("licenseAssignmentStates").at(0).at("error").as_string(),
            "ProhibitedInUsageLocationViolation");
  EXPECT_EQ(Sku().at("consumedUnits").as_int64(), 2);  // first (two groups, one seat) + third
  ASSERT_EQ(env.Call("PATCH", "/v1.0/organization/" + contoso.res.tenant.id, contoso.token,
                     R"({"defaultUsageLocation":"NO"})").status,
            204);
  auto s = states(guest);
  EXPECT_EQ(s.at("licenseAssignmentStates").at(0).at("state").as_string(), "Error");
  EXPECT_EQ(s.at("licenseAssignmentStates").at(0).at("error").as_string(), "CountViolation");
  EXPECT_EQ(s.at("licenseAssignmentStates").at(0).at("assignedByGroup").as_string(), g);
  EXPECT_TRUE(s.at("assignedLicenses").as_array().empty());
  auto f = states(first);
  EXPECT_EQ(f.at("assignedLicenses").as_array().size(), 1u);
  EXPECT_EQ(f.at("licenseAssignmentStates").as_array().size(), 2u);
  // More seats through the admin API: the guest becomes Active.
  ASSERT_EQ(env.Call("PATCH", std::string("/api/v1/skus/") + kSales, contoso.token, R"({"prepaidUnits":3})").status, 200);
  EXPECT_EQ(states(guest).at("licenseAssignmentStates").at(0).at("state").as_string(), "Active");
  EXPECT_EQ(Sku().at("consumedUnits").as_int64(), 3);
  // Bad organization updates.
  EXPECT_EQ(env.Call("PATCH", "/v1.0/organization/" + contoso.res.tenant.id, contoso.token,
                     R"({"defaultUsageLocation":"XX"})").status, 400);
  EXPECT_EQ(env.Call("PATCH", "/v1.0/organization/" + fabrikam.res.tenant.id, contoso.token,
                     R"({"defaultUsageLocation":"NO"})").status, 404);
}

TEST_F(LicensingApiTest, SkuAdminRoutes) {
  EXPECT_EQ(env.Call("POST", "/api/v1/skus", contoso.token, R"({"skuPartNumber":"DYN365_ENTERPRISE_SALES","prepaidUnits":2})").status,
            400);  // already subscribed
  EXPECT_EQ(env.Call("POST", "/api/v1/skus", contoso.token, R"({"skuPartNumber":"NOPE","prepaidUnits":2})").status, 400);
  EXPECT_EQ(env.Call("POST", "/api/v1/skus", contoso.token, R"({"skuPartNumber":"SPE_E3","prepaidUnits":"2"})").status, 400);
  EXPECT_EQ(env.Call("PATCH", std::string("/api/v1/skus/") + kSales, contoso.token, R"({"prepaidUnits":-1})").status, 400);
  EXPECT_EQ(env.Call("PATCH", std::string("/api/v1/skus/") + kSales, fabrikam.token, R"({"prepaidUnits":9})").status, 404);
  auto r = env.Call("POST", "/api/v1/skus", contoso.token, R"({"skuId":"05e9a617-0261-4cee-bb44-138d3ef5d965","prepaidUnits":50})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto list = TestEnv::Json(env.Call("GET", "/api/v1/skus", contoso.token));
  EXPECT_EQ(list.at("value").as_array().size(), 2u);
  EXPECT_EQ(Sku().at("prepaidUnits").at("enabled").as_int64(), 2);
  // Audited.
  auto audit = TestEnv::Json(env.Call("GET", "/v1.0/auditLogs/directoryAudits?$filter=category%20eq%20'LicenseManagement'",
                                      contoso.token));
  EXPECT_GE(audit.at("value").as_array().size(), 2u) << audit;
}

}  // namespace
}  // namespace gh::api
