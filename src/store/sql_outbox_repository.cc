// The mail outbox over SqlTx (table mail_outbox, migration 2; shared
// renderings in mail_bodies, migration 11, with their slots since 12). A
// message on a shared rendering is returned with it and its fill values as
// stored: filling them in is the mail module's.
#include <boost/json.hpp>

#include <map>
#include <memory>

#include "store/outbox_repository.h"
#include "store/sql_repositories.h"
#include "store/sql_tx.h"

namespace gh::store {
namespace {

namespace json = boost::json;
using sql::Params;
using sql::Row;

const Table kOutbox{"mail_outbox",
                    {"id", "tenant_id", "kind", "to_addrs", "cc_addrs", "from_name", "reply_to", "subject",
                     "text_body", "html_body", "created_at", "attempts", "next_attempt_at", "sent_at", "gave_up",
                     "last_error", "dedupe_key", "lease_until", "leased_by", "body_id", "fills"},
                    1};
const Table kBodies{"mail_bodies", {"id", "subject", "text_body", "html_body", "created_at", "slots"}, 1};

std::string SlotsToJson(const std::vector<BodySlot>& slots) {
  json::array a;
  for (const BodySlot& s : slots) a.push_back(json::array{json::string(s.text), s.value, s.html_escaped});
  return json::serialize(a);
}

std::vector<BodySlot> SlotsFromJson(const std::string& text) {
  std::vector<BodySlot> out;
  std::error_code ec;
  json::value v = json::parse(text, ec);
  if (ec || !v.is_array()) return out;
  for (const json::value& slot : v.as_array()) {
    const json::array* a = slot.if_array();
    if (a && a->size() == 3 && (*a)[0].is_string() && (*a)[1].is_int64() && (*a)[2].is_bool())
      out.push_back({std::string((*a)[0].as_string()), static_cast<int>((*a)[1].as_int64()), (*a)[2].as_bool()});
  }
  return out;
}

// What MarkSent sets (and MarkFailed when it gives up): the bodies and fill
// values go, which hold the redeem link or one-time code. A message on a
// shared rendering keeps that rendering's subject as its own (subjects have
// no slots); the rendering itself holds no recipient's values. Migration 15
// applies the same to messages sent before.
constexpr std::string_view kDropBodies =
    "subject = CASE WHEN body_id IS NULL THEN subject ELSE COALESCE((SELECT b.subject FROM mail_bodies b "
    "WHERE b.id = mail_outbox.body_id), '') END, text_body = '', html_body = '', body_id = NULL, fills = '[]'";

Params OutboxParams(const OutboxMessage& m) {
  // A shared rendering is stored in mail_bodies, not in the row.
  bool shared = !m.shared_body_id.empty();
  auto own = [&](const std::string& part) { return shared ? std::string() : part; };
  return sql::MakeParams(m.id,
                         m.tenant_id,
                         m.kind,
                         StringsToJson(m.to),
                         StringsToJson(m.cc),
                         m.from_name,
                         m.reply_to,
                         own(m.subject),
                         own(m.text_body),
                         own(m.html_body),
                         sql::Int(m.created_at),
                         sql::Int(m.attempts),
                         sql::Int(m.next_attempt_at),
                         sql::OptInt(m.sent_at),
                         sql::Bool(m.gave_up),
                         m.last_error,
                         sql::OptText(m.dedupe_key),
                         sql::Int(m.lease_until),
                         m.leased_by,
                         shared ? sql::Value(m.shared_body_id) : sql::Null(),
                         m.fills);
}

OutboxMessage OutboxFrom(const Row& r) {
  OutboxMessage m;
  m.id = r.Text(0);
  m.tenant_id = r.Text(1);
  m.kind = r.Text(2);
  m.to = StringsFromJson(r.Text(3));
  m.cc = StringsFromJson(r.Text(4));
  m.from_name = r.Text(5);
  m.reply_to = r.Text(6);
  m.subject = r.Text(7);
  m.text_body = r.Text(8);
  m.html_body = r.Text(9);
  m.created_at = r.Int(10);
  m.attempts = static_cast<int>(r.Int(11));
  m.next_attempt_at = r.Int(12);
  m.sent_at = r.OptInt(13);
  m.gave_up = r.Bool(14);
  m.last_error = r.Text(15);
  m.dedupe_key = r.OptText(16);
  m.lease_until = r.Int(17);
  m.leased_by = r.Text(18);
  m.shared_body_id = r.Text(19);
  m.fills = r.Text(20);
  return m;
}

SharedBody BodyFrom(const Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), SlotsFromJson(r.Text(5))};
}

class SqlOutboxRepository final : public OutboxRepository {
 public:
  explicit SqlOutboxRepository(SqlTx& tx) : tx_(tx) {}

  Status Enqueue(const OutboxMessage& msg) override {
    return Explain(tx_.Exec(kOutbox.Insert(), OutboxParams(msg)).status(), Code::kAlreadyExists,
                   "An outbox message with id '" + msg.id + "' or dedupe key '" + msg.dedupe_key.value_or("") +
                       "' already exists.");
  }

  Status EnqueueAll(const std::vector<OutboxMessage>& msgs) override {
    Status st = Explain(tx_.InsertAll(kOutbox, msgs, OutboxParams), Code::kAlreadyExists,
                        "One of the outbox messages, or its dedupe key, already exists.");
    return Explain(st, Code::kFailedPrecondition, "An outbox message refers to a shared body that is not stored.");
  }

