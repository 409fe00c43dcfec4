// The store's side of permissions, on SQLite and PostgreSQL: an app
// registration's requiredResourceAccess survives a round trip, and delegated
// permission grants (oauth2_permission_grants) are one per client, consent
// type, principal and resource, confined to their tenant.
#include "store/consent_repository.h"
#include "unit/store/store_test_util.h"

namespace gh::store::testing {
namespace {

class ConsentStoreTest : public StoreTest {};

TEST_P(ConsentStoreTest, RequiredResourceAccessRoundTrips) {
  std::string tenant = NewTenant();
  directory::Client c{NewId(), NewId(), tenant, "Declares", true, {}, {}, 5};
  c.required_resource_access = {{"00000003-0000-0000-c000-000000000000",
                                 {{"e1fe6dd8-ba31-4d61-89e7-88639da4683d", "Scope"},
                                  {"df021288-bdef-4463-88db-98f22de89214", "Role"}}}};
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertClient(c));
  auto got = tx->FindClientByAppId(tenant, c.app_id);
  GH_ASSERT_OK(got);
  EXPECT_EQ(got->required_resource_access, c.required_resource_access);
  c.required_resource_access.clear();
  GH_ASSERT_OK(tx->UpdateClient(c));
  EXPECT_TRUE(tx->FindClientByAppId(tenant, c.app_id)->required_resource_access.empty());
  GH_ASSERT_OK(tx->Commit());
}

TEST_P(ConsentStoreTest, GrantsAreOnePerClientPrincipalAndResource) {
  std::string tenant = NewTenant(), other = NewTenant();
  std::string client = NewId(), resource = NewId(), user = NewId();
  PermissionGrantRow all{NewId(), tenant, client, "AllPrincipals", "", resource, {"openid", "User.Read"}, 1, 1};
  PermissionGrantRow mine{NewId(), tenant, client, "Principal", user, resource, {"User.Read.All"}, 2, 2};
  auto tx = Write();
  GH_ASSERT_OK(tx->Consent().InsertGrant(all));
  GH_ASSERT_OK(tx->Consent().InsertGrant(mine));
  GH_ASSERT_OK(tx->Commit());

  auto dup = Write();
  PermissionGrantRow again = all;
  again.id = NewId();
  GH_EXPECT_CODE(dup->Consent().InsertGrant(again), Code::kAlreadyExists);
  dup.reset();

  auto rtx = Read();
  auto list = rtx->Consent().ListGrants(tenant, client);
  GH_ASSERT_OK(list);
  ASSERT_EQ(list->size(), 2u);
  auto got = rtx->Consent().GetGrant(tenant, all.id);
  GH_ASSERT_OK(got);
  EXPECT_EQ(got->scopes, all.scopes);
  EXPECT_TRUE(got->principal_id.empty());
  GH_EXPECT_CODE(rtx->Consent().GetGrant(other, all.id), Code::kNotFound);  // confined to its tenant
  EXPECT_TRUE(rtx->Consent().ListGrants(other)->empty());
  rtx.reset();

  auto wtx = Write();
  all.scopes = {"openid"};
  all.updated_at = 3;
  GH_ASSERT_OK(wtx->Consent().UpdateGrant(all));
  GH_EXPECT_CODE(wtx->Consent().DeleteGrant(other, mine.id), Code::kNotFound);
  GH_ASSERT_OK(wtx->Consent().DeleteGrant(tenant, mine.id));
  GH_ASSERT_OK(wtx->Commit());
  auto after = Read();
  ASSERT_EQ(after->Consent().ListGrants(tenant)->size(), 1u);
  EXPECT_EQ(after->Consent().GetGrant(tenant, all.id)->scopes, std::vector<std::string>{"openid"});
  after.reset();

  auto del = Write();
  GH_ASSERT_OK(del->Consent().DeleteGrantsOfClient(tenant, client));
  GH_ASSERT_OK(del->Commit());
  EXPECT_TRUE(Read()->Consent().ListGrants(tenant)->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, ConsentStoreTest, ::testing::Values("sqlite", "postgres"), BackendName);

}  // namespace
}  // namespace gh::store::testing
