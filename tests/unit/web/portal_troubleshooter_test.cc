// The portal's access troubleshooter in-process: a refused guest's checklist
// with the remedies and the links that fix them, the verdict changing once
// they are fixed, the User field's refusal, and who may use it.
#include <gtest/gtest.h>

#include <regex>

#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::TestEnv;
using gh::testing::Unescape;

constexpr const char* kUserPassword = "Str0ng-Passw0rd!";
constexpr const char* kPowerAppsPerUser = "b30411f5-fea1-4a59-9ad9-3db7c7ead579";

bool Has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

// The data-check ids that failed, in page order.
std::vector<std::string> FailedChecks(const std::string& html) {
  std::vector<std::string> out;
  std::regex re("data-check=\"([^\"]+)\" data-passed=\"false\"");
  for (auto it = std::sregex_iterator(html.begin(), html.end(), re); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1].str());
  return out;
}

class PortalTroubleshooterTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  const std::string tenant = contoso.res.tenant.id;
  const std::string base = "/portal/" + tenant;
  directory::Actor system = directory::Actor::System();
  gh::testing::Browser browser{*env.router, "127.0.0.31"};
  environments::Environment sales;
  directory::User ann;  // an accepted guest, without a usage location, licence or role

  void SetUp() override {
    environments::NewEnvironment in;
    in.display_name = "Contoso Sales";
    in.unique_name = "contoso-sales";
    in.dataverse = true;
    auto created = env.environments->Create(system, tenant, in);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    sales = *created;
    ASSERT_TRUE(env.licensing->AddSku(system, tenant, "POWERAPPS_PER_USER", 5).ok());
    ann.id = env.random.NewUuid();
    ann.tenant_id = tenant;
    ann.user_principal_name = "ann_partner.example#EXT#@contoso.test";
    ann.display_name = "Ann";
    ann.mail = "ann@partner.example";
    ann.user_type = directory::UserType::kGuest;
    ann.external_user_state = "Accepted";
    ann.identities = {{"emailAddress", "mail", "ann@partner.example"}};
    auto tx = env.store->Begin(store::TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    Status inserted = (*tx)->InsertUser(ann);
    ASSERT_TRUE(inserted.ok()) << inserted.ToString();
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  std::string Question(const std::string& user, const std::string& action = "environment.access") {
    return base + "/troubleshoot?user=" + http::PercentEncode(user) + "&action=" + action +
           "&environment=" + sales.id;
  }

  directory::User Member(const std::string& name, std::string_view role) {
    directory::NewUser u;
    u.user_principal_name = name + "@contoso.test";
    u.display_name = name;
    u.mail_nickname = name;
    u.password = kUserPassword;
    auto created = env.directory->CreateUser(system, tenant, u);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    EXPECT_TRUE(env.directory->AssignRole(system, tenant, std::string(role), created->id).ok());
    return *created;
  }
};

TEST_F(PortalTroubleshooterTest, ShowsARefusedGuestsChecklistWithFixesThenTheFixedVerdict) {
  auto page = browser.SignInTo(base + "/troubleshoot", "admin@contoso.test", "Adm1n-Passw0rd!");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "<label for=\"user\">User</label>"));
  EXPECT_TRUE(Has(page.body, "<option value=\"app.run\">app.run</option>"));
  EXPECT_TRUE(Has(page.body, ">Contoso Sales</option>"));
  EXPECT_FALSE(Has(page.body, "data-verdict"));  // no question yet

  auto r = browser.Go("GET", Question("ann@partner.example"));
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "data-verdict=\"denied\"><strong>Not allowed</strong>")) << r.body;
  EXPECT_EQ(FailedChecks(r.body),
            (std::vector<std::string>{"license.environmentAccess", "environment.securityRole"}));
  EXPECT_TRUE(Has(r.body, "data-check=\"account.enabled\" data-passed=\"true\""));
  const std::string html = Unescape(r.body);
  EXPECT_TRUE(Has(html, "<a href=\"" + base + "/users/" + ann.id + "#licenses\">Fix this</a>")) << r.body;
  EXPECT_TRUE(Has(html, "<a href=\"" + base + "/environments/" + sales.id + "#roles\">Fix this</a>"));
  EXPECT_TRUE(Has(html, "Assign a security role (for example Basic User) in Contoso Sales."));
  EXPECT_TRUE(Has(html, "gatehouse env assign-role contoso-sales"));

  // The fixes: a usage location and a licence, then a role.
  directory::UserPatch located;
  located.usage_location = std::optional<std::string>("US");
  ASSERT_TRUE(env.directory->UpdateUser(system, tenant, ann.id, located).ok());
  ASSERT_TRUE(
      env.licensing->AssignUserLicenses(system, tenant, ann.id, {{{kPowerAppsPerUser, {}}}, {}}).ok());
  r = browser.Go("GET", Question(ann.id));
  EXPECT_EQ(FailedChecks(r.body), (std::vector<std::string>{"environment.securityRole"})) << r.body;
  ASSERT_TRUE(env.environments->AssignRole(system, tenant, sales.id, ann.id, "Basic User").ok());
  r = browser.Go("GET", Question(ann.user_principal_name));
  EXPECT_TRUE(Has(r.body, "data-verdict=\"allowed\"><strong>Allowed</strong>")) << r.body;
  EXPECT_TRUE(FailedChecks(r.body).empty());
  EXPECT_FALSE(Has(r.body, "Fix this"));
}

