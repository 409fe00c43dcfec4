// The store's batch calls (multi-row writes, IN-list reads, outbox mails on a
// shared rendering), run against every backend: each must give what the
// one-row calls give, across statement blocks, and fail whole.
#include <algorithm>

#include "store/bulk_repository.h"
#include "store/invitations_repository.h"
#include "store/outbox_repository.h"
#include "store/sql_tx.h"
#include "unit/store/store_test_util.h"

namespace gh::store::testing {
namespace {

class StoreBatchTest : public StoreTest {
 protected:
  // `n` guests of `tenant` with addresses guestI@partner.example.
  std::vector<directory::User> Guests(const std::string& tenant, int n) {
    std::vector<directory::User> users;
    for (int i = 0; i < n; ++i) {
      directory::User u = MakeUser(tenant, "guest" + std::to_string(i) + "_partner.example#EXT#@" + tenant);
      u.mail = "Guest" + std::to_string(i) + "@Partner.example";
      users.push_back(u);
    }
    return users;
  }

  // `u` inserted and committed in a transaction of its own.
  void Committed(const directory::User& u) {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertUser(u));
    GH_ASSERT_OK(tx->Commit());
  }

  OutboxMessage Mail(const std::string& tenant, const std::string& to) {
    OutboxMessage m;
    m.id = NewId();
    m.tenant_id = tenant;
    m.kind = "invitation";
    m.to = {to};
    m.from_name = "Contoso via Gatehouse";
    m.created_at = 1'700'000'000'000;
    // Never due: other suites' senders share the database and claim what is.
    m.next_attempt_at = 4'000'000'000'000;
    m.dedupe_key = "invitation:" + m.id;
    return m;
  }
};

TEST(StatementBlocksTest, PowersOfTwoThatAddUp) {
  EXPECT_TRUE(StatementBlocks(0).empty());
  EXPECT_EQ(StatementBlocks(1), (std::vector<size_t>{1}));
  EXPECT_EQ(StatementBlocks(128), (std::vector<size_t>{128}));
  EXPECT_EQ(StatementBlocks(1000), (std::vector<size_t>{128, 128, 128, 128, 128, 128, 128, 64, 32, 8}));
}

TEST_P(StoreBatchTest, InsertedUsersAreFoundByMailAndUpnAcrossBlocks) {
  std::string tenant = NewTenant();
  std::vector<directory::User> users = Guests(tenant, 300);  // three statement blocks and then some
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertUsers(users));
    GH_ASSERT_OK(tx->Commit());
  }
  std::vector<std::string> mails, upns;
  for (int i = 0; i < 300; i += 2) {
    mails.push_back("GUEST" + std::to_string(i) + "@partner.EXAMPLE");
    upns.push_back(users[i].user_principal_name);
  }
  mails.push_back("nobody@partner.example");
  auto tx = Read();
  auto by_mail = tx->FindUsersByMails(tenant, mails);
  GH_ASSERT_OK(by_mail);
  ASSERT_EQ(by_mail->size(), 150u);
  EXPECT_TRUE(std::is_sorted(by_mail->begin(), by_mail->end(), [](auto& a, auto& b) { return a.id < b.id; }));
  auto by_upn = tx->FindUsersByUpns(tenant, upns);
  GH_ASSERT_OK(by_upn);
  ASSERT_EQ(by_upn->size(), 150u);
  // Every field survives, as with InsertUser.
  auto one = std::find_if(by_upn->begin(), by_upn->end(), [&](auto& u) { return u.id == users[4].id; });
  ASSERT_NE(one, by_upn->end());
  EXPECT_EQ(one->mail, users[4].mail);
  EXPECT_EQ(one->display_name, users[4].display_name);
  // Another tenant's users are not found.
  EXPECT_TRUE(tx->FindUsersByMails(NewTenant(), mails)->empty());
}

TEST_P(StoreBatchTest, ABatchOfUsersWithOneTakenUpnWritesNothing) {
  std::string tenant = NewTenant();
  std::vector<directory::User> users = Guests(tenant, 5);
  Committed(users[3]);
  users[3].id = NewId();  // same UPN, new object
  auto tx = Write();
  GH_EXPECT_CODE(tx->InsertUsers(users), Code::kAlreadyExists);
  GH_EXPECT_CODE(tx->Commit(), Code::kAlreadyExists);
  EXPECT_EQ(Read()->FindUsersByMails(tenant, {"guest0@partner.example", "guest4@partner.example"})->size(), 0u);
}

