// Building messages and parsing the SMTP URL (the templates: templates_test.cc).
#include <gtest/gtest.h>

#include "core/encoding.h"
#include "mail/config.h"
#include "mail/message.h"

namespace gh::mail {
namespace {

MessageParts Parts() {
  MessageParts p;
  p.from_address = "invites@gatehouse.example";
  p.from_name = "Contoso via Gatehouse";
  p.to = {"alice@fabrikam.example"};
  p.cc = {"bob@fabrikam.example"};
  p.reply_to = "admin@contoso.example";
  p.subject = "Hello";
  p.text_body = "Plain body";
  p.html_body = "<p>HTML body</p>";
  p.date_ms = 1'704'164'645'000;  // 2024-01-02T03:04:05Z
  p.message_id = "0b5e1c3e-1111-4222-8333-444455556666";
  return p;
}

// The decoded content of the first base64 block after `marker`.
std::string DecodePartAfter(const std::string& msg, const std::string& marker) {
  size_t at = msg.find(marker);
  if (at == std::string::npos) return "";
  size_t start = msg.find("\r\n\r\n", at) + 4;
  size_t end = msg.find("\r\n--", start);
  std::string b64;
  for (size_t i = start; i < (end == std::string::npos ? msg.size() : end); ++i)
    if (msg[i] != '\r' && msg[i] != '\n') b64 += msg[i];
  auto d = Base64Decode(b64);
  return d.ok() ? *d : "";
}

TEST(MessageTest, HeadersAndMultipartAlternative) {
  auto m = BuildMessage(Parts());
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_NE(m->find("From: \"Contoso via Gatehouse\" <invites@gatehouse.example>\r\n"), std::string::npos);
  EXPECT_NE(m->find("To: alice@fabrikam.example\r\n"), std::string::npos);
  EXPECT_NE(m->find("Cc: bob@fabrikam.example\r\n"), std::string::npos);
  EXPECT_NE(m->find("Reply-To: admin@contoso.example\r\n"), std::string::npos);
  EXPECT_NE(m->find("Subject: Hello\r\n"), std::string::npos);
  EXPECT_NE(m->find("Date: Tue, 02 Jan 2024 03:04:05 +0000\r\n"), std::string::npos);
  EXPECT_NE(m->find("Message-ID: <0b5e1c3e-1111-4222-8333-444455556666@gatehouse.example>\r\n"), std::string::npos);
  EXPECT_NE(m->find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(m->find("Content-Type: multipart/alternative; boundary="), std::string::npos);
  EXPECT_EQ(DecodePartAfter(*m, "Content-Type: text/plain; charset=UTF-8"), "Plain body");
  EXPECT_EQ(DecodePartAfter(*m, "Content-Type: text/html; charset=UTF-8"), "<p>HTML body</p>");
  // Every line ends in CRLF.
  for (size_t i = 0; i < m->size(); ++i)
    if ((*m)[i] == '\n') ASSERT_TRUE(i > 0 && (*m)[i - 1] == '\r') << "bare LF at " << i;
}

TEST(MessageTest, TextOnlyWhenNoHtml) {
  auto p = Parts();
  p.html_body.clear();
  auto m = BuildMessage(p);
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->find("multipart"), std::string::npos);
  EXPECT_EQ(DecodePartAfter(*m, "Content-Type: text/plain; charset=UTF-8"), "Plain body");
}

TEST(MessageTest, NonAsciiSubjectAndNameAreEncodedWords) {
  auto p = Parts();
  p.subject = "Invitation à rejoindre Société Générale — accès aux applications de l'organisation";
  p.from_name = "Société via Gatehouse";
  auto m = BuildMessage(p);
  ASSERT_TRUE(m.ok());
  EXPECT_NE(m->find("Subject: =?UTF-8?B?"), std::string::npos);
  EXPECT_NE(m->find("From: =?UTF-8?B?"), std::string::npos);
  // Decoding the encoded words gives the subject back.
  std::string enc = EncodeHeaderWord(p.subject), decoded;
  for (size_t at = enc.find("=?UTF-8?B?"); at != std::string::npos; at = enc.find("=?UTF-8?B?", at)) {
    size_t end = enc.find("?=", at + 10);
    std::string word = enc.substr(at + 10, end - at - 10);
    EXPECT_LE(word.size() + 12, 75u);
    decoded += *Base64Decode(word);
    at = end;
  }
  EXPECT_EQ(decoded, p.subject);
  EXPECT_EQ(EncodeHeaderWord("plain ascii"), "plain ascii");
}

TEST(MessageTest, HeaderInjectionIsRefused) {
  for (auto mutate : std::vector<void (*)(MessageParts&)>{
           [](MessageParts& p) { p.subject = "Hi\r\nBcc: victim@evil.example"; },
           [](MessageParts& p) { p.subject = "Hi\nBcc: victim@evil.example"; },
           [](MessageParts& p) { p.from_name = "Contoso\r\nBcc: x@evil.example"; },
           [](MessageParts& p) { p.to = {"alice@fabrikam.example\r\nBcc: x@evil.example"}; },
           [](MessageParts& p) { p.cc = {"bob@x.example>, <x@evil.example"}; },
           [](MessageParts& p) { p.reply_to = "a@b.example\nX: y"; },
           [](MessageParts& p) { p.from_address = "invites@gatehouse.example\r\n"; },
           [](MessageParts& p) { p.message_id = "abc\r\nX: y"; },
           [](MessageParts& p) { p.to.clear(), p.cc.clear(); },
       }) {
    auto p = Parts();
    mutate(p);
    EXPECT_EQ(BuildMessage(p).status().code(), Code::kInvalidArgument) << p.subject;
  }
}

TEST(MessageTest, AddressValidation) {
  EXPECT_TRUE(IsValidAddress("a.b+c@x-y.example"));
  EXPECT_FALSE(IsValidAddress("no-at-sign"));
  EXPECT_FALSE(IsValidAddress("@x.example"));
  EXPECT_FALSE(IsValidAddress("a@"));
  EXPECT_FALSE(IsValidAddress("a b@x.example"));
  EXPECT_FALSE(IsValidAddress("a@b@x.example"));
  EXPECT_FALSE(IsValidAddress("<a@x.example>"));
  EXPECT_FALSE(IsValidAddress("a@x.example,b@y.example"));
}

TEST(SmtpUrlTest, ParsesEveryPart) {
  auto c = ParseSmtpUrl("smtp://us%40er:p%3Ass@mail.example:2525?starttls=try&cafile=/etc/ca.pem");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->host, "mail.example");
  EXPECT_EQ(c->port, 2525);
  EXPECT_EQ(c->user, "us@er");
  EXPECT_EQ(c->password, "p:ss");
  EXPECT_EQ(c->tls, SmtpTls::kTry);
  EXPECT_EQ(c->ca_file, "/etc/ca.pem");

  auto d = ParseSmtpUrl("smtp://relay.example");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->port, 587);
  EXPECT_EQ(d->tls, SmtpTls::kRequired);
  EXPECT_TRUE(d->user.empty());

  auto s = ParseSmtpUrl("smtps://u:p@relay.example");
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->port, 465);
  EXPECT_EQ(s->tls, SmtpTls::kImplicit);

  EXPECT_EQ(ParseSmtpUrl("smtp://h:25?starttls=none")->tls, SmtpTls::kNone);
  for (const char* bad : {"http://h", "smtp://", "smtp://h:0", "smtp://h:99999", "smtp://h?starttls=maybe",
                          "smtp://h?colour=blue", "smtps://h?starttls=none", "not a url"}) {
    EXPECT_EQ(ParseSmtpUrl(bad).status().code(), Code::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace gh::mail
