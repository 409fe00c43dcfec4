// The portal's settings pages in-process, through a cookie-keeping browser:
// tenant settings (enableGuestsToMake on and off), external collaboration
// (guest access, who may invite, domain lists, a bad domain refused next to
// its field), cross-tenant access (defaults, partners added by domain or id,
// edited, removed; Microsoft clouds), and who may change what.
#include <gtest/gtest.h>

#include <regex>

#include "environments/tenant_settings.h"
#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::Browser;
using gh::testing::TestEnv;

constexpr const char* kAdminPassword = "Adm1n-Passw0rd!";
constexpr const char* kMemberPassword = "Str0ng-Passw0rd!";

// The checkboxes a page shows checked, as a browser would post them.
std::string CheckedBoxes(const std::string& html) {
  std::string out;
  std::regex box(R"re(type="checkbox" id="[^"]*" name="([^"]+)" value="true" checked)re");
  for (std::sregex_iterator it(html.begin(), html.end(), box), end; it != end; ++it)
    out += "&" + http::PercentEncode((*it)[1].str()) + "=true";
  return out;
}

bool Has(const std::string& html, const std::string& text) { return html.find(text) != std::string::npos; }

// Every field of a cross-tenant direction ("inbound"/"outbound"): users and
// applications allowed or blocked for everyone.
std::string Direction(const std::string& dir, const std::string& users, const std::string& apps) {
  return "&" + dir + ".usersAndGroups.access=" + users + "&" + dir + ".usersAndGroups.appliesTo=all&" + dir +
         ".applications.access=" + apps + "&" + dir + ".applications.appliesTo=all";
}

class PortalSettingsTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  Browser browser{*env.router, "127.0.0.6"};
  const std::string tenant = contoso.res.tenant.id;
  const std::string base = "/portal/" + tenant;

  http::Response AsAdmin(const std::string& page) {
    return browser.SignInTo(base + page, "admin@contoso.test", kAdminPassword);
  }

  // A member holding one directory role, signed in on a browser of their own.
  Browser MemberWithRole(std::string_view role, const std::string& nickname) {
    directory::NewUser u;
    u.user_principal_name = nickname + "@contoso.test";
    u.display_name = nickname;
    u.mail_nickname = nickname;
    u.password = kMemberPassword;
    auto user = env.directory->CreateUser(directory::Actor::System(), tenant, u);
    EXPECT_TRUE(user.ok()) << user.status().ToString();
    EXPECT_TRUE(env.directory->AssignRole(directory::Actor::System(), tenant, std::string(role), user->id).ok());
    Browser b(*env.router, "127.0.0.7");
    b.SignInTo(base, u.user_principal_name, kMemberPassword);
    return b;
  }

  directory::Policies Policies() { return *env.policies->Get(tenant); }
  boost::json::object Settings() {
    return *env.tenant_settings->Get(tenant);
  }
  bool GuestsMayMake() { return environments::SettingFlag(Settings(), "powerPlatform.powerApps.enableGuestsToMake"); }
};

// ---- tenant settings

TEST_F(PortalSettingsTest, EnableGuestsToMakeIsTurnedOnAndOff) {
  auto page = AsAdmin("/settings");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "Let guests make apps (enableGuestsToMake)"));
  EXPECT_TRUE(Has(page.body, R"(name="enableGuestsToMake" value="true">)"));  // off by default
  // Every other boolean is there, labelled by its path, and the document is shown whole.
  EXPECT_TRUE(Has(page.body, "> powerPlatform.powerAutomate.disableCopilot</label>"));
  EXPECT_TRUE(Has(page.body, R"(name="powerPlatform.licensing.disableUseOfUnassignedAIBuilderCredits" value="true" checked)"));
  EXPECT_TRUE(Has(page.body, "<details>"));
  EXPECT_TRUE(Has(page.body, "shareWithColleaguesUserLimit"));

  auto r = browser.Submit(page.body, base + "/settings", CheckedBoxes(page.body).substr(1) + "&enableGuestsToMake=true");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), base + "/settings?saved=1");
  EXPECT_TRUE(GuestsMayMake());
  // Switches left as they were stay as they were.
  EXPECT_TRUE(environments::SettingFlag(Settings(), "powerPlatform.licensing.disableUseOfUnassignedAIBuilderCredits"));
  auto saved = browser.Go("GET", base + "/settings?saved=1");
  EXPECT_TRUE(Has(saved.body, "Saved."));
  EXPECT_TRUE(Has(saved.body, R"(name="enableGuestsToMake" value="true" checked)"));

  // Unchecking it (the browser doesn't post it) turns it off again.
  std::string boxes = CheckedBoxes(saved.body);
  boxes.erase(boxes.find("&enableGuestsToMake=true"), std::string("&enableGuestsToMake=true").size());
  ASSERT_EQ(browser.Submit(saved.body, base + "/settings", boxes.substr(1)).status, 303);
  EXPECT_FALSE(GuestsMayMake());

  // The audit log names the administrator.
  store::AuditQuery q;
  q.tenant_id = tenant;
  q.category = "TenantSettings";
  auto entries = env.directory->ListAudit(q);
  ASSERT_TRUE(entries.ok());
  ASSERT_EQ(entries->items.size(), 2u);
  EXPECT_EQ(entries->items[0].actor_id, contoso.res.admin.id);
}

