// The gate's snapshots follow committed writes through the store's change
// feed, and nothing else (security review #11: anonymous requests — GET/POST
// /logout, the sign-in steps, sign-up, device codes — used to wipe every
// tenant's snapshot, so a loop of them made each decision reload a tenant).
// A small write is patched into its tenant's snapshot at once; a wide one
// makes it stale, and it is rebuilt once. Driven through the in-process
// router with real tokens, counting the views' builds and patches.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "gate/loader/gate_views.h"
#include "core/random.h"
#include "gate/snapshot_cache.h"
#include "support/browser.h"
#include "support/test_env.h"

namespace gh::gate {
namespace {

using gh::testing::Field;
using gh::testing::TestEnv;

class GateFollowsWritesTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");
  uint64_t builds_at_start = 0;

  void SetUp() override {
    ASSERT_TRUE(env.signin->EnsureConsumersTenant().ok());
    for (const auto* t : {&contoso, &fabrikam}) ASSERT_TRUE(env.gate->Get(t->res.tenant.id).ok());
    builds_at_start = env.views->builds();
  }

  std::shared_ptr<const Snapshot> Snap(const TestEnv::TenantHandle& t) {
    auto s = env.gate->Get(t.res.tenant.id);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : nullptr;
  }
  uint64_t Builds() const { return env.views->builds() - builds_at_start; }

  // Whatever an anonymous browser can do to the sign-in pages, once.
  void AnonymousTraffic(const std::string& address) {
    gh::testing::Browser b(*env.router, address);
    b.Go("GET", "/logout");
    b.Go("POST", "/logout", "csrf=forged");
    auto login = b.Go("GET", "/login?tenant=" + contoso.res.tenant.id);
    const std::string form = "csrf=" + Field(login.body, "csrf") + "&tenant=" + contoso.res.tenant.id + "&continue=";
    b.Go("POST", "/login", form + "&step=email&email=admin%40contoso.test");
    b.Go("POST", "/login", form + "&step=password&email=admin%40contoso.test&password=wrong-guess");
    auto signup = b.Go("GET", "/signup");
    b.Go("POST", "/signup",
         "csrf=" + Field(signup.body, "csrf") + "&step=form&continue=&email=someone%40outlook.com" +
             "&display_name=Someone&password=Str0ng-Passw0rd!&confirm=Str0ng-Passw0rd!");
    b.Go("POST", "/contoso.test/oauth2/v2.0/devicecode",
         "client_id=" + std::string(wire::kCliClientId) + "&scope=openid%20offline_access");
    b.Go("GET", "/contoso.test/oauth2/v2.0/logout");
  }

