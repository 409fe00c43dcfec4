// Security review #23: tokens naming made-up tenants ("tid" is read before the
// signature is checked) must not turn into a database query each. The
// manager keeps a negative cache: the tenant list, read at most once per
// KeyManager::kUnknownTenantCacheMs, however many different unknown tids come.
#include <gtest/gtest.h>

#include <atomic>

#include "core/encoding.h"
#include "fake_store.h"
#include "identity/keys.h"
#include "identity/token_service.h"

namespace gh::identity {
namespace {

constexpr char kTenant[] = "11111111-1111-4111-8111-111111111111";

// Counts the transactions the code under test opens.
class CountingStore final : public store::Store {
 public:
  explicit CountingStore(store::Store& inner) : inner_(inner) {}
  StatusOr<std::unique_ptr<store::Transaction>> Begin(store::TxMode mode) override {
    ++begins;
    return inner_.Begin(mode);
  }
  std::string_view Backend() const override { return inner_.Backend(); }
  int SchemaVersion() const override { return inner_.SchemaVersion(); }
  StatusOr<bool> WaitForChanges(std::chrono::milliseconds timeout) override { return inner_.WaitForChanges(timeout); }
  std::atomic<int> begins{0};

 private:
  store::Store& inner_;
};

class UnknownTenantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto tx = fake_.Begin(store::TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    directory::Tenant t;
    t.id = kTenant;
    t.name = "Contoso";
    t.initial_domain = "contoso.com";
    t.verified_domains = {"contoso.com"};
    ASSERT_TRUE((*tx)->InsertTenant(t).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }

  // A well-formed token for `tid`, signed by some key (the tenant's or not).
  std::string ForgedToken(const std::string& tid, const std::string& kid) {
    std::string header = Base64UrlEncode(R"({"alg":"RS256","typ":"JWT","kid":")" + kid + R"("})");
    std::string payload = Base64UrlEncode(R"({"tid":")" + tid + R"(","iss":"x","exp":9999999999})");
    return header + "." + payload + "." + Base64UrlEncode(std::string(256, 'A'));
  }

  testing::FakeStore fake_;
  CountingStore store_{fake_};
  FakeClock clock_;
  SeededRandom random_{3};
  KeyManager keys_{store_, clock_, random_};
  TokenService tokens_{store_, keys_, clock_, random_, "https://localhost:8443"};
};

TEST_F(UnknownTenantTest, AStormOfRandomTidsReadsTheDatabaseOncePerPeriod) {
  SeededRandom ids{11};
  for (int i = 0; i < 200; ++i) {
    auto p = tokens_.VerifyAccessToken(ForgedToken(ids.NewUuid(), "kid-" + std::to_string(i)));
    ASSERT_FALSE(p.ok());
    EXPECT_EQ(p.status().code(), Code::kUnauthenticated) << p.status().ToString();
  }
  EXPECT_EQ(store_.begins.load(), 1) << "one read of the tenant list for 200 made-up tenants";

  // Repeating the same unknown tid doesn't query either…
  const std::string same = ids.NewUuid();
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(tokens_.VerifyAccessToken(ForgedToken(same, "k")).ok());
  EXPECT_EQ(store_.begins.load(), 1);
  // …until the period is over: then the list is read again, once.
  clock_.Advance(KeyManager::kUnknownTenantCacheMs);
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(tokens_.VerifyAccessToken(ForgedToken(ids.NewUuid(), "k")).ok());
  EXPECT_EQ(store_.begins.load(), 2);
}

TEST_F(UnknownTenantTest, AnExistingTenantWithoutKeysIsReadOncePerReloadInterval) {
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(tokens_.VerifyAccessToken(ForgedToken(kTenant, "made-up")).ok());
  EXPECT_EQ(store_.begins.load(), 2) << "the tenant list, then the tenant's (empty) key set, once";
}

TEST_F(UnknownTenantTest, RealTokensOfAKnownTenantStillVerify) {
  auto key = keys_.SigningKey(kTenant);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  // Another instance, which has cached nothing, verifies it too.
  KeyManager other(store_, clock_, random_);
  auto found = other.FindVerificationKey(kTenant, key->kid);
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_EQ(found->kid, key->kid);
  // And an unknown tid at that other instance is NotFound, not an error.
  EXPECT_EQ(other.FindVerificationKey("99999999-9999-4999-8999-999999999999", key->kid).status().code(),
            Code::kNotFound);
}

TEST_F(UnknownTenantTest, ADatabaseOutageIsAnErrorNotANegativeAnswer) {
  fake_.fail_begin_after = 0;
  auto k = keys_.FindVerificationKey("99999999-9999-4999-8999-999999999999", "x");
  EXPECT_EQ(k.status().code(), Code::kUnavailable);
}

}  // namespace
}  // namespace gh::identity
