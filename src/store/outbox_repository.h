#pragma once
// The durable mail outbox: rows written by domain code inside the transaction
// of the change that causes the mail (an invitation and its email commit or
// roll back together), then claimed and delivered by mail::MailSender.
//
// Reached through Transaction::Outbox(); every call runs in that transaction.
// Claim/MarkSent/MarkFailed are writes (FailedPrecondition in a kRead
// transaction). Delivery is at-least-once: a claimed row is leased, not
// removed; if its sender dies before MarkSent the lease expires and the row is
// claimed again. The repository knows no retry policy: the caller supplies the
// next attempt time and whether to give up.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "core/status.h"

namespace gh::store {

// A place in a SharedBody's parts that each message fills in: the slot's
// exact text, which of the message's values replaces it, and whether
// HTML-escaped. Stored and returned as written; what they mean is the mail
// module's (mail/outbox.h).
struct BodySlot {
  std::string text;
  int value = 0;
  bool html_escaped = false;
  bool operator==(const BodySlot&) const = default;
};

// A rendering shared by many messages (a bulk job's invitations), stored once.
struct SharedBody {
  std::string id;  // the writer's hash of the parts and slots: one id, one content
  std::string subject;
  std::string text_body;
  std::string html_body;
  int64_t created_at = 0;
  std::vector<BodySlot> slots;  // none in a body stored before migration 12
};

// One queued email, storage-level. Bodies are already rendered; the envelope
// sender address is configuration, not stored (so changing it applies to the
// queue).
struct OutboxMessage {
  std::string id;
  std::string tenant_id;
  std::string kind;  // "invitation", "otp", "environmentNotice", …
  std::vector<std::string> to;
  std::vector<std::string> cc;
  std::string from_name;  // display name of From, e.g. "Contoso via Gatehouse"
  std::string reply_to;   // empty = none
  std::string subject;    // kept after delivery: never put a secret in it
  std::string text_body;  // empty once sent or given up (MarkSent)
  std::string html_body;  // empty = text only; empty once sent or given up
  int64_t created_at = 0;
  int attempts = 0;              // delivery attempts finished (sent or failed)
  int64_t next_attempt_at = 0;   // not claimed before this time (ms)
  std::optional<int64_t> sent_at;
  bool gave_up = false;          // no further attempts; last_error says why
  std::string last_error;
  // Unique per tenant when set: a second Enqueue with the same key is
  // AlreadyExists, so a retried request sends at most one email.
  std::optional<std::string> dedupe_key;
  int64_t lease_until = 0;  // a claim holds the row until then (ms)
  std::string leased_by;    // who claimed it last (diagnostics)
  // Set by a writer of many similar messages: the id of a SharedBody whose
  // parts stand for this message's subject, text_body and html_body (which
  // are then not stored: they read back empty until MarkSent copies the
  // body's subject), and this message's values for the body's slots, as the
  // writer encoded them ('[]', the column's default, when there are none).
  // The store keeps and returns both as they are; filling the body in is the
  // mail module's (mail::ContentOf).
  std::string shared_body_id;
  std::string fills = "[]";
  // On reads of a message with a shared_body_id: that body (loaded once for
  // all the messages read together that share it). Ignored by writes.
  std::shared_ptr<const SharedBody> shared_body;
};

class OutboxRepository {
 public:
  virtual ~OutboxRepository() = default;

  // Inserts `msg` as given (the caller sets id, created_at, next_attempt_at).
  // AlreadyExists when the id, or the dedupe_key within the tenant, is taken.
  virtual Status Enqueue(const OutboxMessage& msg) = 0;
  // Every message with multi-row statements; AlreadyExists (failing the
  // transaction) when any id or dedupe key is taken. A message with a
  // shared_body_id needs that body stored first (else FailedPrecondition);
  // its own subject and bodies are not stored.
  virtual Status EnqueueAll(const std::vector<OutboxMessage>& msgs) = 0;
  // Stores `body`; storing an id already stored changes nothing.
  virtual Status PutSharedBody(const SharedBody& body) = 0;

  // Up to `limit` rows due at `now` (not sent, not given up,
  // next_attempt_at <= now, lease expired), oldest due first, leased to
  // `claimer` until now + lease_ms. On PostgreSQL rows locked by another
  // claiming transaction are skipped (FOR UPDATE SKIP LOCKED), so several
  // servers share the queue without sending a row twice while leased; SQLite
  // serialises writers. The lease is only visible to others once this
  // transaction commits, so commit before delivering.
  virtual StatusOr<std::vector<OutboxMessage>> Claim(int64_t now, int limit, int64_t lease_ms,
                                                     const std::string& claimer) = 0;

  // Records a delivery: sent_at = now, attempts + 1, lease released — and
  // drops the message's text and HTML bodies (its fill values too), in the
  // same statement: they carry redeem links and one-time codes, and a
  // database dump or backup must not yield a working one (security review
  // #9). What an admin needs stays: recipients, kind (the template), subject
  // (which never carries a secret), times, attempts, status and error. A
  // message not yet delivered keeps its bodies until it is.
  // NotFound for an unknown id.
  virtual Status MarkSent(const std::string& id, int64_t now) = 0;

  // Records a failed attempt: attempts + 1, last_error, lease released; due
  // again at next_attempt_at, or never again when give_up — then its bodies
  // are dropped as by MarkSent, since they will never be sent. NotFound for
  // an unknown id.
  virtual Status MarkFailed(const std::string& id, const std::string& error, int64_t next_attempt_at,
                            bool give_up) = 0;

  virtual StatusOr<OutboxMessage> Get(const std::string& id) = 0;
  // The tenant's messages, newest first (for tests and the admin view).
  virtual StatusOr<std::vector<OutboxMessage>> List(const std::string& tenant_id, int limit) = 0;
  // Messages neither sent nor given up, across all tenants.
  virtual StatusOr<int64_t> CountPending() = 0;
};


}  // namespace gh::store
