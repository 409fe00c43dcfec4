// The identity services against the real SQLite store (the other tests use
// fake_store.h): a check that the store's signing-key and client rows carry
// what KeyManager and TokenService rely on.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "identity/keys.h"
#include "identity/secrets.h"
#include "identity/token_service.h"
#include "store/store.h"

namespace gh::identity {
namespace {

constexpr char kTenant[] = "11111111-1111-4111-8111-111111111111";
constexpr char kAppId[] = "aaaaaaaa-0000-4000-8000-000000000001";
constexpr char kScope[] = "https://graph.microsoft.com/.default";

TEST(SqliteStoreIdentityTest, ClientCredentialsRotationAndRetirement) {
  const std::string path =
      (std::filesystem::temp_directory_path() / ("gh_identity_" + std::to_string(::getpid()) + ".db")).string();
  std::filesystem::remove(path);
  auto opened = store::OpenStore(path);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  store::Store& store = **opened;

  FakeClock clock;
  SecureRandom random;
  const std::string secret = GenerateClientSecret(random);
  {
    auto tx = store.Begin(store::TxMode::kWrite);
    ASSERT_TRUE(tx.ok()) << tx.status().ToString();
    directory::Tenant t;
    t.id = kTenant;
    t.name = "Contoso";
    t.initial_domain = "contoso.com";
    t.verified_domains = {"contoso.com"};
    ASSERT_TRUE((*tx)->InsertTenant(t).ok());
    directory::Client c;
    c.id = "cccccccc-0000-4000-8000-000000000001";
    c.app_id = kAppId;
    c.tenant_id = kTenant;
    c.display_name = "Automation";
    c.app_roles = {"User.Read.All"};
    ASSERT_TRUE((*tx)->InsertClient(c).ok());
    directory::ClientSecret s{"s1", c.id, HashSecret(secret), secret.substr(0, 3), "ci", clock.NowMillis(),
                              clock.NowMillis() + 86'400'000};
    ASSERT_TRUE((*tx)->InsertClientSecret(s).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  KeyManager keys(store, clock, random);
  TokenService tokens(store, keys, clock, random, "https://localhost:8443");
  auto t1 = tokens.ClientCredentials("contoso.com", kAppId, secret, kScope);
  ASSERT_TRUE(t1.ok()) << t1.status().ToString();
  auto p = tokens.VerifyAccessToken(t1->access_token);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(p->HasRole("User.Read.All"));

  ASSERT_TRUE(keys.Rotate(kTenant).ok());
  auto t2 = tokens.ClientCredentials(kTenant, kAppId, secret, kScope);
  ASSERT_TRUE(t2.ok());
  ASSERT_TRUE(keys.Rotate(kTenant).ok());

  // A second instance on the same database sees the same published set.
  KeyManager keys2(store, clock, random);
  TokenService tokens2(store, keys2, clock, random, "https://localhost:8443");
  EXPECT_FALSE(tokens2.VerifyAccessToken(t1->access_token).ok());  // retired
  EXPECT_TRUE(tokens2.VerifyAccessToken(t2->access_token).ok());    // previous
  auto jwks = keys2.Jwks(kTenant);
  ASSERT_TRUE(jwks.ok());
  EXPECT_EQ(jwks->at("keys").as_array().size(), 2u);

  auto bad = tokens.ClientCredentials(kTenant, kAppId, secret + "x", kScope);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().reason(), "invalid_client");

  opened->reset();
  std::filesystem::remove(path);
  std::filesystem::remove(path + "-wal");
  std::filesystem::remove(path + "-shm");
}

}  // namespace
}  // namespace gh::identity
