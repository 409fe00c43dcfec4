// The portal's Environments pages in-process, through a cookie-keeping
// browser: the list and New environment (errors next to their field), the
// security group, role assignments, Notify users and the access review, and
// who may use them.
#include <gtest/gtest.h>

#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::Field;
using gh::testing::TestEnv;

constexpr const char* kAdminPassword = "Adm1n-Passw0rd!";
constexpr const char* kUserPassword = "Str0ng-Passw0rd!";

bool Has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

class PortalEnvironmentsTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  const std::string tenant = contoso.res.tenant.id;
  gh::testing::Browser browser{*env.router, "127.0.0.21"};
  std::string base = "/portal/" + tenant + "/environments";
  directory::Actor system = directory::Actor::System();

  // Signs the administrator in and returns the page `target` (under base).
  std::string SignInAsAdmin(const std::string& target = "") {
    auto page = browser.SignInTo(base + target, "admin@contoso.test", kAdminPassword);
    EXPECT_EQ(page.status, 200) << page.body;
    return page.body;
  }

  directory::User Member(const std::string& name, std::optional<std::string> mail = std::nullopt) {
    directory::NewUser u;
    u.user_principal_name = name + "@contoso.test";
    u.display_name = name;
    u.mail_nickname = name;
    u.password = kUserPassword;
    u.mail = mail;
    auto created = env.directory->CreateUser(system, tenant, u);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return *created;
  }

  // An accepted guest who signs in with one-time passcodes.
  directory::User Guest(const std::string& name) {
    directory::User u;
    u.id = env.random.NewUuid();
    u.tenant_id = tenant;
    u.user_principal_name = name + "_partner.example#EXT#@contoso.test";
    u.display_name = name;
    u.mail = name + "@partner.example";
    u.user_type = directory::UserType::kGuest;
    u.external_user_state = "Accepted";
    u.identities = {{"emailAddress", "mail", name + "@partner.example"}};
    auto tx = env.store->Begin(store::TxMode::kWrite);
    EXPECT_TRUE(tx.ok());
    Status inserted = (*tx)->InsertUser(u);
    EXPECT_TRUE(inserted.ok()) << inserted.ToString();
    EXPECT_TRUE((*tx)->Commit().ok());
    return u;
  }

  directory::Group SecurityGroup(const std::string& name) {
    directory::NewGroup g;
    g.display_name = name;
    g.mail_nickname = name;
    auto created = env.directory->CreateGroup(system, tenant, g);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return *created;
  }

  environments::Environment Environment(
      const std::string& unique,
      environments::EnvironmentType type = environments::EnvironmentType::kProduction) {
    environments::NewEnvironment in;
    in.display_name = "Env " + unique;
    in.unique_name = unique;
    in.type = type;
    in.dataverse = true;
    auto created = env.environments->Create(system, tenant, in);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return *created;
  }

  // The environment with this unique name, if any.
  std::optional<environments::Environment> ByUniqueName(const std::string& unique) {
    auto all = env.environments->List(tenant);
    EXPECT_TRUE(all.ok());
    for (const auto& e : *all)
      if (e.unique_name == unique) return e;
    return std::nullopt;
  }

  size_t Assignments(const std::string& env_id) {
    auto all = env.environments->ListRoleAssignments(tenant, env_id);
    EXPECT_TRUE(all.ok());
    return all.ok() ? all->size() : 0;
  }

  http::Response Post(const std::string& page_html, const std::string& path, const std::string& fields) {
    return browser.Submit(page_html, base + path, fields);
  }
};

