// The seed's order of steps, in-process through the routes only: a Contoso
// administrator invites a Fabrikam user, the guest accepts (home sign-in →
// "Review permissions" → Accept), then tries the secured environment and is
// refused until, one step at a time, the administrator sets the usage location
// and assigns a licence, assigns the Basic User security role and adds the
// guest to the environment's security group. At every step the gate's answer
// is read twice — the troubleshooter (POST /api/v1/access/check) and the
// environment URL the guest opens (GET /env/{uniqueName}) — and each refusal
// names its failing checks, each with a remedy.
#include <gtest/gtest.h>

#include <regex>

#include "identity/graph_permissions.h"
#include "support/browser.h"
#include "support/test_env.h"

namespace gh::environments {
namespace {

using gh::testing::Field;
using gh::testing::SetCookieValue;
using gh::testing::Unescape;

using gh::testing::TestEnv;
namespace json = boost::json;

constexpr const char* kPowerAppsPerUser = "b30411f5-fea1-4a59-9ad9-3db7c7ead579";
constexpr const char* kGuestPassword = "Fabr1kam-Passw0rd!";
constexpr const char* kNoUsageLocation = "License assignment cannot be done for user with invalid usage location.";

using Ids = std::vector<std::string>;

// The data-check ids of an environment refusal page, in page order.
Ids PageCheckIds(const std::string& html) {
  Ids out;
  std::regex re("data-check=\"([^\"]+)\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

class SeedWalkthroughTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");
  std::string admin_token;  // Contoso's Global Administrator, signed in (delegated)
  gh::testing::Browser browser{*env.router, "127.0.0.3"};
  std::string& cookies = browser.cookies;  // the browser's Cookie header
  http::Response Browse(const std::string& method, const std::string& target, const std::string& body = {}) {
    return browser.Go(method, target, body);
  }

  void SetUp() override {
    identity::TokenService::UserTokenRequest req;
    req.tenant_id = contoso.res.tenant.id;
    req.client_id = std::string(wire::kCliClientId);
    req.user_id = contoso.res.admin.id;
    req.preferred_username = contoso.res.admin.user_principal_name;
    req.scopes = identity::FirstPartyAdminScopes();  // the CLI's pre-authorised scopes
    auto t = env.tokens->IssueUserTokens(req);
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    admin_token = t->access_token;

    // Alice exists at home, in Fabrikam.
    auto r = env.Call("POST", "/v1.0/users", fabrikam.token,
                      R"({"accountEnabled":true,"displayName":"Alice","mailNickname":"alice",)"
                      R"("userPrincipalName":"alice@fabrikam.test","mail":"alice@fabrikam.test",)"
                      R"("passwordProfile":{"password":")" + std::string(kGuestPassword) + R"("}})");
    ASSERT_EQ(r.status, 201) << r.body;
  }

  // An admin call (the Contoso Global Administrator's delegated token).
  http::Response Admin(const std::string& method, const std::string& target, const std::string& body = {}) {
    return env.Call(method, target, admin_token, body);
  }

  // The troubleshooter's decision for the guest opening the environment.
  json::object AccessCheck(const std::string& user_id, const std::string& env_id) {
    auto r = Admin("POST", "/api/v1/access/check",
                   R"({"userId":")" + user_id + R"(","action":"environment.access","environmentId":")" + env_id +
                       R"("})");
    EXPECT_EQ(r.status, 200) << r.body;
    return TestEnv::Json(r).as_object();
  }

  // Asserts the decision refuses with exactly `failed` (in the gate's order),
  // every failed check explained with a remedy, every other check passed.
  void ExpectRefused(const json::object& d, const Ids& failed) {
    EXPECT_FALSE(d.at("allowed").as_bool()) << json::serialize(d);
    EXPECT_EQ(d.at("action").as_string(), "environment.access");
    Ids got;
    for (const auto& id : d.at("failedChecks").as_array()) got.emplace_back(id.as_string());
    EXPECT_EQ(got, failed) << json::serialize(d);
    Ids from_checks;
    for (const auto& c : d.at("checks").as_array()) {
      const auto& o = c.as_object();
      EXPECT_FALSE(o.at("sentence").as_string().empty()) << json::serialize(o);
      if (o.at("passed").as_bool()) {
        EXPECT_TRUE(o.at("remedy").is_null()) << json::serialize(o);
        continue;
      }
      from_checks.emplace_back(o.at("id").as_string());
      ASSERT_TRUE(o.at("remedy").is_object()) << json::serialize(o);
      for (const char* k : {"what", "api", "cli"})
        EXPECT_FALSE(o.at("remedy").at(k).as_string().empty()) << k << " in " << json::serialize(o);
    }
    EXPECT_EQ(from_checks, failed);
  }