  std::string MakeUser(const TestEnv::TenantHandle& t, const std::string& nickname) {
    auto made = env.Call("POST", "/v1.0/users", t.token,
                         R"({"accountEnabled":true,"displayName":")" + nickname + R"(","mailNickname":")" + nickname +
                             R"(","userPrincipalName":")" + nickname + "@" + t.res.tenant.initial_domain +
                             R"(","passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
    EXPECT_EQ(made.status, 201) << made.body;
    return std::string(TestEnv::Json(made).at("id").as_string());
  }
};

TEST_F(GateFollowsWritesTest, AnonymousRequestsChangeNoSnapshot) {
  auto before = Snap(contoso);
  const uint64_t patches = env.views->patches();
  for (int i = 0; i < 20; ++i) AnonymousTraffic("198.51.100." + std::to_string(i + 1));
  EXPECT_EQ(Snap(contoso), before) << "the same snapshot object keeps serving";
  EXPECT_EQ(Builds(), 0u);
  EXPECT_EQ(env.views->patches(), patches);
}

TEST_F(GateFollowsWritesTest, ANewUserIsPatchedIntoItsTenantAtOnce) {
  auto contoso_before = Snap(contoso);
  const uint64_t patches = env.views->patches();
  const std::string fay = MakeUser(fabrikam, "fay");
  // Visible when the write returns, without a rebuild.
  auto snap = Snap(fabrikam);
  ASSERT_NE(snap, nullptr);
  EXPECT_NE(snap->FindUser(fay), kNoIndex);
  EXPECT_EQ(Builds(), 0u);
  EXPECT_EQ(env.views->patches(), patches + 1);
  EXPECT_EQ(Snap(contoso), contoso_before) << "another tenant's write leaves this one alone";
}

TEST_F(GateFollowsWritesTest, AMembershipChangeIsPatchedIntoTheMembersGroups) {
  const std::string fay = MakeUser(fabrikam, "fay");
  auto group = env.Call("POST", "/v1.0/groups", fabrikam.token,
                        R"({"displayName":"Makers","mailEnabled":false,"mailNickname":"makers","securityEnabled":true})");
  ASSERT_EQ(group.status, 201) << group.body;
  const std::string group_id(TestEnv::Json(group).at("id").as_string());
  auto snap = Snap(fabrikam);  // a new group: rebuilt once
  const uint64_t builds = Builds();
  auto added = env.Call("POST", "/v1.0/groups/" + group_id + "/members/$ref", fabrikam.token,
                        R"({"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/)" + fay + R"("})");
  ASSERT_EQ(added.status, 204) << added.body;
  snap = Snap(fabrikam);
  EXPECT_TRUE(snap->IsMemberOf(snap->FindUser(fay), snap->FindGroup(group_id)));
  EXPECT_EQ(Builds(), builds) << "patched, not rebuilt";
  auto removed = env.Call("DELETE", "/v1.0/groups/" + group_id + "/members/" + fay + "/$ref", fabrikam.token, "");
  ASSERT_EQ(removed.status, 204) << removed.body;
  snap = Snap(fabrikam);
  EXPECT_FALSE(snap->IsMemberOf(snap->FindUser(fay), snap->FindGroup(group_id)));
  EXPECT_EQ(Builds(), builds);
}

// While a wide change (a settings change, a bulk job's batch) waits for the
// rebuild it asked for, small changes are still patched into the snapshot
// that serves meanwhile: a membership granted during a bulk job is seen at
// once, not a rebuild later.
TEST_F(GateFollowsWritesTest, ASmallChangeIsPatchedWhileARebuildIsDue) {
  const std::string fay = MakeUser(fabrikam, "fay");
  auto group = env.Call("POST", "/v1.0/groups", fabrikam.token,
                        R"({"displayName":"Makers","mailEnabled":false,"mailNickname":"makers","securityEnabled":true})");
  ASSERT_EQ(group.status, 201) << group.body;
  const std::string group_id(TestEnv::Json(group).at("id").as_string());
  Snap(fabrikam);  // the new group: rebuilt
  auto set = env.Call("PATCH", "/api/v1/tenantSettings", fabrikam.token,
                      R"({"powerPlatform":{"powerApps":{"enableGuestsToMake":true}}})");
  ASSERT_EQ(set.status, 200) << set.body;
  ASSERT_TRUE(env.gate->Peek(fabrikam.res.tenant.id).stale) << "a settings change is left to a rebuild";
  auto added = env.Call("POST", "/v1.0/groups/" + group_id + "/members/$ref", fabrikam.token,
                        R"({"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/)" + fay + R"("})");
  ASSERT_EQ(added.status, 204) << added.body;
  // What serves now, before anything rebuilds it.
  SnapshotCache::Entry serving = env.gate->Peek(fabrikam.res.tenant.id);
  ASSERT_NE(serving.snapshot, nullptr);
  EXPECT_TRUE(serving.stale) << "the rebuild is still due";
  EXPECT_TRUE(serving.snapshot->IsMemberOf(serving.snapshot->FindUser(fay), serving.snapshot->FindGroup(group_id)));
  EXPECT_FALSE(serving.snapshot->settings().enable_guests_to_make) << "the wide change waits for the rebuild";
  auto rebuilt = Snap(fabrikam);
  EXPECT_TRUE(rebuilt->settings().enable_guests_to_make);
  EXPECT_TRUE(rebuilt->IsMemberOf(rebuilt->FindUser(fay), rebuilt->FindGroup(group_id)));
}

TEST_F(GateFollowsWritesTest, AWriteOutsideTheRoutesIsFollowedToo) {
  // The feed is the store's: a write through a service, not a route, counts.
  directory::NewUser u;
  u.display_name = "Gus";
  u.user_principal_name = "gus@" + contoso.res.tenant.initial_domain;
  u.mail_nickname = "gus";
  u.password = "Str0ng-Passw0rd!";
  auto made = env.directory->CreateUser(directory::Actor::System(), contoso.res.tenant.id, u);
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  EXPECT_NE(Snap(contoso)->FindUser(made->id), kNoIndex);
}

TEST_F(GateFollowsWritesTest, ASettingsChangeRebuildsOnlyItsTenantOnce) {
  auto contoso_before = Snap(contoso);
  auto set = env.Call("PATCH", "/api/v1/tenantSettings", fabrikam.token,
                      R"({"powerPlatform":{"powerApps":{"enableGuestsToMake":true}}})");
  ASSERT_EQ(set.status, 200) << set.body;
  EXPECT_TRUE(Snap(fabrikam)->settings().enable_guests_to_make);
  EXPECT_EQ(Builds(), 1u);
  for (int i = 0; i < 20; ++i) Snap(fabrikam);
  EXPECT_EQ(Builds(), 1u) << "single-flight: one rebuild serves every later decision";
  EXPECT_EQ(Snap(contoso), contoso_before);
}

TEST_F(GateFollowsWritesTest, ACrossTenantPolicyChangeReachesTheOtherTenantsSnapshots) {
  // Fabrikam's cross-tenant policy is part of Contoso's snapshot (Fabrikam's
  // users are guests there).
  auto set = env.Call("PATCH", "/v1.0/policies/crossTenantAccessPolicy/default", fabrikam.token,
                      R"({"b2bCollaborationOutbound":{"usersAndGroups":{"accessType":"blocked",)"
                      R"("targets":[{"target":"AllUsers","targetType":"user"}]}}})");
  ASSERT_EQ(set.status, 204) << set.body;
  auto snap = Snap(contoso);
  const TenantFacts* home = snap->HomeTenant(fabrikam.res.tenant.id);
  ASSERT_NE(home, nullptr);
  EXPECT_FALSE(home->policies.cross_tenant.default_outbound.users_and_groups.allowed);
}

// Two nodes on one PostgreSQL database: a write through node A's API reaches
// node B's gate through the feed (NOTIFY), patched, without a rebuild.
TEST(GateAcrossNodes, AMembershipChangeOnOneNodeReachesTheOtherNodesGate) {
  const char* url = std::getenv("GATEHOUSE_TEST_POSTGRES_URL");
  if (url == nullptr) GTEST_SKIP() << "GATEHOUSE_TEST_POSTGRES_URL is not set (script/with-postgres sets it)";
  TestEnv a(url), b(url);
  const std::string domain = "nodes-" + SecureRandom().NewUuid().substr(0, 8) + ".test";
  auto t = a.Tenant("Nodes", domain);
  const std::string tenant = t.res.tenant.id;
  auto user = a.Call("POST", "/v1.0/users", t.token,
                     R"({"accountEnabled":true,"displayName":"Ned","mailNickname":"ned","userPrincipalName":"ned@)" +
                         domain + R"(","passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
  ASSERT_EQ(user.status, 201) << user.body;
  const std::string ned(TestEnv::Json(user).at("id").as_string());
  auto group = a.Call("POST", "/v1.0/groups", t.token,
                      R"({"displayName":"Ops","mailEnabled":false,"mailNickname":"ops","securityEnabled":true})");
  ASSERT_EQ(group.status, 201) << group.body;
  const std::string ops(TestEnv::Json(group).at("id").as_string());

  auto on_b = [&] {
    auto s = b.gate->Get(tenant);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return *s;
  };
  auto wait_until = [&](auto done) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (!done() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    return done();
  };
  ASSERT_NE(on_b()->FindUser(ned), kNoIndex);
  const uint64_t builds = b.views->builds();
  auto added = a.Call("POST", "/v1.0/groups/" + ops + "/members/$ref", t.token,
                      R"({"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/)" + ned + R"("})");
  ASSERT_EQ(added.status, 204) << added.body;
  EXPECT_TRUE(wait_until([&] {
    auto s = on_b();
    return s->IsMemberOf(s->FindUser(ned), s->FindGroup(ops));
  })) << "node B's gate never saw the membership made on node A";
  EXPECT_EQ(b.views->builds(), builds) << "patched on B, not rebuilt";
}

}  // namespace
}  // namespace gh::gate
