// The change feed's SQL (store.h, "The change feed"). A committing
// transaction that noted changes takes the next sequence numbers from the one
// row of change_counter — an UPDATE, so on PostgreSQL the row stays locked
// until that transaction commits and the next recorder waits for it: numbers
// become visible in the order they were taken, and a reader that has seen up
// to N never finds a smaller one later. (A sequence would hand out numbers
// that commit out of order.) It then wakes the other nodes with a NOTIFY,
// delivered when it commits.
#include "store/sql_changes.h"

#include <array>
#include <boost/json.hpp>
#include <chrono>
#include <utility>

#include "core/enum_names.h"

namespace gh::store {
namespace {

namespace json = boost::json;

constexpr auto kKindNames = std::to_array<EnumName<ChangeKind>>({
    {ChangeKind::kTenant, "tenant"},
    {ChangeKind::kUser, "user"},
    {ChangeKind::kPrincipalDeleted, "principalDeleted"},
    {ChangeKind::kGroup, "group"},
    {ChangeKind::kMembership, "membership"},
    {ChangeKind::kDirectoryRole, "directoryRole"},
    {ChangeKind::kLicence, "licence"},
    {ChangeKind::kSku, "sku"},
    {ChangeKind::kDocument, "document"},
    {ChangeKind::kEnvironment, "environment"},
    {ChangeKind::kEnvironmentRoles, "environmentRoles"},
    {ChangeKind::kApp, "app"},
    {ChangeKind::kSigningKey, "signingKey"},
});
static_assert(AreDistinct(kKindNames));

const Table kChanges{"changes", {"seq", "tenant_id", "kind", "ids", "at"}, 1};

// ids as a JSON array, or the string "*" for all of the kind.
std::string IdsText(const Change& c) {
  if (c.all) return "\"*\"";
  json::array a;
  for (const auto& id : c.ids) a.emplace_back(id);
  return json::serialize(a);
}

Change ChangeFrom(const sql::Row& r) {
  Change c;
  c.seq = r.Int(0);
  c.tenant_id = r.Text(1);
  // A kind this version doesn't know (written by a newer node) is taken for
  // a tenant-wide change: its readers rebuild the tenant.
  auto kind = ChangeKindNamed(r.Text(2));
  c.kind = kind.value_or(ChangeKind::kTenant);
  std::error_code ec;
  json::value ids = json::parse(r.Text(3), ec);
  if (!ec && ids.is_array()) {
    for (const auto& id : ids.as_array())
      if (id.is_string()) c.ids.emplace_back(id.as_string());
  } else {
    c.all = true;
  }
  if (!kind) c.all = true;
  c.at = r.Int(4);
  return c;
}

}  // namespace

std::string_view NameOf(ChangeKind kind) { return gh::NameOf(kKindNames, kind); }

std::optional<ChangeKind> ChangeKindNamed(std::string_view name) { return FromName(kKindNames, name); }

std::vector<Change> ChangeNotes::Entries() const {
  std::vector<Change> out;
  out.reserve(entries_.size());
  for (const auto& [key, e] : entries_) {
    Change c;
    c.tenant_id = key.first;
    c.kind = key.second;
    c.ids.assign(e.ids.begin(), e.ids.end());
    c.all = e.all;
    out.push_back(std::move(c));
  }
  return out;
}

StatusOr<int64_t> RecordChanges(SqlTx& tx) {
  // A read transaction wrote nothing (its writes were refused).
  std::vector<Change> changes = tx.read_only() ? std::vector<Change>() : tx.changes().Entries();
  if (changes.empty()) return int64_t{0};
  GH_ASSIGN_OR_RETURN(sql::Rows rows,
                      tx.Query("UPDATE change_counter SET last_seq = last_seq + $1 WHERE id = 1 RETURNING last_seq",
                               {sql::Int(static_cast<int64_t>(changes.size()))}));
  if (rows.empty()) return Internal("the change feed's counter row is missing");
  const int64_t last = rows.front().Int(0);
  const int64_t at = std::chrono::duration_cast<std::chrono::milliseconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
  int64_t seq = last - static_cast<int64_t>(changes.size());
  for (Change& c : changes) c.seq = ++seq, c.at = at;
  GH_RETURN_IF_ERROR(tx.InsertAll(kChanges, changes, [](const Change& c) -> sql::Params {
    return {sql::Int(c.seq), c.tenant_id, std::string(NameOf(c.kind)), IdsText(c), sql::Int(c.at)};
  }));
  if (tx.dialect() == sql::Dialect::kPostgres)
    GH_RETURN_IF_ERROR(tx.Query("SELECT pg_notify($1, $2)", {std::string(kChangeChannel), std::to_string(last)})
                           .status());
  return last;
}

StatusOr<std::vector<Change>> ReadChanges(SqlTx& tx, int64_t after, int limit) {
  return tx.Many(kChanges.Select("WHERE seq > $1 ORDER BY seq LIMIT $2"), {sql::Int(after), sql::Int(limit)},
                 ChangeFrom);
}

StatusOr<int64_t> LastChangeSeq(SqlTx& tx) {
  GH_ASSIGN_OR_RETURN(sql::Rows rows, tx.Query("SELECT last_seq FROM change_counter WHERE id = 1", {}));
  return rows.empty() ? 0 : rows.front().Int(0);
}

StatusOr<int64_t> FirstChangeSeq(SqlTx& tx) {
  GH_ASSIGN_OR_RETURN(sql::Rows rows, tx.Query("SELECT MIN(seq) FROM changes", {}));
  return rows.empty() ? 0 : rows.front().Int(0);
}

StatusOr<int64_t> PurgeChanges(SqlTx& tx, int64_t before) {
  // The newest entry stays, so the feed never looks empty to a reader that
  // compares its position with the oldest entry kept.
  return tx.Exec("DELETE FROM changes WHERE at < $1 AND seq < (SELECT MAX(seq) FROM changes)", {sql::Int(before)});
}

}  // namespace gh::store
