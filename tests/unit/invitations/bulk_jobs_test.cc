// Bulk invitation jobs through the API in-process: upload (text/csv and
// multipart), validation at upload, per-row outcomes, idempotency, resuming
// after an interruption, cancel, and who sees which jobs.
#include <gtest/gtest.h>

#include <map>
#include <set>
#include <sstream>

#include "invitations/bulk_csv.h"
#include "store/invitations_repository.h"
#include "support/app_consent.h"
#include "support/test_env.h"

namespace gh::invitations {
namespace {

using gh::testing::TestEnv;
namespace json = boost::json;

struct ResultLine {
  std::string email, outcome, user_id, redeem_url, error;
};

class BulkJobsTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");
  // Contoso's Global Administrator submits (an app may invite only when the
  // policy lets members invite; the default lets administrators).
  std::string admin_token = gh::testing::AdminUserToken(env, contoso);

  http::Response Upload(const std::string& csv, const std::string& query = "?redirectUrl=https://apps.contoso.test/",
                        const std::string& token = "") {
    return env.Call("POST", "/api/v1/bulkInvitations" + query, token.empty() ? admin_token : token, csv,
                    {{"Content-Type", "text/csv"}});
  }

  // Uploads, runs the job to its end, returns the job.
  json::object Run(const std::string& csv, const std::string& query = "?redirectUrl=https://apps.contoso.test/") {
    auto r = Upload(csv, query);
    EXPECT_EQ(r.status, 202) << r.body;
    EXPECT_EQ(r.Header("Location"), std::string(TestEnv::kBase) + "/api/v1/bulkInvitations/" +
                                         std::string(TestEnv::Json(r).at("id").as_string()));
    EXPECT_EQ(TestEnv::Json(r).at("status").as_string(), "queued");
    env.bulk_runner->RunAll();
    return Job(std::string(TestEnv::Json(r).at("id").as_string()));
  }