TEST_F(PortalSettingsTest, TenantSettingsNeedThePowerPlatformRoleAndTheFormsToken) {
  auto page = AsAdmin("/settings");
  EXPECT_EQ(browser.Go("POST", base + "/settings", "csrf=forged&enableGuestsToMake=true").status, 403);
  EXPECT_FALSE(GuestsMayMake());

  Browser user_admin = MemberWithRole(directory::kUserAdministratorRole, "adele");
  EXPECT_EQ(user_admin.Go("GET", base + "/settings").status, 403);
  auto refused = user_admin.Go("POST", base + "/settings", "csrf=whatever&enableGuestsToMake=true");
  EXPECT_EQ(refused.status, 403);
  EXPECT_FALSE(GuestsMayMake());

  Browser power_platform = MemberWithRole(directory::kPowerPlatformAdministratorRole, "megan");
  auto own = power_platform.Go("GET", base + "/settings");
  ASSERT_EQ(own.status, 200);
  EXPECT_TRUE(Has(own.body, "Save settings"));
  EXPECT_EQ(power_platform.Submit(own.body, base + "/settings", CheckedBoxes(own.body).substr(1) + "&enableGuestsToMake=true").status,
            303);
  EXPECT_TRUE(GuestsMayMake());
}

// ---- external collaboration

TEST_F(PortalSettingsTest, GuestAccessInvitesAndDomainsAreSaved) {
  auto page = AsAdmin("/external-collaboration");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "<legend>Guest user access</legend>"));
  EXPECT_TRUE(Has(page.body, "value=\"" + std::string(directory::kGuestLimitedRole) + "\" checked"));
  EXPECT_TRUE(Has(page.body, R"(value="adminsAndGuestInviters" checked)"));
  EXPECT_TRUE(Has(page.body, R"(value="allowAll" checked)"));
  EXPECT_TRUE(Has(page.body, "Only users assigned to specific admin roles can invite guest users"));

  auto r = browser.Submit(page.body, base + "/external-collaboration",
                          "guestUserRoleId=" + std::string(directory::kGuestRestrictedRole) +
                              "&allowInvitesFrom=everyone&mode=allowList&domains=Fabrikam.com%0D%0A%0D%0Apartner.example%0D%0A");
  ASSERT_EQ(r.status, 303) << r.body;
  auto p = Policies();
  EXPECT_EQ(p.authorization.guest_user_role_id, directory::kGuestRestrictedRole);
  EXPECT_EQ(p.authorization.allow_invites_from, directory::AllowInvitesFrom::kEveryone);
  EXPECT_EQ(p.domains.mode, directory::DomainRestrictions::Mode::kAllowList);
  EXPECT_EQ(p.domains.domains, (std::vector<std::string>{"fabrikam.com", "partner.example"}));
  auto shown = browser.Go("GET", std::string(r.Header("Location")));
  EXPECT_TRUE(Has(shown.body, "Saved."));
  EXPECT_TRUE(Has(shown.body, "fabrikam.com\npartner.example\n</textarea>"));
  EXPECT_TRUE(Has(shown.body, R"(value="allowList" checked)"));

  // Back to any domain: the list goes with it.
  r = browser.Submit(shown.body, base + "/external-collaboration",
                     "guestUserRoleId=" + std::string(directory::kGuestSameAsMembersRole) +
                         "&allowInvitesFrom=none&mode=allowAll&domains=fabrikam.com");
  ASSERT_EQ(r.status, 303);
  p = Policies();
  EXPECT_EQ(p.authorization.guest_user_role_id, directory::kGuestSameAsMembersRole);
  EXPECT_EQ(p.authorization.allow_invites_from, directory::AllowInvitesFrom::kNone);
  EXPECT_EQ(p.domains.mode, directory::DomainRestrictions::Mode::kAllowAll);
  EXPECT_TRUE(p.domains.domains.empty());
}

