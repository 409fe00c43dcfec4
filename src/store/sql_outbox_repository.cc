// The mail outbox over SqlTx (table mail_outbox, migration 2).
#include <memory>

#include "store/outbox_repository.h"
#include "store/sql_repositories.h"
#include "store/sql_tx.h"

namespace gh::store {
namespace {

using sql::Params;
using sql::Row;

const Table kOutbox{"mail_outbox",
                    {"id", "tenant_id", "kind", "to_addrs", "cc_addrs", "from_name", "reply_to", "subject",
                     "text_body", "html_body", "created_at", "attempts", "next_attempt_at", "sent_at", "gave_up",
                     "last_error", "dedupe_key", "lease_until", "leased_by"},
                    1};

Params OutboxParams(const OutboxMessage& m) {
  return {m.id,
          m.tenant_id,
          m.kind,
          StringsToJson(m.to),
          StringsToJson(m.cc),
          m.from_name,
          m.reply_to,
          m.subject,
          m.text_body,
          m.html_body,
          sql::Int(m.created_at),
          sql::Int(m.attempts),
          sql::Int(m.next_attempt_at),
          sql::OptInt(m.sent_at),
          sql::Bool(m.gave_up),
          m.last_error,
          sql::OptText(m.dedupe_key),
          sql::Int(m.lease_until),
          m.leased_by};
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
  return m;
}

class SqlOutboxRepository final : public OutboxRepository {
 public:
  explicit SqlOutboxRepository(SqlTx& tx) : tx_(tx) {}

  Status Enqueue(const OutboxMessage& msg) override {
    return Explain(tx_.Exec(kOutbox.Insert(), OutboxParams(msg)).status(), Code::kAlreadyExists,
                   "An outbox message with id '" + msg.id + "' or dedupe key '" + msg.dedupe_key.value_or("") +
                       "' already exists.");
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
                        tx_.Many(sql, {sql::Int(now), sql::Int(std::max(limit, 1))}, OutboxFrom));
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
                                            "lease_until = 0, last_error = '' WHERE id = $2",
                                            {sql::Int(now), id}));
    if (n == 0) return NotFound("Outbox message '" + id + "' not found.");
    return OkStatus();
  }

  Status MarkFailed(const std::string& id, const std::string& error, int64_t next_attempt_at,
                    bool give_up) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("UPDATE mail_outbox SET attempts = attempts + 1, last_error = $1, "
                                            "next_attempt_at = $2, gave_up = $3, lease_until = 0 WHERE id = $4",
                                            {error, sql::Int(next_attempt_at), sql::Bool(give_up), id}));
    if (n == 0) return NotFound("Outbox message '" + id + "' not found.");
    return OkStatus();
  }

  StatusOr<OutboxMessage> Get(const std::string& id) override {
    return tx_.One(kOutbox.Select("WHERE id = $1"), {id}, OutboxFrom, "Outbox message '" + id + "'");
  }

  StatusOr<std::vector<OutboxMessage>> List(const std::string& tenant_id, int limit) override {
    return tx_.Many(kOutbox.Select("WHERE tenant_id = $1 ORDER BY created_at DESC, id DESC LIMIT $2"),
                    {tenant_id, sql::Int(std::max(limit, 1))}, OutboxFrom);
  }

  StatusOr<int64_t> CountPending() override {
    GH_ASSIGN_OR_RETURN(sql::Rows rows,
                        tx_.Query("SELECT COUNT(*) FROM mail_outbox WHERE sent_at IS NULL AND gave_up = 0", {}));
    return rows.at(0).Int(0);
  }

 private:
  SqlTx& tx_;
};

}  // namespace

std::unique_ptr<OutboxRepository> NewSqlOutboxRepository(SqlTx& tx) {
  return std::make_unique<SqlOutboxRepository>(tx);
}

}  // namespace gh::store
