// Fault injection: a multi-row write that fails at any point leaves nothing.
#include "support/failing_store.h"

#include "unit/store/store_test_util.h"

namespace gh::store::testing {
namespace {

class FailingStoreTest : public StoreTest {};

TEST_P(FailingStoreTest, WriteFailingAtAnyCallLeavesNothingBehind) {
  // One logical write: a tenant, three users, a group holding them, a role.
  auto write = [&](Store& store, const std::string& tenant_id) -> Status {
    GH_ASSIGN_OR_RETURN(auto tx, store.Begin(TxMode::kWrite));
    directory::Tenant t{tenant_id, "Fabrikam", tenant_id.substr(0, 8) + ".fabrikam.com", {}};
    GH_RETURN_IF_ERROR(tx->InsertTenant(t));
    directory::Group g = MakeGroup(tenant_id, "everyone");
    GH_RETURN_IF_ERROR(tx->InsertGroup(g));
    for (int i = 0; i < 3; ++i) {
      directory::User u = MakeUser(tenant_id, "u" + std::to_string(i) + "@fabrikam.com");
      GH_RETURN_IF_ERROR(tx->InsertUser(u));
      GH_RETURN_IF_ERROR(tx->AddMember(tenant_id, {g.id, u.id}));
    }
    GH_RETURN_IF_ERROR(tx->InsertRoleAssignment(
        {NewId(), tenant_id, std::string(directory::kGlobalAdministratorRole), g.id, "/", 1}));
    return tx->Commit();
  };

  FailingStore failing(*store_, 0);
  int total = 0;
  for (int n = 1;; ++n) {
    failing.Reset(n);
    std::string tenant = NewId();
    Status st = write(failing, tenant);
    if (!failing.tripped()) {  // every call succeeded: the loop has covered all failure points
      GH_ASSERT_OK(st);
      total = failing.calls();
      break;
    }
    EXPECT_EQ(st.code(), Code::kUnavailable) << "n=" << n;
    auto tx = Read();
    GH_EXPECT_CODE(tx->GetTenant(tenant), Code::kNotFound);
    auto users = tx->ListUsers({.tenant_id = tenant, .count = true});
    GH_ASSERT_OK(users);
    EXPECT_EQ(users->count, 0) << "n=" << n;
    EXPECT_TRUE(tx->ListAllMemberships(tenant)->empty()) << "n=" << n;
    EXPECT_TRUE(tx->ListRoleAssignments(tenant)->empty()) << "n=" << n;
  }
  EXPECT_EQ(total, 9);
}

TEST_P(FailingStoreTest, CommitFailsAfterAnInjectedFailure) {
  std::string tenant = NewTenant();
  FailingStore failing(*store_, 2);
  auto tx = failing.Begin(TxMode::kWrite);
  GH_ASSERT_OK(tx);
  directory::User a = MakeUser(tenant, "a@x.com");
  GH_ASSERT_OK((*tx)->InsertUser(a));
  // The caller ignores the failure and commits anyway: still nothing is kept.
  GH_EXPECT_CODE((*tx)->InsertUser(MakeUser(tenant, "b@x.com")), Code::kUnavailable);
  GH_EXPECT_CODE((*tx)->Commit(), Code::kUnavailable);
  GH_EXPECT_CODE(Read()->GetUser(tenant, a.id), Code::kNotFound);
}

INSTANTIATE_TEST_SUITE_P(Backends, FailingStoreTest, ::testing::Values("sqlite", "postgres"), BackendName);

}  // namespace
}  // namespace gh::store::testing