TEST_F(PortalTroubleshooterTest, OtherActionsNameTheirOwnFixPages) {
  auto page = browser.SignInTo(base + "/troubleshoot", "admin@contoso.test", "Adm1n-Passw0rd!");
  ASSERT_EQ(page.status, 200);
  auto r = browser.Go("GET", Question("ann@partner.example", "app.create"));
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string html = Unescape(r.body);
  EXPECT_TRUE(Has(r.body, "data-check=\"tenantSettings.enableGuestsToMake\" data-passed=\"false\""))
      << r.body;
  EXPECT_TRUE(Has(html, "<a href=\"" + base + "/settings\">Fix this</a>"));
  EXPECT_TRUE(
      Has(html, "<a href=\"" + base + "/external-collaboration\">Fix this</a>"));  // guest access level
  // Refused surfaces have no page that fixes them: the remedy, without a link.
  r = browser.Go("GET", Question("ann@partner.example", "client.usd"));
  EXPECT_TRUE(Has(r.body, "data-check=\"client.usd\" data-passed=\"false\"")) << r.body;
  EXPECT_FALSE(Has(r.body, "Fix this"));
}

TEST_F(PortalTroubleshooterTest, RefusesUnknownUsersAndActionsAtTheirField) {
  auto page = browser.SignInTo(base + "/troubleshoot", "admin@contoso.test", "Adm1n-Passw0rd!");
  ASSERT_EQ(page.status, 200);
  auto r = browser.Go("GET", Question("nobody@contoso.test"));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "aria-describedby=\"user-error\"")) << r.body;
  EXPECT_TRUE(Has(
      r.body, "id=\"user-error\" role=\"alert\">There is no user &#39;nobody@contoso.test&#39; in Contoso."));
  EXPECT_FALSE(Has(r.body, "data-verdict"));
  r = browser.Go("GET", Question(ann.id, "fly.away"));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"action-error\"")) << r.body;
}

TEST_F(PortalTroubleshooterTest, UserAdministratorsUseItWithoutEnvironmentPermissions) {
  Member("adele", directory::kUserAdministratorRole);
  auto r = browser.SignInTo(Question("ann@partner.example"), "adele@contoso.test", kUserPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "data-verdict=\"denied\""));
  const std::string html = Unescape(r.body);
  EXPECT_TRUE(Has(html, base + "/users/" + ann.id + "#licenses\">Fix this</a>")) << r.body;
  // The environment's page is not hers to open: the remedy is shown without the link.
  EXPECT_TRUE(Has(r.body, "data-check=\"environment.securityRole\" data-passed=\"false\""));
  EXPECT_FALSE(Has(html, base + "/environments/"));
  EXPECT_EQ(browser.Go("GET", base + "/environments/" + sales.id).status, 403);
}

TEST_F(PortalTroubleshooterTest, NeedsTheAccessCheckPermission) {
  Member("gil", directory::kGuestInviterRole);  // opens the portal, but not this page
  auto r = browser.SignInTo(base + "/troubleshoot", "gil@contoso.test", kUserPassword);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_FALSE(Has(r.body, "data-verdict"));
}

}  // namespace
}  // namespace gh::web
