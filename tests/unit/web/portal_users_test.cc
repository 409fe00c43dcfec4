// The portal's user page in-process, through a cookie-keeping browser: what
// it shows of a guest, each section's form (profile, licences, groups,
// directory roles, invitation) changing the directory through the services,
// refusals next to their field with nothing changed, who may do what, and
// New guest user adding the guest to groups.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>

#include "api/permissions.h"
#include "support/app_consent.h"
#include "support/browser.h"
#include "support/test_env.h"
#include "web/portal/portal.h"

namespace gh::web {
namespace {

using gh::testing::Field;
using gh::testing::TestEnv;
using gh::testing::Unescape;

constexpr const char* kAdminPassword = "Adm1n-Passw0rd!";
constexpr const char* kMemberPassword = "Str0ng-Passw0rd!";
constexpr const char* kSalesSku = "1e1a282c-9c54-43a2-9310-98ef728faace";

bool Has(const std::string& html, const std::string& text) { return html.find(text) != std::string::npos; }

class PortalUsersTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  const std::string tenant = contoso.res.tenant.id;
  const std::string base = "/portal/" + tenant;
  const directory::Actor system = directory::Actor::System();
  gh::testing::Browser browser{*env.router, "127.0.0.6"};

  std::string UserPath(const std::string& id) { return base + "/users/" + id; }

  directory::User User(const std::string& id) {
    auto u = env.directory->GetUser(tenant, id);
    EXPECT_TRUE(u.ok()) << u.status().ToString();
    return u.ok() ? *u : directory::User{};
  }

  // A pending guest, invited through Graph without an email.
  directory::User Guest(const std::string& email, const std::string& name) {
    auto r = env.Call("POST", "/v1.0/invitations", gh::testing::AdminUserToken(env, contoso),
                      R"({"invitedUserEmailAddress":")" + email + R"(","invitedUserDisplayName":")" + name +
                          R"(","inviteRedirectUrl":"https://myapps.microsoft.com"})");
    EXPECT_EQ(r.status, 201) << r.body;
    return User(std::string(TestEnv::Json(r).at("invitedUser").at("id").as_string()));
  }

  // A member who signs in with kMemberPassword, holding `role` when given.
  directory::User Member(const std::string& nick, std::string_view role = {}) {
    auto r = env.Call("POST", "/v1.0/users", contoso.token,
                      R"({"accountEnabled":true,"displayName":")" + nick + R"(","mailNickname":")" + nick +
                          R"(","userPrincipalName":")" + nick + R"(@contoso.test","passwordProfile":{"password":")" +
                          kMemberPassword + R"("}})");
    EXPECT_EQ(r.status, 201) << r.body;
    auto u = User(std::string(TestEnv::Json(r).at("id").as_string()));
    if (!role.empty()) {
      EXPECT_TRUE(env.directory->AssignRole(system, tenant, std::string(role), u.id).ok());
    }
    return u;
  }

  directory::Group Group(const std::string& name, bool assignable_to_role = false) {
    directory::NewGroup g;
    g.display_name = name;
    g.is_assignable_to_role = assignable_to_role;
    for (char c : name)
      if (std::isalnum(static_cast<unsigned char>(c))) g.mail_nickname += c;
    auto created = env.directory->CreateGroup(system, tenant, g);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    return *created;
  }

  http::Response OpenAsAdmin(const std::string& id) {
    return browser.SignInTo(UserPath(id), "admin@contoso.test", kAdminPassword);
  }

  // Posts a form of the user page `page` to `action` (relative to the user).
  http::Response Post(const http::Response& page, const std::string& id, const std::string& action,
                      const std::string& fields) {
    return browser.Submit(page.body, UserPath(id) + action, fields);
  }

  std::vector<std::string> MembersOf(const std::string& group_id) {
    std::vector<std::string> ids;
    auto members = env.directory->ListMembers(tenant, group_id);
    EXPECT_TRUE(members.ok());
    for (const auto& m : *members)
      if (m.user) ids.push_back(m.user->id);
    return ids;
  }
};

