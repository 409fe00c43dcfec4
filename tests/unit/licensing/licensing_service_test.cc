// The licensing rules: seats derived from direct and group assignments (one
// seat per user and SKU), usage location (own, or the tenant default under
// group licensing), CountViolation when seats run out, and Graph's errors for
// direct assignment — each leaving nothing changed.
#include <gtest/gtest.h>

#include "licensing/licensing_service.h"
#include "support/test_env.h"

namespace gh::licensing {
namespace {

using gh::testing::TestEnv;
constexpr const char* kSales = "1e1a282c-9c54-43a2-9310-98ef728faace";

class LicensingTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  std::string tid = contoso.res.tenant.id;
  directory::Actor actor = directory::Actor::System();
  LicensingService& lic = *env.licensing;

  std::string User(const std::string& nick, std::optional<std::string> location = "NO") {
    directory::NewUser u;
    u.user_principal_name = nick + "@contoso.test";
    u.display_name = nick;
    u.mail_nickname = nick;
    u.password = "Str0ng-Passw0rd!";
    u.usage_location = std::move(location);
    env.clock.Advance(1000);  // members are served in creation order
    auto r = env.directory->CreateUser(actor, tid, u);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r->id;
  }
  std::string Group(const std::string& name) {
    auto g = env.directory->CreateGroup(actor, tid, {name, name, std::nullopt, false, true, {}});
    EXPECT_TRUE(g.ok()) << g.status().ToString();
    return g->id;
  }
  int64_t Consumed(const std::string& sku) { return lic.GetSku(tid, sku)->consumed_units; }
  const AssignmentState* State(const std::string& user, const std::string& group) {
    static UserLicenses held;
    held = *lic.UserLicensesOf(tid, user);
    for (const auto& s : held.states)
      if (s.assigned_by_group == group) return &s;
    return nullptr;
  }
  LicenseChange Add(const std::string& sku) { return {{{sku, {}}}, {}}; }
};

TEST_F(LicensingTest, DemoCatalogueIsSeededOnce) {
  ASSERT_TRUE(SeedDemoSkus(lic, actor, tid).ok());
  ASSERT_TRUE(SeedDemoSkus(lic, actor, tid).ok());
  auto skus = lic.ListSkus(tid);
  ASSERT_TRUE(skus.ok());
  EXPECT_EQ(skus->size(), 5u);
  auto e3 = std::find_if(skus->begin(), skus->end(), [](const Sku& s) { return s.sku_part_number == "SPE_E3"; });
  ASSERT_NE(e3, skus->end());
  EXPECT_EQ(e3->prepaid_enabled, 50);
  for (const auto& p : e3->service_plans) EXPECT_FALSE(p.grants_dataverse) << p.name;
}

TEST_F(LicensingTest, DirectAssignmentErrorsAsGraph) {
  ASSERT_TRUE(lic.AddSku(actor, tid, "DYN365_ENTERPRISE_SALES", 1).ok());
  std::string nowhere = User("nowhere", std::nullopt);
  auto st = lic.AssignUserLicenses(actor, tid, nowhere, Add(kSales)).status();
  EXPECT_EQ(st.reason(), "Request_BadRequest");
  EXPECT_EQ(st.message(), "License assignment cannot be done for user with invalid usage location.");
  std::string unknown = "11111111-1111-1111-1111-111111111111";
  st = lic.AssignUserLicenses(actor, tid, User("a"), Add(unknown)).status();
  EXPECT_EQ(st.message(), "License " + unknown + " does not correspond to a valid company License.");
  ASSERT_TRUE(lic.AssignUserLicenses(actor, tid, User("b"), Add(kSales)).ok());
  st = lic.AssignUserLicenses(actor, tid, User("c"), Add(kSales)).status();
  EXPECT_EQ(st.message(), std::string("Subscription with SKU ") + kSales + " does not have any available licenses.");
  EXPECT_EQ(Consumed(kSales), 1);
}

TEST_F(LicensingTest, GroupLicensingInheritsTenantLocationAndCountsOneSeatPerUser) {
  ASSERT_TRUE(lic.AddSku(actor, tid, "DYN365_ENTERPRISE_SALES", 3).ok());
  std::string g1 = Group("Sales"), g2 = Group("Nested"), g3 = Group("Other");
  std::string direct = User("direct"), both = User("both"), nested = User("nested"), homeless = User("homeless", std::nullopt);
  ASSERT_TRUE(env.directory->AddMember(actor, tid, g1, both).ok());
  ASSERT_TRUE(env.directory->AddMember(actor, tid, g3, both).ok());
  ASSERT_TRUE(env.directory->AddMember(actor, tid, g1, direct).ok());
  ASSERT_TRUE(env.directory->AddMember(actor, tid, g1, g2).ok());
  ASSERT_TRUE(env.directory->AddMember(actor, tid, g2, nested).ok());
  ASSERT_TRUE(env.directory->AddMember(actor, tid, g2, homeless).ok());
  ASSERT_TRUE(lic.AssignUserLicenses(actor, tid, direct, Add(kSales)).ok());
  ASSERT_TRUE(lic.AssignGroupLicenses(actor, tid, g1, Add(kSales)).ok());
  ASSERT_TRUE(lic.AssignGroupLicenses(actor, tid, g3, Add(kSales)).ok());
  // direct (1) + both (1, through two groups) + nested (1) = 3; homeless has no location.
  EXPECT_EQ(Consumed(kSales), 3);
  EXPECT_EQ(State(homeless, g1)->error, "ProhibitedInUsageLocationViolation");
  EXPECT_EQ(State(both, g3)->state, "Active");
  EXPECT_EQ(lic.UserLicensesOf(tid, both)->assigned.size(), 1u);

  // The tenant default location lets homeless in, but seats have run out.
  ASSERT_TRUE(lic.SetDefaultUsageLocation(actor, tid, "NO").ok());
  EXPECT_EQ(State(homeless, g1)->state, "Error");
  EXPECT_EQ(State(homeless, g1)->error, "CountViolation");
  EXPECT_TRUE(lic.UserLicensesOf(tid, homeless)->assigned.empty());
  ASSERT_TRUE(lic.SetPrepaidUnits(actor, tid, kSales, 4).ok());
  EXPECT_EQ(State(homeless, g1)->error, "None");
  EXPECT_EQ(Consumed(kSales), 4);
  EXPECT_FALSE(lic.SetDefaultUsageLocation(actor, tid, "XX").ok());

  // Leaving the group frees the seat at once.
  ASSERT_TRUE(env.directory->RemoveMember(actor, tid, g1, g2).ok());
  EXPECT_EQ(Consumed(kSales), 2);
}

TEST_F(LicensingTest, BadChangesChangeNothing) {
  ASSERT_TRUE(lic.AddSku(actor, tid, "DYN365_ENTERPRISE_SALES", 5).ok());
  std::string u = User("u");
  LicenseChange bad_plan{{{kSales, {"22222222-2222-2222-2222-222222222222"}}}, {}};
  EXPECT_EQ(lic.AssignUserLicenses(actor, tid, u, bad_plan).status().code(), Code::kInvalidArgument);
  LicenseChange remove_missing{{}, {kSales}};
  EXPECT_EQ(lic.AssignUserLicenses(actor, tid, u, remove_missing).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Consumed(kSales), 0);
  EXPECT_EQ(lic.AssignUserLicenses(actor, tid, "nobody@contoso.test", Add(kSales)).status().code(), Code::kNotFound);
  // Disabled plans show in licenseDetails.
  LicenseChange with_disabled{{{kSales, {"7e6d7d78-73de-46ba-83b1-6d25117334ba"}}}, {}};
  ASSERT_TRUE(lic.AssignUserLicenses(actor, tid, u, with_disabled).ok());
  auto details = lic.LicenseDetails(tid, u);
  ASSERT_TRUE(details.ok());
  ASSERT_EQ(details->size(), 1u);
  for (const auto& [plan, status] : details->front().plans)
    EXPECT_EQ(status, plan.name == "FLOW_DYN_APPS" ? "Disabled" : "Success") << plan.name;
}

}  // namespace
}  // namespace gh::licensing
