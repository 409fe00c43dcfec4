// The portal's Groups pages in-process, through a cookie-keeping browser: the
// list (search, type filter, paging), New group (refusals next to the field),
// one group's members (add by UPN, email or id; remove), its group-based
// licences, Delete, and who may do what.
#include <gtest/gtest.h>

#include <algorithm>

#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::Field;
using gh::testing::TestEnv;
using gh::testing::Unescape;

constexpr const char* kPassword = "Str0ng-Passw0rd!";

size_t Count(const std::string& html, const std::string& needle) {
  size_t n = 0;
  for (size_t p = html.find(needle); p != std::string::npos; p = html.find(needle, p + 1)) ++n;
  return n;
}

bool Has(const std::string& html, const std::string& needle) { return html.find(needle) != std::string::npos; }

class PortalGroupsTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  std::string tenant_id = contoso.res.tenant.id;
  std::string base = "/portal/" + tenant_id;
  gh::testing::Browser browser{*env.router, "127.0.0.21"};

  http::Response SignInAsAdmin(const std::string& target) {
    return browser.SignInTo(target, "admin@contoso.test", "Adm1n-Passw0rd!");
  }

  directory::Group MakeGroup(const std::string& name, bool microsoft365 = false) {
    directory::NewGroup g;
    g.display_name = name;
    g.mail_nickname = "g" + std::to_string(++made_);
    if (microsoft365) {
      g.group_types = {"Unified"};
      g.mail_enabled = true;
      g.security_enabled = false;
    }
    auto made = env.directory->CreateGroup(directory::Actor::System(), tenant_id, g);
    if (!made.ok()) throw std::runtime_error(made.status().ToString());
    return *made;
  }

  directory::User MakeUser(const std::string& local, std::optional<std::string> mail = std::nullopt,
                           std::optional<std::string> usage_location = std::nullopt) {
    directory::NewUser u;
    u.user_principal_name = local + "@contoso.test";
    u.display_name = local;
    u.mail_nickname = local;
    u.password = kPassword;
    u.mail = std::move(mail);
    u.usage_location = std::move(usage_location);
    auto made = env.directory->CreateUser(directory::Actor::System(), tenant_id, u);
    if (!made.ok()) throw std::runtime_error(made.status().ToString());
    return *made;
  }

  // The group's direct members' ids, sorted.
  std::vector<std::string> MemberIds(const std::string& group_id) {
    std::vector<std::string> ids;
    auto members = env.directory->ListMembers(tenant_id, group_id);
    for (const auto& m : members.value())
      ids.push_back(m.user ? m.user->id : m.group->id);
    std::sort(ids.begin(), ids.end());
    return ids;
  }
  static std::vector<std::string> Sorted(std::vector<std::string> ids) {
    std::sort(ids.begin(), ids.end());
    return ids;
  }

  size_t GroupCount() {
    directory::ListQuery q;
    q.tenant_id = tenant_id;
    q.top = 999;
    return env.directory->ListGroups(q).value().items.size();
  }

  std::string Group(const directory::Group& g) { return base + "/groups/" + g.id; }

 private:
  int made_ = 0;
};

TEST_F(PortalGroupsTest, ListsSearchesFiltersAndPages) {
  for (int i = 0; i < 55; ++i) MakeGroup("Team " + std::to_string(100 + i));
  MakeGroup("Marketing", true);
  auto page = SignInAsAdmin(base + "/groups");
  ASSERT_EQ(page.status, 200) << page.body;
  const std::string row = "<tr><td><a href=\"" + base + "/groups/";
  EXPECT_EQ(Count(page.body, row), 50u);
  auto link = page.body.find("rel=\"next\"");
  ASSERT_NE(link, std::string::npos);
  size_t href = page.body.rfind("href=\"", link) + 6;
  auto second = browser.Go("GET", Unescape(page.body.substr(href, page.body.find('"', href) - href)));
  EXPECT_EQ(Count(second.body, row), 6u);
  EXPECT_FALSE(Has(second.body, "rel=\"next\""));

  auto search = browser.Go("GET", base + "/groups?q=team%2010");
  EXPECT_EQ(Count(search.body, row), 10u);  // Team 100 … Team 109
  EXPECT_FALSE(Has(search.body, ">Marketing<"));
  auto m365 = browser.Go("GET", base + "/groups?type=microsoft365");
  EXPECT_EQ(Count(m365.body, row), 1u);
  EXPECT_TRUE(Has(m365.body, ">Marketing</a></td><td>Microsoft 365</td>")) << m365.body;
  auto security = browser.Go("GET", base + "/groups?type=security&q=mark");
  EXPECT_EQ(Count(security.body, row), 0u);
  EXPECT_TRUE(Has(security.body, "No groups match."));
}