bool IsMember(const std::vector<std::string>& ids, const std::string& id) {
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST_F(PortalUsersTest, ThePageShowsAGuestsState) {
  auto guest = Guest("ann@partner.example", "Ann Lee");
  auto page = OpenAsAdmin(guest.id);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "<title>Ann Lee")) << page.body;
  EXPECT_TRUE(Has(page.body, "<h1>Ann Lee</h1>"));
  EXPECT_TRUE(Has(page.body, "data-field=\"userType\">Guest<"));
  EXPECT_TRUE(Has(page.body, "data-field=\"externalUserState\">PendingAcceptance<"));
  EXPECT_TRUE(Has(page.body, "ann_partner.example#EXT#@contoso.test"));
  EXPECT_TRUE(Has(page.body, "data-field=\"mail\">ann@partner.example<"));
  EXPECT_TRUE(Has(page.body, "Resend invitation"));
  EXPECT_TRUE(Has(page.body, "Reset redemption status"));
  EXPECT_TRUE(Has(page.body, "<label for=\"usageLocation\">Usage location</label>"));
  EXPECT_TRUE(Has(page.body, "<td>Invite external user</td>"));  // its audit trail
  // The list links to it; the page opens by user principal name too.
  EXPECT_TRUE(Has(browser.Go("GET", base + "/users").body, "href=\"" + UserPath(guest.id) + "\""));
  auto by_upn = browser.Go("GET", UserPath(http::PercentEncode(guest.user_principal_name)));
  EXPECT_EQ(by_upn.status, 200);
  EXPECT_TRUE(Has(by_upn.body, "<h1>Ann Lee</h1>"));
  EXPECT_EQ(browser.Go("GET", UserPath("00000000-0000-4000-8000-000000000001")).status, 404);
}

TEST_F(PortalUsersTest, UsageLocationIsValidatedNextToItsField) {
  auto guest = Guest("ann@partner.example", "Ann Lee");
  auto page = OpenAsAdmin(guest.id);
  const std::string enabled = "&accountEnabled=false&accountEnabled=true";
  auto r = Post(page, guest.id, "/profile", "displayName=Ann+Lee&givenName=Ann&surname=Lee&usageLocation=XX" + enabled);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "name=\"usageLocation\" value=\"XX\" aria-invalid=\"true\" aria-describedby=\"usageLocation-error\""))
      << r.body;
  EXPECT_TRUE(Has(r.body, "<p class=\"error\" id=\"usageLocation-error\" role=\"alert\">Property &#39;usageLocation&#39;"));
  EXPECT_TRUE(Has(r.body, "name=\"givenName\" value=\"Ann\""));  // what was typed stays
  EXPECT_FALSE(User(guest.id).usage_location);
  EXPECT_FALSE(User(guest.id).given_name);

  r = Post(page, guest.id, "/profile", "displayName=Ann+Lee&givenName=Ann&surname=Lee&usageLocation=NO" + enabled);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), UserPath(guest.id) + "#profile");
  auto saved = User(guest.id);
  EXPECT_EQ(saved.usage_location.value_or(""), "NO");
  EXPECT_EQ(saved.given_name.value_or(""), "Ann");
  EXPECT_EQ(saved.surname.value_or(""), "Lee");
  EXPECT_TRUE(saved.account_enabled);

  // An emptied usage location is cleared; an unticked box disables the account.
  r = Post(page, guest.id, "/profile", "displayName=Ann+Lee&givenName=Ann&surname=Lee&usageLocation=&accountEnabled=false");
  EXPECT_EQ(r.status, 303);
  EXPECT_FALSE(User(guest.id).usage_location);
  EXPECT_FALSE(User(guest.id).account_enabled);

  // The display name is required.
  r = Post(page, guest.id, "/profile", "displayName=");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"displayName-error\""));
  EXPECT_EQ(User(guest.id).display_name, "Ann Lee");
}

