// A bulk job's mails on one shared rendering: the store keeps the rendering
// once and each mail's values, and the mail module fills them in
// (mail::ContentOf) when the sender builds the message. Both backends; the
// format from before migration 12 on SQLite.
#include <gtest/gtest.h>

#include "core/encoding.h"
#include "mail/templates.h"
#include "store/outbox_repository.h"
#include "store/sql.h"
#include "unit/mail/mail_test_util.h"

namespace gh::mail::testing {
namespace {

using store::OutboxMessage;

class SharedMailTest : public MailStoreTest {
 protected:
  Mail To(const std::string& tenant, const std::string& who, SlotValues values) {
    Mail m = SampleMail(tenant);
    m.to = {who};
    m.cc.clear();
    m.subject = m.text_body = m.html_body = "";  // the shared rendering stands for them
    m.fill_values = std::move(values);
    return m;
  }
  std::vector<std::string> EnqueueShared(const SharedRendering& shared, const std::vector<Mail>& mails) {
    auto tx = Write();
    auto ids = outbox_.EnqueueShared(*tx, shared, mails);
    EXPECT_TRUE(ids.ok()) << ids.status().ToString();
    EXPECT_TRUE(tx->Commit().ok());
    return ids.ok() ? *ids : std::vector<std::string>{};
  }
};

TEST_P(SharedMailTest, EachMailIsTheRenderingWithItsOwnValues) {
  std::string tenant = NewId();
  const std::string kSlot = "\x1e&to\x1f", kHtmlSlot = "\x1e&amp;to\x1f", kLink = "\x1e&link\x1f";
  SharedRendering shared{{"Invitation for " + kSlot, "Hello " + kSlot + ", again " + kSlot + ".",
                          "<p>" + kHtmlSlot + " <a href=\"" + kLink + "\">"},
                         {{kSlot, 0, false}, {kHtmlSlot, 0, true}, {kLink, 1, true}}};
  std::vector<Mail> mails;
  for (const char* to : {"ann@partner.example", "bob@partner.example"})
    mails.push_back(To(tenant, to, {to, "https://x.example/r?to=" + std::string(to) + "&v=2"}));
  // A value holding another slot's text is written as it is: values are
  // never searched for slots.
  mails.push_back(To(tenant, "cy@partner.example", {"cy" + kLink + "@partner.example", "L"}));
  std::vector<std::string> ids = EnqueueShared(shared, mails);
  ASSERT_EQ(ids.size(), 3u);
  // A second chunk of the job: the same rendering, stored once.
  std::vector<std::string> more =
      EnqueueShared(shared, {To(tenant, "dee@partner.example", {"dee@partner.example", "D"})});
  ASSERT_EQ(more.size(), 1u);
  EXPECT_EQ(Get(more[0]).shared_body_id, Get(ids[0]).shared_body_id);
  EXPECT_EQ(ContentOf(Get(more[0])).text, "Hello dee@partner.example, again dee@partner.example.");

  OutboxMessage bob = Get(ids[1]);
  EXPECT_TRUE(bob.text_body.empty());  // stored once, in the shared rendering
  RenderedMail content = ContentOf(bob);
  EXPECT_EQ(content.subject, "Invitation for bob@partner.example");
  EXPECT_EQ(content.text, "Hello bob@partner.example, again bob@partner.example.");
  EXPECT_EQ(content.html,
            "<p>bob@partner.example <a href=\"https://x.example/r?to=bob@partner.example&amp;v=2\">");
  EXPECT_EQ(ContentOf(Get(ids[2])).text,
            "Hello cy" + kLink + "@partner.example, again cy" + kLink + "@partner.example.");

  // A mail stored whole reads as given, slot-like text and all.
  Mail whole = SampleMail(tenant);
  whole.text_body = "Own text with " + kSlot;
  EXPECT_EQ(ContentOf(Get(Enqueue(whole))).text, "Own text with " + kSlot);
}

TEST_P(SharedMailTest, ASharedInvitationIsTheInvitationRenderedWhole) {
  std::string tenant = NewId();
  for (const char* lang : {"en-US", "fr-FR"}) {
    InvitationMail values{
        lang, "Contoso <Sales & Co>", "Ann \"A\" O'Neil", "", "Hi <b>there</b> & welcome\nto 'us'", "", ""};
    auto shared = RenderSharedInvitation(values);
    ASSERT_TRUE(shared.ok() && shared->has_value());
    std::vector<Mail> mails;
    std::vector<InvitationMail> each;
    for (const char* who : {"o'hara@partner.example", "bo&b@partner.example"}) {
      InvitationMail mine = values;
      mine.invitee_email = who;
      mine.redeem_url =
          "https://gh.example/redeem?tenant=t&user=" + std::string(who) + "&ticket=a<b>&ver=2.0";
      auto fills = InvitationFills(mine);
      ASSERT_TRUE(fills.has_value()) << who;
      mails.push_back(To(tenant, who, *fills));
      each.push_back(mine);
    }
    std::vector<std::string> ids = EnqueueShared(**shared, mails);
    ASSERT_EQ(ids.size(), each.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      SCOPED_TRACE(std::string(lang) + " " + each[i].invitee_email);
      auto whole = RenderInvitation(each[i]);
      ASSERT_TRUE(whole.ok());
      RenderedMail content = ContentOf(Get(ids[i]));
      EXPECT_EQ(content.subject, whole->subject);
      EXPECT_EQ(content.text, whole->text);
      EXPECT_EQ(content.html, whole->html);
    }
  }
}

// The text part of a built message (base64 lines after its header).
std::string TextPart(const std::string& msg) {
  size_t at = msg.find("Content-Type: text/plain; charset=UTF-8");
  if (at == std::string::npos) return "";
  size_t start = msg.find("\r\n\r\n", at) + 4;
  size_t end = msg.find("\r\n--", start);
  std::string b64;
  for (size_t i = start; i < (end == std::string::npos ? msg.size() : end); ++i)
    if (msg[i] != '\r' && msg[i] != '\n') b64 += msg[i];
  auto d = Base64Decode(b64);
  return d.ok() ? *d : "";
}

TEST_P(SharedMailTest, TheSenderDeliversItFilledIn) {
  InvitationMail values{"en-US", "Contoso", "Adele", "", "", "", ""};
  auto shared = RenderSharedInvitation(values);
  ASSERT_TRUE(shared.ok() && shared->has_value());
  InvitationMail mine = values;
  mine.invitee_email = "ann@partner.example";
  mine.redeem_url = "https://gh.example/redeem?ticket=T1&ver=2.0";
  EnqueueShared(**shared, {To(NewId(), mine.invitee_email, *InvitationFills(mine))});
  FakeTransport transport;
  MailSender sender(*store_, transport, clock_, {.from_address = "invites@gh.example"});
  ASSERT_EQ(sender.RunOnce()->sent, 1);
  ASSERT_EQ(transport.sent.size(), 1u);
  EXPECT_EQ(TextPart(transport.sent[0].data), RenderInvitation(mine)->text);
  EXPECT_NE(transport.sent[0].data.find("Subject: Contoso invited you"), std::string::npos);
}

INSTANTIATE_TEST_SUITE_P(Backends, SharedMailTest, ::testing::Values("sqlite", "postgres"),
                         [](const auto& info) { return info.param; });

// Mails queued before migration 12 kept [slot text, value] pairs and their
// body no slots; after an upgrade they are still filled in.
TEST(SharedMailLegacyTest, MailsQueuedBeforeBodiesHadSlotsAreFilledIn) {
  const std::string path =
      (store::testing::TempDir() / ("legacy-" + SecureRandom().NewUuid() + ".db")).string();
  auto store = store::OpenStore(path, 2);
  GH_ASSERT_OK(store);
  OutboxMessage m;
  m.id = "m1";
  m.tenant_id = "t1";
  m.kind = "invitation";
  m.to = {"ann@partner.example"};
  m.shared_body_id = "b1";
  {
    auto tx = (*store)->Begin(store::TxMode::kWrite);
    GH_ASSERT_OK(tx);
    GH_ASSERT_OK((*tx)->Outbox().PutSharedBody({"b1", "For {to}", "Hi {to}", "<p>{html-to}</p>", 1}));
    GH_ASSERT_OK((*tx)->Outbox().EnqueueAll({m}));
    GH_ASSERT_OK((*tx)->Commit());
  }
  auto raw = store::sql::OpenSqlite(path);
  GH_ASSERT_OK(raw);
  GH_ASSERT_OK((*raw)->Run(R"(UPDATE mail_outbox SET fills = '[["{to}","o''hara@partner.example"],)"
                           R"(["{html-to}","o&#39;hara@partner.example"]]')"));
  auto tx = (*store)->Begin(store::TxMode::kRead);
  GH_ASSERT_OK(tx);
  auto got = (*tx)->Outbox().Get("m1");
  GH_ASSERT_OK(got);
  RenderedMail content = ContentOf(*got);
  EXPECT_EQ(content.subject, "For o'hara@partner.example");
  EXPECT_EQ(content.text, "Hi o'hara@partner.example");
  EXPECT_EQ(content.html, "<p>o&#39;hara@partner.example</p>");
}

}  // namespace
}  // namespace gh::mail::testing