TEST_F(PortalGroupsTest, CreatesAGroupAndOpensItsPage) {
  auto page = SignInAsAdmin(base + "/groups");
  auto r = browser.Submit(page.body, base + "/groups",
                          "displayName=Sales+EU&description=Sellers+in+Europe&groupType=microsoft365");
  ASSERT_EQ(r.status, 303) << r.body;
  std::string location(r.Header("Location"));
  ASSERT_TRUE(location.starts_with(base + "/groups/")) << location;
  auto made = env.directory->GetGroup(tenant_id, location.substr(location.rfind('/') + 1));
  ASSERT_TRUE(made.ok());
  EXPECT_EQ(made->display_name, "Sales EU");
  EXPECT_EQ(made->description, "Sellers in Europe");
  EXPECT_TRUE(made->IsMicrosoft365());
  EXPECT_EQ(made->mail, "SalesEU@contoso.test");
  auto shown = browser.Go("GET", location);
  EXPECT_EQ(shown.status, 200);
  EXPECT_TRUE(Has(shown.body, "<h1>Sales EU</h1>"));
  EXPECT_TRUE(Has(shown.body, "Sellers in Europe"));
  EXPECT_TRUE(Has(shown.body, "data-group-type=\"Microsoft 365\""));
  EXPECT_TRUE(Has(shown.body, "No members yet."));
}

TEST_F(PortalGroupsTest, RefusesDuplicateBlankAndUnknownTypesNextToTheField) {
  MakeGroup("Sales EU");
  auto page = SignInAsAdmin(base + "/groups");
  auto r = browser.Submit(page.body, base + "/groups", "displayName=sales+eu&groupType=security");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "aria-invalid=\"true\" aria-describedby=\"displayName-error\"")) << r.body;
  EXPECT_TRUE(Has(r.body, "id=\"displayName-error\" role=\"alert\">A group named &#39;Sales EU&#39; already exists."));
  EXPECT_TRUE(Has(r.body, "value=\"sales eu\""));  // what was typed stays
  r = browser.Submit(page.body, base + "/groups", "displayName=+&groupType=security");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"displayName-error\" role=\"alert\">Enter a name for the group."));
  r = browser.Submit(page.body, base + "/groups", "displayName=Support&groupType=distribution");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"groupType-error\""));
  r = browser.Submit(page.body, base + "/groups",
                     "displayName=Support&groupType=security&description=" + std::string(1025, 'x'));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"description-error\"")) << r.body;
  EXPECT_EQ(GroupCount(), 1u);
}

TEST_F(PortalGroupsTest, AMicrosoft365GroupNeedsAFreeEmailAlias) {
  auto page = SignInAsAdmin(base + "/groups");
  ASSERT_EQ(browser.Submit(page.body, base + "/groups", "displayName=Ops+Team&groupType=microsoft365").status, 303);
  auto r = browser.Submit(page.body, base + "/groups", "displayName=Ops+Team%21&groupType=microsoft365");
  EXPECT_EQ(r.status, 400);  // another name, but the same address: OpsTeam@contoso.test
  EXPECT_TRUE(Has(r.body, "id=\"displayName-error\" role=\"alert\">This name gives the email alias &#39;OpsTeam&#39;"))
      << r.body;
  EXPECT_EQ(GroupCount(), 1u);
  // A security group has no address to clash.
  EXPECT_EQ(browser.Submit(page.body, base + "/groups", "displayName=Ops+Team%21&groupType=security").status, 303);
}

