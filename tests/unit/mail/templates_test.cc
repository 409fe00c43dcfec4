// The mail templates: files rendered with ctemplate. Every variable every
// template writes is filled (ctemplate itself would write a missing one as
// nothing), the HTML escapes and the text doesn't, and the mails read as
// they should in both languages.
#include <gtest/gtest.h>

#include <cstring>

#include <ctemplate/template.h>
#include <ctemplate/template_emitter.h>
#include <ctemplate/template_modifiers.h>

#include <functional>
#include <memory>
#include <random>
#include <regex>
#include <set>

#include "mail/templates.h"

namespace gh::mail {
namespace {

// ---- Every marker filled

struct MailKind {
  std::string name;       // as RenderMail takes it
  TemplateValues values;  // what the code provides, from the mail's own values function
};

std::vector<MailKind> Kinds() {
  return {{"invitation",
           InvitationValues({"en", "Contoso", "Adele", "ann@x.example", "Hi", "https://r", "https://p"})},
          {"otp", OneTimePasscodeValues({"en", "Contoso", "123456", 30})},
          {"environment_notice", EnvironmentNoticeValues({"en", "Contoso", "Sales", "https://e"})}};
}
const char* const kLanguages[] = {"en-US", "fr-FR"};

// Each variable ctemplate wrote in an annotated rendering, with what it wrote.
std::vector<std::pair<std::string, std::string>> Variables(const std::string& annotated) {
  static const std::regex var(R"(\{\{#VAR=([A-Za-z0-9_]+)[^}]*\}\}((?:.|\n)*?)\{\{/VAR\}\})");
  std::vector<std::pair<std::string, std::string>> out;
  for (auto it = std::sregex_iterator(annotated.begin(), annotated.end(), var); it != std::sregex_iterator();
       ++it)
    out.emplace_back((*it)[1], (*it)[2]);
  return out;
}

std::set<std::string> Matches(const std::string& text, const std::regex& re) {
  std::set<std::string> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator(); ++it)
    out.insert((*it)[1]);
  return out;
}

// Renders every mail in every language with all of the code's values set,
// then with each one empty in turn (which shows its {{#NO_NAME}} sections):
// every variable written must have written something, but the one emptied.
// And every section any template names is shown by some value.
TEST(MailTemplatesTest, EveryVariableOfEveryTemplateIsFilled) {
  std::set<std::string> rendered_files = {"layout.html"}, shown_sections;
  for (const MailKind& kind : Kinds()) {
    std::vector<std::string> empties = {""};
    for (const auto& [name, _] : kind.values) empties.push_back(name);
    for (const char* lang : kLanguages) {
      for (const std::string& empty : empties) {
        SCOPED_TRACE(kind.name + " " + lang + ", empty: " + (empty.empty() ? "none" : empty));
        TemplateValues values;
        for (const auto& [name, _] : kind.values) values[name] = name == empty ? "" : "value-of-" + name;
        auto r = RenderMail(kind.name, lang, values, /*annotated=*/true);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        for (const std::string* part : {&r->subject, &r->text, &r->html}) {
          auto vars = Variables(*part);
          EXPECT_FALSE(vars.empty()) << *part;
          for (const auto& [name, written] : vars)
            if (name != empty) {
              EXPECT_FALSE(written.empty()) << "{{" << name << "}} was written as nothing";
            }
          for (const std::string& s : Matches(*part, std::regex(R"(\{\{#SEC=([A-Za-z0-9_]+)\}\})")))
            shown_sections.insert(kind.name + ":" + s);
        }
      }
      const std::string base = kind.name + "." + PickLanguage(lang).data();
      for (const char* part : {".subject", ".text", ".html"}) rendered_files.insert(base + part);
    }
  }
  // Every template file is one of the mails' parts (none left over), and
  // every section in it was shown at least once.
  std::set<std::string> files;
  for (const EmbeddedFile& f : TemplateFiles()) {
    files.insert(std::string(f.name));
    const std::string kind = std::string(f.name.substr(0, f.name.find('.')));
    for (const std::string& s : Matches(std::string(f.text), std::regex(R"(\{\{#([A-Za-z0-9_]+)\}\})")))
      EXPECT_TRUE(shown_sections.count(kind + ":" + s)) << f.name << ": no value shows {{#" << s << "}}";
  }
  EXPECT_EQ(files, rendered_files);
}

TEST(MailTemplatesTest, TheCheckFindsAnUnfilledVariable) {
  // What the test above looks for, in a rendering with a value missing.
  auto r = RenderMail("otp", "en", {{"ORG_NAME", "Contoso"}, {"CODE", "123456"}}, /*annotated=*/true);
  ASSERT_TRUE(r.ok());
  bool blank = false;
  for (const auto& [name, written] : Variables(r->text))
    blank = blank || (name == "LIFETIME_MINUTES" && written.empty());
  EXPECT_TRUE(blank) << r->text;
}

TEST(MailTemplatesTest, FilesParseAndSubjectsAreOneLine) {
  for (const EmbeddedFile& f : TemplateFiles()) {
    SCOPED_TRACE(std::string(f.name));
    std::unique_ptr<ctemplate::Template> parsed(
        ctemplate::Template::StringToTemplate(f.text.data(), f.text.size(), ctemplate::DO_NOT_STRIP));
    EXPECT_NE(parsed, nullptr);
    bool html = f.name.ends_with(".html");
    EXPECT_EQ(f.text.starts_with("{{%AUTOESCAPE context=\"HTML\"}}"), html);  // the rest is plain text
    // An editor's final newline would end every subject with a space.
    if (f.name.ends_with(".subject")) {
      EXPECT_EQ(f.text.find_first_of("\r\n"), std::string_view::npos);
    }
  }
}

TEST(MailTemplatesTest, AnUnknownMailIsATemplateBug) {
  EXPECT_EQ(RenderMail("no_such_mail", "en", {}).status().code(), Code::kInternal);
}

// ---- The engine's rules, as the mails use them

TEST(MailTemplatesTest, HtmlEscapesTextDoesNotAndValuesAreNotExpanded) {
  auto r = RenderEnvironmentNotice({"en", "<b>&'\"", "{{ORG_NAME}}", "https://gh.example/env/1?a=b&c=d"});
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r->text.find("<b>&'\" gave you access to the environment {{ORG_NAME}}."), std::string::npos)
      << r->text;
  EXPECT_NE(r->html.find("&lt;b&gt;&amp;&#39;&quot; gave you access"), std::string::npos) << r->html;
  EXPECT_NE(r->html.find("<strong>{{ORG_NAME}}</strong>"), std::string::npos) << r->html;
  EXPECT_NE(r->html.find("href=\"https://gh.example/env/1?a=b&amp;c=d\""), std::string::npos);
  EXPECT_EQ(HtmlEscape("a&b<c>\"d'e\tf\ng"), "a&amp;b&lt;c&gt;&quot;d&#39;e\tf\ng");
}