TEST_F(PortalEnvironmentsTest, ListsEnvironmentsAndCreatesOneWithErrorsNextToTheField) {
  auto sales = SecurityGroup("Sales");
  Environment("contoso-sandbox");
  std::string page = SignInAsAdmin();
  EXPECT_TRUE(Has(page, "data-environment=\"contoso-sandbox\"")) << page;
  EXPECT_TRUE(Has(page, "https://localhost:8443/env/contoso-sandbox"));
  EXPECT_TRUE(Has(page, "<label for=\"uniqueName\">Unique name</label>"));
  EXPECT_TRUE(Has(page, ">Create environment</button>"));
  auto before = env.environments->List(tenant);
  ASSERT_TRUE(before.ok());

  auto r =
      Post(page, "", "displayName=Contoso+Sales&uniqueName=Not+A+Slug%21&type=Production&dataverse=true");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"uniqueName-error\"")) << r.body;
  EXPECT_TRUE(Has(r.body, "aria-describedby=\"uniqueName-error\""));
  EXPECT_TRUE(Has(r.body, "value=\"Contoso Sales\""));  // what was typed stays
  r = Post(page, "", "displayName=&uniqueName=x&type=Production");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"displayName-error\"")) << r.body;
  r = Post(page, "", "displayName=Dev&type=Developer&securityGroupId=" + sales.id);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"securityGroupId-error\"")) << r.body;
  EXPECT_EQ(env.environments->List(tenant)->size(), before->size());  // nothing created

  r = Post(
      page, "",
      "displayName=Contoso+Sales&uniqueName=contoso-sales&type=Production&dataverse=true&securityGroupId=" +
          sales.id);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), base);
  auto created = ByUniqueName("contoso-sales");
  ASSERT_TRUE(created.has_value());
  EXPECT_TRUE(created->dataverse);
  EXPECT_EQ(created->security_group_id, sales.id);
  auto list = browser.Go("GET", base);
  EXPECT_TRUE(Has(list.body, "data-environment=\"contoso-sales\"")) << list.body;
  // The same unique name again: refused at the field.
  r = Post(list.body, "", "displayName=Again&uniqueName=contoso-sales&type=Sandbox");
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(Has(r.body, "id=\"uniqueName-error\"")) << r.body;
}

TEST_F(PortalEnvironmentsTest, SetsAndClearsTheSecurityGroup) {
  auto sales = SecurityGroup("Sales");
  auto e = Environment("contoso-sales");
  auto dev = Environment("contoso-dev", environments::EnvironmentType::kDeveloper);
  std::string page = SignInAsAdmin("/" + e.id);
  EXPECT_TRUE(Has(page, "No security group")) << page;
  EXPECT_TRUE(Has(page, "<label for=\"securityGroupId\">Security group</label>"));

  auto r = Post(page, "/" + e.id + "/security-group", "securityGroupId=" + sales.id);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), base + "/" + e.id + "#security-group");
  EXPECT_EQ(env.environments->Get(tenant, e.id)->security_group_id, sales.id);
  page = browser.Go("GET", base + "/" + e.id).body;
  EXPECT_TRUE(Has(page, "Only members of <strong>Sales</strong>")) << page;
  EXPECT_TRUE(Has(page, "value=\"" + sales.id + "\" selected"));

  r = Post(page, "/" + e.id + "/security-group", "securityGroupId=");  // None
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_FALSE(env.environments->Get(tenant, e.id)->security_group_id.has_value());

  // Developer environments can't have one: the refusal at the field, nothing changed.
  r = Post(page, "/" + dev.id + "/security-group", "securityGroupId=" + sales.id);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"securityGroupId-error\"")) << r.body;
  EXPECT_FALSE(env.environments->Get(tenant, dev.id)->security_group_id.has_value());
}

