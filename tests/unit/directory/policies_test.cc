// The pure policy rules, table-driven: who may invite under each
// allowInvitesFrom value, domain lists, and cross-tenant B2B settings.
#include "directory/model/policies.h"
#include "wire/policies.h"

#include <gtest/gtest.h>

namespace gh::directory {
namespace {

struct InviteCase {
  AllowInvitesFrom setting;
  const char* inviter;
  bool allowed;
};

InviterFacts Facts(const std::string& kind) {
  if (kind == "globalAdmin") return {false, false, {std::string(kGlobalAdministratorRole)}, UserType::kMember};
  if (kind == "userAdmin") return {false, false, {std::string(kUserAdministratorRole)}, UserType::kMember};
  if (kind == "guestInviter") return {false, false, {std::string(kGuestInviterRole)}, UserType::kMember};
  if (kind == "member") return {false, false, {}, UserType::kMember};
  return {false, false, {}, UserType::kGuest};  // guest
}

TEST(MayInviteTest, EverySettingTimesEveryInviterKind) {
  using A = AllowInvitesFrom;
  const std::vector<InviteCase> cases = {
      {A::kNone, "globalAdmin", false},       {A::kNone, "userAdmin", false},
      {A::kNone, "guestInviter", false},      {A::kNone, "member", false},
      {A::kNone, "guest", false},             {A::kAdminsAndGuestInviters, "globalAdmin", true},
      {A::kAdminsAndGuestInviters, "userAdmin", true},        {A::kAdminsAndGuestInviters, "guestInviter", true},
      {A::kAdminsAndGuestInviters, "member", false},          {A::kAdminsAndGuestInviters, "guest", false},
      {A::kAdminsGuestInvitersAndAllMembers, "globalAdmin", true},
      {A::kAdminsGuestInvitersAndAllMembers, "userAdmin", true},
      {A::kAdminsGuestInvitersAndAllMembers, "guestInviter", true},
      {A::kAdminsGuestInvitersAndAllMembers, "member", true}, {A::kAdminsGuestInvitersAndAllMembers, "guest", false},
      {A::kEveryone, "globalAdmin", true},    {A::kEveryone, "userAdmin", true},
      {A::kEveryone, "guestInviter", true},   {A::kEveryone, "member", true},
      {A::kEveryone, "guest", true},
  };
  for (const auto& c : cases) {
    AuthorizationPolicy p;
    p.allow_invites_from = c.setting;
    RuleResult r = MayInvite(p, Facts(c.inviter));
    EXPECT_EQ(r.allowed, c.allowed) << AllowInvitesFromName(c.setting) << " × " << c.inviter;
    if (!r.allowed) EXPECT_EQ(r.rule, "authorizationPolicy.allowInvitesFrom");
  }
  EXPECT_EQ(AuthorizationPolicy{}.allow_invites_from, A::kAdminsAndGuestInviters) << "new tenants follow the seed";
}

TEST(MayInviteTest, AppsNeedTheInvitePermission) {
  AuthorizationPolicy p;
  EXPECT_FALSE(MayInvite(p, {true, false, {}, UserType::kMember}).allowed);
  EXPECT_TRUE(MayInvite(p, {true, true, {}, UserType::kMember}).allowed);
  p.allow_invites_from = AllowInvitesFrom::kNone;
  EXPECT_FALSE(MayInvite(p, {true, true, {}, UserType::kMember}).allowed);
}

TEST(DomainRestrictionsTest, AllowAndDenyLists) {
  DomainRestrictions d;
  EXPECT_TRUE(DomainAllowed(d, "fabrikam.com").allowed);
  ASSERT_TRUE(wire::PatchDomainRestrictions(d, boost::json::parse(R"({"mode":"denyList","domains":["Live.com"]})").as_object()).ok());
  EXPECT_FALSE(DomainAllowed(d, "live.com").allowed);
  EXPECT_EQ(DomainAllowed(d, "live.com").rule, "collaboration.deniedDomains");
  EXPECT_TRUE(DomainAllowed(d, "fabrikam.com").allowed);
  // Switching the list type discards the list, as in Entra.
  ASSERT_TRUE(wire::PatchDomainRestrictions(d, boost::json::parse(R"({"mode":"allowList"})").as_object()).ok());
  EXPECT_TRUE(d.domains.empty());
  ASSERT_TRUE(wire::PatchDomainRestrictions(d, boost::json::parse(R"({"domains":["fabrikam.com"]})").as_object()).ok());
  EXPECT_TRUE(DomainAllowed(d, "fabrikam.com").allowed);
  EXPECT_EQ(DomainAllowed(d, "litware.com").rule, "collaboration.allowedDomains");
  EXPECT_FALSE(wire::PatchDomainRestrictions(d, boost::json::parse(R"({"domains":["not a domain"]})").as_object()).ok());
  EXPECT_FALSE(wire::PatchDomainRestrictions(d, boost::json::parse(R"({"mode":"sometimes"})").as_object()).ok());
}

TEST(CrossTenantTest, AllowedListsAreAllowListsAndBlockedListsDenyLists) {
  const std::string g1 = "11111111-1111-4111-8111-111111111111", u = "22222222-2222-4222-8222-222222222222";
  B2BSetting s;
  EXPECT_TRUE(B2BAllows(s, "inbound", u, {}, "").allowed);  // service default: everyone, every app
  s.users_and_groups = {true, {{g1, "group"}}};
  EXPECT_FALSE(B2BAllows(s, "inbound", u, {}, "").allowed);
  EXPECT_EQ(B2BAllows(s, "inbound", u, {}, "").rule, "crossTenant.inbound.usersAndGroups");
  EXPECT_TRUE(B2BAllows(s, "inbound", u, {g1}, "").allowed);
  s.users_and_groups = {false, {{g1, "group"}}};
  EXPECT_FALSE(B2BAllows(s, "outbound", u, {g1}, "").allowed);
  EXPECT_TRUE(B2BAllows(s, "outbound", u, {}, "").allowed);
  s.users_and_groups = {true, {{"AllUsers", "user"}}};
  s.applications = {false, {{"AllApplications", "application"}}};
  EXPECT_FALSE(B2BAllows(s, "inbound", u, {}, "").allowed);
  EXPECT_EQ(B2BAllows(s, "inbound", u, {}, "").rule, "crossTenant.inbound.applications");
}

TEST(CrossTenantTest, PartnerSettingsOverrideTheDefaultAndNullInherits) {
  CrossTenantAccessPolicy p;
  const std::string partner = "33333333-3333-4333-8333-333333333333";
  ASSERT_TRUE(wire::PatchCrossTenantDefault(p, boost::json::parse(
      R"({"b2bCollaborationInbound":{"usersAndGroups":{"accessType":"blocked","targets":[{"target":"AllUsers","targetType":"user"}]}}})").as_object()).ok());
  EXPECT_FALSE(p.default_is_service_default);
  PartnerConfiguration cfg{partner, std::nullopt, std::nullopt};
  ASSERT_TRUE(wire::PatchPartner(cfg, boost::json::parse(
      R"({"b2bCollaborationInbound":{"usersAndGroups":{"accessType":"allowed","targets":[{"target":"AllUsers","targetType":"user"}]}}})").as_object()).ok());
  p.partners.push_back(cfg);
  EXPECT_TRUE(B2BAllows(p.Inbound(partner), "inbound", "u", {}, "").allowed);
  EXPECT_FALSE(B2BAllows(p.Inbound("44444444-4444-4444-8444-444444444444"), "inbound", "u", {}, "").allowed);
  ASSERT_TRUE(wire::PatchPartner(p.partners[0], boost::json::parse(R"({"b2bCollaborationInbound":null})").as_object()).ok());
  EXPECT_FALSE(B2BAllows(p.Inbound(partner), "inbound", "u", {}, "").allowed);
  // Bad shapes are refused with a reason.
  EXPECT_FALSE(wire::PatchCrossTenantDefault(p, boost::json::parse(R"({"b2bCollaborationInbound":{"usersAndGroups":{"accessType":"maybe","targets":[]}}})").as_object()).ok());
  EXPECT_FALSE(wire::PatchCrossTenantDefault(p, boost::json::parse(R"({"isServiceDefault":true})").as_object()).ok());
}

TEST(CrossTenantTest, CloudsMustListEachOther) {
  Tenant commercial{.id = "a", .name = "Contoso", .cloud = Cloud::kCommercial};
  Tenant gov{.id = "b", .name = "Tailspin", .cloud = Cloud::kGccHigh};
  CrossTenantAccessPolicy pc, pg;
  EXPECT_FALSE(CrossCloudAllowed(commercial, pc, gov, &pg).allowed);
  pc.allowed_cloud_endpoints = {"microsoftonline.us"};
  EXPECT_FALSE(CrossCloudAllowed(commercial, pc, gov, &pg).allowed);
  pg.allowed_cloud_endpoints = {"microsoftonline.com"};
  EXPECT_TRUE(CrossCloudAllowed(commercial, pc, gov, &pg).allowed);
  Tenant gcc{.id = "c", .name = "City", .cloud = Cloud::kGcc};
  EXPECT_TRUE(CrossCloudAllowed(commercial, CrossTenantAccessPolicy{}, gcc, nullptr).allowed);
}

TEST(PoliciesStorageTest, RoundTrips) {
  Policies p;
  p.authorization.allow_invites_from = AllowInvitesFrom::kEveryone;
  p.domains = {DomainRestrictions::Mode::kDenyList, {"live.com"}};
  p.cross_tenant.partners.push_back({"55555555-5555-4555-8555-555555555555", B2BSetting{}, std::nullopt});
  p.cross_tenant.allowed_cloud_endpoints = {"microsoftonline.us"};
  Policies back = wire::PoliciesFromStorage(wire::PoliciesToStorage(p));
  EXPECT_EQ(back.authorization.allow_invites_from, AllowInvitesFrom::kEveryone);
  EXPECT_EQ(back.domains.domains, std::vector<std::string>{"live.com"});
  ASSERT_EQ(back.cross_tenant.partners.size(), 1u);
  EXPECT_TRUE(back.cross_tenant.partners[0].inbound.has_value());
  EXPECT_FALSE(back.cross_tenant.partners[0].outbound.has_value());
  EXPECT_EQ(back.cross_tenant.allowed_cloud_endpoints, std::vector<std::string>{"microsoftonline.us"});
}

}  // namespace
}  // namespace gh::directory