TEST(MailTemplatesTest, SectionsFollowTheirValues) {
  auto with =
      RenderInvitation({"en", "Contoso", "Adele", "a@x.example", "", "https://r", "https://p.example/"});
  auto without = RenderInvitation({"en", "Contoso", "", "a@x.example", "", "https://r", ""});
  ASSERT_TRUE(with.ok() && without.ok());
  EXPECT_NE(with->text.find("Adele from Contoso invited you"), std::string::npos);
  EXPECT_NE(with->text.find("Contoso's privacy statement: https://p.example/"), std::string::npos);
  EXPECT_EQ(with->text.find("has not provided a link"), std::string::npos);
  EXPECT_EQ(with->text.find("Message from"), std::string::npos);
  EXPECT_TRUE(without->text.starts_with("Contoso invited you (a@x.example)")) << without->text;
  EXPECT_NE(without->text.find("Contoso has not provided a link to their privacy statement"),
            std::string::npos);
}

TEST(MailTemplatesTest, AnUnsafeLinkIsRefused) {
  // ctemplate checks a link's scheme where the HTML links to it.
  auto r = RenderEnvironmentNotice({"en", "Contoso", "Sales", "javascript:alert(1)"});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->html.find("href=\"javascript:"), std::string::npos) << r->html;
  EXPECT_NE(r->html.find("href=\"#\""), std::string::npos);
}

// ---- The mails

TEST(MailTemplatesTest, LanguagePick) {
  EXPECT_EQ(PickLanguage("fr-FR"), "fr");
  EXPECT_EQ(PickLanguage("FR_ca"), "fr");
  EXPECT_EQ(PickLanguage("fr"), "fr");
  EXPECT_EQ(PickLanguage("en-US"), "en");
  EXPECT_EQ(PickLanguage("de-DE"), "en");
  EXPECT_EQ(PickLanguage(""), "en");
}

InvitationMail Invitation(const std::string& lang) {
  return {lang,
          "Contoso",
          "Adele Vance",
          "alice@fabrikam.example",
          "Welcome!\n<script>alert(1)</script>",
          "https://gh.example/redeem?t=abc&x=1",
          ""};
}

