#pragma once
// Internal to the store module: the one SQL client abstraction both backends
// implement (sqlite/ and postgres/), so every statement in the store is written
// once. SQL uses PostgreSQL-style positional placeholders $1..$n; the SQLite
// driver rewrites them. Values are always bound, never interpolated.
//
// A Connection is used by one thread at a time (the pool hands it out
// exclusively). Statements run through Exec/Query are prepared once per
// connection and cached by SQL text — except PostgreSQL reads, which are
// planned for their values on every run (pg_connection.cc says why).
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace gh::store::sql {

enum class Dialect { kSqlite, kPostgres };

// A bound parameter or a result cell. Booleans are stored as 0/1 integers.
// A string_view parameter refers to text that outlives the statement (a row
// being inserted: MakeParams), so SQLite binds it without a copy; result
// cells are always owned strings.
using Value = std::variant<std::monostate /*NULL*/, int64_t, double, std::string, std::string_view>;
using Params = std::vector<Value>;

inline Value Null() { return std::monostate{}; }
inline Value Int(int64_t v) { return v; }
inline Value Bool(bool v) { return int64_t{v ? 1 : 0}; }
inline Value Text(std::string v) { return v; }
inline Value OptText(const std::optional<std::string>& v) { return v ? Value(*v) : Null(); }
inline Value OptInt(const std::optional<int64_t>& v) { return v ? Value(*v) : Null(); }

// Params from values for the row-to-params functions of hot multi-row
// writes: a string the caller holds (an lvalue: a field of the row) is
// referred to, not copied — the row must outlive the statement — and a
// temporary one is moved in. (A braced list would copy every string twice:
// an initializer_list's elements are const.)
template <typename V>
void AddParam(Params& p, V&& v) {
  if constexpr (std::is_lvalue_reference_v<V> && std::is_same_v<std::remove_cvref_t<V>, std::string>)
    p.emplace_back(std::string_view(v));
  else
    p.emplace_back(std::forward<V>(v));
}
template <typename... V>
Params MakeParams(V&&... values) {
  Params p;
  p.reserve(sizeof...(values));
  (AddParam(p, std::forward<V>(values)), ...);
  return p;
}

// One result row, fully materialised. Getters are lenient about the driver's
// representation (PostgreSQL may hand back text for numeric columns).
class Row {
 public:
  explicit Row(std::vector<Value> cells) : cells_(std::move(cells)) {}
  size_t size() const { return cells_.size(); }
  bool IsNull(size_t i) const;
  std::string Text(size_t i) const;  // "" when NULL
  std::optional<std::string> OptText(size_t i) const;
  int64_t Int(size_t i) const;  // 0 when NULL
  std::optional<int64_t> OptInt(size_t i) const;
  bool Bool(size_t i) const { return Int(i) != 0; }

 private:
  std::vector<Value> cells_;
};
using Rows = std::vector<Row>;

// Errors follow store.h: uniqueness violation → AlreadyExists, foreign-key
// violation → FailedPrecondition, busy/locked database or lost connection →
// Unavailable, anything else → Internal with the driver's text.
class Connection {
 public:
  virtual ~Connection() = default;
  virtual Dialect dialect() const = 0;

  // Runs a data statement; returns the number of rows it changed.
  virtual StatusOr<int64_t> Exec(std::string_view sql, const Params& params = {}) = 0;
  virtual StatusOr<Rows> Query(std::string_view sql, const Params& params = {}) = 0;
  // Runs one parameterless statement without preparing or caching it (DDL).
  virtual Status Run(std::string_view sql) = 0;

  // Writes sent one after another without waiting for each (PostgreSQL's
  // pipeline mode: the server runs one while the client prepares the next),
  // until EndPipeline waits for them all and returns the first error. By
  // default each runs at once.
  virtual Status ExecPipelined(std::string_view sql, const Params& params) { return Exec(sql, params).status(); }
  virtual Status EndPipeline() { return OkStatus(); }

  // kRead: a consistent read-only snapshot. kWrite: a serialised writer where
  // the backend needs it (SQLite BEGIN IMMEDIATE).
  virtual Status Begin(TxMode mode) = 0;
  virtual Status Commit() = 0;
  virtual Status Rollback() = 0;

  // True when the connection can no longer be used and must be replaced.
  virtual bool Broken() const = 0;
};

// Drivers. `url` is a file path / ":memory:" for SQLite and a libpq URL for
// PostgreSQL.
// Copies a SQLite database's write-ahead log back into the file on a thread
// of its own, so a committing writer does not do it in its commit (a bulk
// job's chunk spent ~10% of its time there). Connections opened with it
// leave the work to it and only checkpoint themselves if the log has grown
// far past SQLite's usual threshold (the thread fell behind).
class SqliteCheckpointer;
StatusOr<std::shared_ptr<SqliteCheckpointer>> StartSqliteCheckpointer(const std::string& path);
StatusOr<std::unique_ptr<Connection>> OpenSqlite(const std::string& path,
                                                 std::shared_ptr<SqliteCheckpointer> checkpointer = nullptr);
StatusOr<std::unique_ptr<Connection>> OpenPostgres(const std::string& url);

// A connection of its own that LISTENs on one PostgreSQL channel. Wait
// returns true once a NOTIFY arrived (however many: they are drained), false
// when `timeout` passed without one, Unavailable when the connection is lost
// (open a new listener; notifications sent meanwhile are gone, so the caller
// re-reads whatever they would have announced).
class Listener {
 public:
  virtual ~Listener() = default;
  virtual StatusOr<bool> Wait(std::chrono::milliseconds timeout) = 0;
};
StatusOr<std::unique_ptr<Listener>> ListenPostgres(const std::string& url, const std::string& channel);

// Rewrites $n placeholders to ?n outside quoted literals (for SQLite).
std::string RewritePlaceholders(std::string_view sql);

// Prepared statements cached per connection beyond this count are run once
// and dropped, so ad-hoc filter shapes cannot grow the cache without bound.
inline constexpr size_t kMaxCachedStatements = 256;

// For the drivers' statement caches, keyed by SQL text: looked up by
// string_view, so finding a cached statement copies nothing.
struct SqlTextHash {
  using is_transparent = void;
  size_t operator()(std::string_view sql) const { return std::hash<std::string_view>{}(sql); }
};

}  // namespace gh::store::sql
