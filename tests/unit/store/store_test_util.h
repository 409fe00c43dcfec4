#pragma once
// Shared fixture for the store contract tests: one suite parameterised over
// the backends. Each backend's store is opened once per test binary; tests
// isolate themselves with a fresh random tenant.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include "core/random.h"
#include "store/store.h"

// Tests build ListQuery/AuditQuery with designated initialisers, leaving the
// rest at their defaults on purpose.
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"

namespace gh::store::testing {

#define GH_ASSERT_OK(expr)                                 \
  do {                                                     \
    const auto& gh_st_ = (expr);                          \
    ASSERT_TRUE(gh_st_.ok()) << ::gh::store::testing::Describe(gh_st_); \
  } while (0)
#define GH_EXPECT_CODE(expr, c)                             \
  do {                                                      \
    auto gh_st_ = ::gh::store::testing::StatusOf(expr);     \
    EXPECT_EQ(gh_st_.code(), c) << gh_st_.ToString();       \
  } while (0)

inline Status StatusOf(const Status& s) { return s; }
template <typename T>
Status StatusOf(const StatusOr<T>& s) { return s.status(); }
inline std::string Describe(const Status& s) { return s.ToString(); }
template <typename T>
std::string Describe(const StatusOr<T>& s) { return s.status().ToString(); }

// A fresh directory under the system temp dir, removed at exit.
inline const std::filesystem::path& TempDir() {
  static const std::filesystem::path dir = [] {
    auto p = std::filesystem::temp_directory_path() / ("gh-store-test-" + SecureRandom().NewUuid());
    std::filesystem::create_directories(p);
    std::atexit([] { std::error_code ec; std::filesystem::remove_all(TempDir(), ec); });
    return p;
  }();
  return dir;
}

// The URL to open for `backend`, or empty when it is not configured.
inline std::string BackendUrl(const std::string& backend) {
  if (backend == "sqlite") return (TempDir() / "store.db").string();
  const char* url = std::getenv("GATEHOUSE_TEST_POSTGRES_URL");
  return url ? url : "";
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    url_ = BackendUrl(GetParam());
    if (url_.empty()) GTEST_SKIP() << "GATEHOUSE_TEST_POSTGRES_URL is not set (script/with-postgres sets it)";
    auto& slot = Stores()[GetParam()];
    if (!slot) {
      auto opened = OpenStore(url_, 4);
      ASSERT_TRUE(opened.ok()) << opened.status().ToString();
      slot = std::move(opened).value();
    }
    store_ = slot.get();
  }

  static std::map<std::string, std::unique_ptr<Store>>& Stores() {
    static std::map<std::string, std::unique_ptr<Store>> stores;
    return stores;
  }

  std::unique_ptr<Transaction> Write() { return Begin(TxMode::kWrite); }
  std::unique_ptr<Transaction> Read() { return Begin(TxMode::kRead); }
  std::unique_ptr<Transaction> Begin(TxMode mode) {
    auto tx = store_->Begin(mode);
    EXPECT_TRUE(tx.ok()) << tx.status().ToString();
    return tx.ok() ? std::move(tx).value() : nullptr;
  }

  std::string NewId() { return random_.NewUuid(); }

  // Inserts and commits a tenant with a unique domain; returns its id.
  std::string NewTenant() {
    directory::Tenant t;
    t.id = NewId();
    t.name = "Tenant " + t.id;
    t.initial_domain = t.id.substr(0, 8) + ".example.com";
    t.verified_domains = {t.initial_domain};
    t.created_at = 1'700'000'000'000;
    auto tx = Write();
    EXPECT_TRUE(tx->InsertTenant(t).ok());
    EXPECT_TRUE(tx->Commit().ok());
    return t.id;
  }

  directory::User MakeUser(const std::string& tenant_id, const std::string& upn) {
    directory::User u;
    u.id = NewId();
    u.tenant_id = tenant_id;
    u.user_principal_name = upn;
    u.display_name = upn.substr(0, upn.find('@'));
    u.created_at = u.updated_at = 1'700'000'000'000;
    return u;
  }

  directory::Group MakeGroup(const std::string& tenant_id, const std::string& name) {
    directory::Group g;
    g.id = NewId();
    g.tenant_id = tenant_id;
    g.display_name = name;
    g.mail_nickname = name;
    g.created_at = g.updated_at = 1'700'000'000'000;
    return g;
  }

  std::string url_;
  Store* store_ = nullptr;
  SecureRandom random_;
};

inline std::string BackendName(const ::testing::TestParamInfo<std::string>& info) { return info.param; }

}  // namespace gh::store::testing
