// Building messages, parsing the SMTP URL, and the templates.
#include <gtest/gtest.h>

#include "core/encoding.h"
#include "mail/config.h"
#include "mail/message.h"
#include "mail/templates.h"

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

// ---- Templates

TEST(TemplateTest, RendererSubset) {
  TemplateValues v{{"a", "<x&y>"}, {"empty", ""}, {"n", "1"}};
  EXPECT_EQ(*RenderTemplate("{{a}}|{{{a}}}|{{ a }}", v, Escape::kHtml), "&lt;x&amp;y&gt;|<x&y>|&lt;x&amp;y&gt;");
  EXPECT_EQ(*RenderTemplate("{{a}}", v, Escape::kNone), "<x&y>");
  EXPECT_EQ(*RenderTemplate("[{{#n}}yes {{#n}}nested{{/n}}{{/n}}][{{#empty}}no{{/empty}}][{{^empty}}inv{{/empty}}]", v,
                            Escape::kNone),
            "[yes nested][][inv]");
  EXPECT_EQ(RenderTemplate("{{missing}}", v, Escape::kNone).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(RenderTemplate("{{a", v, Escape::kNone).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(RenderTemplate("{{#n}}open", v, Escape::kNone).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(RenderTemplate("{{/n}}", v, Escape::kNone).status().code(), Code::kInvalidArgument);
  // A value containing tag syntax is not re-expanded.
  TemplateValues w{{"a", "{{b}}"}};
  EXPECT_EQ(*RenderTemplate("{{a}}", w, Escape::kNone), "{{b}}");
}

TEST(TemplateTest, LanguagePick) {
  EXPECT_EQ(PickLanguage("fr-FR"), "fr");
  EXPECT_EQ(PickLanguage("FR_ca"), "fr");
  EXPECT_EQ(PickLanguage("fr"), "fr");
  EXPECT_EQ(PickLanguage("en-US"), "en");
  EXPECT_EQ(PickLanguage("de-DE"), "en");
  EXPECT_EQ(PickLanguage(""), "en");
}

InvitationMail Invitation(const std::string& lang) {
  return {lang, "Contoso", "Adele Vance", "alice@fabrikam.example", "Welcome!\n<script>alert(1)</script>",
          "https://gh.example/redeem?t=abc&x=1", ""};
}

TEST(TemplateTest, InvitationEnglish) {
  auto r = RenderInvitation(Invitation("en-US"));
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->subject, "Contoso invited you to access applications within their organization");
  EXPECT_NE(r->text.find("Adele Vance from Contoso invited you"), std::string::npos);
  EXPECT_NE(r->text.find("Get Started: https://gh.example/redeem?t=abc&x=1"), std::string::npos);
  EXPECT_NE(r->text.find("<script>alert(1)</script>"), std::string::npos);  // text is not HTML
  EXPECT_NE(r->text.find("has not provided a link to their privacy statement"), std::string::npos);
  EXPECT_NE(r->html.find(">Get Started</a>"), std::string::npos);
  EXPECT_NE(r->html.find("href=\"https://gh.example/redeem?t=abc&amp;x=1\""), std::string::npos);
  EXPECT_NE(r->html.find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_EQ(r->html.find("<script>"), std::string::npos);
  EXPECT_NE(r->html.find("<html lang=\"en\">"), std::string::npos);
}

TEST(TemplateTest, InvitationFrenchAndPrivacyLink) {
  auto in = Invitation("fr-FR");
  in.privacy_url = "https://contoso.example/privacy";
  in.inviter_name.clear();
  auto r = RenderInvitation(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->subject, "Contoso vous a invité à accéder aux applications de son organisation");
  EXPECT_EQ(r->text.find("Adele"), std::string::npos);
  EXPECT_NE(r->text.find("Contoso vous a invité (alice@fabrikam.example)"), std::string::npos);
  EXPECT_NE(r->html.find(">Commencer</a>"), std::string::npos);
  EXPECT_NE(r->html.find("href=\"https://contoso.example/privacy\""), std::string::npos);
  EXPECT_NE(r->html.find("<html lang=\"fr\">"), std::string::npos);
  EXPECT_EQ(r->html.find("<script>"), std::string::npos);
}

TEST(TemplateTest, SubjectStaysOneLineAndOrgIsEscaped) {
  auto in = Invitation("de-DE");  // falls back to English
  in.inviter_org = "Evil\r\nBcc: x@evil.example <b>";
  auto r = RenderInvitation(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->subject.find_first_of("\r\n"), std::string::npos);
  EXPECT_NE(r->html.find("Evil\r\nBcc: x@evil.example &lt;b&gt;"), std::string::npos);
}

TEST(TemplateTest, OneTimePasscodeAndEnvironmentNotice) {
  for (const std::string lang : {"en-GB", "fr-FR"}) {
    auto otp = RenderOneTimePasscode({lang, "Contoso", "123456", 30});
    ASSERT_TRUE(otp.ok()) << otp.status().ToString();
    EXPECT_NE(otp->text.find("123456"), std::string::npos);
    EXPECT_NE(otp->text.find("30 minutes"), std::string::npos);
    EXPECT_NE(otp->html.find("123456"), std::string::npos);
    EXPECT_NE(otp->text.find(lang == "fr-FR" ? "Si vous n'avez pas demandé" : "If you didn't ask"),
              std::string::npos);

    auto env = RenderEnvironmentNotice({lang, "Contoso", "Sales <Prod>", "https://gh.example/env/1?a=b&c=d"});
    ASSERT_TRUE(env.ok()) << env.status().ToString();
    EXPECT_NE(env->text.find("https://gh.example/env/1?a=b&c=d"), std::string::npos);
    EXPECT_NE(env->html.find("Sales &lt;Prod&gt;"), std::string::npos);
    EXPECT_NE(env->subject.find("Sales <Prod>"), std::string::npos);
  }
}

}  // namespace
}  // namespace gh::mail
