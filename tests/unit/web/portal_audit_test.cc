// The portal's audit log in-process: filters (activity text, category,
// initiator by user principal name or id, target, result, dates), refusals
// next to the filter that caused them, paging newest first, the details of
// an entry, and who may read it.
#include <gtest/gtest.h>

#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::Browser;
using gh::testing::TestEnv;
using gh::testing::Unescape;

bool Has(const std::string& html, const std::string& text) { return html.find(text) != std::string::npos; }

size_t Rows(const std::string& html) {
  size_t n = 0;
  for (size_t p = html.find("<tr><td><time"); p != std::string::npos; p = html.find("<tr><td><time", p + 1)) ++n;
  return n;
}

std::string NextHref(const std::string& html) {
  auto link = html.find("rel=\"next\"");
  if (link == std::string::npos) return "";
  size_t href = html.rfind("href=\"", link) + 6;
  return Unescape(html.substr(href, html.find('"', href) - href));
}

constexpr int64_t kMay1st2024 = 1'714'521'600'000;  // 2024-05-01T00:00:00Z
constexpr int64_t kHour = 3'600'000;

class PortalAuditTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  Browser browser{*env.router, "127.0.0.8"};
  const std::string tenant = contoso.res.tenant.id;
  const std::string base = "/portal/" + tenant;
  const directory::Actor admin{contoso.res.admin.id, "user", contoso.res.admin.display_name};

  // An entry written at `when` (the clock is set there).
  void Write(int64_t when, const directory::Actor& actor, const std::string& category, const std::string& activity,
             const std::string& target_name, const std::string& result = "success",
             const std::string& details = "{}") {
    env.clock.Set(when);
    auto e = directory::MakeAuditEntry(env.random, env.clock, actor, tenant, category, activity, "User",
                                       env.random.NewUuid(), target_name, details);
    e.result = result;
    auto tx = env.store->Begin(store::TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE((*tx)->InsertAudit(e).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  http::Response Open(const std::string& query) {
    if (browser.cookies.empty())
      return browser.SignInTo(base + "/audit" + query, "admin@contoso.test", "Adm1n-Passw0rd!");
    return browser.Go("GET", base + "/audit" + query);
  }
};

TEST_F(PortalAuditTest, FiltersByActivityInitiatorTargetAndResult) {
  const directory::Actor robot{"7d1f0c52-2a4e-4b8e-9d61-3c5b2a1f0e9d", "app", "Provisioning robot"};
  Write(kMay1st2024, admin, "UserManagement", "Invite external user", "ann@partner.example");
  Write(kMay1st2024 + kHour, robot, "UserManagement", "Update user", "ben@contoso.test");
  Write(kMay1st2024 + 2 * kHour, admin, "GroupManagement", "Add member to group", "Sales", "failure");
  Write(kMay1st2024 + 3 * kHour, admin, "TenantSettings", "Update tenant settings", "Contoso", "success",
        R"({"modifiedProperties":{"powerPlatform":{"powerApps":{"enableGuestsToMake":true}}},"replace":false})");

  auto page = Open("?activity=INVITE");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(Rows(page.body), 1u);
  EXPECT_TRUE(Has(page.body, "<td>Invite external user</td>"));
  EXPECT_TRUE(Has(page.body, "<time datetime=\"2024-05-01T00:00:00Z\">2024-05-01 00:00:00</time>"));
  EXPECT_TRUE(Has(page.body, "<td>User: ann@partner.example</td>"));
  EXPECT_TRUE(Has(page.body, R"(id="activity" name="activity" type="search" value="INVITE")"));  // the filter stays

  auto by_robot = Open("?initiatedBy=" + robot.id);
  EXPECT_EQ(Rows(by_robot.body), 1u);
  EXPECT_TRUE(Has(by_robot.body, "<td>Provisioning robot</td>"));
  auto by_admin = Open("?initiatedBy=admin%40contoso.test&category=UserManagement");
  EXPECT_EQ(Rows(by_admin.body), 1u);
  EXPECT_TRUE(Has(by_admin.body, "<td>Invite external user</td>"));
  EXPECT_TRUE(Has(by_admin.body, R"(<option value="UserManagement" selected>)"));

  auto failed = Open("?result=failure");
  EXPECT_EQ(Rows(failed.body), 1u);
  EXPECT_TRUE(Has(failed.body, "<td>Add member to group</td>"));
  EXPECT_EQ(Rows(Open("?target=sal").body), 1u);  // part of the target's name
  EXPECT_TRUE(Has(Open("?activity=nothing+like+it").body, "No audit entries match."));

  // The details show the modified properties.
  auto settings = Open("?category=TenantSettings");
  EXPECT_EQ(Rows(settings.body), 1u);
  EXPECT_TRUE(Has(settings.body, "<dt>modifiedProperties</dt>"));
  EXPECT_TRUE(Has(settings.body, "enableGuestsToMake"));
}

TEST_F(PortalAuditTest, DatesBoundTheEntriesAndBadOnesAreRefusedAtTheField) {
  Write(kMay1st2024 - kHour, admin, "UserManagement", "Add user", "april@contoso.test");
  Write(kMay1st2024 + kHour, admin, "UserManagement", "Add user", "may1@contoso.test");
  Write(kMay1st2024 + 25 * kHour, admin, "UserManagement", "Add user", "may2@contoso.test");
  Write(kMay1st2024 + 49 * kHour, admin, "UserManagement", "Add user", "may3@contoso.test");

  auto page = Open("?activity=add+user&from=2024-05-01&to=2024-05-02");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(Rows(page.body), 2u);  // the whole of the 2nd, none of April or the 3rd
  EXPECT_TRUE(Has(page.body, "may1@contoso.test"));
  EXPECT_TRUE(Has(page.body, "may2@contoso.test"));
  EXPECT_LT(page.body.find("may2@contoso.test"), page.body.find("may1@contoso.test"));  // newest first
  EXPECT_EQ(Rows(Open("?activity=add+user&from=2024-04-01&to=2024-04-30").body), 1u);

  for (const char* bad : {"2024-02-30", "yesterday", "2024-5-1"}) {
    auto r = Open(std::string("?from=") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(Has(r.body, R"(type="date" value=")" + std::string(bad) +
                                R"(" aria-invalid="true" aria-describedby="from-error")"))
        << r.body;
    EXPECT_TRUE(Has(r.body, R"(<p class="error" id="from-error" role="alert">)")) << bad;
    EXPECT_EQ(Rows(r.body), 0u);
  }
  auto backwards = Open("?from=2024-05-03&to=2024-05-01");
  EXPECT_EQ(backwards.status, 400);
  EXPECT_TRUE(Has(backwards.body, R"(id="to-error")"));
  auto nobody = Open("?initiatedBy=nobody%40contoso.test");
  EXPECT_EQ(nobody.status, 400);
  EXPECT_TRUE(Has(nobody.body, R"(<p class="error" id="initiatedBy-error" role="alert">No user)"));
  EXPECT_EQ(Open("?result=maybe").status, 400);
  EXPECT_EQ(Open("?after=not-a-cursor").status, 400);
}

TEST_F(PortalAuditTest, PagesOfFiftyNewestFirst) {
  for (int i = 0; i < 120; ++i)
    Write(kMay1st2024 + i * 1000, admin, "UserManagement", i % 2 ? "Update user" : "Delete user",
          "user" + std::to_string(i) + "@contoso.test");
  auto first = Open("?category=UserManagement&initiatedBy=" + admin.id);
  ASSERT_EQ(first.status, 200) << first.body;
  EXPECT_EQ(Rows(first.body), 50u);
  EXPECT_TRUE(Has(first.body, "user119@contoso.test"));
  auto second = browser.Go("GET", NextHref(first.body));
  EXPECT_EQ(Rows(second.body), 50u);
  EXPECT_TRUE(Has(second.body, "user69@contoso.test"));
  EXPECT_FALSE(Has(second.body, "user70@contoso.test"));
  auto third = browser.Go("GET", NextHref(second.body));
  EXPECT_EQ(Rows(third.body), 20u);
  EXPECT_EQ(NextHref(third.body), "");

  // Paging with a filter the page applies itself: 60 deletions, 50 then 10.
  auto deletions = Open("?activity=delete&category=UserManagement");
  EXPECT_EQ(Rows(deletions.body), 50u);
  const std::string next = NextHref(deletions.body);
  EXPECT_TRUE(Has(next, "activity=delete")) << next;
  auto rest = browser.Go("GET", next);
  EXPECT_EQ(Rows(rest.body), 10u);
  EXPECT_TRUE(Has(rest.body, "user0@contoso.test"));
  EXPECT_EQ(NextHref(rest.body), "");
}

TEST_F(PortalAuditTest, OnlyRolesThatReadTheAuditLogGetIn) {
  directory::NewUser u;
  u.user_principal_name = "adele@contoso.test";
  u.display_name = "Adele";
  u.mail_nickname = "adele";
  u.password = "Str0ng-Passw0rd!";
  auto adele = env.directory->CreateUser(directory::Actor::System(), tenant, u);
  ASSERT_TRUE(adele.ok());
  ASSERT_TRUE(env.directory
                  ->AssignRole(directory::Actor::System(), tenant, std::string(directory::kUserAdministratorRole),
                               adele->id)
                  .ok());
  auto r = browser.SignInTo(base + "/audit", "adele@contoso.test", "Str0ng-Passw0rd!");
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(Has(r.body, "AuditLog.Read.All"));
}

}  // namespace
}  // namespace gh::web
