#pragma once
// Internal to the store: the statement runner every SQL repository uses, and
// small mapping helpers. One SqlTx is one database transaction on one pooled
// connection. Failure rule: an error from the database fails the whole
// transaction (PostgreSQL aborts it anyway; on SQLite it keeps a multi-row
// write from being half-committed); later calls return that error and
// Commit() rolls back.
//
// Module repositories (e.g. the mail outbox) are written against SqlTx so they
// share the transaction of the directory's writes: see README.md.
#include <algorithm>
#include <bit>
#include <map>
#include <set>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "store/pool.h"
#include "store/sql.h"
#include "store/store.h"

namespace gh::store {

// A multi-row INSERT writes at most this many rows.
inline constexpr size_t kMaxRowsPerStatement = 128;
// An IN list holds at most this many values. PostgreSQL plans such a list
// as one index probe per value once it has statistics on the table; before
// (a new table, a bulk load not yet analysed) it estimates `IN (n values)` at
// n × 0.5% of the rows and prefers scanning the whole tenant, which is why
// bulk jobs refresh the statistics as they go (Store::RefreshStatistics).
inline constexpr size_t kMaxValuesPerLookup = 256;

// The statement sizes for `n` rows: full blocks of `max` (a power of two),
// then the binary digits of the rest (max/2, …, 2, 1). Every size is a power
// of two, so a statement over many rows comes in at most 8 shapes per table,
// each prepared once per connection (a size per row count would fill the cache).
inline std::vector<size_t> StatementBlocks(size_t n, size_t max = kMaxRowsPerStatement) {
  std::vector<size_t> blocks(n / max, max);
  for (size_t size = max / 2; size > 0; size /= 2)
    if ((n % max) & size) blocks.push_back(size);
  return blocks;
}

// "$first, $first+1, …" for `count` placeholders.
inline std::string Placeholders(size_t first, size_t count) {
  std::string out;
  for (size_t i = 0; i < count; ++i) out += (i ? ", $" : "$") + std::to_string(first + i);
  return out;
}

// A table's column list: column order is the parameter order for INSERT and
// UPDATE and the result order for SELECT. The first `key` columns identify a row.
struct Table {
  std::string_view name;
  std::vector<std::string_view> cols;
  size_t key;

  Table(std::string_view name, std::vector<std::string_view> cols, size_t key)
      : name(name),
        cols(std::move(cols)),
        key(key),
        select_("SELECT " + Columns() + " FROM " + std::string(name) + " "),
        inserts_(BuildInserts()),
        update_(BuildUpdate()) {}

  std::string Columns() const {
    std::string s;
    for (auto c : cols) s += (s.empty() ? "" : ", ") + std::string(c);
    return s;
  }
  std::string Select(std::string_view rest) const { return select_ + std::string(rest); }
  // Built once: hot write paths (bulk invitations) run them per row.
  const std::string& Insert() const { return inserts_.front(); }
  // An INSERT of `rows` value tuples; `rows` is one of StatementBlocks' sizes.
  const std::string& InsertRows(size_t rows) const { return inserts_.at(std::countr_zero(rows)); }
  const std::string& Update() const { return update_; }