// PostgreSQL pipelines a batch's statements: an error in the first one is
// still the call's error, the statements after it (and their first-time
// PREPAREs) do not run, and the connection is fine for the next batch.
TEST_P(StoreBatchTest, AFailedPipelinedBatchLeavesTheConnectionUsable) {
  std::string tenant = NewTenant();
  std::vector<directory::User> users = Guests(tenant, 300);  // blocks of 128, 128, 32, 8, 4
  Committed(users[0]);
  std::vector<directory::User> again = users;
  again[0].id = NewId();  // the first block fails
  {
    auto tx = Write();
    GH_EXPECT_CODE(tx->InsertUsers(again), Code::kAlreadyExists);
    GH_EXPECT_CODE(tx->Commit(), Code::kAlreadyExists);
  }
  std::vector<directory::User> rest(users.begin() + 1, users.begin() + 45);  // 32 + 8 + 4: the shapes skipped above
  auto tx = Write();
  GH_ASSERT_OK(tx->InsertUsers(rest));
  GH_ASSERT_OK(tx->Commit());
  EXPECT_EQ(Read()->FindUsersByMails(tenant, {"guest1@partner.example", "guest44@partner.example",
                                              "guest45@partner.example"})->size(), 2u);
}

// In a batch a multi-row write may report its error only at EndBatch
// (PostgreSQL), but it is always reported, and the transaction writes nothing.
TEST_P(StoreBatchTest, InABatchAWriteErrorIsReportedByEndBatchAtTheLatest) {
  std::string tenant = NewTenant();
  std::vector<directory::User> users = Guests(tenant, 200);
  Committed(users[150]);
  users[150].id = NewId();
  auto tx = Write();
  tx->BeginBatch();
  Status wrote = tx->InsertUsers(users);
  Status ended = tx->EndBatch();
  EXPECT_TRUE(wrote.code() == Code::kAlreadyExists || ended.code() == Code::kAlreadyExists)
      << wrote.ToString() << " / " << ended.ToString();
  EXPECT_FALSE(tx->Commit().ok());
  EXPECT_EQ(Read()->FindUsersByMails(tenant, {"guest0@partner.example", "guest199@partner.example"})->size(), 0u);
}

TEST_P(StoreBatchTest, BatchedWritesAreCommittedAndStatisticsRefresh) {
  std::string tenant = NewTenant();
  {
    auto tx = Write();
    tx->BeginBatch();
    GH_ASSERT_OK(tx->InsertUsers(Guests(tenant, 130)));
    GH_ASSERT_OK(tx->EndBatch());
    GH_ASSERT_OK(tx->Commit());
  }
  GH_ASSERT_OK(store_->RefreshStatistics());
  EXPECT_EQ(Read()->FindUsersByMails(tenant, {"guest0@partner.example", "guest129@partner.example"})->size(), 2u);
}

TEST_P(StoreBatchTest, TenantsAreFoundByAnyOfTheirDomains) {
  std::string first = NewTenant(), second = NewTenant();
  auto tx = Write();
  directory::Tenant t = *tx->GetTenant(first);
  t.verified_domains.push_back("Extra-" + first.substr(0, 8) + ".example");
  GH_ASSERT_OK(tx->UpdateTenant(t));
  directory::Tenant other = *tx->GetTenant(second);
  auto found = tx->FindTenantsByDomains({"EXTRA-" + first.substr(0, 8) + ".example", t.initial_domain,
                                         other.initial_domain, "nowhere-" + NewId() + ".example"});
  GH_ASSERT_OK(found);
  ASSERT_EQ(found->size(), 3u);
  EXPECT_EQ(found->at("extra-" + first.substr(0, 8) + ".example").id, first);
  EXPECT_EQ(found->at(t.initial_domain).id, first);
  EXPECT_EQ(found->at(other.initial_domain).id, second);
}

