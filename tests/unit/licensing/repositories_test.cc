// The licensing and environments repositories on SQLite and PostgreSQL (run
// the latter with script/with-postgres): round trips, uniqueness as
// AlreadyExists, NotFound on missing rows, one Default environment per tenant,
// and principal deletion cleaning up.
#include <gtest/gtest.h>

#include "store/environments_repository.h"
#include "store/licensing_repository.h"
#include "unit/store/store_test_util.h"

namespace gh::store {
namespace {

using testing::StoreTest;

class ModuleRepoTest : public StoreTest {
 protected:
  std::string NewTenant() {
    directory::Tenant t;
    t.id = SecureRandom().NewUuid();
    t.name = "T";
    t.initial_domain = t.id + ".test";
    t.verified_domains = {t.initial_domain};
    auto tx = Write();
    EXPECT_TRUE(tx->InsertTenant(t).ok());
    EXPECT_TRUE(tx->Commit().ok());
    return t.id;
  }
};

TEST_P(ModuleRepoTest, SkusAndAssignments) {
  std::string tid = NewTenant();
  SkuRow sku{tid, "1e1a282c-9c54-43a2-9310-98ef728faace", "DYN365_ENTERPRISE_SALES", "Enabled", 25, 0, 0, 0,
             "[]", 1, 1};
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->Licensing().InsertSku(sku));
    GH_ASSERT_OK(tx->Commit());
  }
  {
    auto tx = Write();
    GH_EXPECT_CODE(tx->Licensing().InsertSku(sku), Code::kAlreadyExists);
  }
  auto tx = Write();
  sku.prepaid_enabled = 30;
  GH_ASSERT_OK(tx->Licensing().UpdateSku(sku));
  GH_ASSERT_OK(tx->Licensing().UpsertAssignment({tid, "u1", "user", sku.sku_id, {"p1"}, 5}));
  GH_ASSERT_OK(tx->Licensing().UpsertAssignment({tid, "u1", "user", sku.sku_id, {}, 9}));  // replaces plans
  GH_ASSERT_OK(tx->Licensing().UpsertAssignment({tid, "g1", "group", sku.sku_id, {}, 6}));
  auto all = tx->Licensing().ListAssignments(tid);
  GH_ASSERT_OK(all);
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ(all->at(0).principal_id, "u1");
  EXPECT_TRUE(all->at(0).disabled_plans.empty());
  EXPECT_EQ(all->at(0).created_at, 5);  // kept
  GH_EXPECT_CODE(tx->Licensing().DeleteAssignment(tid, "nobody", sku.sku_id), Code::kNotFound);
  GH_ASSERT_OK(tx->Licensing().DeleteAssignment(tid, "g1", sku.sku_id));
  auto got = tx->Licensing().GetSku(tid, sku.sku_id);
  GH_ASSERT_OK(got);
  EXPECT_EQ(got->prepaid_enabled, 30);
  GH_EXPECT_CODE(tx->Licensing().GetSku(tid, "00000000-0000-0000-0000-000000000000"), Code::kNotFound);
  GH_ASSERT_OK(tx->Commit());
}

TEST_P(ModuleRepoTest, EnvironmentsRolesUsers) {
  std::string tid = NewTenant();
  // uniqueNames are unique across tenants (the store is shared per binary).
  EnvironmentRow def{tid, SecureRandom().NewUuid(), "T (default)", "t-default-" + tid, "Default", false, std::nullopt,
                     "enabled", 1, 1};
  EnvironmentRow prod{tid, SecureRandom().NewUuid(), "Sales", "sales-" + tid, "Production", true, "g1", "enabled", 2, 2};
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->Environments().InsertEnvironment(def));
    GH_ASSERT_OK(tx->Environments().InsertEnvironment(prod));
    GH_ASSERT_OK(tx->Commit());
  }
  {
    auto tx = Write();  // a second Default is refused by the schema
    EnvironmentRow def2 = def;
    def2.id = SecureRandom().NewUuid();
    def2.unique_name = "other";
    GH_EXPECT_CODE(tx->Environments().InsertEnvironment(def2), Code::kAlreadyExists);
  }
  {
    auto tx = Write();  // uniqueName is unique per tenant
    EnvironmentRow dup = prod;
    dup.id = SecureRandom().NewUuid();
    GH_EXPECT_CODE(tx->Environments().InsertEnvironment(dup), Code::kAlreadyExists);
  }
  {
    EnvironmentRow elsewhere = prod;  // and across tenants: /env/{uniqueName} names no tenant
    elsewhere.tenant_id = NewTenant();
    auto tx = Write();
    elsewhere.id = SecureRandom().NewUuid();
    elsewhere.type = "Sandbox";
    GH_EXPECT_CODE(tx->Environments().InsertEnvironment(elsewhere), Code::kAlreadyExists);
  }
  {
    auto tx = Read();
    auto found = tx->Environments().FindEnvironmentByUniqueName(prod.unique_name);
    GH_ASSERT_OK(found);
    EXPECT_EQ(found->tenant_id, tid);
    EXPECT_EQ(found->id, prod.id);
    GH_EXPECT_CODE(tx->Environments().FindEnvironmentByUniqueName("nobody-" + tid), Code::kNotFound);
  }
  auto tx = Write();
  std::string role_id = SecureRandom().NewUuid();
  GH_ASSERT_OK(tx->Environments().InsertSecurityRole({tid, prod.id, role_id, "Basic User", {"readData"}, true, 3}));
  GH_ASSERT_OK(tx->Environments().InsertRoleAssignment({tid, prod.id, "a1", "u1", "user", role_id, 4}));
  GH_ASSERT_OK(tx->Environments().UpsertUser({tid, prod.id, "u1", true, "jit", 5, 5}));
  GH_ASSERT_OK(tx->Environments().UpsertUser({tid, prod.id, "u1", false, "jit", 9, 9}));
  auto u = tx->Environments().GetUser(tid, prod.id, "u1");
  GH_ASSERT_OK(u);
  EXPECT_FALSE(u->enabled);
  EXPECT_EQ(u->created_at, 5);
  EXPECT_EQ(u->updated_at, 9);
  auto roles = tx->Environments().ListSecurityRoles(tid, prod.id);
  GH_ASSERT_OK(roles);
  ASSERT_EQ(roles->size(), 1u);
  EXPECT_EQ(roles->at(0).privileges, std::vector<std::string>{"readData"});
  EXPECT_EQ(tx->Environments().ListRoleAssignments(tid, prod.id, "u1")->size(), 1u);
  prod.security_group_id.reset();
  GH_ASSERT_OK(tx->Environments().UpdateEnvironment(prod));
  EXPECT_FALSE(tx->Environments().GetEnvironment(tid, prod.id)->security_group_id.has_value());
  GH_ASSERT_OK(tx->Environments().DeleteEnvironment(tid, prod.id));
  GH_EXPECT_CODE(tx->Environments().GetEnvironment(tid, prod.id), Code::kNotFound);
  GH_EXPECT_CODE(tx->Environments().DeleteEnvironment(tid, prod.id), Code::kNotFound);
  GH_ASSERT_OK(tx->Commit());
}

INSTANTIATE_TEST_SUITE_P(Backends, ModuleRepoTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace gh::store