TEST_F(PortalUsersTest, ALicenseNeedsAUsageLocation) {
  ASSERT_TRUE(licensing::SeedDemoSkus(*env.licensing, system, tenant).ok());
  auto guest = Guest("ann@partner.example", "Ann Lee");
  auto page = OpenAsAdmin(guest.id);
  // The picker starts on an empty choice, then the products with their free seats.
  EXPECT_TRUE(Has(page.body, "<select id=\"skuId\" name=\"skuId\">\n    <option value=\"\">Choose a license</option>"))
      << page.body;
  EXPECT_TRUE(Has(page.body, "<option value=\"" + std::string(kSalesSku) +
                                 "\">Dynamics 365 Sales Enterprise Edition — 25 of 25 available</option>"))
      << page.body;
  auto r = Post(page, guest.id, "/licenses", std::string("skuId=") + kSalesSku);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "<select id=\"skuId\" name=\"skuId\" aria-invalid=\"true\" aria-describedby=\"skuId-error\">"));
  EXPECT_TRUE(Has(r.body, "id=\"skuId-error\" role=\"alert\">License assignment cannot be done for user with invalid "
                          "usage location.</p>"))
      << r.body;
  EXPECT_TRUE(env.licensing->UserLicensesOf(tenant, guest.id)->assigned.empty());

  directory::UserPatch location;
  location.usage_location.emplace("NO");
  ASSERT_TRUE(env.directory->UpdateUser(system, tenant, guest.id, location).ok());
  r = Post(page, guest.id, "/licenses", std::string("skuId=") + kSalesSku);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), UserPath(guest.id) + "#licenses");
  auto held = env.licensing->UserLicensesOf(tenant, guest.id);
  ASSERT_EQ(held->assigned.size(), 1u);
  EXPECT_EQ(held->assigned[0].sku_id, kSalesSku);
  page = browser.Go("GET", UserPath(guest.id));
  EXPECT_TRUE(Has(page.body, "<code>DYN365_ENTERPRISE_SALES</code>"));
  EXPECT_TRUE(Has(page.body, "Directly"));
  EXPECT_FALSE(Has(page.body, "Dynamics 365 Sales Enterprise Edition — "));  // no longer offered

  EXPECT_EQ(Post(page, guest.id, "/licenses", "skuId=not-a-sku").status, 400);
  r = Post(page, guest.id, "/licenses/remove", std::string("skuId=") + kSalesSku);
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(env.licensing->UserLicensesOf(tenant, guest.id)->assigned.empty());
}

TEST_F(PortalUsersTest, AGroupLicenseSaysWhichGroupGivesIt) {
  ASSERT_TRUE(licensing::SeedDemoSkus(*env.licensing, system, tenant).ok());
  auto guest = Guest("ann@partner.example", "Ann Lee");
  auto sales = Group("Contoso Sales");
  ASSERT_TRUE(env.directory->AddMember(system, tenant, sales.id, guest.id).ok());
  ASSERT_TRUE(env.licensing->AssignGroupLicenses(system, tenant, sales.id, {{{kSalesSku, {}}}, {}}).ok());
  auto page = OpenAsAdmin(guest.id);
  EXPECT_TRUE(Has(page.body, "Inherited from <a href=\"" + base + "/groups/" + sales.id + "\">Contoso Sales</a>"))
      << page.body;
  EXPECT_TRUE(Has(page.body, "ProhibitedInUsageLocationViolation"));  // no usage location, no tenant default
}

