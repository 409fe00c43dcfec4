// Security review #11: anonymous requests (GET/POST /logout, the sign-in
// steps, sign-up, device codes) used to wipe every tenant's gate snapshot, so
// a loop of them made each gate decision reload a whole tenant. Now the store
// tells the gate which tenants a committed write touched; nothing else does.
// Attacked through the in-process router with the requests an outsider can
// send, counting the snapshot loads a SnapshotCache makes.
#include <gtest/gtest.h>

#include <map>

#include "gate/loader/snapshot_loader.h"
#include "gate/snapshot_cache.h"
#include "identity/clients.h"
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
  std::map<std::string, int> loads;  // tenant id → snapshots loaded
  SnapshotCache cache{[this](const std::string& tenant_id) {
    ++loads[tenant_id];
    return StoreLoader(*env.store)(tenant_id);
  }};

  void SetUp() override {
    ASSERT_TRUE(env.signin->EnsureConsumersTenant().ok());
    // The server's own cache keeps its listener; this one counts beside it.
    auto server = InvalidateOnCommit(*env.gate);
    auto counted = InvalidateOnCommit(cache);
    env.store->SetCommitListener([server, counted](const std::vector<store::CommittedChange>& changes) {
      server(changes);
      counted(changes);
    });
    for (const auto* t : {&contoso, &fabrikam}) ASSERT_TRUE(cache.Get(t->res.tenant.id).ok());
  }

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

  int LoadsAfterGet(const TestEnv::TenantHandle& t) {
    EXPECT_TRUE(cache.Get(t.res.tenant.id).ok());
    return loads[t.res.tenant.id];
  }
};

TEST_F(GateFollowsWritesTest, AnonymousRequestsDoNotReloadAnySnapshot) {
  for (int i = 0; i < 20; ++i) AnonymousTraffic("198.51.100." + std::to_string(i + 1));
  EXPECT_EQ(LoadsAfterGet(contoso), 1);
  EXPECT_EQ(LoadsAfterGet(fabrikam), 1);
}

TEST_F(GateFollowsWritesTest, ADirectoryWriteReloadsOnlyItsTenant) {
  auto made = env.Call("POST", "/v1.0/users", fabrikam.token,
                       R"({"accountEnabled":true,"displayName":"Fay","mailNickname":"fay",)"
                       R"("userPrincipalName":"fay@fabrikam.test","passwordProfile":{"password":"Fay-Passw0rd!"}})");
  ASSERT_EQ(made.status, 201) << made.body;
  EXPECT_EQ(LoadsAfterGet(fabrikam), 2) << "the write's tenant is reloaded";
  EXPECT_EQ(LoadsAfterGet(contoso), 1) << "another tenant's write leaves this one alone";
  // And the reloaded snapshot knows the new user at once.
  auto snap = cache.Get(fabrikam.res.tenant.id);
  ASSERT_TRUE(snap.ok());
  const std::string fay_id(TestEnv::Json(made).at("id").as_string());
  EXPECT_NE((*snap)->FindUser(fay_id), kNoIndex);
}

TEST_F(GateFollowsWritesTest, RepeatedGetsShareOneLoad) {
  for (int i = 0; i < 50; ++i) ASSERT_TRUE(cache.Get(contoso.res.tenant.id).ok());
  EXPECT_EQ(loads[contoso.res.tenant.id], 1);
}

}  // namespace
}  // namespace gh::gate