TEST_P(StoreBatchTest, AuditEntriesInvitationsAndFirstRowsInBatches) {
  std::string tenant = NewTenant();
  std::vector<directory::AuditEntry> entries;
  std::vector<InvitationRow> invitations;
  for (int i = 0; i < 130; ++i) {
    directory::AuditEntry e;
    e.id = NewId();
    e.tenant_id = tenant;
    e.time = 1'700'000'000'000 + i;
    e.category = "UserManagement";
    e.activity = "Invite external user";
    e.details_json = "{}";
    entries.push_back(e);
    invitations.push_back({NewId(), tenant, NewId(), "g" + std::to_string(i) + "@partner.example",
                           "https://apps.example/", "hash", "PendingAcceptance", "admin", "{}", true, 1, 2,
                           std::nullopt});
  }
  std::string job = NewId();
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->InsertAudits(entries));
    GH_ASSERT_OK(tx->Invitations().InsertAll(invitations));
    GH_ASSERT_OK(tx->Bulk().InsertJob({job, tenant, "running", "f.csv", "gatehouse", "{}", "{}"}));
    GH_ASSERT_OK(tx->Bulk().InsertResults(job, {{2, "Ann@Partner.example", "invited", "", "", ""},
                                                {5, "ann@partner.example", "duplicate", "", "", ""},
                                                {3, "bob@partner.example", "invalid", "", "", ""}}));
    GH_ASSERT_OK(tx->Commit());
  }
  auto tx = Read();
  EXPECT_EQ(tx->ListAudit({.tenant_id = tenant, .top = 500})->items.size(), 130u);
  auto inv = tx->Invitations().ListForUser(tenant, invitations[129].user_id);
  ASSERT_EQ(inv->size(), 1u);
  EXPECT_EQ(inv->front().email, "g129@partner.example");
  auto firsts = tx->Bulk().FirstRowsFor(job, {"ann@partner.example", "bob@partner.example", "cy@partner.example"});
  GH_ASSERT_OK(firsts);
  EXPECT_EQ(*firsts, (std::map<std::string, int64_t>{{"ann@partner.example", 2}, {"bob@partner.example", 3}}));
}

// The store keeps a shared rendering once and each mail's values as written,
// and returns them as they are: it renders nothing (filling the slots in is
// the mail module's: tests/unit/mail/outbox_test.cc).
TEST_P(StoreBatchTest, MailsOnASharedBodyReadBackWithTheirBodyAndValues) {
  std::string tenant = NewTenant();
  const std::string kSlot = "\x1e&to\x1f", kHtmlSlot = "\x1e&amp;to\x1f", kLink = "\x1e&link\x1f";
  SharedBody body{"body-" + tenant,
                  "Invitation for " + kSlot,
                  "Hello " + kSlot + ", again " + kSlot + ".",
                  "<p>" + kHtmlSlot + " <a href=\"" + kLink + "\">",
                  1,
                  {{kSlot, 0, false}, {kHtmlSlot, 0, true}, {kLink, 1, true}}};
  std::vector<OutboxMessage> mails;
  for (const char* to : {"ann@partner.example", "bob@partner.example"}) {
    OutboxMessage m = Mail(tenant, to);
    m.shared_body_id = body.id;
    m.subject = m.text_body = m.html_body = "not stored";     // the body stands for them
    m.fills = std::string("as the writer chose, for ") + to;  // not read by the store
    mails.push_back(m);
  }
  OutboxMessage whole = Mail(tenant, "cy@partner.example");
  whole.subject = "Own subject";
  whole.text_body = "Own text with " + kSlot;  // no shared body: stored and read as given
  mails.push_back(whole);
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->Outbox().PutSharedBody(body));
    GH_ASSERT_OK(tx->Outbox().EnqueueAll(mails));
    GH_ASSERT_OK(tx->Commit());
  }
  {
    // The next chunk of a job stores the same body again: nothing changes.
    auto tx = Write();
    SharedBody same = body;
    same.created_at = 2;
    same.text_body = "changed";
    GH_ASSERT_OK(tx->Outbox().PutSharedBody(same));
    OutboxMessage again = Mail(tenant, "dee@partner.example");
    again.shared_body_id = body.id;
    again.fills = R"(["dee@partner.example"])";
    GH_ASSERT_OK(tx->Outbox().Enqueue(again));
    GH_ASSERT_OK(tx->Commit());
    auto got = Read()->Outbox().Get(again.id);
    GH_ASSERT_OK(got);
    ASSERT_NE(got->shared_body, nullptr);
    EXPECT_EQ(got->shared_body->text_body, body.text_body);
    EXPECT_EQ(got->shared_body->created_at, 1);
    EXPECT_EQ(got->fills, again.fills);
  }
  auto tx = Read();
  auto bob = tx->Outbox().Get(mails[1].id);
  GH_ASSERT_OK(bob);
  EXPECT_EQ(bob->shared_body_id, body.id);
  EXPECT_EQ(bob->fills, mails[1].fills);
  EXPECT_EQ(bob->subject, "");
  EXPECT_EQ(bob->text_body, "");
  EXPECT_EQ(bob->html_body, "");
  ASSERT_NE(bob->shared_body, nullptr);
  EXPECT_EQ(bob->shared_body->id, body.id);
  EXPECT_EQ(bob->shared_body->subject, body.subject);
  EXPECT_EQ(bob->shared_body->text_body, body.text_body);
  EXPECT_EQ(bob->shared_body->html_body, body.html_body);
  EXPECT_EQ(bob->shared_body->slots, body.slots);
  auto own = tx->Outbox().Get(whole.id);
  EXPECT_EQ(own->text_body, "Own text with " + kSlot);
  EXPECT_EQ(own->shared_body, nullptr);
  EXPECT_EQ(own->fills, "[]");
  auto listed = tx->Outbox().List(tenant, 10);
  ASSERT_EQ(listed->size(), 4u);
  std::shared_ptr<const SharedBody> one;  // messages read together share one body object
  for (const OutboxMessage& m : *listed) {
    EXPECT_EQ(m.subject.find('\x1e'), std::string::npos) << m.subject;
    if (m.id == whole.id) continue;
    ASSERT_NE(m.shared_body, nullptr);
    if (!one) one = m.shared_body;
    EXPECT_EQ(m.shared_body, one);
  }
}