TEST_F(PortalSettingsTest, ABadDomainIsRefusedNextToDomainsAndNothingIsSaved) {
  auto page = AsAdmin("/external-collaboration");
  auto r = browser.Submit(page.body, base + "/external-collaboration",
                          "guestUserRoleId=" + std::string(directory::kGuestRestrictedRole) +
                              "&allowInvitesFrom=everyone&mode=denyList&domains=good.example%0Anot+a+domain");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, R"(id="domains" name="domains" rows="5" aria-invalid="true" aria-describedby="domains-error")"))
      << r.body;
  EXPECT_TRUE(Has(r.body, R"(<p class="error" id="domains-error" role="alert">&#39;not a domain&#39; is not a valid domain name.)"));
  EXPECT_TRUE(Has(r.body, "good.example\nnot a domain</textarea>"));  // what was typed stays
  EXPECT_TRUE(Has(r.body, R"(value="denyList" checked)"));
  auto p = Policies();  // nothing saved, not even the valid parts
  EXPECT_EQ(p.authorization.guest_user_role_id, directory::kGuestLimitedRole);
  EXPECT_EQ(p.authorization.allow_invites_from, directory::AllowInvitesFrom::kAdminsAndGuestInviters);
  EXPECT_EQ(p.domains.mode, directory::DomainRestrictions::Mode::kAllowAll);

  // A value no option has is refused next to its group.
  r = browser.Submit(page.body, base + "/external-collaboration",
                     "guestUserRoleId=" + std::string(directory::kGuestLimitedRole) +
                         "&allowInvitesFrom=somebody&mode=allowAll");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, R"(id="allowInvitesFrom-error")"));
  EXPECT_EQ(Policies().authorization.allow_invites_from, directory::AllowInvitesFrom::kAdminsAndGuestInviters);

  EXPECT_EQ(browser.Go("POST", base + "/external-collaboration", "allowInvitesFrom=everyone").status, 403);
  EXPECT_EQ(Policies().authorization.allow_invites_from, directory::AllowInvitesFrom::kAdminsAndGuestInviters);
}

TEST_F(PortalSettingsTest, AUserAdministratorSeesTheSettingsButCantChangeThem) {
  Browser user_admin = MemberWithRole(directory::kUserAdministratorRole, "adele");
  auto page = user_admin.Go("GET", base + "/external-collaboration");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_FALSE(Has(page.body, "<button type=\"submit\">Save</button>"));
  EXPECT_TRUE(Has(page.body, " disabled"));
  auto r = user_admin.Submit(page.body, base + "/external-collaboration",
                             "guestUserRoleId=" + std::string(directory::kGuestLimitedRole) +
                                 "&allowInvitesFrom=everyone&mode=allowAll");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(Policies().authorization.allow_invites_from, directory::AllowInvitesFrom::kAdminsAndGuestInviters);
  // Cross-tenant access likewise: shown, but no forms to change it.
  auto cross = user_admin.Go("GET", base + "/cross-tenant");
  ASSERT_EQ(cross.status, 200);
  EXPECT_FALSE(Has(cross.body, "Save default settings"));
  EXPECT_FALSE(Has(cross.body, "Add organization"));
}

// ---- cross-tenant access