TEST_F(PortalUsersTest, AddToAndRemoveFromAGroup) {
  auto guest = Guest("ann@partner.example", "Ann Lee");
  auto partners = Group("Partners");
  auto page = OpenAsAdmin(guest.id);
  EXPECT_TRUE(Has(page.body, "<option value=\"\">Choose a group</option><option value=\"" + partners.id +
                                 "\">Partners</option>"));
  EXPECT_TRUE(Has(page.body, "Not a direct member of any group."));

  auto r = Post(page, guest.id, "/groups", "groupId=");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"groupId-error\" role=\"alert\">Choose a group.</p>"));
  r = Post(page, guest.id, "/groups", "groupId=" + partners.id);
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), UserPath(guest.id) + "#groups");
  EXPECT_TRUE(IsMember(MembersOf(partners.id), guest.id));
  page = browser.Go("GET", UserPath(guest.id));
  EXPECT_TRUE(Has(page.body, "<a href=\"" + base + "/groups/" + partners.id + "\">Partners</a>"));
  EXPECT_TRUE(Has(page.body, "<option value=\"\">No other group</option>"));

  r = Post(page, guest.id, "/groups", "groupId=00000000-0000-4000-8000-00000000dead");
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(Has(r.body, "id=\"groupId-error\""));
  r = Post(page, guest.id, "/groups/remove", "groupId=" + partners.id);
  EXPECT_EQ(r.status, 303);
  EXPECT_FALSE(IsMember(MembersOf(partners.id), guest.id));
}

TEST_F(PortalUsersTest, DirectoryRolesAreForGlobalAdministrators) {
  auto meg = Member("meg");
  auto page = OpenAsAdmin(meg.id);
  EXPECT_TRUE(Has(page.body, "No directory roles."));
  // The role picker starts on no role: submitted as it is, it is refused at the field and assigns nothing.
  EXPECT_TRUE(Has(page.body, "<select id=\"roleId\" name=\"roleId\">\n    <option value=\"\">Choose a role</option>"))
      << page.body;
  auto r = Post(page, meg.id, "/roles", "roleId=");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"roleId-error\" role=\"alert\">Choose a role.</p>")) << r.body;
  EXPECT_TRUE(env.directory->ListRoleAssignments(tenant, meg.id)->empty());
  r = Post(page, meg.id, "/roles", "roleId=" + std::string(directory::kUserAdministratorRole));
  EXPECT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), UserPath(meg.id) + "#roles");
  auto held = env.directory->ListRoleAssignments(tenant, meg.id);
  ASSERT_EQ(held->size(), 1u);
  page = browser.Go("GET", UserPath(meg.id));
  EXPECT_TRUE(Has(page.body, "<td>User Administrator</td>\n<td>Directly</td>")) << page.body;
  EXPECT_TRUE(Has(page.body, "name=\"assignmentId\" value=\"" + held->front().id + "\""));

  // A role held through a group says which, and can't be removed here.
  auto admins = Group("Helpdesk", /*assignable_to_role=*/true);
  ASSERT_TRUE(env.directory->AddMember(system, tenant, admins.id, meg.id).ok());
  ASSERT_TRUE(env.directory->AssignRole(system, tenant, std::string(directory::kHelpdeskAdministratorRole), admins.id).ok());
  page = browser.Go("GET", UserPath(meg.id));
  EXPECT_TRUE(Has(page.body, "Through <a href=\"" + base + "/groups/" + admins.id + "\">Helpdesk</a>"));

  // Another user's assignment can't be removed through Meg's page.
  auto ben = Member("ben", directory::kGuestInviterRole);
  auto bens = env.directory->ListRoleAssignments(tenant, ben.id);
  r = Post(page, meg.id, "/roles/remove", "assignmentId=" + bens->front().id);
  EXPECT_EQ(r.status, 404);
  EXPECT_TRUE(Has(r.body, "id=\"roleId-error\""));
  EXPECT_EQ(env.directory->ListRoleAssignments(tenant, ben.id)->size(), 1u);

  r = Post(page, meg.id, "/roles/remove", "assignmentId=" + held->front().id);
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(env.directory->ListRoleAssignments(tenant, meg.id)->empty());
}

TEST_F(PortalUsersTest, AUserAdministratorCantAssignRoles) {
  Member("adele", directory::kUserAdministratorRole);
  auto meg = Member("meg");
  auto page = browser.SignInTo(UserPath(meg.id), "adele@contoso.test", kMemberPassword);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "Save profile"));
  EXPECT_FALSE(Has(page.body, "Assign role"));
  auto r = Post(page, meg.id, "/roles", "roleId=" + std::string(directory::kGlobalAdministratorRole));
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(env.directory->ListRoleAssignments(tenant, meg.id)->empty());
}