TEST_F(PortalEnvironmentsTest, AssignsAndRemovesSecurityRoles) {
  auto e = Environment("contoso-sales");
  auto meg = Member("meg");
  auto sales = SecurityGroup("Sales");
  std::string page = SignInAsAdmin("/" + e.id);
  EXPECT_TRUE(Has(page, "Nobody holds a security role here yet."));
  EXPECT_TRUE(Has(page, "<label for=\"roleId\">Security role</label>"));
  // The picker starts on no role, then the environment's roles.
  EXPECT_TRUE(Has(page, "<option value=\"\">Choose a security role</option><option value=\"")) << page;
  EXPECT_TRUE(Has(page, ">Basic User</option>"));

  auto r = Post(page, "/" + e.id + "/roles", "principal=nobody%40contoso.test&roleId=Basic+User");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"principal-error\"")) << r.body;
  EXPECT_TRUE(Has(r.body, "value=\"nobody@contoso.test\""));
  r = Post(page, "/" + e.id + "/roles", "principal=meg%40contoso.test&roleId=No+Such+Role");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"roleId-error\"")) << r.body;
  // Submitted with the picker's empty choice: refused at the field.
  r = Post(page, "/" + e.id + "/roles", "principal=meg%40contoso.test&roleId=");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"roleId-error\" role=\"alert\">Choose a security role.</p>")) << r.body;
  EXPECT_EQ(Assignments(e.id), 0u);

  auto roles = env.environments->ListRoles(tenant, e.id);
  ASSERT_TRUE(roles.ok());
  std::string basic_user;
  for (const auto& role : *roles)
    if (role.name == "Basic User") basic_user = role.id;
  r = Post(page, "/" + e.id + "/roles", "principal=meg%40contoso.test&roleId=" + basic_user);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), base + "/" + e.id + "#roles");
  r = Post(page, "/" + e.id + "/roles", "principal=Sales&roleId=" + basic_user);  // a group, by name
  ASSERT_EQ(r.status, 303) << r.body;
  auto assignments = env.environments->ListRoleAssignments(tenant, e.id);
  ASSERT_EQ(assignments->size(), 2u);
  // Assigning it twice is refused at the principal field.
  r = Post(page, "/" + e.id + "/roles", "principal=" + meg.id + "&roleId=" + basic_user);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "already holds the role")) << r.body;

  page = browser.Go("GET", base + "/" + e.id).body;
  EXPECT_TRUE(Has(page, "href=\"/portal/" + tenant + "/users/" + meg.id + "\">meg</a>")) << page;
  EXPECT_TRUE(Has(page, "href=\"/portal/" + tenant + "/groups/" + sales.id + "\">Sales</a>"));
  const std::string meg_assignment =
      (*assignments)[0].principal_id == meg.id ? (*assignments)[0].id : (*assignments)[1].id;
  EXPECT_TRUE(Has(page, "name=\"assignmentId\" value=\"" + meg_assignment + "\"")) << page;
  r = Post(page, "/" + e.id + "/roles/remove", "assignmentId=" + meg_assignment);
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(Assignments(e.id), 1u);
  r = Post(page, "/" + e.id + "/roles/remove", "assignmentId=" + meg_assignment);  // gone already
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(Has(r.body, "id=\"assignments-error\"")) << r.body;
}

TEST_F(PortalEnvironmentsTest, ShowsTheEnvironmentsUsers) {
  auto e = Environment("contoso-sales");
  auto admin = contoso.res.admin;
  ASSERT_TRUE(env.environments->SyncUser(tenant, e.id, admin.id).ok());  // administrators are entitled
  std::string page = SignInAsAdmin("/" + e.id);
  EXPECT_TRUE(Has(page, "data-user=\"" + admin.id + "\"")) << page;
  EXPECT_TRUE(Has(page, "href=\"/portal/" + tenant + "/users/" + admin.id + "\""));
  EXPECT_TRUE(Has(page, "data-state=\"enabled\""));
}

TEST_F(PortalEnvironmentsTest, NotifiesListedUsersOrEveryoneWithAccess) {
  auto e = Environment("contoso-sales");
  auto meg = Member("meg", "meg@contoso.test");
  auto lee = Member("lee", "lee@contoso.test");
  std::string page = SignInAsAdmin("/" + e.id);
  EXPECT_TRUE(Has(page, "<label for=\"users\">Users to notify</label>"));

  auto r = Post(page, "/" + e.id + "/notify", "users=meg%40contoso.test%0Anobody%40contoso.test");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"users-error\"")) << r.body;
  EXPECT_TRUE(Has(r.body, "nobody@contoso.test"));
  EXPECT_TRUE(env.sent_notices.empty());
  r = Post(page, "/" + e.id + "/notify", "users=");
  EXPECT_EQ(r.status, 400);

  r = Post(page, "/" + e.id + "/notify", "users=meg%40contoso.test%0D%0A" + lee.id);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "Notices sent: 2 of 2.")) << r.body;
  EXPECT_TRUE(Has(r.body, "data-outcome=\"queued\""));
  ASSERT_EQ(env.sent_notices.size(), 2u);
  EXPECT_EQ(env.sent_notices[0].to, "meg@contoso.test");
  EXPECT_EQ(env.sent_notices[0].environment_url, e.url);

  // "All users with access": the role holders.
  r = Post(page, "/" + e.id + "/notify", "all=true");
  EXPECT_EQ(r.status, 400);  // nobody holds a role yet
  ASSERT_TRUE(env.environments->AssignRole(system, tenant, e.id, meg.id, "Basic User").ok());
  r = Post(page, "/" + e.id + "/notify", "all=true");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(env.sent_notices.size(), 3u);
  EXPECT_EQ(env.sent_notices[2].to, "meg@contoso.test");
}