  // The remedy of one failed check.
  static json::object RemedyOf(const json::object& d, const std::string& id) {
    for (const auto& c : d.at("checks").as_array())
      if (c.at("id").as_string() == id) return c.at("remedy").as_object();
    ADD_FAILURE() << "no check " << id;
    return {};
  }

  // The guest opens the environment URL: 403 naming the same checks, each
  // with the administrator to ask and what to ask for.
  void ExpectPageRefuses(const Ids& failed) {
    auto r = Browse("GET", "/env/contoso-sales");
    ASSERT_EQ(r.status, 403) << r.body;
    EXPECT_NE(r.body.find("<h1>You can't open Contoso Sales</h1>"), std::string::npos) << r.body;
    EXPECT_EQ(PageCheckIds(r.body), failed) << r.body;
    size_t asks = 0;
    for (size_t p = 0; (p = r.body.find("Ask your administrator (admin@contoso.test) to: ", p)) != std::string::npos; ++p)
      ++asks;
    EXPECT_EQ(asks, failed.size()) << r.body;
  }
};

TEST_F(SeedWalkthroughTest, InviteAcceptThenLicenceRoleAndGroupOneRefusalAtATime) {
  // The administrator's set-up: a seat-bearing SKU, the security group and a
  // Production environment with Dataverse secured by it.
  auto r = Admin("POST", "/api/v1/skus", R"({"skuPartNumber":"POWERAPPS_PER_USER","prepaidUnits":5})");
  ASSERT_EQ(r.status, 201) << r.body;
  r = Admin("POST", "/v1.0/groups",
            R"({"displayName":"Contoso Sales","mailNickname":"contososales","mailEnabled":false,"securityEnabled":true})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string group_id(TestEnv::Json(r).at("id").as_string());
  r = Admin("POST", "/api/v1/environments",
            R"({"displayName":"Contoso Sales","uniqueName":"contoso-sales","type":"Production","dataverse":true,)"
            R"("securityGroupId":")" + group_id + R"("})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string env_id(TestEnv::Json(r).at("id").as_string());
  EXPECT_EQ(TestEnv::Json(r).at("url").as_string(), std::string(TestEnv::kBase) + "/env/contoso-sales");

  // 1. Contoso's administrator invites alice@fabrikam.test.
  r = Admin("POST", "/v1.0/invitations",
            R"J({"invitedUserEmailAddress":"alice@fabrikam.test","invitedUserDisplayName":"Alice (Fabrikam)",)J"
            R"("inviteRedirectUrl":"https://localhost:8443/env/contoso-sales","sendInvitationMessage":true})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string guest_id(TestEnv::Json(r).at("invitedUser").at("id").as_string());
  const std::string redeem_url(TestEnv::Json(r).at("inviteRedeemUrl").as_string());
  ASSERT_EQ(env.sent_invitations.size(), 1u);
  EXPECT_EQ(env.sent_invitations[0].redeem_url, redeem_url);

  // Not accepted yet: the gate says so first (licence, group and role too).
  auto d = AccessCheck(guest_id, env_id);
  ExpectRefused(d, {"invitation.accepted", "license.environmentAccess", "environment.securityGroup",
                    "environment.securityRole"});

  // 2. The guest accepts: the link → sign in at Fabrikam → Review permissions → Accept.
  r = Browse("GET", redeem_url);
  ASSERT_EQ(r.status, 302) << r.body;
  r = Browse("GET", std::string(r.Header("Location")));
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string form = "csrf=" + Field(r.body, "csrf") + "&tenant=" + Field(r.body, "tenant") + "&continue=" +
                           http::PercentEncode(Unescape(Field(r.body, "continue"))) + "&email=alice%40fabrikam.test";
  r = Browse("POST", "/login", form + "&step=email");
  ASSERT_EQ(r.status, 200) << r.body;
  r = Browse("POST", "/login", form + "&step=password&password=" + http::PercentEncode(kGuestPassword));
  ASSERT_EQ(r.status, 302) << r.body;
  auto consent = Browse("GET", std::string(r.Header("Location")));
  ASSERT_EQ(consent.status, 200) << consent.body;
  ASSERT_NE(consent.body.find("Review permissions"), std::string::npos);
  r = Browse("POST", "/redeem",
             "csrf=" + Field(consent.body, "csrf") + "&tenant=" + Field(consent.body, "tenant") +
                 "&user=" + Field(consent.body, "user") + "&ticket=" + Field(consent.body, "ticket") + "&action=accept");
  ASSERT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(r.Header("Location"), "https://localhost:8443/env/contoso-sales");
  r = Admin("GET", "/v1.0/users/" + guest_id + "?$select=externalUserState,userType,usageLocation");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(TestEnv::Json(r).at("externalUserState").as_string(), "Accepted");
  EXPECT_EQ(TestEnv::Json(r).at("userType").as_string(), "Guest");
  EXPECT_TRUE(TestEnv::Json(r).at("usageLocation").is_null());

  // 3. The guest tries the environment: refused, first for the licence.
  d = AccessCheck(guest_id, env_id);
  ExpectRefused(d, {"license.environmentAccess", "environment.securityGroup", "environment.securityRole"});
  EXPECT_NE(std::string(RemedyOf(d, "license.environmentAccess").at("what").as_string()).find("usage location"),
            std::string::npos);
  EXPECT_NE(std::string(RemedyOf(d, "license.environmentAccess").at("api").as_string())
                .find("/v1.0/users/" + guest_id + "/assignLicense"),
            std::string::npos);
  ExpectPageRefuses({"license.environmentAccess", "environment.securityGroup", "environment.securityRole"});

  // 4. Assigning the licence is refused: no usage location (Graph's error).
  const std::string assign = std::string(R"({"addLicenses":[{"skuId":")") + kPowerAppsPerUser +
                             R"(","disabledPlans":[]}],"removeLicenses":[]})";
  r = Admin("POST", "/v1.0/users/" + guest_id + "/assignLicense", assign);
  ASSERT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(TestEnv::ErrorCode(r), "Request_BadRequest");
  EXPECT_EQ(TestEnv::Json(r).at("error").at("message").as_string(), kNoUsageLocation);
  ExpectRefused(AccessCheck(guest_id, env_id),
                {"license.environmentAccess", "environment.securityGroup", "environment.securityRole"});

