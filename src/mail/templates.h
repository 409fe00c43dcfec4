#pragma once
// The mails Gatehouse sends, rendered once for all callers: the invitation,
// the one-time passcode and the environment notification, each as subject,
// plain text and HTML, in English and French (chosen from a language tag such
// as "fr-FR"; anything else falls back to English).
//
// Rendered with ctemplate, the engine of the web pages. The templates are
// files, src/mail/templates/MAIL.LANG.PART.tpl (PART: subject, text, html)
// and layout.html.tpl, the HTML shell every mail's HTML goes in, compiled in
// at build time; a private template cache holds them (no name is shared with
// the pages'). Each value the code provides is a variable {{NAME}} and two
// sections: {{#NAME}}…{{/NAME}} shown when it is non-empty, {{#NO_NAME}}…
// {{/NO_NAME}} when it is empty. The subject and text are plain text: nothing
// is escaped (a subject is one line whatever the values hold: line breaks
// become spaces). The HTML templates auto-escape (AUTOESCAPE, HTML context):
// text takes :p, HTML escaping that keeps line breaks (a custom message's
// lines show, white-space: pre-line), attributes ctemplate's own escaping,
// URL attributes also its check of the scheme.
//
// ctemplate writes a variable the code doesn't provide as nothing; the mail
// tests render every template with every value and check that every variable
// was filled, so a typo fails there rather than sending a blank.
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/embedded_file.h"
#include "core/status.h"

namespace gh::mail {

// A mail's values by template name (INVITER_ORG, …).
using TemplateValues = std::map<std::string, std::string, std::less<>>;

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

// The values each mail's templates see.
TemplateValues InvitationValues(const InvitationMail& m);
TemplateValues OneTimePasscodeValues(const OneTimePasscodeMail& m);
TemplateValues EnvironmentNoticeValues(const EnvironmentNoticeMail& m);

// Renders mail `mail` ("invitation", "otp", "environment_notice") in the
// language `language_tag` picks, with `values`. Internal when a template is
// missing or doesn't parse (a template bug). `annotated` is for the tests:
// ctemplate marks every variable it writes ({{#VAR=NAME:modifier}}value
// {{/VAR}}) and every section it shows ({{#SEC=NAME}}…{{/SEC}}).
StatusOr<RenderedMail> RenderMail(std::string_view mail, std::string_view language_tag,
                                  const TemplateValues& values, bool annotated = false);

// RenderMail with each mail's values. Each fails only on a template bug
// (Internal).
StatusOr<RenderedMail> RenderInvitation(const InvitationMail& m);
StatusOr<RenderedMail> RenderOneTimePasscode(const OneTimePasscodeMail& m);
StatusOr<RenderedMail> RenderEnvironmentNotice(const EnvironmentNoticeMail& m);

// Invitations to many people with the same sender and message (a bulk job):
// rendered once, with slots where each recipient's address and link go.
// Replacing every slot with the recipient's value it names (HTML-escaped
// where it says so, as :p escapes; in one pass, values never re-scanned)
// gives exactly RenderInvitation's mail for that recipient. The mail outbox
// stores such a rendering once with each mail's values, and the sender fills
// it in when it builds the message (outbox.h, ContentOf).
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
// Internal on a template bug: a recipient's value written where HTML escapes
// it otherwise than its slots say, or in the subject (which the outbox keeps
// after sending, unfilled).
StatusOr<std::optional<SharedRendering>> RenderSharedInvitation(const InvitationMail& shared);
// `m`'s values for those slots (invitee_email, redeem_url); nullopt when one
// can't go in a slot (render that mail whole): it is empty, contains the
// marker, or would not be written the same in every place it may stand (a
// line break or tab, which HTML attributes turn into spaces; a URL ctemplate
// would refuse in a link).
std::optional<SlotValues> InvitationFills(const InvitationMail& m);

// HTML escaping as the templates' :p writes it (& < > " ' as entities, all
// else as is): what a slot marked html_escaped gets.
std::string HtmlEscape(std::string_view text);

// Every src/mail/templates/*.tpl by name (the generated mail_templates.cc).
std::span<const EmbeddedFile> TemplateFiles();

}  // namespace gh::mail