TEST_F(PortalSettingsTest, DefaultSettingsAreChanged) {
  auto page = AsAdmin("/cross-tenant");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "No organizations added"));
  EXPECT_TRUE(Has(page.body, R"(name="inbound.usersAndGroups.access" value="allowed" checked)"));
  const std::string group = "5a1c4a52-3c1e-4f4b-9f0e-2b6f1e4d3c21";
  auto r = browser.Submit(page.body, base + "/cross-tenant",
                          "inbound.usersAndGroups.access=allowed&inbound.usersAndGroups.appliesTo=selected"
                          "&inbound.usersAndGroups.user=&inbound.usersAndGroups.group=" + group +
                              "&inbound.applications.access=allowed&inbound.applications.appliesTo=all" +
                              Direction("outbound", "blocked", "allowed"));
  ASSERT_EQ(r.status, 303) << r.body;
  auto ct = Policies().cross_tenant;
  EXPECT_FALSE(ct.default_is_service_default);
  ASSERT_EQ(ct.default_inbound.users_and_groups.targets.size(), 1u);
  EXPECT_EQ(ct.default_inbound.users_and_groups.targets[0].target, group);
  EXPECT_EQ(ct.default_inbound.users_and_groups.targets[0].target_type, "group");
  EXPECT_FALSE(ct.default_outbound.users_and_groups.allowed);
  auto shown = browser.Go("GET", base + "/cross-tenant");
  EXPECT_TRUE(Has(shown.body, R"(name="inbound.usersAndGroups.appliesTo" value="selected" checked)"));
  EXPECT_TRUE(Has(shown.body, group + "\n</textarea>"));

  // A bad id is refused next to its part of the form, and nothing changes.
  r = browser.Submit(shown.body, base + "/cross-tenant",
                     "inbound.usersAndGroups.access=blocked&inbound.usersAndGroups.appliesTo=selected"
                     "&inbound.usersAndGroups.user=not-an-id&inbound.applications.access=allowed"
                     "&inbound.applications.appliesTo=all" +
                         Direction("outbound", "allowed", "allowed"));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, R"(<p class="error" id="inbound.usersAndGroups-error" role="alert">)")) << r.body;
  EXPECT_TRUE(Has(r.body, R"(aria-describedby="inbound.usersAndGroups-error">not-an-id</textarea>)"));
  EXPECT_FALSE(Policies().cross_tenant.default_outbound.users_and_groups.allowed);
  EXPECT_TRUE(Policies().cross_tenant.default_inbound.users_and_groups.allowed);
}

TEST_F(PortalSettingsTest, PartnersAreAddedEditedAndRemoved) {
  auto fabrikam = env.Tenant("Fabrikam", "fabrikam.test");
  const std::string partner = fabrikam.res.tenant.id;
  auto page = AsAdmin("/cross-tenant");
  // Unknown domains, the tenant itself and blanks are refused next to the field.
  for (const char* typed : {"unknown.example", "contoso.test", "+"}) {
    auto r = browser.Submit(page.body, base + "/cross-tenant/partners", std::string("organization=") + typed);
    EXPECT_EQ(r.status, 400) << typed;
    EXPECT_TRUE(Has(r.body, R"(id="organization" name="organization" value=")")) << typed;
    EXPECT_TRUE(Has(r.body, R"(aria-invalid="true" aria-describedby="organization-error")")) << typed;
    EXPECT_TRUE(Has(r.body, R"(<p class="error" id="organization-error" role="alert">)")) << typed;
  }
  EXPECT_TRUE(Policies().cross_tenant.partners.empty());

  auto r = browser.Submit(page.body, base + "/cross-tenant/partners", "organization=Fabrikam.test");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), base + "/cross-tenant/" + partner);
  ASSERT_EQ(Policies().cross_tenant.partners.size(), 1u);
  EXPECT_FALSE(Policies().cross_tenant.partners[0].inbound);
  auto list = browser.Go("GET", base + "/cross-tenant");
  EXPECT_TRUE(Has(list.body, ">Fabrikam</a>"));
  EXPECT_TRUE(Has(list.body, "<td>Inherited from default</td><td>Inherited from default</td>"));
  // Twice is once too many; an unknown organization's GUID is fine.
  EXPECT_EQ(browser.Submit(page.body, base + "/cross-tenant/partners", "organization=" + partner).status, 409);
  const std::string stranger = "0f9e8d7c-6b5a-4c3d-8e2f-1a0b9c8d7e6f";
  EXPECT_EQ(browser.Submit(page.body, base + "/cross-tenant/partners", "organization=" + stranger).status, 303);

  auto own = browser.Go("GET", base + "/cross-tenant/" + partner);
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_TRUE(Has(own.body, "<h1>Fabrikam</h1>"));
  EXPECT_TRUE(Has(own.body, R"(name="inbound.mode" value="default" checked)"));
  r = browser.Submit(own.body, base + "/cross-tenant/" + partner,
                     "inbound.mode=custom" + Direction("inbound", "blocked", "allowed") + "&outbound.mode=default" +
                         Direction("outbound", "allowed", "allowed"));
  ASSERT_EQ(r.status, 303) << r.body;
  auto config = *Policies().cross_tenant.Partner(partner);
  ASSERT_TRUE(config.inbound);
  EXPECT_FALSE(config.inbound->users_and_groups.allowed);
  EXPECT_FALSE(config.outbound);
  own = browser.Go("GET", base + "/cross-tenant/" + partner);
  EXPECT_TRUE(Has(own.body, R"(name="inbound.mode" value="custom" checked)"));
  EXPECT_TRUE(Has(browser.Go("GET", base + "/cross-tenant").body, "Users and groups: blocked (all)"));

  // A refused partner form keeps the stored settings.
  r = browser.Submit(own.body, base + "/cross-tenant/" + partner,
                     "inbound.mode=custom&inbound.usersAndGroups.access=maybe&inbound.usersAndGroups.appliesTo=all"
                     "&inbound.applications.access=allowed&inbound.applications.appliesTo=all&outbound.mode=default");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, R"(id="inbound.usersAndGroups-error")"));
  EXPECT_FALSE(Policies().cross_tenant.Partner(partner)->inbound->users_and_groups.allowed);

  r = browser.Submit(own.body, base + "/cross-tenant/" + partner + "/remove", "");
  EXPECT_EQ(r.status, 303);
  EXPECT_EQ(Policies().cross_tenant.Partner(partner), nullptr);
  EXPECT_EQ(browser.Go("GET", base + "/cross-tenant/" + partner).status, 404);
  EXPECT_EQ(browser.Submit(own.body, base + "/cross-tenant/" + partner + "/remove", "").status, 404);
  EXPECT_EQ(browser.Go("GET", base + "/cross-tenant/not-a-tenant").status, 404);
}

