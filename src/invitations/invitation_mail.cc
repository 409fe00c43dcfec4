#include "invitations/invitation_mail.h"

#include <map>
#include <tuple>

#include "mail/message.h"
#include "mail/templates.h"

namespace gh::invitations {
namespace {

mail::InvitationMail TemplateValues(const InvitationEmail& e) {
  return {e.language.empty() ? "en-US" : e.language, e.tenant_name, e.inviter_name, e.to, e.custom_message,
          e.redeem_url, ""};
}

// Everything but the subject and bodies.
mail::Mail Envelope(const InvitationEmail& e) {
  mail::Mail m;
  m.tenant_id = e.tenant_id;
  m.kind = "invitation";
  m.to = {e.to};
  m.cc = e.cc;
  m.reply_to = e.reply_to;
  m.from_name = mail::FromNameFor(e.tenant_name);
  m.dedupe_key = e.dedupe_key;
  return m;
}

// What an email's rendering depends on besides its recipient.
using SharedKey = std::tuple<std::string, std::string, std::string, std::string>;
SharedKey KeyOf(const InvitationEmail& e) { return {e.language, e.tenant_name, e.inviter_name, e.custom_message}; }

// The emails of one batch sharing one rendering.
struct SharedGroup {
  std::optional<mail::SharedRendering> rendering;  // nullopt: its values cannot be slotted
  std::vector<mail::Mail> mails;
};

}  // namespace

InvitationBatchMailer OutboxMailer(mail::Outbox& outbox) {
  return [&outbox](const std::vector<InvitationEmail>& emails) -> StatusOr<MailWrite> {
    std::map<SharedKey, SharedGroup> groups;
    std::vector<mail::Mail> whole;  // rendered one by one
    for (const InvitationEmail& e : emails) {
      auto group = groups.find(KeyOf(e));
      if (group == groups.end()) {
        GH_ASSIGN_OR_RETURN(auto rendering, mail::RenderSharedInvitation(TemplateValues(e)));
        group = groups.emplace(KeyOf(e), SharedGroup{std::move(rendering), {}}).first;
      }
      mail::Mail m = Envelope(e);
      std::optional<mail::SlotValues> fills = mail::InvitationFills(TemplateValues(e));
      if (group->second.rendering && fills) {
        m.fill_values = std::move(*fills);
        group->second.mails.push_back(std::move(m));
        continue;
      }
      GH_ASSIGN_OR_RETURN(auto rendered, mail::RenderInvitation(TemplateValues(e)));
      m.SetContent(rendered);
      whole.push_back(std::move(m));
    }
    std::vector<mail::Outbox::SharedBatch> shared;
    for (const auto& [_, group] : groups) {
      if (group.mails.empty()) continue;
      GH_ASSIGN_OR_RETURN(auto batch, outbox.PrepareShared(*group.rendering, group.mails));
      shared.push_back(std::move(batch));
    }
    return MailWrite([&outbox, shared = std::move(shared), whole = std::move(whole)](store::Transaction& tx) -> Status {
      for (const mail::Outbox::SharedBatch& batch : shared) GH_RETURN_IF_ERROR(mail::Outbox::WriteShared(tx, batch));
      for (const mail::Mail& m : whole) GH_RETURN_IF_ERROR(outbox.Enqueue(tx, m).status());
      return OkStatus();
    });
  };
}

}  // namespace gh::invitations
