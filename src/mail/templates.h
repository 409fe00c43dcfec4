#pragma once
// The mails Gatehouse sends, rendered once for all callers: the invitation,
// the one-time passcode and the environment notification, each as subject,
// plain text and HTML, in English and French (chosen from a language tag such
// as "fr-FR"; anything else falls back to English).
//
// The renderer is a small logic-less Mustache subset, written here because
// Debian 12's libmstch-dev cannot be installed beside Boost 1.81 (it depends on
// libboost-dev = 1.74, which conflicts with libboost1.81-dev):
//   {{name}}                  the value, HTML-escaped in Escape::kHtml
//   {{{name}}}                the value, never escaped (only for values the
//                             renderer's caller produced, e.g. URLs we built)
//   {{#name}}…{{/name}}       the block when the value is non-empty
//   {{^name}}…{{/name}}       the block when the value is empty
// A name the values don't define is InvalidArgument (a typo in a template
// fails its test rather than sending a blank), as is an unclosed tag or
// section. No partials, lists or lambdas.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/encoding.h"
#include "core/status.h"

namespace gh::mail {

using TemplateValues = std::map<std::string, std::string, std::less<>>;
enum class Escape { kNone, kHtml };

StatusOr<std::string> RenderTemplate(std::string_view tpl, const TemplateValues& values, Escape escape);
using gh::HtmlEscape;  // core/encoding.h
// "fr" for a tag whose primary subtag is fr (fr, fr-FR, FR-ca), else "en".
std::string_view PickLanguage(std::string_view tag);

struct RenderedMail {
  std::string subject;  // single line
  std::string text;
  std::string html;
};

struct InvitationMail {
  std::string language;       // e.g. "en-US", "fr-FR"
  std::string inviter_org;    // resource tenant's display name
  std::string inviter_name;   // who invited (may be empty: sent by an app)
  std::string invitee_email;
  std::string custom_message;  // may be empty; escaped in HTML
  std::string redeem_url;      // the Get Started link
  std::string privacy_url;     // the tenant's privacy statement, may be empty
};

struct OneTimePasscodeMail {
  std::string language;
  std::string org_name;  // the tenant being signed in to
  std::string code;
  int lifetime_minutes = 30;
};

struct EnvironmentNoticeMail {
  std::string language;
  std::string org_name;
  std::string environment_name;
  std::string environment_url;
};

// Each fails only on a template bug (Internal).
StatusOr<RenderedMail> RenderInvitation(const InvitationMail& m);

// Invitations to many people with the same sender and message (a bulk job):
// rendered once, with slots where each recipient's address and link go.
// Replacing every slot with the recipient's value it names (HTML-escaped
// where it says so; in one pass, values never re-scanned) gives exactly
// RenderInvitation's mail for that recipient. The mail outbox stores such a
// rendering once and fills it in when the mail is read.
struct Slot {
  std::string text;   // exact, in the parts
  int value = 0;      // index into the recipient's SlotValues
  bool html_escaped = false;
};
using SlotValues = std::vector<std::string>;
struct SharedRendering {
  RenderedMail parts;
  std::vector<Slot> slots;
};
// `shared` without its invitee_email and redeem_url; nullopt when one of its
// values contains the slot marker (U+001E), so the caller renders whole mails.
StatusOr<std::optional<SharedRendering>> RenderSharedInvitation(const InvitationMail& shared);
// `m`'s values for those slots (invitee_email, redeem_url); nullopt when one
// is empty or contains the marker (render that mail whole).
std::optional<SlotValues> InvitationFills(const InvitationMail& m);
StatusOr<RenderedMail> RenderOneTimePasscode(const OneTimePasscodeMail& m);
StatusOr<RenderedMail> RenderEnvironmentNotice(const EnvironmentNoticeMail& m);

}  // namespace gh::mail