TEST_F(PortalUsersTest, ResendAndResetRedemption) {
  auto guest = Guest("ann@partner.example", "Ann Lee");
  ASSERT_TRUE(env.sent_invitations.empty());
  auto page = OpenAsAdmin(guest.id);
  auto r = Post(page, guest.id, "/invitation/resend", "");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "A new invitation email is on its way to ann@partner.example."));
  const std::string first = Unescape(Field(r.body, "redeem"));
  EXPECT_TRUE(first.starts_with("https://localhost:8443/redeem?")) << r.body;
  ASSERT_EQ(env.sent_invitations.size(), 1u);
  EXPECT_EQ(env.sent_invitations[0].to, "ann@partner.example");
  EXPECT_EQ(env.sent_invitations[0].redeem_url, first);

  r = Post(page, guest.id, "/invitation/reset", "");
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r.body, "The redemption status is reset."));
  const std::string second = Unescape(Field(r.body, "redeem"));
  EXPECT_TRUE(second.starts_with("https://localhost:8443/redeem?"));
  EXPECT_NE(second, first);
  EXPECT_EQ(env.sent_invitations.size(), 2u);
  EXPECT_EQ(User(guest.id).external_user_state.value_or(""), "PendingAcceptance");

  // A member has no invitation to resend.
  auto meg = Member("meg");
  r = Post(page, meg.id, "/invitation/resend", "");
  EXPECT_EQ(r.status, 409);
  EXPECT_TRUE(Has(r.body, "id=\"invitation-error\""));
  EXPECT_EQ(env.sent_invitations.size(), 2u);
}

TEST_F(PortalUsersTest, TheInvitationServiceDecidesWhoMayResend) {
  auto guest = Guest("ann@partner.example", "Ann Lee");
  ASSERT_TRUE(env.policies
                  ->UpdateAuthorizationPolicy(system, tenant,
                                              [](directory::AuthorizationPolicy& p) {
                             p.allow_invites_from = directory::AllowInvitesFrom::kNone;
                             return OkStatus();
                           })
                  .ok());
  auto page = OpenAsAdmin(guest.id);
  auto r = Post(page, guest.id, "/invitation/resend", "");
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(Has(r.body, "Invitations have been disabled for this directory")) << r.body;
  EXPECT_TRUE(env.sent_invitations.empty());
}

TEST_F(PortalUsersTest, TheAuditTrailListsTheChangesNewestFirst) {
  ASSERT_TRUE(licensing::SeedDemoSkus(*env.licensing, system, tenant).ok());
  auto guest = Guest("ann@partner.example", "Ann Lee");
  auto page = OpenAsAdmin(guest.id);
  env.clock.Advance(1000);
  ASSERT_EQ(Post(page, guest.id, "/profile", "displayName=Ann+Lee&usageLocation=NO").status, 303);
  env.clock.Advance(1000);
  ASSERT_EQ(Post(page, guest.id, "/licenses", std::string("skuId=") + kSalesSku).status, 303);
  page = browser.Go("GET", UserPath(guest.id));
  const size_t licence = page.body.find("<td>Change user license</td><td>Contoso Administrator</td><td>success</td>");
  const size_t profile = page.body.find("<td>Update user</td><td>Contoso Administrator</td><td>success</td>");
  const size_t invited = page.body.find("<td>Invite external user</td>");
  ASSERT_NE(licence, std::string::npos) << page.body;
  ASSERT_NE(profile, std::string::npos);
  ASSERT_NE(invited, std::string::npos);
  EXPECT_LT(licence, profile);
  EXPECT_LT(profile, invited);
}

