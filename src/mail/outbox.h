#pragma once
// Queuing mail from domain code. Enqueue() writes into the caller's own write
// transaction, so the mail is committed exactly when the change that causes it
// is (an invitation and its email together) and vanishes with a rollback.
// MailSender delivers it after the commit.
//
//   auto tx = store.Begin(store::TxMode::kWrite);
//   ... (*tx)->InsertUser(guest) ...
//   auto id = outbox.Enqueue(**tx, mail);   // same transaction
//   (*tx)->Commit();
//
// Thread-safe (no state beyond the injected clock and randomness).
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "mail/templates.h"
#include "store/outbox_repository.h"
#include "store/store.h"

namespace gh::mail {

struct Mail {
  std::string tenant_id;
  std::string kind;  // "invitation", "otp", "environmentNotice", …
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string from_name;  // e.g. "Contoso via Gatehouse"; the address is configuration
  std::string reply_to;   // empty = none
  std::string subject;
  std::string text_body;
  std::string html_body;
  // "At most one email per send request": a second Enqueue with the same key
  // in the same tenant is AlreadyExists and queues nothing.
  std::optional<std::string> dedupe_key;
  // For EnqueueShared: this mail's values for the slots of the shared
  // rendering (templates.h).
  SlotValues fill_values;

  void SetContent(const RenderedMail& r) {
    subject = r.subject;
    text_body = r.text;
    html_body = r.html;
  }
};

// "<org> via Gatehouse", the From display name every tenant's mail uses.
std::string FromNameFor(const std::string& org_name);

// What a queued message delivers, from the message as the store returns it:
// its own subject and bodies, or for one on a shared rendering that
// rendering's parts with every slot replaced by the message's value it names
// (HTML-escaped where the slot says so), in one left-to-right pass, so a
// value is never searched for slots: the mail RenderInvitation makes for
// that recipient (templates.h). A slot whose value is missing stays as it
// is. Also reads the values of mails queued before migration 12, stored as
// [[slot text, value], …] on a body that lists no slots.
RenderedMail ContentOf(const store::OutboxMessage& m);

class Outbox {
 public:
  Outbox(const Clock& clock, Random& random) : clock_(clock), random_(random) {}

  // Queues `mail` in `tx`, due now; returns its id. InvalidArgument when it
  // could never be sent (no recipient, a malformed address, a line break in
  // the subject or sender name), with `tx` untouched. AlreadyExists on a
  // repeated dedupe_key, or another store error: like every store error this
  // fails `tx` (store.h), so check-then-send callers should treat
  // AlreadyExists as "already sent" and not commit further work in `tx`.
  StatusOr<std::string> Enqueue(store::Transaction& tx, const Mail& mail);
  // Many mails with one content, `shared` (a rendering with slots,
  // templates.h), each with its own `fill_values` (their own subject and bodies are
  // ignored): the rendering is stored once, the mails with one multi-row
  // write; their ids in order. InvalidArgument (naming the mail) with `tx`
  // untouched when any mail could never be sent.
  StatusOr<std::vector<std::string>> EnqueueShared(store::Transaction& tx, const SharedRendering& shared,
                                                   const std::vector<Mail>& mails);
  // EnqueueShared in two steps: the checks and the rows (no database), then
  // their write.
  struct SharedBatch {
    store::SharedBody body;
    std::vector<store::OutboxMessage> messages;
  };
  StatusOr<SharedBatch> PrepareShared(const SharedRendering& shared, const std::vector<Mail>& mails);
  static Status WriteShared(store::Transaction& tx, const SharedBatch& batch);

 private:
  const Clock& clock_;
  Random& random_;
};

}  // namespace gh::mail