 private:
  // One INSERT per power of two up to kMaxRowsPerStatement rows.
  std::vector<std::string> BuildInserts() const {
    std::vector<std::string> out;
    for (size_t rows = 1; rows <= kMaxRowsPerStatement; rows *= 2) {
      std::string sql = "INSERT INTO " + std::string(name) + " (" + Columns() + ") VALUES ";
      for (size_t r = 0; r < rows; ++r) sql += (r ? ", (" : "(") + Placeholders(r * cols.size() + 1, cols.size()) + ")";
      out.push_back(std::move(sql));
    }
    return out;
  }
  std::string BuildUpdate() const {
    std::string set, where;
    for (size_t i = 0; i < cols.size(); ++i) {
      std::string term = std::string(cols[i]) + " = $" + std::to_string(i + 1);
      if (i < key) where += (where.empty() ? "" : " AND ") + term;
      else set += (set.empty() ? "" : ", ") + term;
    }
    return "UPDATE " + std::string(name) + " SET " + set + " WHERE " + where;
  }
  std::string select_;
  std::vector<std::string> inserts_;
  std::string update_;
};

template <typename T>
std::vector<T> MapRows(const sql::Rows& rows, T (*from)(const sql::Row&)) {
  std::vector<T> out;
  out.reserve(rows.size());
  for (const sql::Row& r : rows) out.push_back(from(r));
  return out;
}

// "$n" for the last bound value.
inline std::string P(const sql::Params& params) { return "$" + std::to_string(params.size()); }

// Replaces a `code` error from the driver with one naming the object, as
// `as` (default: the same code).
inline Status Explain(Status st, Code code, std::string message, std::optional<Code> as = std::nullopt) {
  return st.code() == code ? Status(as.value_or(code), std::move(message)) : st;
}

std::string StringsToJson(const std::vector<std::string>& v);
std::vector<std::string> StringsFromJson(const std::string& text);

// What a transaction changed, noted by its writes and recorded in the change
// feed when it commits (sql_changes.cc, store.h's Change): each tenant and
// kind once, with its ids.
class ChangeNotes {
 public:
  // An empty id notes the kind without ids (e.g. the tenant row).
  void Add(const std::string& tenant_id, ChangeKind kind, std::string_view id = {}) {
    Entry& e = entries_[{tenant_id, kind}];
    if (e.all || id.empty()) return;
    e.ids.emplace(id);
    if (e.ids.size() > kMaxChangeIds) e.all = true, e.ids.clear();
  }
  template <typename Ids>
  void AddAll(const std::string& tenant_id, ChangeKind kind, const Ids& ids) {
    for (const auto& id : ids) Add(tenant_id, kind, id);
  }
  bool empty() const { return entries_.empty(); }
  // The noted changes as feed entries (seq and at unset).
  std::vector<Change> Entries() const;

 private:
  struct Entry {
    std::set<std::string, std::less<>> ids;
    bool all = false;
  };
  std::map<std::pair<std::string, ChangeKind>, Entry> entries_;
};

class SqlTx {
 public:
  SqlTx(ConnectionPool::Lease lease, TxMode mode) : lease_(std::move(lease)), mode_(mode) {}
  SqlTx(const SqlTx&) = delete;
  SqlTx& operator=(const SqlTx&) = delete;
  ~SqlTx() {
    if (lease_ && !(*lease_)->Rollback().ok()) lease_->Discard();
  }

  Status Commit() {
    if (!lease_) return FailedPrecondition("transaction already finished");
    Status st = failed_.ok() ? (*lease_)->Commit()
                             : Status(failed_.code(), "transaction rolled back after an error: " + failed_.message());
    if (!st.ok() && !(*lease_)->Rollback().ok()) lease_->Discard();
    lease_.reset();  // hand the connection back now, not at destruction
    return st;
  }

  sql::Dialect dialect() const { return (*lease_)->dialect(); }

  // Every database call goes through Exec/Query so a database error fails the
  // transaction.
  StatusOr<int64_t> Exec(const std::string& sql, const sql::Params& params) {
    GH_RETURN_IF_ERROR(Writable());
    auto n = (*lease_)->Exec(sql, params);
    if (!n.ok()) failed_ = n.status();
    return n;
  }

  StatusOr<sql::Rows> Query(const std::string& sql, const sql::Params& params) {
    GH_RETURN_IF_ERROR(Usable());
    auto rows = (*lease_)->Query(sql, params);
    if (!rows.ok()) failed_ = rows.status();
    return rows;
  }

  template <typename T>
  StatusOr<T> One(const std::string& sql, const sql::Params& params, T (*from)(const sql::Row&),
                  const std::string& what) {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, Query(sql, params));
    if (rows.empty()) return NotFound(what + " not found.");
    return from(rows.front());
  }

