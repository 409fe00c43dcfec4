// Templates live here as raw string literals rather than files embedded by a
// CMake step: the module glob builds them with no generated sources, and each
// template sits next to the code that supplies its values, so a renamed value
// and its template change in one diff (the tests render every template in
// every language, so a missing value fails there).
#include "mail/templates.h"

#include "core/strings.h"
#include <cctype>

namespace gh::mail {
namespace {

struct Tag {
  char kind;  // 'v' value, 'r' raw value, '#' section, '^' inverted, '/' close
  std::string name;
  size_t begin, end;  // [begin, end) of the tag text in the template
};

// The next tag at or after `from`, or nullopt-like Tag{kind=0}.
StatusOr<Tag> NextTag(std::string_view tpl, size_t from) {
  size_t open = tpl.find("{{", from);
  if (open == std::string_view::npos) return Tag{0, "", tpl.size(), tpl.size()};
  bool triple = tpl.substr(open, 3) == "{{{";
  std::string_view closer = triple ? "}}}" : "}}";
  size_t close = tpl.find(closer, open + closer.size());
  if (close == std::string_view::npos) return InvalidArgument("Unclosed template tag at offset " + std::to_string(open));
  std::string_view inner = tpl.substr(open + closer.size(), close - open - closer.size());
  Tag t{triple ? 'r' : 'v', "", open, close + closer.size()};
  if (!triple && !inner.empty() && std::string_view("#^/").find(inner.front()) != std::string_view::npos) {
    t.kind = inner.front();
    inner.remove_prefix(1);
  }
  t.name = std::string(TrimView(inner));
  if (t.name.empty()) return InvalidArgument("Empty template tag at offset " + std::to_string(open));
  return t;
}

Status Render(std::string_view tpl, const TemplateValues& values, Escape escape, std::string& out) {
  size_t pos = 0;
  while (pos < tpl.size()) {
    GH_ASSIGN_OR_RETURN(Tag tag, NextTag(tpl, pos));
    out.append(tpl.substr(pos, tag.begin - pos));
    if (tag.kind == 0) break;
    auto it = values.find(tag.name);
    if (tag.kind == '/') return InvalidArgument("Unexpected {{/" + tag.name + "}}");
    if (it == values.end()) return InvalidArgument("The template uses an undefined value '" + tag.name + "'");
    if (tag.kind == 'v' || tag.kind == 'r') {
      out += (tag.kind == 'v' && escape == Escape::kHtml) ? HtmlEscape(it->second) : it->second;
      pos = tag.end;
      continue;
    }
    // A section: find its matching close, counting nested sections of the
    // same name.
    size_t scan = tag.end, depth = 1;
    Tag close{};
    while (depth > 0) {
      GH_ASSIGN_OR_RETURN(close, NextTag(tpl, scan));
      if (close.kind == 0) return InvalidArgument("Unclosed section '" + tag.name + "'");
      if (close.name == tag.name && (close.kind == '#' || close.kind == '^')) ++depth;
      if (close.name == tag.name && close.kind == '/') --depth;
      scan = close.end;
    }
    bool show = tag.kind == '#' ? !it->second.empty() : it->second.empty();
    if (show) GH_RETURN_IF_ERROR(Render(tpl.substr(tag.end, close.begin - tag.end), values, escape, out));
    pos = close.end;
  }
  return OkStatus();
}

// ---- The templates. One HTML layout wraps every mail's HTML content.

constexpr std::string_view kLayout = R"(<!DOCTYPE html>
<html lang="{{lang}}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>{{subject}}</title></head>
<body style="margin:0;padding:24px;background:#f3f2f1;font-family:Segoe UI,Helvetica,Arial,sans-serif;color:#323130">
<table role="presentation" width="100%" style="max-width:600px;margin:0 auto;background:#ffffff;padding:24px">
<tr><td>
{{{content}}}
</td></tr></table>
</body></html>
)";

struct LangTemplates {
  std::string_view subject, text, html;
};

constexpr LangTemplates kInvitationEn{
    R"({{inviter_org}} invited you to access applications within their organization)",
    R"({{#inviter_name}}{{inviter_name}} from {{/inviter_name}}{{inviter_org}} invited you ({{invitee_email}}) to access applications within their organization.
{{#custom_message}}
Message from {{inviter_org}}:
{{custom_message}}
{{/custom_message}}
Get Started: {{redeem_url}}

By accepting this invitation, you'll be sent to your organization's sign-in page and then to {{inviter_org}}.
{{#privacy_url}}{{inviter_org}}'s privacy statement: {{privacy_url}}{{/privacy_url}}{{^privacy_url}}{{inviter_org}} has not provided a link to their privacy statement for you to review.{{/privacy_url}}
This invitation email is from {{inviter_org}}, delivered by Gatehouse. If you don't recognise the sender, you can ignore it.
)",
    R"(<h1 style="font-size:22px;font-weight:600">{{#inviter_name}}{{inviter_name}} from {{/inviter_name}}{{inviter_org}} invited you to access applications within their organization</h1>
<p>This invitation was sent to {{invitee_email}}.</p>
{{#custom_message}}<p><strong>Message from {{inviter_org}}:</strong></p>
<blockquote style="white-space:pre-line;border-left:3px solid #c8c6c4;margin:0;padding-left:12px">{{custom_message}}</blockquote>{{/custom_message}}
<p style="margin:28px 0"><a href="{{redeem_url}}" style="background:#0078d4;color:#ffffff;padding:12px 28px;text-decoration:none;font-weight:600;border-radius:2px;display:inline-block">Get Started</a></p>
<p style="font-size:13px">If the button does not work, open this link: <a href="{{redeem_url}}">{{redeem_url}}</a></p>
<p style="font-size:12px;color:#605e5c">By accepting this invitation, you'll be sent to your organization's sign-in page and then to {{inviter_org}}.
{{#privacy_url}}<a href="{{privacy_url}}">{{inviter_org}}'s privacy statement</a>.{{/privacy_url}}{{^privacy_url}}{{inviter_org}} has not provided a link to their privacy statement for you to review.{{/privacy_url}}
This invitation email is from {{inviter_org}}, delivered by Gatehouse. If you don't recognise the sender, you can ignore it.</p>
)"};

constexpr LangTemplates kInvitationFr{
    R"({{inviter_org}} vous a invité à accéder aux applications de son organisation)",
    R"({{#inviter_name}}{{inviter_name}} de {{/inviter_name}}{{inviter_org}} vous a invité ({{invitee_email}}) à accéder aux applications de son organisation.
{{#custom_message}}
Message de {{inviter_org}} :
{{custom_message}}
{{/custom_message}}
Commencer (Get Started) : {{redeem_url}}

En acceptant cette invitation, vous serez dirigé vers la page de connexion de votre organisation, puis vers {{inviter_org}}.
{{#privacy_url}}Déclaration de confidentialité de {{inviter_org}} : {{privacy_url}}{{/privacy_url}}{{^privacy_url}}{{inviter_org}} n'a pas fourni de lien vers sa déclaration de confidentialité.{{/privacy_url}}
Ce courriel d'invitation provient de {{inviter_org}} et est acheminé par Gatehouse. Si vous ne connaissez pas l'expéditeur, vous pouvez l'ignorer.
)",
    R"(<h1 style="font-size:22px;font-weight:600">{{#inviter_name}}{{inviter_name}} de {{/inviter_name}}{{inviter_org}} vous a invité à accéder aux applications de son organisation</h1>
<p>Cette invitation a été envoyée à {{invitee_email}}.</p>
{{#custom_message}}<p><strong>Message de {{inviter_org}} :</strong></p>
<blockquote style="white-space:pre-line;border-left:3px solid #c8c6c4;margin:0;padding-left:12px">{{custom_message}}</blockquote>{{/custom_message}}
<p style="margin:28px 0"><a href="{{redeem_url}}" style="background:#0078d4;color:#ffffff;padding:12px 28px;text-decoration:none;font-weight:600;border-radius:2px;display:inline-block">Commencer</a></p>
<p style="font-size:13px">Si le bouton ne fonctionne pas, ouvrez ce lien : <a href="{{redeem_url}}">{{redeem_url}}</a></p>
<p style="font-size:12px;color:#605e5c">En acceptant cette invitation, vous serez dirigé vers la page de connexion de votre organisation, puis vers {{inviter_org}}.
{{#privacy_url}}<a href="{{privacy_url}}">Déclaration de confidentialité de {{inviter_org}}</a>.{{/privacy_url}}{{^privacy_url}}{{inviter_org}} n'a pas fourni de lien vers sa déclaration de confidentialité.{{/privacy_url}}
Ce courriel d'invitation provient de {{inviter_org}} et est acheminé par Gatehouse. Si vous ne connaissez pas l'expéditeur, vous pouvez l'ignorer.</p>
)"};

constexpr LangTemplates kOtpEn{
    R"({{org_name}} account verification code)",
    R"(Your verification code for {{org_name}} is: {{code}}

It expires in {{lifetime_minutes}} minutes.

If you didn't ask for this code, you can ignore this email: someone may have typed your address by mistake.
)",
    R"(<p>Use the following one-time passcode to sign in to <strong>{{org_name}}</strong>:</p>
<p style="font-size:28px;font-weight:600;letter-spacing:4px">{{code}}</p>
<p>It expires in {{lifetime_minutes}} minutes.</p>
<p style="font-size:12px;color:#605e5c">If you didn't ask for this code, you can ignore this email: someone may have typed your address by mistake.</p>
)"};

constexpr LangTemplates kOtpFr{
    R"(Code de vérification du compte {{org_name}})",
    R"(Votre code de vérification pour {{org_name}} est : {{code}}

Il expire dans {{lifetime_minutes}} minutes.

Si vous n'avez pas demandé ce code, ignorez ce courriel : quelqu'un a peut-être saisi votre adresse par erreur.
)",
    R"(<p>Utilisez le code à usage unique suivant pour vous connecter à <strong>{{org_name}}</strong> :</p>
<p style="font-size:28px;font-weight:600;letter-spacing:4px">{{code}}</p>
<p>Il expire dans {{lifetime_minutes}} minutes.</p>
<p style="font-size:12px;color:#605e5c">Si vous n'avez pas demandé ce code, ignorez ce courriel : quelqu'un a peut-être saisi votre adresse par erreur.</p>
)"};

constexpr LangTemplates kEnvEn{
    R"(You have access to the {{environment_name}} environment)",
    R"({{org_name}} gave you access to the environment {{environment_name}}.

Open it: {{environment_url}}
)",
    R"(<p>{{org_name}} gave you access to the environment <strong>{{environment_name}}</strong>.</p>
<p style="margin:28px 0"><a href="{{environment_url}}" style="background:#0078d4;color:#ffffff;padding:12px 28px;text-decoration:none;font-weight:600;display:inline-block">Open {{environment_name}}</a></p>
<p style="font-size:13px"><a href="{{environment_url}}">{{environment_url}}</a></p>
)"};

constexpr LangTemplates kEnvFr{
    R"(Vous avez accès à l'environnement {{environment_name}})",
    R"({{org_name}} vous a donné accès à l'environnement {{environment_name}}.

Ouvrez-le : {{environment_url}}
)",
    R"(<p>{{org_name}} vous a donné accès à l'environnement <strong>{{environment_name}}</strong>.</p>
<p style="margin:28px 0"><a href="{{environment_url}}" style="background:#0078d4;color:#ffffff;padding:12px 28px;text-decoration:none;font-weight:600;display:inline-block">Ouvrir {{environment_name}}</a></p>
<p style="font-size:13px"><a href="{{environment_url}}">{{environment_url}}</a></p>
)"};

StatusOr<RenderedMail> RenderAll(const LangTemplates& t, TemplateValues values, std::string_view lang) {
  auto fail = [](const Status& st) { return Internal("mail template: " + st.message()); };
  RenderedMail out;
  auto subject = RenderTemplate(t.subject, values, Escape::kNone);
  if (!subject.ok()) return fail(subject.status());
  // A subject is one line whatever the values hold.
  for (char c : *subject) out.subject += (c == '\r' || c == '\n') ? ' ' : c;
  auto text = RenderTemplate(t.text, values, Escape::kNone);
  if (!text.ok()) return fail(text.status());
  out.text = std::move(text).value();
  auto content = RenderTemplate(t.html, values, Escape::kHtml);
  if (!content.ok()) return fail(content.status());
  values["content"] = std::move(content).value();
  values["subject"] = out.subject;
  values["lang"] = std::string(lang);
  auto html = RenderTemplate(kLayout, values, Escape::kHtml);
  if (!html.ok()) return fail(html.status());
  out.html = std::move(html).value();
  return out;
}

}  // namespace

StatusOr<std::string> RenderTemplate(std::string_view tpl, const TemplateValues& values, Escape escape) {
  std::string out;
  GH_RETURN_IF_ERROR(Render(tpl, values, escape, out));
  return out;
}

std::string_view PickLanguage(std::string_view tag) {
  std::string primary;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    primary += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return primary == "fr" ? "fr" : "en";
}

StatusOr<RenderedMail> RenderInvitation(const InvitationMail& m) {
  std::string_view lang = PickLanguage(m.language);
  return RenderAll(lang == "fr" ? kInvitationFr : kInvitationEn,
                   {{"inviter_org", m.inviter_org},
                    {"inviter_name", m.inviter_name},
                    {"invitee_email", m.invitee_email},
                    {"custom_message", m.custom_message},
                    {"redeem_url", m.redeem_url},
                    {"privacy_url", m.privacy_url}},
                   lang);
}

namespace {

// A slot is U+001E, '&', the value's name, U+001F. The '&' tells the two ways
// a value is written apart: HTML escaping turns it into "&amp;", plain text
// and the subject keep it, so each form is a slot of its own.
constexpr char kSlotMarker = '\x1e';
std::string SlotText(std::string_view name) { return std::string(1, kSlotMarker) + "&" + std::string(name) + "\x1f"; }

bool HasMarker(std::string_view value) { return value.find(kSlotMarker) != std::string_view::npos; }

// The per-recipient values of an invitation, by template name.
std::vector<std::pair<std::string_view, std::string_view>> RecipientValues(const InvitationMail& m) {
  return {{"invitee_email", m.invitee_email}, {"redeem_url", m.redeem_url}};
}

}  // namespace

StatusOr<std::optional<SharedRendering>> RenderSharedInvitation(const InvitationMail& shared) {
  for (std::string_view v : {shared.language, shared.inviter_org, shared.inviter_name, shared.custom_message,
                             shared.privacy_url})
    if (HasMarker(v)) return std::optional<SharedRendering>();
  InvitationMail slotted = shared;
  SharedRendering out;
  int index = 0;
  for (auto [name, _] : RecipientValues(shared)) {
    // The subject and text carry a slot as is, the HTML escaped.
    out.slots.push_back({SlotText(name), index, false});
    out.slots.push_back({HtmlEscape(SlotText(name)), index, true});
    ++index;
  }
  slotted.invitee_email = SlotText("invitee_email");
  slotted.redeem_url = SlotText("redeem_url");
  GH_ASSIGN_OR_RETURN(out.parts, RenderInvitation(slotted));
  return std::optional<SharedRendering>(std::move(out));
}

std::optional<SlotValues> InvitationFills(const InvitationMail& m) {
  SlotValues values;
  for (auto [name, value] : RecipientValues(m)) {
    // An empty value would hide a {{#name}} section the slot shows.
    if (value.empty() || HasMarker(value)) return std::nullopt;
    values.emplace_back(value);
  }
  return values;
}

StatusOr<RenderedMail> RenderOneTimePasscode(const OneTimePasscodeMail& m) {
  std::string_view lang = PickLanguage(m.language);
  return RenderAll(lang == "fr" ? kOtpFr : kOtpEn,
                   {{"org_name", m.org_name}, {"code", m.code}, {"lifetime_minutes", std::to_string(m.lifetime_minutes)}},
                   lang);
}

StatusOr<RenderedMail> RenderEnvironmentNotice(const EnvironmentNoticeMail& m) {
  std::string_view lang = PickLanguage(m.language);
  return RenderAll(lang == "fr" ? kEnvFr : kEnvEn,
                   {{"org_name", m.org_name},
                    {"environment_name", m.environment_name},
                    {"environment_url", m.environment_url}},
                   lang);
}

}  // namespace gh::mail
