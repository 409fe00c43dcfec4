// The signed-in user's pages in-process: "My environments" (the ones the
// gate lets them open, and why not the others, with whom to ask), and the
// environment URL's home and refusal pages linking back to it.
#include <gtest/gtest.h>

#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::TestEnv;

constexpr const char* kUserPassword = "Str0ng-Passw0rd!";
constexpr const char* kPowerAppsPerUser = "b30411f5-fea1-4a59-9ad9-3db7c7ead579";

bool Has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

class EnvironmentPagesTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  const std::string tenant = contoso.res.tenant.id;
  directory::Actor system = directory::Actor::System();
  gh::testing::Browser browser{*env.router, "127.0.0.41"};
  environments::Environment sales, sandbox;
  directory::User meg;  // a licensed member holding a role in Contoso Sales only

  void SetUp() override {
    sales = Environment("Contoso Sales", "contoso-sales");
    sandbox = Environment("Contoso Sandbox", "contoso-sandbox");
    directory::NewUser u;
    u.user_principal_name = "meg@contoso.test";
    u.display_name = "Meg";
    u.mail_nickname = "meg";
    u.password = kUserPassword;
    u.usage_location = "US";
    auto created = env.directory->CreateUser(system, tenant, u);
    ASSERT_TRUE(created.ok()) << created.status().ToString();
    meg = *created;
    ASSERT_TRUE(env.licensing->AddSku(system, tenant, "POWERAPPS_PER_USER", 5).ok());
    ASSERT_TRUE(
        env.licensing->AssignUserLicenses(system, tenant, meg.id, {{{kPowerAppsPerUser, {}}}, {}}).ok());
    ASSERT_TRUE(env.environments->AssignRole(system, tenant, sales.id, meg.id, "Basic User").ok());
  }

  environments::Environment Environment(const std::string& name, const std::string& unique) {
    environments::NewEnvironment in;
    in.display_name = name;
    in.unique_name = unique;
    in.type = environments::EnvironmentType::kSandbox;
    in.dataverse = true;  // the Dataverse roles: Basic User, Environment Maker, ...
    auto created = env.environments->Create(system, tenant, in);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return *created;
  }
};

TEST_F(EnvironmentPagesTest, MyEnvironmentsListsTheOpenAndTheRefusedOnes) {
  auto r = browser.SignInTo("/my/contoso.test", "meg@contoso.test", kUserPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "<h1>My environments</h1>"));
  EXPECT_TRUE(Has(r.body,
                  "data-environment=\"contoso-sales\" data-allowed=\"true\"><a "
                  "href=\"/env/contoso-sales\">Contoso Sales</a>"))
      << r.body;
  EXPECT_TRUE(
      Has(r.body,
          "data-environment=\"contoso-sandbox\" data-allowed=\"false\"><strong>Contoso Sandbox</strong>"));
  EXPECT_FALSE(Has(r.body, "<a href=\"/env/contoso-sandbox\""));  // refused ones aren't links
  EXPECT_TRUE(Has(r.body, "data-check=\"environment.securityRole\""));
  EXPECT_TRUE(Has(r.body, "Ask your administrator (admin@contoso.test) to: Assign a security role"));
  EXPECT_TRUE(Has(r.body, "Whom to ask: <strong>admin@contoso.test</strong>"));
  // The tenant's id works as well as its domain.
  EXPECT_EQ(browser.Go("GET", "/my/" + tenant).status, 200);

  // Once the role is assigned, the sandbox opens too.
  ASSERT_TRUE(env.environments->AssignRole(system, tenant, sandbox.id, meg.id, "Environment Maker").ok());
  r = browser.Go("GET", "/my/contoso.test");
  EXPECT_TRUE(Has(r.body, "data-environment=\"contoso-sandbox\" data-allowed=\"true\"")) << r.body;
}

TEST_F(EnvironmentPagesTest, MyEnvironmentsSignsInFirst) {
  auto r = browser.Go("GET", "/my/contoso.test");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(std::string(r.Header("Location")), "/login?tenant=" + tenant + "&continue=%2Fmy%2Fcontoso.test");
  EXPECT_EQ(browser.Go("GET", "/my/nowhere.test").status, 404);
}

TEST_F(EnvironmentPagesTest, TheEnvironmentPagesLinkToMyEnvironments) {
  auto r = browser.SignInTo("/my/contoso.test", "meg@contoso.test", kUserPassword);
  ASSERT_EQ(r.status, 200) << r.body;
  const std::string my = "<a href=\"/my/" + tenant + "\">My environments</a>";
  r = browser.Go("GET", "/env/contoso-sales");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, my)) << r.body;
  r = browser.Go("GET", "/env/contoso-sandbox");
  ASSERT_EQ(r.status, 403) << r.body;
  EXPECT_TRUE(Has(r.body, "<h1>You can't open Contoso Sandbox</h1>")) << r.body;
  EXPECT_TRUE(Has(r.body, "data-check=\"environment.securityRole\""));
  EXPECT_TRUE(Has(r.body, "Whom to ask: <strong>admin@contoso.test</strong>"));
  EXPECT_TRUE(Has(r.body, my));
}

}  // namespace
}  // namespace gh::web
