#include "identity/keys.h"

#include <gtest/gtest.h>

#include "fake_store.h"

namespace gh::identity {
namespace {

// JSON string value as std::string (gtest can't compare json::value to std::string).
std::string S(const boost::json::value& v) { return v.is_string() ? std::string(v.as_string()) : "<not a string>"; }

constexpr char kTenant[] = "11111111-1111-4111-8111-111111111111";
constexpr char kIssuer[] = "https://localhost:8443/11111111-1111-4111-8111-111111111111/v2.0";

class KeyManagerTest : public ::testing::Test {
 protected:
  // Keys belong to tenants that exist: the manager refuses tokens naming any other.
  void SetUp() override {
    auto tx = store_.Begin(store::TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    for (const char* id : {kTenant, "22222222-2222-4222-8222-222222222222"}) {
      directory::Tenant t;
      t.id = id;
      t.name = id;
      ASSERT_TRUE((*tx)->InsertTenant(t).ok());
    }
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  boost::json::object Payload() const {
    int64_t now = clock_.NowMillis() / 1000;
    return {{"iss", kIssuer}, {"exp", now + 3600}};
  }
  Status VerifyWith(KeyManager& km, const std::string& token) {
    KeyLookup lookup = [&](std::string_view kid) { return km.FindVerificationKey(kTenant, kid); };
    return VerifyJwt(token, lookup, clock_, VerifyOptions{kIssuer, {}, 300}).status();
  }

  testing::FakeStore store_;
  FakeClock clock_;
  SeededRandom random_{42};
  KeyManager keys_{store_, clock_, random_};
};

TEST_F(KeyManagerTest, CreatesOneKeyOnFirstUseAndCachesIt) {
  auto k1 = keys_.SigningKey(kTenant);
  ASSERT_TRUE(k1.ok()) << k1.status().ToString();
  auto k2 = keys_.SigningKey(kTenant);
  ASSERT_TRUE(k2.ok());
  EXPECT_EQ(k1->kid, k2->kid);
  auto data = store_.Snapshot();
  ASSERT_EQ(data.keys.size(), 1u);
  EXPECT_EQ(data.keys[0].kid, k1->kid);
  EXPECT_TRUE(data.keys[0].active);
  EXPECT_EQ(data.keys[0].private_pem.rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);

  // A second manager (another server instance) finds the stored key.
  KeyManager other(store_, clock_, random_);
  auto k3 = other.SigningKey(kTenant);
  ASSERT_TRUE(k3.ok());
  EXPECT_EQ(k3->kid, k1->kid);
  EXPECT_EQ(store_.Snapshot().keys.size(), 1u);
}

TEST_F(KeyManagerTest, TenantsHaveSeparateKeys) {
  auto a = keys_.SigningKey(kTenant);
  auto b = keys_.SigningKey("22222222-2222-4222-8222-222222222222");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->kid, b->kid);
  EXPECT_EQ(keys_.FindVerificationKey("22222222-2222-4222-8222-222222222222", a->kid).status().code(),
            Code::kNotFound);
}

TEST_F(KeyManagerTest, RotationPublishesCurrentAndPreviousAndRetiresOlder) {
  auto k1 = keys_.SigningKey(kTenant);
  ASSERT_TRUE(k1.ok());
  auto t1 = SignJwt(Payload(), *k1);
  ASSERT_TRUE(t1.ok());

  ASSERT_TRUE(keys_.Rotate(kTenant).ok());
  auto k2 = keys_.SigningKey(kTenant);
  ASSERT_TRUE(k2.ok());
  EXPECT_NE(k2->kid, k1->kid);
  auto t2 = SignJwt(Payload(), *k2);
  ASSERT_TRUE(t2.ok());

  auto jwks = keys_.Jwks(kTenant);
  ASSERT_TRUE(jwks.ok());
  const auto& list = jwks->at("keys").as_array();
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(S(list[0].at("kid")), k2->kid);  // current first
  EXPECT_EQ(S(list[1].at("kid")), k1->kid);
  EXPECT_TRUE(VerifyWith(keys_, *t1).ok());  // previous key still verifies
  EXPECT_TRUE(VerifyWith(keys_, *t2).ok());

  ASSERT_TRUE(keys_.Rotate(kTenant).ok());
  auto k3 = keys_.SigningKey(kTenant);
  ASSERT_TRUE(k3.ok());
  jwks = keys_.Jwks(kTenant);
  ASSERT_TRUE(jwks.ok());
  const auto& list3 = jwks->at("keys").as_array();
  ASSERT_EQ(list3.size(), 2u);
  EXPECT_EQ(S(list3[0].at("kid")), k3->kid);
  EXPECT_EQ(S(list3[1].at("kid")), k2->kid);
  EXPECT_TRUE(VerifyWith(keys_, *t2).ok());
  Status retired = VerifyWith(keys_, *t1);  // k1 is retired now
  EXPECT_EQ(retired.code(), Code::kUnauthenticated);
  EXPECT_NE(retired.message().find("Unable to match key"), std::string::npos);

  // Retired even after the reload interval, and for a fresh instance; its
  // private key is gone from the store.
  clock_.Advance(KeyManager::kReloadIntervalMs);
  EXPECT_EQ(keys_.FindVerificationKey(kTenant, k1->kid).status().code(), Code::kNotFound);
  KeyManager fresh(store_, clock_, random_);
  EXPECT_EQ(fresh.FindVerificationKey(kTenant, k1->kid).status().code(), Code::kNotFound);
  EXPECT_TRUE(VerifyWith(fresh, *t2).ok());
  for (const auto& row : store_.Snapshot().keys) {
    if (row.kid == k1->kid) {
      EXPECT_FALSE(row.active);
      EXPECT_TRUE(row.private_pem.empty());
    }
  }
}

TEST_F(KeyManagerTest, AnotherInstancesRotationIsPickedUpOnKidMiss) {
  ASSERT_TRUE(keys_.SigningKey(kTenant).ok());
  KeyManager other(store_, clock_, random_);
  ASSERT_TRUE(other.Rotate(kTenant).ok());
  auto k2 = other.SigningKey(kTenant);
  ASSERT_TRUE(k2.ok());
  auto token = SignJwt(Payload(), *k2);
  ASSERT_TRUE(token.ok());
  // Just loaded: misses are not reloaded within the interval…
  EXPECT_EQ(VerifyWith(keys_, *token).code(), Code::kUnauthenticated);
  // …and are afterwards.
  clock_.Advance(KeyManager::kReloadIntervalMs);
  EXPECT_TRUE(VerifyWith(keys_, *token).ok());
}

TEST_F(KeyManagerTest, JwksCreatesTheFirstKey) {
  auto jwks = keys_.Jwks(kTenant);
  ASSERT_TRUE(jwks.ok());
  ASSERT_EQ(jwks->at("keys").as_array().size(), 1u);
  EXPECT_EQ(S(jwks->at("keys").as_array()[0].at("kty")), "RSA");
}

TEST_F(KeyManagerTest, StoreOutagePassesThroughAndRotateChangesNothing) {
  ASSERT_TRUE(keys_.SigningKey(kTenant).ok());
  auto before = store_.Snapshot().keys;
  store_.fail_begin_after = 0;
  Status s = keys_.Rotate(kTenant);
  EXPECT_EQ(s.code(), Code::kUnavailable);
  auto after = store_.Snapshot().keys;
  ASSERT_EQ(after.size(), before.size());
  EXPECT_TRUE(after[0].active);
  EXPECT_EQ(keys_.SigningKey("22222222-2222-4222-8222-222222222222").status().code(), Code::kUnavailable);
}

}  // namespace
}  // namespace gh::identity
