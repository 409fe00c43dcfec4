#include "invitations/invitation_mail.h"

#include "mail/message.h"
#include "mail/templates.h"

namespace gh::invitations {

InvitationMailer OutboxMailer(mail::Outbox& outbox) {
  return [&outbox](store::Transaction& tx, const InvitationEmail& e) -> Status {
    GH_ASSIGN_OR_RETURN(auto rendered, mail::RenderInvitation({e.language.empty() ? "en-US" : e.language,
                                                               e.tenant_name, e.inviter_name, e.to, e.custom_message,
                                                               e.redeem_url, ""}));
    mail::Mail m;
    m.tenant_id = e.tenant_id;
    m.kind = "invitation";
    m.to = {e.to};
    m.cc = e.cc;
    m.reply_to = e.reply_to;
    m.from_name = mail::FromNameFor(e.tenant_name);
    m.dedupe_key = e.dedupe_key;
    m.SetContent(rendered);
    return outbox.Enqueue(tx, m).status();
  };
}

}  // namespace gh::invitations
