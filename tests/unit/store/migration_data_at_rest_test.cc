// Migration 15 on a database written by the version before it, on both
// backends: mail already delivered (or given up) loses its bodies, mail still
// queued keeps them; environment names two tenants share are made unique
// deterministically (the first environment made keeps its name), and the
// name is then unique across tenants.
#include <gtest/gtest.h>

#include <map>

#include "core/random.h"
#include "store/migrations.h"
#include "store/sql.h"
#include "unit/store/store_test_util.h"

namespace gh::store {
namespace {

using testing::BackendUrl;
using testing::TempDir;

class Migration15Test : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      auto c = sql::OpenSqlite((TempDir() / ("m15-" + SecureRandom().NewUuid() + ".db")).string());
      ASSERT_TRUE(c.ok()) << c.status().ToString();
      conn_ = std::move(c).value();
      return;
    }
    const std::string base = BackendUrl("postgres");
    if (base.empty()) GTEST_SKIP() << "GATEHOUSE_TEST_POSTGRES_URL is not set (script/with-postgres sets it)";
    // A database of its own: the test rewinds the schema.
    auto admin = sql::OpenPostgres(base);
    ASSERT_TRUE(admin.ok()) << admin.status().ToString();
    admin_ = std::move(admin).value();
    db_ = "gh_m15_" + std::to_string(::getpid());
    (void)admin_->Run("DROP DATABASE IF EXISTS " + db_);
    ASSERT_TRUE(admin_->Run("CREATE DATABASE " + db_).ok());
    auto c = sql::OpenPostgres(base.substr(0, base.rfind('/') + 1) + db_);
    ASSERT_TRUE(c.ok()) << c.status().ToString();
    conn_ = std::move(c).value();
  }
  void TearDown() override {
    conn_.reset();
    if (admin_) (void)admin_->Run("DROP DATABASE IF EXISTS " + db_);
  }

  void Run(const std::string& sql, const sql::Params& params = {}) {
    auto r = conn_->Exec(sql, params);
    ASSERT_TRUE(r.ok()) << sql << ": " << r.status().ToString();
  }
  // The schema as version 14 left it.
  void RewindTo14() {
    ASSERT_TRUE(Migrate(*conn_).ok());
    ASSERT_TRUE(conn_->Run("DROP INDEX environments_unique_name").ok());
    ASSERT_TRUE(conn_->Run("CREATE UNIQUE INDEX environments_unique_name ON environments (tenant_id, unique_name)").ok());
    Run("DELETE FROM schema_migrations WHERE version = 15");
  }
  void Tenant(const std::string& id) {
    Run("INSERT INTO tenants (id, name, initial_domain, verified_domains, cloud, default_usage_location, created_at) "
        "VALUES ($1, 'T', $2, '[]', 'commercial', 'US', 1)",
        {id, id + ".test"});
  }
  void Environment(const std::string& tenant, const std::string& id, const std::string& name, int64_t created) {
    Run("INSERT INTO environments (tenant_id, id, display_name, unique_name, env_type, dataverse, security_group_id, "
        "state, created_at, updated_at) VALUES ($1, $2, 'E', $3, 'Production', 0, NULL, 'enabled', $4, $4)",
        {tenant, id, name, sql::Int(created)});
  }
  void Mail(const std::string& id, bool sent, bool gave_up) {
    Run("INSERT INTO mail_outbox (id, tenant_id, kind, to_addrs, cc_addrs, from_name, reply_to, subject, text_body, "
        "html_body, created_at, attempts, next_attempt_at, sent_at, gave_up, last_error, dedupe_key, lease_until, "
        "leased_by) VALUES ($1, 't', 'invitation', '[\"a@x.example\"]', '[]', 'C', '', 'Invited', "
        "'Get Started: https://gh/redeem?ticket=SECRET', '<a href=\"https://gh/redeem?ticket=SECRET\">', 1, 1, 1, "
        "$2, $3, '', NULL, 0, '')",
        {id, sent ? sql::Int(5) : sql::Null(), sql::Bool(gave_up)});
  }
  std::map<std::string, std::string> Names() {
    auto rows = conn_->Query("SELECT id, unique_name FROM environments");
    EXPECT_TRUE(rows.ok());
    std::map<std::string, std::string> out;
    for (const auto& r : *rows) out[r.Text(0)] = r.Text(1);
    return out;
  }
  std::string Body(const std::string& id) {
    auto rows = conn_->Query("SELECT subject, text_body, html_body FROM mail_outbox WHERE id = $1", {id});
    EXPECT_TRUE(rows.ok() && rows->size() == 1);
    return rows->at(0).Text(0) + "|" + rows->at(0).Text(1) + "|" + rows->at(0).Text(2);
  }

  std::unique_ptr<sql::Connection> conn_, admin_;
  std::string db_;
};

TEST_P(Migration15Test, SharedEnvironmentNamesAreMadeUniqueDeterministically) {
  RewindTo14();
  for (const char* t : {"t-a", "t-b", "t-c"}) Tenant(t);
  Environment("t-b", "e-b1", "sales", 10);  // made first: keeps the name
  Environment("t-a", "e-a1", "sales", 20);
  Environment("t-c", "e-c1", "sales", 20);  // as old as t-a's: both come after t-b's
  Environment("t-a", "e-a2", "contoso-sales-and-marketing-europe-west", 30);
  Environment("t-c", "e-c2", "contoso-sales-and-marketing-europe-west", 5);
  Environment("t-a", "e-a3", "alone", 1);
  ASSERT_TRUE(Migrate(*conn_).ok());
  auto names = Names();
  EXPECT_EQ(names["e-b1"], "sales");
  EXPECT_EQ(names["e-a1"], "sales-e-a1");
  EXPECT_EQ(names["e-c1"], "sales-e-c1");
  EXPECT_EQ(names["e-c2"], "contoso-sales-and-marketing-europe-west");
  EXPECT_EQ(names["e-a2"], "contoso-sales-and-marketin-e-a2");  // 26 characters of the name, then the id
  EXPECT_EQ(names["e-a3"], "alone");
  // From now on a name is unique across tenants.
  Tenant("t-d");
  EXPECT_EQ(conn_->Exec("INSERT INTO environments (tenant_id, id, display_name, unique_name, env_type, dataverse, "
                        "security_group_id, state, created_at, updated_at) VALUES ('t-d', 'e-d1', 'E', 'alone', "
                        "'Production', 0, NULL, 'enabled', 1, 1)")
                .status()
                .code(),
            Code::kAlreadyExists);
}

TEST_P(Migration15Test, DeliveredMailLosesItsBodiesQueuedMailKeepsThem) {
  RewindTo14();
  Mail("m-sent", true, false);
  Mail("m-given-up", false, true);
  Mail("m-queued", false, false);
  ASSERT_TRUE(Migrate(*conn_).ok());
  EXPECT_EQ(Body("m-sent"), "Invited||");
  EXPECT_EQ(Body("m-given-up"), "Invited||");
  EXPECT_NE(Body("m-queued").find("SECRET"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, Migration15Test, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace gh::store