TEST(MailTemplatesTest, InvitationEnglish) {
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
  // The custom message keeps its lines (the blockquote is white-space: pre-line).
  EXPECT_NE(r->html.find("Welcome!\n&lt;script&gt;"), std::string::npos);
}

TEST(MailTemplatesTest, InvitationFrenchAndPrivacyLink) {
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

TEST(MailTemplatesTest, SubjectStaysOneLineAndOrgIsEscaped) {
  auto in = Invitation("de-DE");  // falls back to English
  in.inviter_org = "Evil\r\nBcc: x@evil.example <b>";
  auto r = RenderInvitation(in);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->subject.find_first_of("\r\n"), std::string::npos);
  EXPECT_NE(r->html.find("Evil\r\nBcc: x@evil.example &lt;b&gt;"), std::string::npos);
}

TEST(MailTemplatesTest, OneTimePasscodeAndEnvironmentNotice) {
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

// ---- A bulk job's shared rendering

TEST(MailTemplatesTest, ARecipientsValueGoesInASlotOnlyIfWrittenAlikeEverywhere) {
  InvitationMail m = Invitation("en");
  auto fills = InvitationFills(m);
  ASSERT_TRUE(fills.has_value());
  EXPECT_EQ(*fills, (SlotValues{"alice@fabrikam.example", "https://gh.example/redeem?t=abc&x=1"}));
  for (auto spoil : std::vector<std::function<void(InvitationMail&)>>{
           [](InvitationMail& x) { x.invitee_email.clear(); },    // would hide its section
           [](InvitationMail& x) { x.invitee_email += "\x1e"; },  // the marker
           [](InvitationMail& x) {
             x.redeem_url = "https://gh.example/r?a=b\tc";
           },  // a link writes the tab as a space
           [](InvitationMail& x) { x.redeem_url = "javascript:alert(1)"; },  // a link writes "#"
       }) {
    InvitationMail spoilt = m;
    spoil(spoilt);
    EXPECT_FALSE(InvitationFills(spoilt).has_value()) << spoilt.invitee_email << " " << spoilt.redeem_url;
  }
}

// InvitationFills decides without escaping (it runs for every mail of a bulk
// job); its verdict is the one escaping every way would give.
TEST(MailTemplatesTest, TheSlotCheckIsWhatEscapingEveryWayWouldSay) {
  auto escaped = [](const ctemplate::TemplateModifier& modifier, const std::string& v) {
    std::string out;
    ctemplate::StringEmitter emitter(&out);
    modifier.Modify(v.data(), v.size(), nullptr, &emitter, "");
    return out;
  };
  const std::vector<std::string> atoms = {
      "a",  "@",  ".", "&", "<", ">", "\"", "'",        " ",     "\t",          "\n",      "\r",
      "\v", "\f", ":", "/", "?", "#", "=",  "https://", "http:", "javascript:", "mailto:", "é"};
  std::mt19937 rng(18);
  int accepted = 0, refused = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string v;
    for (int n = 1 + rng() % 5; n > 0; --n) v += atoms[rng() % atoms.size()];
    const std::string text = escaped(ctemplate::pre_escape, v);
    const bool alike = text == escaped(ctemplate::html_escape, v) &&
                       text == escaped(ctemplate::validate_url_and_html_escape, v);
    InvitationMail m = Invitation("en");
    m.invitee_email = m.redeem_url = v;
    EXPECT_EQ(InvitationFills(m).has_value(), alike) << v;
    ++(alike ? accepted : refused);
  }
  EXPECT_GT(accepted, 1000);
  EXPECT_GT(refused, 1000);
}

TEST(MailTemplatesTest, EveryMarkerOfASharedRenderingIsASlot) {
  for (const char* lang : kLanguages) {
    InvitationMail shared = Invitation(lang);
    shared.invitee_email.clear();
    shared.redeem_url.clear();
    auto r = RenderSharedInvitation(shared);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    ASSERT_TRUE(r->has_value());
    const SharedRendering& s = **r;
    ASSERT_EQ(s.slots.size(), 4u);
    EXPECT_EQ(s.slots[0].text, "\x1e&invitee_email\x1f");
    EXPECT_EQ(s.slots[1].text, "\x1e&amp;invitee_email\x1f");
    EXPECT_TRUE(s.slots[1].html_escaped);
    EXPECT_NE(s.parts.html.find("href=\"\x1e&amp;redeem_url\x1f\""),
              std::string::npos);  // kept by the link check
    EXPECT_EQ(s.parts.subject.find('\x1e'), std::string::npos);
  }
  InvitationMail odd = Invitation("en");
  odd.custom_message = "a \x1e marker";
  auto none = RenderSharedInvitation(odd);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
}

}  // namespace
}  // namespace gh::mail