TEST_F(PortalGroupsTest, AddsMembersByUpnEmailOrIdAndRemovesThem) {
  auto sales = MakeGroup("Sales");
  auto nested = MakeGroup("Sales Leads");
  auto ann = MakeUser("ann");
  auto lee = MakeUser("lee", "lee.walker@partner.example");
  auto page = SignInAsAdmin(Group(sales));
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_EQ(browser.Submit(page.body, Group(sales) + "/members", "member=ANN%40contoso.test").status, 303);
  EXPECT_EQ(browser.Submit(page.body, Group(sales) + "/members", "member=lee.walker%40partner.example").status, 303);
  EXPECT_EQ(browser.Submit(page.body, Group(sales) + "/members", "member=" + nested.id).status, 303);
  EXPECT_EQ(MemberIds(sales.id), Sorted({ann.id, lee.id, nested.id}));

  auto shown = browser.Go("GET", Group(sales));
  EXPECT_TRUE(Has(shown.body, "<a href=\"" + base + "/users/" + ann.id + "\">ann</a>")) << shown.body;
  EXPECT_TRUE(Has(shown.body, "<a href=\"" + base + "/groups/" + nested.id + "\">Sales Leads</a>"));
  EXPECT_TRUE(Has(shown.body, "<td>Security group</td>"));

  auto r = browser.Submit(shown.body, Group(sales) + "/members", "member=nobody%40contoso.test");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "aria-invalid=\"true\" aria-describedby=\"member-error\""));
  EXPECT_TRUE(Has(r.body, "id=\"member-error\" role=\"alert\">No user or group in Contoso"));
  EXPECT_TRUE(Has(r.body, "value=\"nobody@contoso.test\""));
  r = browser.Submit(shown.body, Group(sales) + "/members", "member=ann%40contoso.test");
  EXPECT_EQ(r.status, 409);  // already a member
  EXPECT_TRUE(Has(r.body, "id=\"member-error\""));
  r = browser.Submit(shown.body, Group(sales) + "/members", "member=");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(MemberIds(sales.id).size(), 3u);

  EXPECT_EQ(browser.Submit(shown.body, Group(sales) + "/members/remove", "memberId=" + ann.id).status, 303);
  EXPECT_EQ(MemberIds(sales.id), Sorted({lee.id, nested.id}));
  r = browser.Submit(shown.body, Group(sales) + "/members/remove", "memberId=" + ann.id);
  EXPECT_EQ(r.status, 404);  // not a member any more: said on the page, nothing changed
  EXPECT_TRUE(Has(r.body, "class=\"error\" role=\"alert\""));
}

TEST_F(PortalGroupsTest, AssignsAndRemovesAGroupLicense) {
  auto sales = MakeGroup("Sales");
  auto ann = MakeUser("ann");
  ASSERT_TRUE(env.directory->AddMember(directory::Actor::System(), tenant_id, sales.id, ann.id).ok());
  auto sku = env.licensing->AddSku(directory::Actor::System(), tenant_id, "DYN365_ENTERPRISE_SALES", 5);
  ASSERT_TRUE(sku.ok());
  auto page = SignInAsAdmin(Group(sales));
  EXPECT_TRUE(Has(page.body, "No licenses are assigned to this group."));
  // The picker starts on an empty choice, then the products not yet assigned.
  EXPECT_TRUE(Has(page.body, "<option value=\"\">Choose a license</option>\n    <option value=\"" + sku->sku_id +
                                 "\">Dynamics 365 Sales Enterprise Edition (5 of 5"))
      << page.body;

  auto r = browser.Submit(page.body, Group(sales) + "/licenses", "skuId=" + sku->sku_id);
  ASSERT_EQ(r.status, 303) << r.body;
  auto held = env.licensing->GroupLicenses(tenant_id, sales.id);
  ASSERT_EQ(held.value().size(), 1u);
  EXPECT_EQ(held.value()[0].sku_id, sku->sku_id);
  auto shown = browser.Go("GET", Group(sales));
  EXPECT_TRUE(Has(shown.body, "<a href=\"" + base + "/licenses/" + sku->sku_id + "\">Dynamics 365 Sales Enterprise Edition</a>"));
  // Ann has no usage location and the tenant no default: the member's state says so.
  EXPECT_TRUE(Has(shown.body, "Dynamics 365 Sales Enterprise Edition: Error (ProhibitedInUsageLocationViolation)"));
  EXPECT_TRUE(Has(shown.body, "Every product the organization subscribes to is assigned to this group."));

  r = browser.Submit(shown.body, Group(sales) + "/licenses", "skuId=00000000-0000-4000-8000-000000000000");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"skuId-error\" role=\"alert\">License 00000000-0000-4000-8000-000000000000 does not"));
  r = browser.Submit(shown.body, Group(sales) + "/licenses", "skuId=");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"skuId-error\" role=\"alert\">Choose a license."));

  EXPECT_EQ(browser.Submit(shown.body, Group(sales) + "/licenses/remove", "skuId=" + sku->sku_id).status, 303);
  EXPECT_TRUE(env.licensing->GroupLicenses(tenant_id, sales.id).value().empty());
}