  // 5. Set the usage location, then the licence is assigned.
  r = Admin("PATCH", "/v1.0/users/" + guest_id, R"({"usageLocation":"GB"})");
  ASSERT_EQ(r.status, 204) << r.body;
  r = Admin("POST", "/v1.0/users/" + guest_id + "/assignLicense", assign);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(TestEnv::Json(r).at("assignedLicenses").at(0).at("skuId").as_string(), kPowerAppsPerUser);

  // 6. Refused again: no security role (and still outside the security group).
  d = AccessCheck(guest_id, env_id);
  ExpectRefused(d, {"environment.securityGroup", "environment.securityRole"});
  EXPECT_NE(std::string(RemedyOf(d, "environment.securityRole").at("api").as_string())
                .find("/api/v1/environments/" + env_id + "/roleAssignments"),
            std::string::npos);
  ExpectPageRefuses({"environment.securityGroup", "environment.securityRole"});

  // 7. Assign Basic User; refused: not in the environment's security group.
  r = Admin("POST", "/api/v1/environments/" + env_id + "/roleAssignments",
            R"({"principalId":")" + guest_id + R"(","roleId":"Basic User"})");
  ASSERT_EQ(r.status, 201) << r.body;
  d = AccessCheck(guest_id, env_id);
  ExpectRefused(d, {"environment.securityGroup"});
  EXPECT_NE(std::string(RemedyOf(d, "environment.securityGroup").at("api").as_string())
                .find("/v1.0/groups/" + group_id + "/members/$ref"),
            std::string::npos);
  ExpectPageRefuses({"environment.securityGroup"});
  // Nobody is in the environment yet: refusals create no environment user.
  r = Admin("GET", "/api/v1/environments/" + env_id + "/users");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(TestEnv::Json(r).at("value").as_array().empty()) << r.body;

  // 8. Add the guest to the security group: allowed.
  r = Admin("POST", "/v1.0/groups/" + group_id + "/members/$ref",
            R"({"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/)" + guest_id + R"("})");
  ASSERT_EQ(r.status, 204) << r.body;
  d = AccessCheck(guest_id, env_id);
  EXPECT_TRUE(d.at("allowed").as_bool()) << json::serialize(d);
  EXPECT_TRUE(d.at("failedChecks").as_array().empty());
  for (const auto& c : d.at("checks").as_array()) EXPECT_TRUE(c.at("passed").as_bool()) << json::serialize(c);

  r = Browse("GET", "/env/contoso-sales");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("Contoso Sales"), std::string::npos);
  EXPECT_NE(r.body.find("alice_fabrikam.test#EXT#@contoso.test"), std::string::npos) << r.body;
  // The first successful visit adds the guest to the environment (just in time).
  r = Admin("GET", "/api/v1/environments/" + env_id + "/users");
  ASSERT_EQ(r.status, 200) << r.body;
  const json::value listed = TestEnv::Json(r);
  const auto& users = listed.at("value").as_array();
  ASSERT_EQ(users.size(), 1u) << r.body;
  EXPECT_EQ(users[0].at("userId").as_string(), guest_id);
  EXPECT_TRUE(users[0].at("enabled").as_bool());
}

}  // namespace
}  // namespace gh::environments