TEST_F(PortalSettingsTest, MicrosoftCloudSettingsAreSaved) {
  auto page = AsAdmin("/cross-tenant");
  EXPECT_FALSE(Has(page.body, R"(value="microsoftonline.com")"));  // Contoso's own cloud always collaborates
  auto r = browser.Submit(page.body, base + "/cross-tenant/clouds", "cloud=microsoftonline.us");
  ASSERT_EQ(r.status, 303);
  EXPECT_EQ(Policies().cross_tenant.allowed_cloud_endpoints, std::vector<std::string>{"microsoftonline.us"});
  EXPECT_TRUE(Has(browser.Go("GET", base + "/cross-tenant").body, R"(value="microsoftonline.us" checked)"));
  r = browser.Submit(page.body, base + "/cross-tenant/clouds", "cloud=evil.example");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, R"(<p class="error" id="cloud-error" role="alert">)"));
  EXPECT_EQ(Policies().cross_tenant.allowed_cloud_endpoints, std::vector<std::string>{"microsoftonline.us"});
}

TEST_F(PortalSettingsTest, CrossTenantChangesNeedTheRoleAndTheFormsToken) {
  AsAdmin("/cross-tenant");
  EXPECT_EQ(browser.Go("POST", base + "/cross-tenant",
                       "csrf=forged" + Direction("inbound", "blocked", "blocked") + Direction("outbound", "allowed", "allowed"))
                .status,
            403);
  EXPECT_EQ(browser.Go("POST", base + "/cross-tenant/partners", "organization=fabrikam.test").status, 403);
  EXPECT_TRUE(Policies().cross_tenant.default_inbound.users_and_groups.allowed);

  Browser power_platform = MemberWithRole(directory::kPowerPlatformAdministratorRole, "megan");
  auto own = power_platform.Go("GET", base + "/settings");  // a page with a token of their own
  auto r = power_platform.Submit(own.body, base + "/cross-tenant",
                                 Direction("inbound", "blocked", "blocked").substr(1) +
                                     Direction("outbound", "allowed", "allowed"));
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(Policies().cross_tenant.default_inbound.users_and_groups.allowed);
}

}  // namespace
}  // namespace gh::web
