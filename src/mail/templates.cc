#include "mail/templates.h"

#include <cstring>  // ctemplate's headers use strlen without including it

#include <ctemplate/per_expand_data.h>
#include <ctemplate/template.h>
#include <ctemplate/template_cache.h>
#include <ctemplate/template_emitter.h>
#include <ctemplate/template_modifiers.h>

#include <cctype>
#include <mutex>

namespace gh::mail {
namespace {

// The mail templates, in a cache of their own: the pages' default cache has
// names of its own ("layout"). Frozen once filled, so nothing is ever loaded
// from disk (an include included too).
const ctemplate::TemplateCache& Cache() {
  static const ctemplate::TemplateCache* cache = [] {
    auto* c = new ctemplate::TemplateCache();
    for (const EmbeddedFile& f : TemplateFiles())
      c->StringToTemplateCache(ctemplate::TemplateString(f.name.data(), f.name.size()),
                               ctemplate::TemplateString(f.text.data(), f.text.size()),
                               ctemplate::DO_NOT_STRIP);
    c->Freeze();
    return c;
  }();
  return *cache;
}

void SetValues(ctemplate::TemplateDictionary& dict, const TemplateValues& values) {
  for (const auto& [name, value] : values) {
    dict.SetValue(name, value);
    dict.ShowSection(value.empty() ? "NO_" + name : name);
  }
}

Status Expand(const std::string& name, const ctemplate::TemplateDictionary& dict, bool annotated,
              std::string& out) {
  ctemplate::PerExpandData per_expand;
  if (annotated) per_expand.SetAnnotateOutput("");
  if (!Cache().ExpandNoLoad(name, ctemplate::DO_NOT_STRIP, &dict, &per_expand, &out))
    return Internal("mail template: cannot expand '" + name + "'");
  return OkStatus();
}

std::string Modify(const ctemplate::TemplateModifier& modifier, std::string_view text) {
  std::string out;
  ctemplate::StringEmitter emitter(&out);
  modifier.Modify(text.data(), text.size(), nullptr, &emitter, "");
  return out;
}

}  // namespace

std::string_view PickLanguage(std::string_view tag) {
  std::string primary;
  for (char c : tag) {
    if (c == '-' || c == '_') break;
    primary += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return primary == "fr" ? "fr" : "en";
}

std::string HtmlEscape(std::string_view text) { return Modify(ctemplate::pre_escape, text); }

StatusOr<RenderedMail> RenderMail(std::string_view mail, std::string_view language_tag,
                                  const TemplateValues& values, bool annotated) {
  const std::string lang(PickLanguage(language_tag));
  const std::string base = std::string(mail) + "." + lang + ".";
  ctemplate::TemplateDictionary dict("mail");
  SetValues(dict, values);
  RenderedMail out;
  std::string subject;
  GH_RETURN_IF_ERROR(Expand(base + "subject", dict, annotated, subject));
  // A subject is one line whatever the values hold.
  out.subject.reserve(subject.size());
  for (char c : subject) out.subject += (c == '\r' || c == '\n') ? ' ' : c;
  GH_RETURN_IF_ERROR(Expand(base + "text", dict, annotated, out.text));
  // The HTML part is its content in the layout; an included template sees
  // only its own dictionary, so the values go to the content's.
  ctemplate::TemplateDictionary layout("mail_layout");
  layout.SetValue("LANG", lang);
  layout.SetValue("SUBJECT", out.subject);
  ctemplate::TemplateDictionary* content = layout.AddIncludeDictionary("CONTENT");
  content->SetFilename(base + "html");
  SetValues(*content, values);
  GH_RETURN_IF_ERROR(Expand("layout.html", layout, annotated, out.html));
  return out;
}

TemplateValues InvitationValues(const InvitationMail& m) {
  return {{"INVITER_ORG", m.inviter_org},     {"INVITER_NAME", m.inviter_name},
          {"INVITEE_EMAIL", m.invitee_email}, {"CUSTOM_MESSAGE", m.custom_message},
          {"REDEEM_URL", m.redeem_url},       {"PRIVACY_URL", m.privacy_url}};
}

TemplateValues OneTimePasscodeValues(const OneTimePasscodeMail& m) {
  return {
      {"ORG_NAME", m.org_name}, {"CODE", m.code}, {"LIFETIME_MINUTES", std::to_string(m.lifetime_minutes)}};
}

TemplateValues EnvironmentNoticeValues(const EnvironmentNoticeMail& m) {
  return {{"ORG_NAME", m.org_name},
          {"ENVIRONMENT_NAME", m.environment_name},
          {"ENVIRONMENT_URL", m.environment_url}};
}

StatusOr<RenderedMail> RenderInvitation(const InvitationMail& m) {
  return RenderMail("invitation", m.language, InvitationValues(m));
}

StatusOr<RenderedMail> RenderOneTimePasscode(const OneTimePasscodeMail& m) {
  return RenderMail("otp", m.language, OneTimePasscodeValues(m));
}

StatusOr<RenderedMail> RenderEnvironmentNotice(const EnvironmentNoticeMail& m) {
  return RenderMail("environment_notice", m.language, EnvironmentNoticeValues(m));
}

namespace {

// A slot is U+001E, '&', the value's name, U+001F. The '&' tells the two ways
// a value is written apart: HTML escaping turns it into "&amp;", plain text
// and the subject keep it, so each form is a slot of its own. (The marker
// is the same in every HTML place: no escaping there changes U+001E/F, and
// it is a relative URL, which links keep.)
constexpr char kSlotMarker = '\x1e';
std::string SlotText(std::string_view name) {
  return std::string(1, kSlotMarker) + "&" + std::string(name) + "\x1f";
}

bool HasMarker(std::string_view value) { return value.find(kSlotMarker) != std::string_view::npos; }

// The per-recipient values of an invitation, by slot name.
std::vector<std::pair<std::string_view, std::string_view>> RecipientValues(const InvitationMail& m) {
  return {{"invitee_email", m.invitee_email}, {"redeem_url", m.redeem_url}};
}

// Whether `value` is written alike wherever an HTML template may put it: as
// text (:p), in an attribute (:h) and as a link (:U=html, which writes "#"
// for a URL that is neither http(s) nor relative). Such a value, and only
// such, fills a slot exactly as the template would have written it. Asked
// for every mail of a bulk job, so it escapes nothing: :h differs from :p
// only in writing whitespace other than a space as a space (template_
// modifiers.h), and :U=html from :h only in refusing a URL, which ctemplate's
// own check without the escaping tells.
bool WrittenAlikeInHtml(std::string_view value) {
  static const ctemplate::ValidateUrl validate_url(ctemplate::null_modifier, "#");
  for (char c : value)
    if (c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r') return false;
  thread_local std::string checked;
  checked.clear();
  ctemplate::StringEmitter emitter(&checked);
  validate_url.Modify(value.data(), value.size(), nullptr, &emitter, "");
  return checked == value;
}

// Whether every slot marker in `text` starts one of `slots`.
bool EveryMarkerIsASlot(std::string_view text, const std::vector<Slot>& slots) {
  for (size_t at = text.find(kSlotMarker); at != std::string_view::npos;
       at = text.find(kSlotMarker, at + 1)) {
    bool known = false;
    for (const Slot& s : slots) known = known || text.substr(at, s.text.size()) == s.text;
    if (!known) return false;
  }
  return true;
}

}  // namespace

StatusOr<std::optional<SharedRendering>> RenderSharedInvitation(const InvitationMail& shared) {
  for (std::string_view v :
       {shared.language, shared.inviter_org, shared.inviter_name, shared.custom_message, shared.privacy_url})
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
  // A template that put a recipient's value where the HTML writes it some
  // other way (a script, a style) would leave a slot no fill finds.
  for (const std::string* part : {&out.parts.subject, &out.parts.text, &out.parts.html})
    if (!EveryMarkerIsASlot(*part, out.slots))
      return Internal("mail template: a recipient's value is written where no slot can stand for it");
  // A sent mail keeps its shared rendering's subject as its own (MarkSent).
  if (HasMarker(out.parts.subject)) return Internal("mail template: a recipient's value is in the subject");
  return std::optional<SharedRendering>(std::move(out));
}

std::optional<SlotValues> InvitationFills(const InvitationMail& m) {
  SlotValues values;
  for (auto [name, value] : RecipientValues(m)) {
    // An empty value would hide a {{#NAME}} section the slot shows.
    if (value.empty() || HasMarker(value) || !WrittenAlikeInHtml(value)) return std::nullopt;
    values.emplace_back(value);
  }
  return values;
}

}  // namespace gh::mail