TEST_F(PortalEnvironmentsTest, ReviewsAccessAndRemovesTheSelectedHolders) {
  auto e = Environment("contoso-sales");
  auto meg = Member("meg");
  auto ann = Guest("ann");
  auto bob = Guest("bob");
  auto partners = SecurityGroup("Partners");
  ASSERT_TRUE(env.directory->AddMember(system, tenant, partners.id, bob.id).ok());
  for (const std::string& id : {meg.id, ann.id, partners.id})
    ASSERT_TRUE(env.environments->AssignRole(system, tenant, e.id, id, "Basic User").ok());

  std::string page = SignInAsAdmin("/" + e.id + "?guests=true");
  EXPECT_TRUE(Has(page, "ann_partner.example#EXT#@contoso.test")) << page;
  EXPECT_TRUE(Has(page, "Group Partners"));     // bob, through the group
  EXPECT_FALSE(Has(page, "meg@contoso.test"));  // members are filtered out
  auto holders = env.environments->Review(tenant, e.id, {"", directory::UserType::kGuest});
  ASSERT_TRUE(holders.ok());
  ASSERT_EQ(holders->size(), 2u);
  std::string ann_holder, bob_holder;
  for (const auto& h : *holders) (h.user.id == ann.id ? ann_holder : bob_holder) = h.id;
  EXPECT_TRUE(Has(page, "name=\"remove\" value=\"" + ann_holder + "\"")) << page;

  // The removal form keeps the review's filters.
  EXPECT_TRUE(Has(page, "action=\"" + base + "/" + e.id + "/review?role=&amp;guests=true\""));
  auto r = browser.Submit(page, base + "/" + e.id + "/review?role=&guests=true", "");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"review-error\"")) << r.body;

  r = browser.Submit(page, base + "/" + e.id + "/review?role=&guests=true",
                     "remove=" + ann_holder + "&remove=" + bob_holder);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "Access removed: 1 of 2.")) << r.body;
  EXPECT_TRUE(Has(r.body, "data-result=\"removed\""));
  EXPECT_TRUE(Has(r.body, "data-result=\"inheritedFromGroup\""));
  EXPECT_EQ(Assignments(e.id), 2u);                                 // meg's and the group's remain
  EXPECT_FALSE(Has(r.body, "data-holder=\"" + ann_holder + "\""));  // the review shows what is left
}

TEST_F(PortalEnvironmentsTest, OnlyEnvironmentAdministratorsWithAValidFormChangeAnything) {
  auto e = Environment("contoso-sales");
  auto sales = SecurityGroup("Sales");
  // A forged form (no CSRF token) changes nothing.
  std::string page = SignInAsAdmin("/" + e.id);
  auto r =
      browser.Go("POST", base + "/" + e.id + "/security-group", "csrf=forged&securityGroupId=" + sales.id);
  EXPECT_EQ(r.status, 403);
  r = browser.Go("POST", base, "displayName=Forged&type=Production");
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(env.environments->Get(tenant, e.id)->security_group_id.has_value());
  EXPECT_FALSE(ByUniqueName("forged").has_value());

  // A User Administrator may not open (or change) environments.
  auto adele = Member("adele");
  ASSERT_TRUE(
      env.directory->AssignRole(system, tenant, std::string(directory::kUserAdministratorRole), adele.id)
          .ok());
  gh::testing::Browser other(*env.router, "127.0.0.22");
  r = other.SignInTo(base + "/" + e.id, "adele@contoso.test", kUserPassword);
  EXPECT_EQ(r.status, 403) << r.body;
  auto invite = other.Go("GET", "/portal/" + tenant + "/users/invite");  // a form she may use, for its token
  ASSERT_EQ(invite.status, 200) << invite.body;
  r = other.Submit(invite.body, base + "/" + e.id + "/security-group", "securityGroupId=" + sales.id);
  EXPECT_EQ(r.status, 403);
  // A permission refusal naming the route's (write) permission, not the token's.
  EXPECT_TRUE(Has(r.body, "You can&#39;t make this change")) << r.body;
  EXPECT_TRUE(Has(r.body, "It needs the Environment.ReadWrite.All permission")) << r.body;
  EXPECT_FALSE(env.environments->Get(tenant, e.id)->security_group_id.has_value());
  // An unknown environment is a 404 page.
  EXPECT_EQ(browser.Go("GET", base + "/00000000-0000-4000-8000-000000000000").status, 404);
}

}  // namespace
}  // namespace gh::web