TEST_P(StoreBatchTest, ClaimedSharedMailsComeWithTheirBody) {
  std::string tenant = NewTenant();
  OutboxMessage m = Mail(tenant, "ann@partner.example");
  m.next_attempt_at = 1;  // due before anything else in the shared database
  m.shared_body_id = "claim-" + tenant;
  m.fills = R"(["ann@partner.example"])";
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->Outbox().PutSharedBody({m.shared_body_id, "S", "T {to}", "H {to}", 1, {{"{to}", 0, false}}}));
    GH_ASSERT_OK(tx->Outbox().EnqueueAll({m}));
    GH_ASSERT_OK(tx->Commit());
  }
  auto tx = Write();
  auto claimed = tx->Outbox().Claim(2, 1000, 60'000, "test");
  GH_ASSERT_OK(claimed);
  auto mine = std::find_if(claimed->begin(), claimed->end(), [&](auto& c) { return c.id == m.id; });
  ASSERT_NE(mine, claimed->end());
  ASSERT_NE(mine->shared_body, nullptr);
  EXPECT_EQ(mine->shared_body->text_body, "T {to}");
  EXPECT_EQ(mine->shared_body->html_body, "H {to}");
  EXPECT_EQ(mine->fills, m.fills);
  GH_ASSERT_OK(tx->Outbox().MarkSent(m.id, 3));  // so no later claim finds it
  GH_ASSERT_OK(tx->Commit());
  // Sent, it keeps the body's subject and nothing else of it.
  auto sent = Read()->Outbox().Get(m.id);
  GH_ASSERT_OK(sent);
  EXPECT_EQ(sent->subject, "S");
  EXPECT_EQ(sent->shared_body, nullptr);
  EXPECT_EQ(sent->shared_body_id, "");
  EXPECT_EQ(sent->fills, "[]");
}

TEST_P(StoreBatchTest, AMailOnAnUnstoredBodyIsRefused) {
  std::string tenant = NewTenant();
  OutboxMessage m = Mail(tenant, "ann@partner.example");
  m.shared_body_id = "missing-" + tenant;
  auto tx = Write();
  GH_EXPECT_CODE(tx->Outbox().EnqueueAll({m}), Code::kFailedPrecondition);
  GH_EXPECT_CODE(tx->Commit(), Code::kFailedPrecondition);
}

TEST_P(StoreBatchTest, ARepeatedDedupeKeyInABatchWritesNoMail) {
  std::string tenant = NewTenant();
  OutboxMessage a = Mail(tenant, "ann@partner.example"), b = Mail(tenant, "bob@partner.example");
  b.dedupe_key = a.dedupe_key;
  auto tx = Write();
  GH_EXPECT_CODE(tx->Outbox().EnqueueAll({a, b}), Code::kAlreadyExists);
  GH_EXPECT_CODE(tx->Commit(), Code::kAlreadyExists);
  EXPECT_TRUE(Read()->Outbox().List(tenant, 10)->empty());
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreBatchTest, ::testing::Values("sqlite", "postgres"), BackendName);

}  // namespace
}  // namespace gh::store::testing
