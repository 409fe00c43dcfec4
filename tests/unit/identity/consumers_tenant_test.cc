// The consumers tenant (personal accounts) is created by `serve` at start
// (SigninService::EnsureConsumersTenant). Several nodes of one PostgreSQL
// database start at once: each reads that the tenant is absent, each inserts
// it, and the second insert meets the unique constraint. That node must start
// all the same — the tenant it wanted exists (tests/e2e/nodes/cluster_test.sh
// starts its nodes at once; two nodes on a fresh database lost this race 5
// times in 5 before the fix, one node failing to start).
#include <gtest/gtest.h>

#include <filesystem>

#include "core/clock.h"
#include "core/random.h"
#include "directory/directory_service.h"
#include "identity/keys.h"
#include "identity/signin.h"
#include "identity/token_service.h"
#include "store/store.h"
#include "support/failing_store.h"
#include "wire/first_party.h"

namespace gh::identity {
namespace {

class ConsumersTenantTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("gh-consumers-" + SecureRandom().NewUuid());
    std::filesystem::create_directories(dir_);
    auto opened = store::OpenStore((dir_ / "test.db").string());
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    inner_ = std::move(opened).value();
    store_ = std::make_unique<store::testing::FailingStore>(*inner_, /*fail_from=*/0);
    directory_ = std::make_unique<directory::DirectoryService>(*store_, clock_, random_,
                                                               [](std::string_view) { return std::string("x"); });
    keys_ = std::make_unique<KeyManager>(*store_, clock_, random_);
    tokens_ = std::make_unique<TokenService>(*store_, *keys_, clock_, random_, "https://localhost");
    signin_ = std::make_unique<SigninService>(*store_, *directory_, *tokens_, clock_, random_);
  }
  void TearDown() override {
    signin_.reset();
    tokens_.reset();
    keys_.reset();
    directory_.reset();
    store_.reset();
    inner_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::filesystem::path dir_;
  SystemClock clock_;
  SecureRandom random_;
  std::unique_ptr<store::Store> inner_;
  std::unique_ptr<store::testing::FailingStore> store_;
  std::unique_ptr<directory::DirectoryService> directory_;
  std::unique_ptr<KeyManager> keys_;
  std::unique_ptr<TokenService> tokens_;
  std::unique_ptr<SigninService> signin_;
};

TEST_F(ConsumersTenantTest, CreatedOnceAndFoundAfter) {
  ASSERT_TRUE(signin_->EnsureConsumersTenant().ok());
  ASSERT_TRUE(signin_->EnsureConsumersTenant().ok());
  auto tx = inner_->Begin(store::TxMode::kRead);
  ASSERT_TRUE(tx.ok());
  EXPECT_TRUE((*tx)->GetTenant(std::string(wire::kConsumersTenantId)).ok());
}

TEST_F(ConsumersTenantTest, AnotherNodeCreatingItFirstIsNotAnError) {
  // The other node's insert committed after this node read "absent".
  ASSERT_TRUE(signin_->EnsureConsumersTenant().ok());
  store_->HideTenantOnce(std::string(wire::kConsumersTenantId));
  Status s = signin_->EnsureConsumersTenant();
  EXPECT_TRUE(s.ok()) << s.ToString();
}

TEST_F(ConsumersTenantTest, AConflictWithoutTheTenantStaysAnError) {
  // A unique constraint met for another reason (here: injected, the tenant
  // absent) is still reported.
  store_->Reset(/*fail_from=*/1);
  store_->FailWith(Code::kAlreadyExists);
  EXPECT_EQ(signin_->EnsureConsumersTenant().code(), Code::kAlreadyExists);
}

}  // namespace
}  // namespace gh::identity
