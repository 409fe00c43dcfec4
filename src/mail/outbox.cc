#include "mail/outbox.h"

#include "mail/message.h"
#include "store/outbox_repository.h"

namespace gh::mail {

std::string FromNameFor(const std::string& org_name) { return org_name + " via Gatehouse"; }

StatusOr<std::string> Outbox::Enqueue(store::Transaction& tx, const Mail& mail) {
  // Check now what BuildMessage would refuse at delivery, so the caller gets
  // the error while it can still tell its client.
  if (mail.kind.empty()) return InvalidArgument("A mail needs a kind.");
  if (mail.to.empty() && mail.cc.empty()) return InvalidArgument("A mail needs at least one recipient.");
  for (const auto* list : {&mail.to, &mail.cc}) {
    for (const auto& a : *list) {
      if (!IsValidAddress(a)) return InvalidArgument("'" + a + "' is not a valid email address.");
    }
  }
  if (!mail.reply_to.empty() && !IsValidAddress(mail.reply_to))
    return InvalidArgument("'" + mail.reply_to + "' is not a valid reply-to address.");
  for (const std::string* field : {&mail.subject, &mail.from_name}) {
    if (field->find_first_of(std::string_view("\r\n\0", 3)) != std::string::npos)
      return InvalidArgument("A mail's subject and sender name must be one line.");
  }

  store::OutboxMessage m;
  m.id = random_.NewOrderedUuid(clock_.NowMillis());
  m.tenant_id = mail.tenant_id;
  m.kind = mail.kind;
  m.to = mail.to;
  m.cc = mail.cc;
  m.from_name = mail.from_name;
  m.reply_to = mail.reply_to;
  m.subject = mail.subject;
  m.text_body = mail.text_body;
  m.html_body = mail.html_body;
  m.created_at = m.next_attempt_at = clock_.NowMillis();
  m.dedupe_key = mail.dedupe_key;
  GH_RETURN_IF_ERROR(tx.Outbox().Enqueue(m));
  return m.id;
}

}  // namespace gh::mail
