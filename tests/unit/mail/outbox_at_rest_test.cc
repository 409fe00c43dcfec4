// Mail at rest (security review #9): once a message is delivered (or given
// up), the outbox keeps no working redeem link or one-time code — not in the
// message's bodies, not in a bulk job's shared rendering and its fill values —
// while what an admin needs stays. Both backends.
#include "mail/templates.h"
#include "store/outbox_repository.h"
#include "unit/mail/mail_test_util.h"

namespace gh::mail::testing {
namespace {

using store::OutboxMessage;

constexpr const char* kLink = "https://gh.example/redeem?tenant=t&user=u&ticket=SECRET-TICKET-123&ver=2.0";

class OutboxAtRestTest : public MailStoreTest {
 protected:
  // The message as stored, seen through the repository.
  static void ExpectNoSecret(const OutboxMessage& m, const std::string& secret) {
    for (const std::string* part : {&m.subject, &m.text_body, &m.html_body})
      EXPECT_EQ(part->find(secret), std::string::npos) << *part;
    EXPECT_EQ(m.fills.find(secret), std::string::npos) << m.fills;
    if (m.shared_body) {
      for (const std::string* part :
           {&m.shared_body->subject, &m.shared_body->text_body, &m.shared_body->html_body})
        EXPECT_EQ(part->find(secret), std::string::npos) << *part;
    }
  }
  Mail LinkMail(const std::string& tenant) {
    Mail m = SampleMail(tenant);
    m.subject = "Contoso invited you to access applications within their organization";
    m.text_body = std::string("Get Started: ") + kLink;
    m.html_body = std::string("<a href=\"") + kLink + "\">Get Started</a>";
    return m;
  }
};

TEST_P(OutboxAtRestTest, ADeliveredMessageKeepsNoBodyButWhatAnAdminNeeds) {
  std::string tenant = NewId();
  std::string id = Enqueue(LinkMail(tenant));
  // Until it is delivered the message holds what it needs to be sent.
  EXPECT_NE(Get(id).text_body.find("SECRET-TICKET-123"), std::string::npos);
  FakeTransport transport;
  MailSender sender(*store_, transport, clock_, {.from_address = "invites@gh.example"});
  ASSERT_EQ(sender.RunOnce()->sent, 1);
  ASSERT_EQ(transport.sent.size(), 1u);  // delivered (MIME-encoded) before the bodies went

  OutboxMessage got = Get(id);
  ExpectNoSecret(got, "SECRET-TICKET-123");
  EXPECT_TRUE(got.text_body.empty());
  EXPECT_TRUE(got.html_body.empty());
  EXPECT_EQ(got.subject, "Contoso invited you to access applications within their organization");
  EXPECT_EQ(got.kind, "invitation");
  EXPECT_EQ(got.to, std::vector<std::string>{"alice@fabrikam.example"});
  EXPECT_EQ(got.cc, std::vector<std::string>{"carol@fabrikam.example"});
  EXPECT_EQ(got.sent_at, std::optional<int64_t>(clock_.NowMillis()));
  EXPECT_EQ(got.attempts, 1);
}

TEST_P(OutboxAtRestTest, AOneTimeCodeIsGoneOnceSent) {
  auto rendered = RenderOneTimePasscode({"en-US", "Contoso", "493027", 30});
  ASSERT_TRUE(rendered.ok());
  Mail m = SampleMail(NewId());
  m.kind = "otp";
  m.SetContent(*rendered);
  std::string id = Enqueue(m);
  FakeTransport transport;
  MailSender sender(*store_, transport, clock_, {.from_address = "invites@gh.example"});
  ASSERT_EQ(sender.RunOnce()->sent, 1);
  OutboxMessage got = Get(id);
  ExpectNoSecret(got, "493027");
  EXPECT_EQ(got.subject, "Contoso account verification code");
}

TEST_P(OutboxAtRestTest, AMessageRetriedKeepsItsBodyAndOneGivenUpLosesIt) {
  std::string id = Enqueue(LinkMail(NewId()));
  FakeTransport transport;
  for (int i = 0; i < 2; ++i) transport.script.push_back(Unavailable("connection refused"));
  SenderOptions o{.from_address = "invites@gh.example"};
  o.max_attempts = 2;
  MailSender sender(*store_, transport, clock_, o);
  ASSERT_EQ(sender.RunOnce()->failed, 1);
  EXPECT_NE(Get(id).text_body.find("SECRET-TICKET-123"), std::string::npos);  // it will be sent later
  clock_.Advance(sender.BackoffAfter(1));
  ASSERT_EQ(sender.RunOnce()->gave_up, 1);
  OutboxMessage got = Get(id);
  EXPECT_TRUE(got.gave_up);
  EXPECT_EQ(got.last_error, "connection refused");
  ExpectNoSecret(got, "SECRET-TICKET-123");
  EXPECT_TRUE(got.text_body.empty());
}

TEST_P(OutboxAtRestTest, ABulkJobsSharedMailKeepsNoLinkOnceSent) {
  // As a bulk job stores its invitations: one rendering with slots, each
  // mail with its recipient's values (address, link).
  InvitationMail shared{"en-US", "Contoso", "Adele", "", "", "", ""};
  auto rendering = RenderSharedInvitation(shared);
  ASSERT_TRUE(rendering.ok() && rendering->has_value());
  std::string tenant = NewId();
  std::vector<Mail> mails;
  for (const char* who : {"ann@partner.example", "bob@partner.example"}) {
    InvitationMail mine = shared;
    mine.invitee_email = who;
    mine.redeem_url = std::string(kLink) + "&for=" + who;
    Mail m = SampleMail(tenant);
    m.to = {who};
    m.cc.clear();
    m.fill_values = *InvitationFills(mine);
    mails.push_back(std::move(m));
  }
  std::vector<std::string> ids;
  {
    auto tx = Write();
    auto queued = outbox_.EnqueueShared(*tx, **rendering, mails);
    ASSERT_TRUE(queued.ok()) << queued.status().ToString();
    ids = *queued;
    ASSERT_TRUE(tx->Commit().ok());
  }
  EXPECT_NE(ContentOf(Get(ids[0])).html.find("SECRET-TICKET-123"), std::string::npos);
  EXPECT_NE(Get(ids[0]).fills.find("SECRET-TICKET-123"), std::string::npos);  // until it is sent
  FakeTransport transport;
  MailSender sender(*store_, transport, clock_, {.from_address = "invites@gh.example"});
  ASSERT_EQ(sender.RunOnce()->sent, 2);
  for (const std::string& id : ids) {
    OutboxMessage got = Get(id);
    ExpectNoSecret(got, "SECRET-TICKET-123");
    EXPECT_TRUE(got.text_body.empty() && got.html_body.empty());
    EXPECT_EQ(got.shared_body, nullptr);                  // no longer on the shared rendering
    EXPECT_EQ(got.subject, (*rendering)->parts.subject);  // from the shared rendering
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, OutboxAtRestTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace gh::mail::testing