TEST_F(PortalGroupsTest, DeletesAGroup) {
  auto sales = MakeGroup("Sales");
  auto page = SignInAsAdmin(Group(sales));
  auto r = browser.Submit(page.body, Group(sales) + "/delete", "");
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(r.Header("Location"), base + "/groups");
  EXPECT_EQ(env.directory->GetGroup(tenant_id, sales.id).status().code(), Code::kNotFound);
  EXPECT_EQ(browser.Go("GET", Group(sales)).status, 404);
  EXPECT_EQ(browser.Submit(page.body, Group(sales) + "/delete", "").status, 404);
}

TEST_F(PortalGroupsTest, ReadersSeeNoFormsAndCantChangeAnything) {
  auto sales = MakeGroup("Sales");
  auto megan = MakeUser("megan");
  ASSERT_TRUE(env.directory
                  ->AssignRole(directory::Actor::System(), tenant_id,
                               std::string(directory::kPowerPlatformAdministratorRole), megan.id)
                  .ok());
  auto page = browser.SignInTo(Group(sales), "megan@contoso.test", kPassword);
  ASSERT_EQ(page.status, 200) << page.body;  // Power Platform Administrators read groups …
  EXPECT_FALSE(Has(page.body, "Add member"));
  EXPECT_FALSE(Has(page.body, "Delete group"));
  EXPECT_FALSE(Has(page.body, "Assign license to group"));
  auto list = browser.Go("GET", base + "/groups");
  EXPECT_FALSE(Has(list.body, "Create group"));
  auto r = browser.Submit(page.body, base + "/groups", "displayName=Mine&groupType=security");  // … but change none
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(browser.Submit(page.body, Group(sales) + "/delete", "").status, 403);
  EXPECT_EQ(browser.Submit(page.body, Group(sales) + "/members", "member=megan%40contoso.test").status, 403);
  EXPECT_EQ(GroupCount(), 1u);
  EXPECT_TRUE(MemberIds(sales.id).empty());
}

TEST_F(PortalGroupsTest, AUserWithoutARoleIsTurnedAway) {
  auto sales = MakeGroup("Sales");
  MakeUser("lynne");
  EXPECT_EQ(browser.SignInTo(base + "/groups", "lynne@contoso.test", kPassword).status, 403);
  EXPECT_EQ(browser.Go("GET", Group(sales)).status, 403);
  EXPECT_EQ(browser.Go("POST", Group(sales) + "/delete", "csrf=x").status, 403);
  EXPECT_TRUE(env.directory->GetGroup(tenant_id, sales.id).ok());
}

TEST_F(PortalGroupsTest, AFormWithoutItsTokenChangesNothing) {
  auto sales = MakeGroup("Sales");
  auto ann = MakeUser("ann");
  SignInAsAdmin(base + "/groups");
  EXPECT_EQ(browser.Go("POST", base + "/groups", "displayName=Forged&groupType=security").status, 403);
  EXPECT_EQ(browser.Go("POST", Group(sales) + "/members", "csrf=forged&member=" + ann.id).status, 403);
  EXPECT_EQ(browser.Go("POST", Group(sales) + "/delete", "csrf=forged").status, 403);
  EXPECT_EQ(GroupCount(), 1u);
  EXPECT_TRUE(MemberIds(sales.id).empty());
}

}  // namespace
}  // namespace gh::web
