#pragma once
// Shared pieces of the mail tests: the store fixture (parameterised over
// SQLite and PostgreSQL like the store contract suite) and a scripted
// transport.
#include <atomic>
#include <deque>
#include <mutex>

#include "core/clock.h"
#include "mail/outbox.h"
#include "mail/sender.h"
#include "mail/transport.h"
#include "store/outbox_repository.h"
#include "unit/store/store_test_util.h"

namespace gh::mail::testing {

using store::testing::StoreTest;

// Every test gets a clock far earlier than every earlier test's, so rows a
// previous test left due (the store is shared per binary) are never due in
// this one: Claim only sees this test's rows.
inline int64_t FreshEpoch() {
  static std::atomic<int64_t> n{0};
  return 2'000'000'000'000 - (++n) * 10'000'000'000;
}

class MailStoreTest : public StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    clock_.Set(FreshEpoch());
  }

  Mail SampleMail(const std::string& tenant) {
    Mail m;
    m.tenant_id = tenant;
    m.kind = "invitation";
    m.to = {"alice@fabrikam.example"};
    m.cc = {"carol@fabrikam.example"};
    m.from_name = "Contoso via Gatehouse";
    m.reply_to = "admin@contoso.example";
    m.subject = "Contoso invited you";
    m.text_body = "Get Started: https://gh.example/redeem?t=1";
    m.html_body = "<a href=\"https://gh.example/redeem?t=1\">Get Started</a>";
    return m;
  }

  // Enqueues and commits; returns the id.
  std::string Enqueue(const Mail& m) {
    auto tx = Write();
    auto id = outbox_.Enqueue(*tx, m);
    EXPECT_TRUE(id.ok()) << id.status().ToString();
    EXPECT_TRUE(tx->Commit().ok());
    return id.ok() ? *id : "";
  }

  store::OutboxMessage Get(const std::string& id) {
    auto tx = Read();
    auto m = tx->Outbox().Get(id);
    EXPECT_TRUE(m.ok()) << m.status().ToString();
    return m.ok() ? *m : store::OutboxMessage{};
  }

  FakeClock clock_;
  SeededRandom seeded_{42};
  SecureRandom ids_;
  Outbox outbox_{clock_, ids_};
};

// Records every mail and answers with the scripted statuses (then OK).
class FakeTransport final : public Transport {
 public:
  Status Send(const OutgoingMail& mail) override {
    std::lock_guard lock(mu_);
    sent.push_back(mail);
    if (script.empty()) return OkStatus();
    Status st = script.front();
    script.pop_front();
    return st;
  }
  std::mutex mu_;
  std::vector<OutgoingMail> sent;
  std::deque<Status> script;
};

}  // namespace gh::mail::testing