TEST_F(PortalUsersTest, EnvironmentRolesAreListedPerEnvironment) {
  auto meg = Member("meg");
  environments::NewEnvironment sales;
  sales.display_name = "Contoso Sales";
  sales.dataverse = true;  // Basic User is a Dataverse role
  auto env_sales = env.environments->Create(system, tenant, sales);
  ASSERT_TRUE(env_sales.ok()) << env_sales.status().ToString();
  auto assigned = env.environments->AssignRole(system, tenant, env_sales->id, meg.id, "Basic User");
  ASSERT_TRUE(assigned.ok()) << assigned.status().ToString();
  auto page = OpenAsAdmin(meg.id);
  EXPECT_TRUE(Has(page.body, "<a href=\"" + base + "/environments/" + env_sales->id + "\">Contoso Sales</a></td>\n<td>Basic User"))
      << page.body;
  EXPECT_TRUE(Has(page.body, "<span class=\"muted\">None</span>"));  // the Default environment
}

TEST_F(PortalUsersTest, FormsWithoutTheirTokenChangeNothing) {
  auto guest = Guest("ann@partner.example", "Ann Lee");
  OpenAsAdmin(guest.id);
  auto r = browser.Go("POST", UserPath(guest.id) + "/profile", "csrf=forged&displayName=Ann+Lee&usageLocation=NO");
  EXPECT_EQ(r.status, 403);
  EXPECT_FALSE(User(guest.id).usage_location);
  r = browser.Go("POST", UserPath(guest.id) + "/invitation/resend", "");
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(env.sent_invitations.empty());
}

// Every portal role holds User.Read.All today (Guest Inviters included, as in
// Entra), so the page's gate is shown with a portal whose users_read admits
// Global Administrators only: a Guest Inviter then gets 403.
TEST_F(PortalUsersTest, APageNeedsUsersRead) {
  auto guest = Guest("ann@partner.example", "Ann Lee");
  Member("gina", directory::kGuestInviterRole);
  auto signed_in = browser.SignInTo(base + "/users/invite", "gina@contoso.test", kMemberPassword);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;

  PortalPermissions can;
  can.users_read = api::RequireAny("User.Read.All", {}, {});
  PortalDeps deps{env.clock,         env.random,    *env.directory,  *env.policies,
                  *env.signin,       *env.invitations, env.bulk.get(), env.bulk_runner.get(),
                  *env.licensing,    *env.environments, *env.notifier, *env.tenant_settings,
                  env.gate,    can};
  http::Router narrowed(PortalPages(std::move(deps)), nullptr, app::RenderError);
  gh::testing::Browser same_session(narrowed, "127.0.0.6");
  same_session.cookies = browser.cookies;
  auto r = same_session.Go("GET", UserPath(guest.id));
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(Has(r.body, "User.Read.All")) << r.body;
  EXPECT_EQ(same_session.Go("GET", base + "/users").status, 403);
  // Through the real table, whose users_read admits Guest Inviters, she reads it.
  EXPECT_EQ(browser.Go("GET", UserPath(guest.id)).status, 200);
}

TEST_F(PortalUsersTest, InvitingIntoGroupsMakesTheGuestAMember) {
  auto partners = Group("Partners");
  auto page = browser.SignInTo(base + "/users/invite", "admin@contoso.test", kAdminPassword);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "<legend>Add to groups</legend>"));
  EXPECT_TRUE(Has(page.body, "<label class=\"check\" for=\"group-" + partners.id + "\">"));
  const std::string form = "email=ben%40partner.example&redirectUrl=https%3A%2F%2Fmyapps.microsoft.com";

  auto r = browser.Submit(page.body, base + "/users/invite", form + "&groups=00000000-0000-4000-8000-00000000dead");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"groups-error\" role=\"alert\">The group")) << r.body;
  EXPECT_FALSE(env.directory->GetUser(tenant, "ben_partner.example#EXT#@contoso.test").ok());

  r = browser.Submit(page.body, base + "/users/invite", form + "&groups=" + partners.id);
  EXPECT_EQ(r.status, 201) << r.body;
  auto ben = User("ben_partner.example#EXT#@contoso.test");
  EXPECT_TRUE(IsMember(MembersOf(partners.id), ben.id));
}

}  // namespace
}  // namespace gh::web