  json::object Job(const std::string& id) {
    auto r = env.Call("GET", "/api/v1/bulkInvitations/" + id, contoso.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return TestEnv::Json(r).as_object();
  }

  // Results by row number.
  std::map<int64_t, ResultLine> Results(const std::string& id) {
    auto r = env.Call("GET", "/api/v1/bulkInvitations/" + id + "/results", contoso.token);
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_EQ(r.Header("Content-Type"), "text/csv; charset=utf-8");
    std::map<int64_t, ResultLine> out;
    bool heading = true;
    Status st = ReadCsv(r.body, [&](int64_t, std::vector<std::string>& f) {
      if (heading) {
        EXPECT_EQ(f, (std::vector<std::string>{"row", "email", "outcome", "userId", "redeemUrl", "error"}));
        heading = false;
        return true;
      }
      EXPECT_EQ(f.size(), 6u);
      out[std::stoll(f[0])] = {f[1], f[2], f[3], f[4], f[5]};
      return true;
    });
    EXPECT_TRUE(st.ok()) << st.ToString();
    return out;
  }

  int64_t CountUsersWithMail(const std::string& mail) {
    auto tx = env.store->Begin(store::TxMode::kRead);
    return static_cast<int64_t>((*tx)->FindUsersByMail(contoso.res.tenant.id, mail)->size());
  }
  int64_t PendingInvitations(const std::string& user_id) {
    auto tx = env.store->Begin(store::TxMode::kRead);
    auto rows = (*tx)->Invitations().ListForUser(contoso.res.tenant.id, user_id);
    return std::count_if(rows->begin(), rows->end(), [](const auto& i) { return i.status == "PendingAcceptance"; });
  }
};

const std::string kEntraHeading =
    "version:v1.0,,,\n"
    "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,"
    "Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]\n";

TEST_F(BulkJobsTest, EntraTemplateRowsGetOneOutcomeEach) {
  ASSERT_EQ(env.Call("PATCH", "/api/v1/collaborationRestrictions", contoso.token,
                     R"({"mode":"denyList","domains":["blocked.example"]})").status, 200);
  std::string csv = "\xEF\xBB\xBF" + kEntraHeading +
                    "ann@partner.example,https://myapps.microsoft.com,true,\"Hi Ann, welcome\nto Contoso\"\n"
                    "not-an-address,https://myapps.microsoft.com,true,\n"
                    "eve@blocked.example,https://myapps.microsoft.com,true,\n"
                    "ANN@partner.example,https://myapps.microsoft.com,true,\n"
                    "\n"
                    "carl@partner.example,https://myapps.microsoft.com,false,\n"
                    "dora@partner.example,https://myapps.microsoft.com,maybe,\n"
                    "admin@contoso.test,https://myapps.microsoft.com,true,\n";
  json::object job = Run(csv);
  EXPECT_EQ(job.at("status").as_string(), "completedWithErrors");
  EXPECT_EQ(job.at("format").as_string(), "entraTemplate");
  EXPECT_EQ(job.at("totalRows").as_int64(), 7);
  EXPECT_EQ(job.at("processedRows").as_int64(), 7);
  EXPECT_EQ(job.at("failedRows").as_int64(), 4);
  EXPECT_EQ(job.at("succeededRows").as_int64(), 3);
  auto results = Results(std::string(job.at("id").as_string()));
  ASSERT_EQ(results.size(), 7u);
  EXPECT_EQ(results[3].outcome, "invited");
  EXPECT_TRUE(results[3].redeem_url.starts_with(std::string(TestEnv::kBase) + "/redeem?")) << results[3].redeem_url;
  EXPECT_EQ(results[4].outcome, "invalid");
  EXPECT_NE(results[4].error.find("not a valid email address"), std::string::npos);
  EXPECT_EQ(results[5].outcome, "blockedByPolicy");
  EXPECT_NE(results[5].error.find("collaboration.deniedDomains"), std::string::npos);
  EXPECT_EQ(results[6].outcome, "duplicate");  // same address, other case
  EXPECT_EQ(results[6].error, "Same address as row 3.");
  EXPECT_FALSE(results.contains(7));           // row 7 is blank
  EXPECT_EQ(results[8].outcome, "invited");
  EXPECT_EQ(results[9].outcome, "invalid");
  EXPECT_NE(results[9].error.find("true or false"), std::string::npos);
  EXPECT_EQ(results[10].outcome, "invalid");  // a verified domain of this directory
  // One email per send request: Ann's (with her message), not Carl's (sendEmail false).
  ASSERT_EQ(env.sent_invitations.size(), 1u);
  EXPECT_EQ(env.sent_invitations[0].to, "ann@partner.example");
  EXPECT_EQ(env.sent_invitations[0].custom_message, "Hi Ann, welcome\nto Contoso");
  EXPECT_EQ(CountUsersWithMail("ann@partner.example"), 1);
  // The job and each created guest are audited, attributed to the submitter.
  auto audit = TestEnv::Json(env.Call("GET", "/v1.0/auditLogs/directoryAudits?$top=50", contoso.token));
  int bulk = 0, invited = 0;
  for (const auto& e : audit.at("value").as_array()) {
    if (e.at("activityDisplayName") == "Bulk invite users") ++bulk;
    if (e.at("activityDisplayName") == "Invite external user") ++invited;
  }
  EXPECT_EQ(bulk, 1);
  EXPECT_EQ(invited, 2);
}

TEST_F(BulkJobsTest, RunningTheSameFileTwiceCreatesNothingTwice) {
  std::string csv = "Name,InvitedUserEmailAddress\nAnn Lee,ann@partner.example\nBen Ode,ben@partner.example\n";
  json::object first = Run(csv);
  EXPECT_EQ(first.at("status").as_string(), "completed");
  EXPECT_EQ(first.at("format").as_string(), "powershellSample");
  auto before = Results(std::string(first.at("id").as_string()));
  json::object second = Run(csv);
  EXPECT_EQ(second.at("status").as_string(), "completed");
  auto after = Results(std::string(second.at("id").as_string()));
  for (int64_t row : {2, 3}) {
    EXPECT_EQ(before[row].outcome, "invited");
    EXPECT_EQ(after[row].outcome, "alreadyInvited");  // re-invited as Graph does: a new link replaces the old
    EXPECT_EQ(after[row].user_id, before[row].user_id);
    EXPECT_EQ(PendingInvitations(after[row].user_id), 1);
  }
  EXPECT_EQ(CountUsersWithMail("ann@partner.example"), 1);
  EXPECT_EQ(env.sent_invitations.size(), 4u);  // one per row per run
  auto got = env.Call("GET", "/v1.0/users/" + before[2].user_id + "?$select=displayName,userType", contoso.token);
  ASSERT_EQ(got.status, 200) << got.body;
  auto ann = TestEnv::Json(got);
  EXPECT_EQ(ann.at("displayName").as_string(), "Ann Lee");
  EXPECT_EQ(ann.at("userType").as_string(), "Guest");
}

TEST_F(BulkJobsTest, AnInterruptedJobResumesWithTheSameResults) {
  std::string csv = "email,displayName\n";
  for (int i = 0; i < 10; ++i) csv += "guest" + std::to_string(i) + "@partner.example,Guest " + std::to_string(i) + "\n";
  csv += "guest3@partner.example,Again\n";
  auto r = Upload(csv);
  ASSERT_EQ(r.status, 202);
  std::string id(TestEnv::Json(r).at("id").as_string());
  // One chunk (4 rows) commits, then the process "dies": a fresh service and
  // runner over the same store take over (the lease of the dead one is freed).
  auto job = env.bulk->StoredJob(contoso.res.tenant.id, id);
  ASSERT_TRUE(job.ok());
  ASSERT_TRUE(env.bulk->RunChunk(*job, "dead-server").ok());
  EXPECT_EQ(Job(id).at("processedRows").as_int64(), 4);
  EXPECT_EQ(Job(id).at("status").as_string(), "running");
  BulkInvitationService restarted(*env.store, *env.invitations, env.clock, env.random, {4, 60'000});
  RunnerOptions options;
  options.owner = "new-server";
  options.owner_is_dead = [](const std::string& owner) { return owner == "dead-server"; };
  BulkRunner runner(restarted, options);
  EXPECT_EQ(runner.RunAll(), 2);  // chunks 2 and 3; the last one finishes the job
  json::object done = Job(id);
  EXPECT_EQ(done.at("status").as_string(), "completed");
  EXPECT_EQ(done.at("processedRows").as_int64(), 11);
  auto results = Results(id);
  ASSERT_EQ(results.size(), 11u);
  for (int64_t row = 2; row <= 11; ++row) EXPECT_EQ(results[row].outcome, "invited") << row;
  EXPECT_EQ(results[12].outcome, "duplicate");  // its first row was in a chunk committed before the "crash"
  EXPECT_EQ(results[12].error, "Same address as row 5.");
  for (int i = 0; i < 10; ++i) EXPECT_EQ(CountUsersWithMail("guest" + std::to_string(i) + "@partner.example"), 1);
  EXPECT_EQ(env.sent_invitations.size(), 10u);
}

// While a chunk is written, the runner plans the next one on a second
// thread; a plan is written only if what it read still holds.
TEST_F(BulkJobsTest, ChunksPlannedAheadAreWrittenAsPlanned) {
  std::string csv = "email,displayName\n";
  for (int i = 0; i < 12; ++i)
    csv += "guest" + std::to_string(i) + "@partner.example,Guest " + std::to_string(i) + "\n";
  json::object job = Run(csv);
  EXPECT_EQ(job.at("status").as_string(), "completed");
  EXPECT_EQ(env.bulk->ChunksPlannedAhead(), 2);  // chunks 2 and 3, planned while 1 and 2 were written
  EXPECT_EQ(env.bulk->ChunksReplanned(), 0);
  auto results = Results(std::string(job.at("id").as_string()));
  ASSERT_EQ(results.size(), 12u);
  for (int i = 0; i < 12; ++i) {
    const ResultLine& line = results[i + 2];
    EXPECT_EQ(line.outcome, "invited") << i;
    EXPECT_EQ(line.email, "guest" + std::to_string(i) + "@partner.example");
    EXPECT_EQ(CountUsersWithMail(line.email), 1);
    EXPECT_EQ(PendingInvitations(line.user_id), 1);
  }
  EXPECT_EQ(env.sent_invitations.size(), 12u);
}

// Planning ahead changes when a chunk's rules run, never their outcome: a
// mixed file (repeats within and across chunks, bad and blocked addresses)
// gets the same results with and without it.
TEST_F(BulkJobsTest, PlanningAheadGivesTheResultsOfOneChunkAfterTheOther) {
  std::string csv = "email,displayName\n";
  for (int i = 0; i < 24; ++i) {
    switch (i % 6) {
      case 0: csv += "not-an-address,Bad " + std::to_string(i) + "\n"; break;
      case 1: csv += "eve" + std::to_string(i) + "@blocked.example,Blocked\n"; break;
      case 2:  // the address 3 rows back, in the chunk before (from row 8 on)
        csv += "guest" + std::to_string(i >= 6 ? i - 3 : 99) + "@partner.example,Again\n";
        break;
      default: csv += "guest" + std::to_string(i) + "@partner.example,Guest " + std::to_string(i) + "\n";
    }
  }
  auto run = [&](TestEnv& e, TestEnv::TenantHandle& t, bool plan_ahead) {
    EXPECT_EQ(e.Call("PATCH", "/api/v1/collaborationRestrictions", t.token,
                     R"({"mode":"denyList","domains":["blocked.example"]})").status, 200);
    auto r = e.Call("POST", "/api/v1/bulkInvitations?redirectUrl=https://apps.contoso.test/",
                    gh::testing::AdminUserToken(e, t), csv,
                    {{"Content-Type", "text/csv"}});
    EXPECT_EQ(r.status, 202) << r.body;
    RunnerOptions options;
    options.plan_ahead = plan_ahead;
    BulkRunner(*e.bulk, options).RunAll();
    auto results = e.Call("GET", "/api/v1/bulkInvitations/" + std::string(TestEnv::Json(r).at("id").as_string()) +
                                     "/results", t.token);
    // Without the per-run ids and links: row, email, outcome, error.
    std::string summary;
    std::istringstream lines(results.body);
    for (std::string line; std::getline(lines, line);) {
      std::vector<std::string> f;
      std::istringstream cells(line);
      for (std::string cell; std::getline(cells, cell, ',');) f.push_back(cell);
      summary += f.at(0) + "," + f.at(1) + "," + f.at(2) + "," + (f.size() > 5 ? f.at(5) : "") + "\n";
    }
    return summary;
  };
  const std::string ahead = run(env, contoso, true);
  TestEnv other;
  TestEnv::TenantHandle other_contoso = other.Tenant("Contoso", "contoso.test");
  const std::string in_turn = run(other, other_contoso, false);
  EXPECT_EQ(ahead, in_turn);
  EXPECT_NE(ahead.find(",duplicate,"), std::string::npos);
  EXPECT_NE(ahead.find(",blockedByPolicy,"), std::string::npos);
  EXPECT_EQ(other.bulk->ChunksPlannedAhead() + other.bulk->ChunksReplanned(), 0);
  EXPECT_EQ(env.bulk->ChunksPlannedAhead() + env.bulk->ChunksReplanned(), 5);  // chunks 2–6 of 6
  EXPECT_EQ(env.sent_invitations.size(), other.sent_invitations.size());
}

TEST_F(BulkJobsTest, APlanCountsTheRowsOfTheChunkBeingWritten) {
  // Row 7 repeats row 3; its chunk is planned before row 3's chunk commits.
  auto r = Upload("email\na@p.example\nb@p.example\nc@p.example\nd@p.example\ne@p.example\nB@p.example\n");
  std::string id(TestEnv::Json(r).at("id").as_string());
  auto job = env.bulk->StoredJob(contoso.res.tenant.id, id);
  ASSERT_TRUE(job.ok());
  auto ahead = env.bulk->PlanChunk(*job, 1);
  ASSERT_TRUE(ahead.ok()) << ahead.status().ToString();
  EXPECT_EQ(ahead->results[1].outcome, BulkOutcome::kDuplicate);  // from the input of the chunk before
  auto first = env.bulk->RunChunk(*job, "gatehouse");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto done = env.bulk->RunChunk(*first, "gatehouse", &*ahead);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(done->status, "completed");
  EXPECT_EQ(env.bulk->ChunksPlannedAhead(), 1);
  EXPECT_EQ(env.bulk->ChunksReplanned(), 0);
  auto results = Results(id);
  EXPECT_EQ(results[6].outcome, "invited");
  EXPECT_EQ(results[7].outcome, "duplicate");
  EXPECT_EQ(results[7].error, "Same address as row 3.");
  EXPECT_EQ(CountUsersWithMail("b@p.example"), 1);
  EXPECT_EQ(CountUsersWithMail("e@p.example"), 1);
  EXPECT_EQ(env.sent_invitations.size(), 5u);
}

TEST_F(BulkJobsTest, APlanWhoseGuestWasInvitedMeanwhileIsMadeAgain) {
  auto r = Upload("email\na@p.example\nb@p.example\nc@p.example\nd@p.example\ne@p.example\n");
  std::string id(TestEnv::Json(r).at("id").as_string());
  auto first = env.bulk->RunChunk(*env.bulk->StoredJob(contoso.res.tenant.id, id), "gatehouse");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  auto ahead = env.bulk->PlanChunk(*first, 1);
  ASSERT_TRUE(ahead.ok()) << ahead.status().ToString();
  EXPECT_EQ(ahead->results[0].outcome, BulkOutcome::kInvited);
  // Another administrator invites e@ before the planned chunk is written.
  auto single = env.Call("POST", "/v1.0/invitations", admin_token,
                         R"({"invitedUserEmailAddress":"e@p.example","inviteRedirectUrl":"https://apps.contoso.test/"})");
  ASSERT_EQ(single.status, 201) << single.body;
  auto done = env.bulk->RunChunk(*first, "gatehouse", &*ahead);
  ASSERT_TRUE(done.ok()) << done.status().ToString();
  EXPECT_EQ(env.bulk->ChunksReplanned(), 1);
  auto results = Results(id);
  EXPECT_EQ(results[6].outcome, "alreadyInvited");  // not a second guest
  EXPECT_EQ(results[6].user_id, std::string(TestEnv::Json(single).at("invitedUser").at("id").as_string()));
  EXPECT_EQ(CountUsersWithMail("e@p.example"), 1);
  EXPECT_EQ(PendingInvitations(results[6].user_id), 1);
}

TEST_F(BulkJobsTest, APlanThatNeedsMoreThanItsPrefetchIsLeftToItsTurn) {
  // Adding an existing guest to a group reads the groups they are in: more
  // than a plan made ahead may read, so the chunk is planned in its turn.
  auto single = env.Call("POST", "/v1.0/invitations", admin_token,
                         R"({"invitedUserEmailAddress":"f@p.example","inviteRedirectUrl":"https://apps.contoso.test/"})");
  ASSERT_EQ(single.status, 201) << single.body;
  auto g = env.Call("POST", "/v1.0/groups", contoso.token,
                    R"({"displayName":"Partners","mailNickname":"partners","mailEnabled":false,"securityEnabled":true})");
  ASSERT_EQ(g.status, 201) << g.body;
  auto r = Upload("email,groups\nf@p.example,Partners\n");
  std::string id(TestEnv::Json(r).at("id").as_string());
  auto job = env.bulk->StoredJob(contoso.res.tenant.id, id);
  auto ahead = env.bulk->PlanChunk(*job, 0);
  ASSERT_FALSE(ahead.ok());
  EXPECT_EQ(ahead.status().reason(), "stale_plan");
  env.bulk_runner->RunAll();
  auto results = Results(id);
  EXPECT_EQ(results[2].outcome, "alreadyInvited");
  std::string gid(TestEnv::Json(g).at("id").as_string());
  auto members = TestEnv::Json(env.Call("GET", "/v1.0/groups/" + gid + "/members", contoso.token));
  ASSERT_EQ(members.at("value").as_array().size(), 1u);
  EXPECT_EQ(members.at("value").at(0).at("id"), TestEnv::Json(single).at("invitedUser").at("id"));
}

TEST_F(BulkJobsTest, ALeaseHeldByALiveRunnerIsRespected) {
  auto r = Upload("email\na@p.example\nb@p.example\nc@p.example\nd@p.example\ne@p.example\n");  // two chunks
  std::string id(TestEnv::Json(r).at("id").as_string());
  auto job = env.bulk->StoredJob(contoso.res.tenant.id, id);
  ASSERT_TRUE(env.bulk->RunChunk(*job, "other-server").ok());
  auto mine = env.bulk->RunChunk(*env.bulk->StoredJob(contoso.res.tenant.id, id), "this-server");
  EXPECT_EQ(mine.status().reason(), "leased");
  env.clock.Advance(61'000);  // the other runner stopped renewing its lease
  EXPECT_TRUE(env.bulk->RunChunk(*env.bulk->StoredJob(contoso.res.tenant.id, id), "this-server").ok());
  EXPECT_EQ(Job(id).at("status").as_string(), "completed");
}

TEST_F(BulkJobsTest, BadFilesAreRefusedAtUploadAndCreateNoJob) {
  auto refused = [&](const std::string& csv, const std::string& query, const std::string& needle) {
    auto r = Upload(csv, query);
    EXPECT_EQ(r.status, 400) << r.body;
    EXPECT_EQ(TestEnv::ErrorCode(r), "Request_BadRequest");
    EXPECT_NE(r.body.find(needle), std::string::npos) << r.body;
  };
  const std::string redirect = "?redirectUrl=https://apps.contoso.test/";
  refused(kEntraHeading, redirect, "no guests to invite");           // header only
  refused("", redirect, "empty");                                    // nothing at all
  refused(std::string("\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16), redirect, "not a CSV text file");
  refused("Name,Company\nAnn,Partner\n", redirect, "no column with the address");
  refused("email\n\"ann@partner.example\n", redirect, "quoted field");
  refused("Name,InvitedUserEmailAddress\nAnn,ann@partner.example\n", "", "default redirect URL");
  refused("email\nann@partner.example\n", "?redirectUrl=javascript:alert(1)", "inviteRedirectUrl");
  refused("email\nann@partner.example\n", "?redirectUrl=https://a.example/&sendEmail=perhaps", "true or false");
  // Options arrive as raw bytes in the query (or form fields): they must be text.
  refused("email\nann@partner.example\n", redirect + "&message=%ff%fe", "message is not valid UTF-8");
  refused("email\nann@partner.example\n", redirect + "&language=%ff", "language is not valid UTF-8");
  auto wrong_type = env.Call("POST", "/api/v1/bulkInvitations", admin_token, "{\"a\":1}");
  EXPECT_EQ(wrong_type.status, 415) << wrong_type.body;
  auto list = TestEnv::Json(env.Call("GET", "/api/v1/bulkInvitations", contoso.token));
  EXPECT_TRUE(list.at("value").as_array().empty());
}

// A file name is only shown back: bytes that aren't UTF-8 are mended, not refused.
TEST_F(BulkJobsTest, AFileNameThatIsNotUtf8IsMended) {
  auto r = Upload("email\nann@partner.example\n", "?redirectUrl=https://apps.contoso.test/&fileName=a%ff.csv");
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(TestEnv::Json(r).at("fileName").as_string(), "a\xEF\xBF\xBD.csv");
}

// A job that no longer reads back fails alone; the runner, and the server
// with it, go on to the next.
TEST_F(BulkJobsTest, AJobThatCannotBeReadBackFailsAloneAndTheRunnerGoesOn) {
  auto r = Upload("email\nann@partner.example\n");
  ASSERT_EQ(r.status, 202) << r.body;
  const std::string id(TestEnv::Json(r).at("id").as_string());
  {
    auto tx = env.store->Begin(store::TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    auto job = (*tx)->Bulk().GetJob(contoso.res.tenant.id, id);
    ASSERT_TRUE(job.ok());
    job->options_json = "{not json";
    ASSERT_TRUE((*tx)->Bulk().UpdateJob(*job).ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto next = Run("email\nbob@partner.example\n");  // runs both jobs
  EXPECT_EQ(next.at("status").as_string(), "completed");
  auto broken = Job(id);
  EXPECT_EQ(broken.at("status").as_string(), "failed");
  EXPECT_EQ(broken.at("error").as_string(), "An internal error stopped the job.");
  EXPECT_EQ(CountUsersWithMail("ann@partner.example"), 0);
}

TEST_F(BulkJobsTest, PortalMultipartUploadWithOptionFields) {
  const std::string b = "----gatehouseBoundary7MA4YWxk";
  std::string body = "--" + b + "\r\nContent-Disposition: form-data; name=\"redirectUrl\"\r\n\r\nhttps://apps.contoso.test/\r\n" +
                     "--" + b + "\r\nContent-Disposition: form-data; name=\"sendEmail\"\r\n\r\nfalse\r\n" +
                     "--" + b + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"guests.csv\"\r\n" +
                     "Content-Type: text/csv\r\n\r\nemail,groups\r\nann@partner.example,Sales Team\r\n\r\n--" + b + "--\r\n";
  auto group = env.Call("POST", "/v1.0/groups", contoso.token,
                        R"({"displayName":"Sales Team","mailEnabled":false,"mailNickname":"sales","securityEnabled":true})");
  ASSERT_EQ(group.status, 201) << group.body;
  auto r = env.Call("POST", "/api/v1/bulkInvitations", admin_token, body,
                    {{"Content-Type", "multipart/form-data; boundary=" + b}});
  ASSERT_EQ(r.status, 202) << r.body;
  EXPECT_EQ(TestEnv::Json(r).at("fileName").as_string(), "guests.csv");
  EXPECT_FALSE(TestEnv::Json(r).at("options").at("sendEmail").as_bool());
  env.bulk_runner->RunAll();
  auto results = Results(std::string(TestEnv::Json(r).at("id").as_string()));
  ASSERT_EQ(results[2].outcome, "invited") << results[2].error;
  EXPECT_TRUE(env.sent_invitations.empty());
  auto members = TestEnv::Json(env.Call(
      "GET", "/v1.0/groups/" + std::string(TestEnv::Json(group).at("id").as_string()) + "/members", contoso.token));
  ASSERT_EQ(members.at("value").as_array().size(), 1u);
  EXPECT_EQ(members.at("value").at(0).at("id").as_string(), results[2].user_id);
}

TEST_F(BulkJobsTest, UnknownGroupIsARowErrorNotAJobError) {
  json::object job = Run("email,groups\nann@partner.example,No Such Group\nben@partner.example,\n");
  EXPECT_EQ(job.at("status").as_string(), "completedWithErrors");
  auto results = Results(std::string(job.at("id").as_string()));
  EXPECT_EQ(results[2].outcome, "invalid");
  EXPECT_NE(results[2].error.find("No group is named 'No Such Group'"), std::string::npos);
  EXPECT_EQ(results[3].outcome, "invited");
  EXPECT_EQ(CountUsersWithMail("ann@partner.example"), 0);  // nothing half-done for the refused row
}

TEST_F(BulkJobsTest, CancelStopsBeforeTheNextChunk) {
  auto r = Upload("email\na@p.example\nb@p.example\nc@p.example\nd@p.example\ne@p.example\n");
  std::string id(TestEnv::Json(r).at("id").as_string());
  ASSERT_TRUE(env.bulk->RunChunk(*env.bulk->StoredJob(contoso.res.tenant.id, id), "gatehouse").ok());
  auto c = env.Call("POST", "/api/v1/bulkInvitations/" + id + "/cancel", contoso.token);
  EXPECT_EQ(c.status, 202) << c.body;
  EXPECT_TRUE(TestEnv::Json(c).at("cancelRequested").as_bool());
  env.bulk_runner->RunAll();
  json::object job = Job(id);
  EXPECT_EQ(job.at("status").as_string(), "cancelled");
  EXPECT_EQ(job.at("processedRows").as_int64(), 4);
  EXPECT_EQ(Results(id).size(), 4u);
  EXPECT_EQ(env.Call("DELETE", "/api/v1/bulkInvitations/" + id, contoso.token).status, 204);
  EXPECT_EQ(env.Call("GET", "/api/v1/bulkInvitations/" + id, contoso.token).status, 404);
}

TEST_F(BulkJobsTest, ResultsArePagedWithALinkHeader) {
  json::object job = Run("email\na@p.example\nb@p.example\nc@p.example\n");
  std::string id(job.at("id").as_string());
  auto page = env.Call("GET", "/api/v1/bulkInvitations/" + id + "/results?top=2", contoso.token);
  EXPECT_EQ(page.Header("Link"), "<" + std::string(TestEnv::kBase) + "/api/v1/bulkInvitations/" + id +
                                      "/results?after=3&top=2>; rel=\"next\"");
  auto rest = env.Call("GET", "/api/v1/bulkInvitations/" + id + "/results?after=3&top=2", contoso.token);
  EXPECT_TRUE(rest.body.starts_with("4,c@p.example,invited,")) << rest.body;
  EXPECT_EQ(rest.Header("Link"), "");
  EXPECT_EQ(env.Call("GET", "/api/v1/bulkInvitations/" + id + "/results?top=0", contoso.token).status, 400);
  EXPECT_EQ(env.Call("GET", "/api/v1/bulkInvitations/" + id + "/results?after=x", contoso.token).status, 400);
}

TEST_F(BulkJobsTest, JobsAreListedNewestFirstInPagesWithANextLink) {
  std::set<std::string> uploaded;
  for (const char* csv : {"email\na@p.example\n", "email\nb@p.example\n", "email\nc@p.example\n"})
    uploaded.insert(std::string(TestEnv::Json(Upload(csv)).at("id").as_string()));
  auto first = TestEnv::Json(env.Call("GET", "/api/v1/bulkInvitations?$top=2", contoso.token)).as_object();
  ASSERT_EQ(first.at("value").as_array().size(), 2u);
  ASSERT_TRUE(first.contains("@odata.nextLink"));
  std::string next(first.at("@odata.nextLink").as_string());
  ASSERT_TRUE(next.starts_with(TestEnv::kBase)) << next;
  auto second = TestEnv::Json(env.Call("GET", next.substr(std::string(TestEnv::kBase).size()), contoso.token)).as_object();
  ASSERT_EQ(second.at("value").as_array().size(), 1u);
  EXPECT_FALSE(second.contains("@odata.nextLink"));
  std::set<std::string> listed;
  for (const auto* page : {&first, &second})
    for (const auto& j : page->at("value").as_array()) listed.insert(std::string(j.at("id").as_string()));
  EXPECT_EQ(listed, uploaded);
  EXPECT_EQ(env.Call("GET", "/api/v1/bulkInvitations?$top=0", contoso.token).status, 400);
  EXPECT_EQ(env.Call("GET", "/api/v1/bulkInvitations?$skiptoken=nope", contoso.token).status, 400);
  EXPECT_EQ(env.Call("GET", "/api/v1/bulkInvitations?$orderby=status", contoso.token).status, 400);
}

TEST_F(BulkJobsTest, TenantsSeeOnlyTheirOwnJobsAndWhoMayNotInviteIsToldAtUpload) {
  json::object job = Run("email\nann@partner.example\n");
  std::string id(job.at("id").as_string());
  EXPECT_EQ(env.Call("GET", "/api/v1/bulkInvitations/" + id, fabrikam.token).status, 404);
  EXPECT_EQ(env.Call("GET", "/api/v1/bulkInvitations/" + id + "/results", fabrikam.token).status, 404);
  EXPECT_TRUE(TestEnv::Json(env.Call("GET", "/api/v1/bulkInvitations", fabrikam.token)).at("value").as_array().empty());
  ASSERT_EQ(env.Call("PATCH", "/v1.0/policies/authorizationPolicy", contoso.token, R"({"allowInvitesFrom":"none"})").status,
            204);
  auto r = Upload("email\nben@partner.example\n");
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("authorizationPolicy.allowInvitesFrom"), std::string::npos);
  EXPECT_EQ(env.Call("POST", "/api/v1/bulkInvitations", "", "email\n").status, 401);
}

}  // namespace
}  // namespace gh::invitations