  template <typename T>
  StatusOr<std::vector<T>> Many(const std::string& sql, const sql::Params& params, T (*from)(const sql::Row&)) {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, Query(sql, params));
    return MapRows(rows, from);
  }

  // Inserts `rows` into `table` with multi-row INSERTs (StatementBlocks),
  // pipelined: the database inserts one block while the next is bound.
  // `to_params` gives one row's values in column order.
  template <typename T, typename ToParams>
  Status InsertAll(const Table& table, const std::vector<T>& rows, ToParams to_params) {
    GH_RETURN_IF_ERROR(Writable());
    sql::Connection& conn = **lease_;
    Status st = OkStatus();
    size_t next = 0;
    for (size_t block : StatementBlocks(rows.size())) {
      sql::Params params;
      params.reserve(block * table.cols.size());
      for (size_t end = next + block; next < end; ++next)
        for (sql::Value& v : to_params(rows[next])) params.push_back(std::move(v));
      st = conn.ExecPipelined(table.InsertRows(block), params);
      if (!st.ok()) break;
    }
    if (!st.ok() || !hold_pipeline_) {
      Status ended = conn.EndPipeline();
      if (st.ok()) st = ended;
    }
    if (!st.ok()) failed_ = st;
    return st;
  }

  // While held, InsertAll leaves its statements in flight; releasing waits
  // for them and returns their first error (Transaction::BeginBatch).
  void HoldPipeline() { hold_pipeline_ = true; }
  Status ReleasePipeline() {
    hold_pipeline_ = false;
    GH_RETURN_IF_ERROR(Usable());
    Status st = (*lease_)->EndPipeline();
    if (!st.ok()) failed_ = st;
    return st;
  }

  // The rows of `head` + "(…)" + `tail` with the distinct `values` bound in
  // the parenthesised IN list after the `fixed` parameters, a block of up to
  // kMaxValuesPerLookup values per query; rows come in no particular order.
  template <typename T>
  StatusOr<std::vector<T>> ManyIn(std::string_view head, const sql::Params& fixed, std::vector<std::string> values,
                                  std::string_view tail, T (*from)(const sql::Row&)) {
    std::sort(values.begin(), values.end());
    values.erase(std::unique(values.begin(), values.end()), values.end());
    std::vector<T> out;
    size_t next = 0;
    for (size_t block : StatementBlocks(values.size(), kMaxValuesPerLookup)) {
      sql::Params params = fixed;
      params.insert(params.end(), values.begin() + next, values.begin() + next + block);
      next += block;
      std::string sql = std::string(head) + "(" + Placeholders(fixed.size() + 1, block) + ")" + std::string(tail);
      GH_ASSIGN_OR_RETURN(sql::Rows rows, Query(sql, params));
      for (const sql::Row& r : rows) out.push_back(from(r));
    }
    return out;
  }

  StatusOr<std::vector<std::string>> Ids(const std::string& sql, const sql::Params& params) {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, Query(sql, params));
    std::vector<std::string> out;
    for (const sql::Row& r : rows) out.push_back(r.Text(0));
    return out;
  }

  // The change feed's notes of this transaction's writes.
  ChangeNotes& changes() { return changes_; }
  bool read_only() const { return mode_ == TxMode::kRead; }

  // `sql` ends in "LIMIT "; fetches top+1 rows to learn whether more exist.
  template <typename T>
  StatusOr<Page<T>> Paged(std::string sql, sql::Params params, int top, T (*from)(const sql::Row&)) {
    top = std::max(top, 1);
    params.push_back(sql::Int(top + 1));
    GH_ASSIGN_OR_RETURN(sql::Rows rows, Query(sql + P(params), params));
    Page<T> page;
    page.more = rows.size() > static_cast<size_t>(top);
    if (page.more) rows.erase(rows.begin() + top, rows.end());
    page.items = MapRows(rows, from);
    return page;
  }

 private:
  Status Writable() const {
    GH_RETURN_IF_ERROR(Usable());
    return mode_ == TxMode::kWrite ? OkStatus() : FailedPrecondition("write in a read-only transaction");
  }
  Status Usable() const {
    if (!lease_) return FailedPrecondition("transaction already finished");
    return failed_.ok() ? OkStatus()
                        : Status(failed_.code(), "transaction failed by an earlier error: " + failed_.message());
  }

  std::optional<ConnectionPool::Lease> lease_;  // empty once finished
  const TxMode mode_;
  Status failed_;
  bool hold_pipeline_ = false;
  ChangeNotes changes_;
};

}  // namespace gh::store