  Status PutSharedBody(const SharedBody& body) override {
    // The id is a hash of the parts: a body stored before (by an earlier
    // chunk of the same job) is the same body.
    return tx_
        .Exec(kBodies.Insert() + " ON CONFLICT (id) DO NOTHING",
              {body.id, body.subject, body.text_body, body.html_body, sql::Int(body.created_at),
               SlotsToJson(body.slots)})
        .status();
  }

  StatusOr<std::vector<OutboxMessage>> Claim(int64_t now, int limit, int64_t lease_ms,
                                             const std::string& claimer) override {
    // Two steps (select, then lease by id) work on both backends. On
    // PostgreSQL the SELECT locks the rows it returns and skips rows another
    // claimer holds, so concurrent claimers get disjoint batches; SQLite's
    // BEGIN IMMEDIATE already makes this transaction the only writer.
    // A claim leases, so it is a write whether or not anything is due; this
    // no-op statement makes a kRead transaction fail the same way on both
    // backends (FailedPrecondition) instead of by the driver's wording.
    GH_RETURN_IF_ERROR(tx_.Exec("UPDATE mail_outbox SET lease_until = lease_until WHERE 1 = 0", {}).status());
    std::string sql = kOutbox.Select(
        "WHERE sent_at IS NULL AND gave_up = 0 AND next_attempt_at <= $1 AND lease_until <= $1 "
        "ORDER BY next_attempt_at, id LIMIT $2");
    if (tx_.dialect() == sql::Dialect::kPostgres) sql += " FOR UPDATE SKIP LOCKED";
    GH_ASSIGN_OR_RETURN(std::vector<OutboxMessage> due,
                        WithBodies(tx_.Many(sql, {sql::Int(now), sql::Int(std::max(limit, 1))}, OutboxFrom)));
    for (OutboxMessage& m : due) {
      m.lease_until = now + lease_ms;
      m.leased_by = claimer;
      GH_RETURN_IF_ERROR(tx_.Exec("UPDATE mail_outbox SET lease_until = $1, leased_by = $2 WHERE id = $3",
                                  {sql::Int(m.lease_until), claimer, m.id})
                             .status());
    }
    return due;
  }

  Status MarkSent(const std::string& id, int64_t now) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("UPDATE mail_outbox SET sent_at = $1, attempts = attempts + 1, "
                                            "lease_until = 0, last_error = '', " +
                                                std::string(kDropBodies) + " WHERE id = $2",
                                            {sql::Int(now), id}));
    if (n == 0) return NotFound("Outbox message '" + id + "' not found.");
    return OkStatus();
  }

  Status MarkFailed(const std::string& id, const std::string& error, int64_t next_attempt_at,
                    bool give_up) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1, "
                                            "next_attempt_at = $2, gave_up = $3, lease_until = 0" +
                                                (give_up ? ", " + std::string(kDropBodies) : std::string()) +
                                                " WHERE id = $4",
                                            {error, sql::Int(next_attempt_at), sql::Bool(give_up), id}));
    if (n == 0) return NotFound("Outbox message '" + id + "' not found.");
    return OkStatus();
  }

  StatusOr<OutboxMessage> Get(const std::string& id) override {
    GH_ASSIGN_OR_RETURN(auto one, WithBodies(tx_.Many(kOutbox.Select("WHERE id = $1"), {id}, OutboxFrom)));
    if (one.empty()) return NotFound("Outbox message '" + id + "' not found.");
    return one.front();
  }

  StatusOr<std::vector<OutboxMessage>> List(const std::string& tenant_id, int limit) override {
    return WithBodies(
        tx_.Many(kOutbox.Select("WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"),
                 {tenant_id, sql::Int(std::max(limit, 1))}, OutboxFrom));
  }

  StatusOr<int64_t> CountPending() override {
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        tx_.Query("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND gave_up = 0", {}));
    return rows.at(0).Int(0);
  }

 private:
  // Messages as stored, each on a shared rendering with it (one query per
  // block of ids; one object per body).
  StatusOr<std::vector<OutboxMessage>> WithBodies(StatusOr<std::vector<OutboxMessage>> messages) {
    if (!messages.ok()) return messages.status();
    std::vector<std::string> ids;
    for (const OutboxMessage& m : *messages)
      if (!m.shared_body_id.empty()) ids.push_back(m.shared_body_id);
    if (ids.empty()) return messages;
    GH_ASSIGN_OR_RETURN(std::vector<SharedBody> bodies,
                        tx_.ManyIn(kBodies.Select("WHERE id IN "), {}, std::move(ids), "", BodyFrom));
    std::map<std::string, std::shared_ptr<const SharedBody>> by_id;
    for (SharedBody& b : bodies) {
      std::string id = b.id;
      by_id.emplace(std::move(id), std::make_shared<const SharedBody>(std::move(b)));
    }
    for (OutboxMessage& m : *messages) {
      if (m.shared_body_id.empty()) continue;
      auto body = by_id.find(m.shared_body_id);
      if (body == by_id.end()) return Internal("Outbox message '" + m.id + "' has lost its shared body.");
      m.shared_body = body->second;
    }
    return messages;
  }

  SqlTx& tx_;
};

}  // namespace

std::unique_ptr<OutboxRepository> NewSqlOutboxRepository(SqlTx& tx) {
  return std::make_unique<SqlOutboxRepository>(tx);
}

}  // namespace gh::store
