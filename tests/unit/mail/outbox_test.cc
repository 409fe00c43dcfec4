// The outbox repository (store/outbox_repository.h), mail::Outbox and
// mail::MailSender against both backends, with a FakeClock and a scripted
// transport.
#include <thread>

#include "store/outbox_repository.h"
#include "unit/mail/mail_test_util.h"

namespace gh::mail::testing {
namespace {

using store::OutboxMessage;
using store::TxMode;

class OutboxTest : public MailStoreTest {};

TEST_P(OutboxTest, EnqueueRoundTripsEveryField) {
  std::string tenant = NewId();
  Mail m = SampleMail(tenant);
  m.dedupe_key = "req-1";
  std::string id = Enqueue(m);
  OutboxMessage got = Get(id);
  EXPECT_EQ(got.tenant_id, tenant);
  EXPECT_EQ(got.kind, "invitation");
  EXPECT_EQ(got.to, m.to);
  EXPECT_EQ(got.cc, m.cc);
  EXPECT_EQ(got.from_name, m.from_name);
  EXPECT_EQ(got.reply_to, m.reply_to);
  EXPECT_EQ(got.subject, m.subject);
  EXPECT_EQ(got.text_body, m.text_body);
  EXPECT_EQ(got.html_body, m.html_body);
  EXPECT_EQ(got.created_at, clock_.NowMillis());
  EXPECT_EQ(got.next_attempt_at, clock_.NowMillis());
  EXPECT_EQ(got.attempts, 0);
  EXPECT_FALSE(got.sent_at.has_value());
  EXPECT_FALSE(got.gave_up);
  EXPECT_EQ(got.dedupe_key, std::optional<std::string>("req-1"));

  auto tx = Read();
  auto list = tx->Outbox().List(tenant, 10);
  GH_ASSERT_OK(list);
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ(list->front().id, id);
  GH_EXPECT_CODE(tx->Outbox().Get(NewId()), Code::kNotFound);
}

TEST_P(OutboxTest, DedupeKeyIsUniquePerTenant) {
  std::string tenant = NewId();
  Mail m = SampleMail(tenant);
  m.dedupe_key = "send-request-7";
  Enqueue(m);
  {
    auto tx = Write();
    GH_EXPECT_CODE(outbox_.Enqueue(*tx, m), Code::kAlreadyExists);
  }
  // Another tenant may use the same key; no key at all never collides.
  Mail other = SampleMail(NewId());
  other.dedupe_key = "send-request-7";
  Enqueue(other);
  Mail keyless = SampleMail(tenant);
  Enqueue(keyless);
  Enqueue(keyless);
  auto tx = Read();
  EXPECT_EQ(tx->Outbox().List(tenant, 10)->size(), 3u);
}

TEST_P(OutboxTest, RolledBackTransactionLeavesNoMail) {
  std::string tenant = NewId();
  int64_t before = *Read()->Outbox().CountPending();
  {
    auto tx = Write();
    auto id = outbox_.Enqueue(*tx, SampleMail(tenant));
    GH_ASSERT_OK(id);
    // Destroyed without Commit(): rolls back together with the mail.
  }
  {
    // A transaction that fails later (the invitation's user insert collides)
    // does not commit the mail either.
    auto tx = Write();
    GH_ASSERT_OK(outbox_.Enqueue(*tx, SampleMail(tenant)));
    directory::Tenant t;
    t.id = NewId();
    t.name = "T";
    t.initial_domain = t.id.substr(0, 8) + ".example.com";
    GH_ASSERT_OK(tx->InsertTenant(t));
    EXPECT_FALSE(tx->InsertTenant(t).ok());
    EXPECT_FALSE(tx->Commit().ok());
  }
  auto tx = Read();
  EXPECT_TRUE(tx->Outbox().List(tenant, 10)->empty());
  EXPECT_EQ(*tx->Outbox().CountPending(), before);
}

TEST_P(OutboxTest, EnqueueRefusesUnsendableMail) {
  auto tx = Write();
  Mail m = SampleMail(NewId());
  m.to = {"not an address"};
  GH_EXPECT_CODE(outbox_.Enqueue(*tx, m), Code::kInvalidArgument);
  m = SampleMail(NewId());
  m.subject = "x\r\nBcc: y@evil.example";
  GH_EXPECT_CODE(outbox_.Enqueue(*tx, m), Code::kInvalidArgument);
  m = SampleMail(NewId());
  m.to.clear(), m.cc.clear();
  GH_EXPECT_CODE(outbox_.Enqueue(*tx, m), Code::kInvalidArgument);
  GH_ASSERT_OK(tx->Commit());  // the refusals did not fail the transaction
}

TEST_P(OutboxTest, ClaimLeasesDueMessagesOnly) {
  std::string tenant = NewId();
  std::string a = Enqueue(SampleMail(tenant));
  clock_.Advance(1000);
  std::string b = Enqueue(SampleMail(tenant));
  int64_t now = clock_.NowMillis();
  {
    auto tx = Write();
    auto due = tx->Outbox().Claim(now - 500, 10, 60'000, "node-1");  // only a is due then
    GH_ASSERT_OK(due);
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ(due->front().id, a);
    EXPECT_EQ(due->front().leased_by, "node-1");
    EXPECT_EQ(due->front().lease_until, now - 500 + 60'000);
    GH_ASSERT_OK(tx->Commit());
  }
  {
    auto tx = Write();
    auto due = tx->Outbox().Claim(now, 10, 60'000, "node-2");  // a is leased
    GH_ASSERT_OK(due);
    ASSERT_EQ(due->size(), 1u);
    EXPECT_EQ(due->front().id, b);
    GH_ASSERT_OK(tx->Commit());
  }
  {
    auto tx = Write();
    EXPECT_TRUE(tx->Outbox().Claim(now + 1000, 10, 60'000, "node-3")->empty());
    // After the lease, a (and b) come back: at-least-once after a crash.
    auto again = tx->Outbox().Claim(now + 60'000, 10, 60'000, "node-3");
    GH_ASSERT_OK(again);
    EXPECT_EQ(again->size(), 2u);
    GH_ASSERT_OK(tx->Commit());
  }
  {
    auto tx = Write();
    GH_ASSERT_OK(tx->Outbox().MarkSent(a, now + 60'001));
    GH_ASSERT_OK(tx->Outbox().MarkFailed(b, "boom", now + 60'001 + 30'000, false));
    GH_EXPECT_CODE(tx->Outbox().MarkSent(NewId(), now), Code::kNotFound);
    GH_ASSERT_OK(tx->Commit());
  }
  EXPECT_EQ(Get(a).sent_at, std::optional<int64_t>(now + 60'001));
  EXPECT_EQ(Get(a).attempts, 1);
  EXPECT_EQ(Get(b).last_error, "boom");
  EXPECT_EQ(Get(b).next_attempt_at, now + 90'001);
  auto tx = Write();
  EXPECT_TRUE(tx->Outbox().Claim(now + 90'000, 10, 60'000, "n")->empty());  // sent, and b not yet due
  EXPECT_EQ(tx->Outbox().Claim(now + 90'001, 10, 60'000, "n")->size(), 1u);
}

TEST_P(OutboxTest, ClaimIsAWrite) {
  Enqueue(SampleMail(NewId()));
  auto tx = Read();
  GH_EXPECT_CODE(tx->Outbox().Claim(clock_.NowMillis(), 10, 1000, "n"), Code::kFailedPrecondition);
}

TEST_P(OutboxTest, ConcurrentClaimersGetDisjointBatches) {
  std::string tenant = NewId();
  std::set<std::string> ids;
  for (int i = 0; i < 20; ++i) ids.insert(Enqueue(SampleMail(tenant)));
  std::mutex mu;
  std::multiset<std::string> claimed;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 10; ++round) {
        auto tx = store_->Begin(TxMode::kWrite);
        if (!tx.ok()) continue;  // SQLite busy: try again
        auto due = (*tx)->Outbox().Claim(clock_.NowMillis(), 3, 600'000, "t" + std::to_string(t));
        if (!due.ok() || !(*tx)->Commit().ok()) continue;
        std::lock_guard lock(mu);
        for (auto& m : *due) claimed.insert(m.id);
      }
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(claimed.size(), ids.size());
  for (const auto& id : ids) EXPECT_EQ(claimed.count(id), 1u) << id;
}

// ---- MailSender

TEST_P(OutboxTest, SenderDeliversAndMarksSent) {
  std::string tenant = NewId();
  std::string id = Enqueue(SampleMail(tenant));
  FakeTransport transport;
  MailSender sender(*store_, transport, clock_, {.from_address = "invites@gh.example"});
  auto stats = sender.RunOnce();
  GH_ASSERT_OK(stats);
  EXPECT_EQ(stats->sent, 1);
  ASSERT_EQ(transport.sent.size(), 1u);
  const OutgoingMail& out = transport.sent[0];
  EXPECT_EQ(out.id, id);
  EXPECT_EQ(out.envelope_from, "invites@gh.example");
  EXPECT_EQ(out.recipients, (std::vector<std::string>{"alice@fabrikam.example", "carol@fabrikam.example"}));
  EXPECT_NE(out.data.find("From: \"Contoso via Gatehouse\" <invites@gh.example>"), std::string::npos);
  EXPECT_NE(out.data.find("Message-ID: <" + id + "@gh.example>"), std::string::npos);
  OutboxMessage got = Get(id);
  EXPECT_EQ(got.sent_at, std::optional<int64_t>(clock_.NowMillis()));
  EXPECT_EQ(got.attempts, 1);
  // Nothing more to do.
  EXPECT_EQ(sender.RunOnce()->claimed, 0);
}

TEST_P(OutboxTest, SenderBacksOffThenGivesUp) {
  std::string id = Enqueue(SampleMail(NewId()));
  FakeTransport transport;
  for (int i = 0; i < 10; ++i) transport.script.push_back(Unavailable("connection refused"));
  SenderOptions o{.from_address = "invites@gh.example"};
  o.max_attempts = 4;
  MailSender sender(*store_, transport, clock_, o);
  EXPECT_EQ(sender.BackoffAfter(1), 30'000);
  EXPECT_EQ(sender.BackoffAfter(2), 120'000);
  EXPECT_EQ(sender.BackoffAfter(3), 600'000);
  EXPECT_EQ(sender.BackoffAfter(4), 3'600'000);
  EXPECT_EQ(sender.BackoffAfter(40), 14'400'000);

  const int64_t delays[] = {30'000, 120'000, 600'000};
  for (int attempt = 1; attempt <= 3; ++attempt) {
    auto stats = sender.RunOnce();
    GH_ASSERT_OK(stats);
    EXPECT_EQ(stats->failed, 1) << attempt;
    OutboxMessage m = Get(id);
    EXPECT_EQ(m.attempts, attempt);
    EXPECT_EQ(m.last_error, "connection refused");
    EXPECT_EQ(m.next_attempt_at, clock_.NowMillis() + delays[attempt - 1]);
    // Not retried before the back-off is over.
    clock_.Advance(delays[attempt - 1] - 1);
    EXPECT_EQ(sender.RunOnce()->claimed, 0);
    clock_.Advance(1);
  }
  auto last = sender.RunOnce();
  GH_ASSERT_OK(last);
  EXPECT_EQ(last->gave_up, 1);
  OutboxMessage m = Get(id);
  EXPECT_TRUE(m.gave_up);
  EXPECT_EQ(m.attempts, 4);
  EXPECT_FALSE(m.sent_at.has_value());
  clock_.Advance(100LL * 24 * 3600 * 1000);
  EXPECT_EQ(sender.RunOnce()->claimed, 0);
  EXPECT_EQ(transport.sent.size(), 4u);
}

TEST_P(OutboxTest, SenderGivesUpAtOnceOnPermanentRejection) {
  std::string id = Enqueue(SampleMail(NewId()));
  FakeTransport transport;
  transport.script.push_back(FailedPrecondition("550 no such user"));
  MailSender sender(*store_, transport, clock_, {.from_address = "invites@gh.example"});
  EXPECT_EQ(sender.RunOnce()->gave_up, 1);
  EXPECT_TRUE(Get(id).gave_up);
  EXPECT_EQ(Get(id).last_error, "550 no such user");
}

TEST_P(OutboxTest, SenderRetriesAfterTransientFailureAndSucceeds) {
  std::string id = Enqueue(SampleMail(NewId()));
  FakeTransport transport;
  transport.script.push_back(Unavailable("421 try later"));
  MailSender sender(*store_, transport, clock_, {.from_address = "invites@gh.example"});
  EXPECT_EQ(sender.RunOnce()->failed, 1);
  clock_.Advance(30'000);
  EXPECT_EQ(sender.RunOnce()->sent, 1);
  OutboxMessage m = Get(id);
  EXPECT_TRUE(m.sent_at.has_value());
  EXPECT_EQ(m.attempts, 2);
  EXPECT_TRUE(m.last_error.empty());
}

TEST_P(OutboxTest, BackgroundThreadDeliversOnNotify) {
  std::string id = Enqueue(SampleMail(NewId()));
  FakeTransport transport;
  SenderOptions o{.from_address = "invites@gh.example"};
  o.poll_ms = 60'000;  // only Notify() can wake it within the test
  MailSender sender(*store_, transport, clock_, o);
  sender.Start();
  sender.Notify();
  for (int i = 0; i < 200 && !Get(id).sent_at; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(25));
  sender.Stop();
  EXPECT_TRUE(Get(id).sent_at.has_value());
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxTest, ::testing::Values("sqlite", "postgres"),
                         store::testing::BackendName);

}  // namespace
}  // namespace gh::mail::testing
