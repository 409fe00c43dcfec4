// SQLite driver for store/sql.h. One sqlite3 handle per Connection, opened in
// multi-thread mode (the pool guarantees one user at a time).
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <sqlite3.h>

#include <unordered_map>

#include "store/sql.h"

namespace gh::store::sql {
namespace {

constexpr int kBusyTimeoutMs = 5000;
// Pages in the write-ahead log after a commit that ask for a checkpoint
// (SQLite's own default), and that make the committer do it itself.
constexpr int kCheckpointPages = 1000;
constexpr int kCheckpointInPlacePages = 8 * kCheckpointPages;
// How long that committer waits for readers to leave the log.
constexpr int kCheckpointReaderWaitMs = 100;

Status MapError(sqlite3* db, int rc, std::string_view what) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  std::string msg = std::string(what) + ": " + (db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return AlreadyExists(msg);
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      return FailedPrecondition(msg);
  }
  switch (ext & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_FULL:
    case SQLITE_IOERR:
      return Unavailable(msg);
  }
  return Internal(msg);
}

}  // namespace

class SqliteCheckpointer {
 public:
  explicit SqliteCheckpointer(sqlite3* db) : db_(db), thread_([this] { Loop(); }) {}
  ~SqliteCheckpointer() {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
    sqlite3_close_v2(db_);
  }

  void Request() {
    {
      std::lock_guard lock(mu_);
      requested_ = true;
    }
    cv_.notify_one();
  }

  // sqlite3_wal_hook: called by a connection after each commit.
  //
  // SQLite starts the log over only when a writer begins on a log that is
  // wholly copied and that no reader is in. A writer committing back to
  // back (a bulk job) begins again before this thread has copied its last
  // commit, so the log grows until the committer checkpoints it itself: a
  // RESTART, which waits a moment for readers to leave, so the log does
  // start over. A PASSIVE one did not (a bulk job's planner is nearly always
  // reading), and so ran — with its fsync — after every commit once past
  // the mark. If readers stay, the committer tries again only once the log
  // has grown a little more, not after each commit.
  static int AfterCommit(void* self, sqlite3* db, const char*, int pages) {
    auto* checkpointer = static_cast<SqliteCheckpointer*>(self);
    if (pages < kCheckpointInPlacePages) checkpointer->in_place_at_ = kCheckpointInPlacePages;  // started over
    if (pages >= checkpointer->in_place_at_) {
      sqlite3_busy_timeout(db, kCheckpointReaderWaitMs);
      int rc = sqlite3_wal_checkpoint_v2(db, nullptr, SQLITE_CHECKPOINT_RESTART, nullptr, nullptr);
      sqlite3_busy_timeout(db, kBusyTimeoutMs);
      if (rc == SQLITE_BUSY) checkpointer->in_place_at_ = pages + kCheckpointPages;
    } else if (pages >= kCheckpointPages) {
      checkpointer->Request();
    }
    return SQLITE_OK;
  }

 private:
  void Loop() {
    std::unique_lock lock(mu_);
    for (;;) {
      cv_.wait(lock, [this] { return stop_ || requested_; });
      if (stop_) return;
      requested_ = false;
      lock.unlock();
      // A read first: a connection finds the file is in WAL mode (and opens
      // the log) only when it reads it; until then a checkpoint does nothing.
      // PASSIVE: copies what no reader still needs, waits for no one. What
      // it cannot copy now is copied on the next request.
      sqlite3_exec(db_, "PRAGMA schema_version", nullptr, nullptr, nullptr);
      sqlite3_wal_checkpoint_v2(db_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr, nullptr);
      lock.lock();
    }
  }

  sqlite3* db_;  // used by the thread only
  // The log's size that has its next committer checkpoint it. Commits come
  // one at a time, but on any thread.
  std::atomic<int> in_place_at_{kCheckpointInPlacePages};
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false, requested_ = false;
  std::thread thread_;
};

namespace {

class SqliteConnection final : public Connection {
 public:
  SqliteConnection(sqlite3* db, std::shared_ptr<SqliteCheckpointer> checkpointer)
      : db_(db), checkpointer_(std::move(checkpointer)) {}
  ~SqliteConnection() override {
    for (auto& [_, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  StatusOr<int64_t> Exec(std::string_view sql, const Params& params) override {
    int64_t changes = 0;
    GH_RETURN_IF_ERROR(Step(sql, params, nullptr, &changes));
    return changes;
  }

  StatusOr<Rows> Query(std::string_view sql, const Params& params) override {
    Rows rows;
    GH_RETURN_IF_ERROR(Step(sql, params, &rows, nullptr));
    return rows;
  }

  Status Run(std::string_view sql) override {
    char* err = nullptr;
    int rc = sqlite3_exec(db_, std::string(sql).c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    return rc == SQLITE_OK ? OkStatus() : MapError(db_, rc, "sqlite");
  }

  // Writers take the write lock up front so they queue on busy_timeout
  // instead of failing on a read→write upgrade.
  Status Begin(TxMode mode) override {
    GH_RETURN_IF_ERROR(SizePageCacheFor(mode));
    return Run(mode == TxMode::kWrite ? "BEGIN IMMEDIATE" : "BEGIN");
  }
  Status Commit() override { return Run("COMMIT"); }
  Status Rollback() override {
    if (sqlite3_get_autocommit(db_)) return OkStatus();  // already rolled back by SQLite
    return Run("ROLLBACK");
  }
  bool Broken() const override { return false; }

 private:
  StatusOr<sqlite3_stmt*> Prepare(std::string_view sql, bool* cached) {
    if (auto it = cache_.find(sql); it != cache_.end()) {
      *cached = true;
      return it->second;
    }
    *cached = cache_.size() < kMaxCachedStatements;
    std::string text = RewritePlaceholders(sql);
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v3(db_, text.c_str(), static_cast<int>(text.size()),
                                *cached ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, nullptr);
    if (rc != SQLITE_OK) return MapError(db_, rc, "sqlite prepare");
    if (*cached) cache_.emplace(std::string(sql), stmt);
    return stmt;
  }

  Status Step(std::string_view sql, const Params& params, Rows* rows, int64_t* changes) {
    bool cached = false;
    GH_ASSIGN_OR_RETURN(sqlite3_stmt * stmt, Prepare(sql, &cached));
    Status st = BindAndStep(stmt, params, rows);
    if (st.ok() && changes) *changes = sqlite3_changes64(db_);
    if (cached) {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    } else {
      sqlite3_finalize(stmt);
    }
    return st;
  }

  Status BindAndStep(sqlite3_stmt* stmt, const Params& params, Rows* rows) {
    for (size_t i = 0; i < params.size(); ++i) {
      int idx = static_cast<int>(i) + 1;
      int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::monostate>) return sqlite3_bind_null(stmt, idx);
            else if constexpr (std::is_same_v<T, int64_t>) return sqlite3_bind_int64(stmt, idx, v);
            else if constexpr (std::is_same_v<T, double>) return sqlite3_bind_double(stmt, idx, v);
            // SQLITE_STATIC: `params` outlives the step and the reset below,
            // so SQLite need not copy every string (bulk writes bind ~50 a row).
            else return sqlite3_bind_text(stmt, idx, v.data(), static_cast<int>(v.size()), SQLITE_STATIC);
          },
          params[i]);
      if (rc != SQLITE_OK) return MapError(db_, rc, "sqlite bind");
    }
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) return OkStatus();
      if (rc != SQLITE_ROW) return MapError(db_, rc, "sqlite");
      if (!rows) continue;
      int n = sqlite3_column_count(stmt);
      std::vector<Value> cells;
      cells.reserve(n);
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_NULL: cells.emplace_back(std::monostate{}); break;
          case SQLITE_INTEGER: cells.emplace_back(int64_t{sqlite3_column_int64(stmt, c)}); break;
          case SQLITE_FLOAT: cells.emplace_back(sqlite3_column_double(stmt, c)); break;
          default: {
            auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
            cells.emplace_back(std::string(p, sqlite3_column_bytes(stmt, c)));
          }
        }
      }
      rows->emplace_back(std::move(cells));
    }
  }

  // The page cache follows the transaction: a write (one at a time, BEGIN
  // IMMEDIATE) gets a large one — a bulk job's chunk touches index pages all
  // over the file, and re-reading them cost ~20% of a 300k-row job — a read
  // (point lookups, many at once) a small one. With every connection of the
  // pool at the large size, random user reads over a 100k-user tenant filled
  // eight copies of the file: ~300 MB of the server's RSS. Shrinking frees
  // the pages over the new size.
  Status SizePageCacheFor(TxMode mode) {
    const int kib = mode == TxMode::kWrite ? kWriteCacheKib : kReadCacheKib;
    if (cache_kib_ == kib) return OkStatus();
    GH_RETURN_IF_ERROR(Run("PRAGMA cache_size = -" + std::to_string(kib)));
    cache_kib_ = kib;
    return OkStatus();
  }
  static constexpr int kWriteCacheKib = 32 * 1024;
  static constexpr int kReadCacheKib = 4 * 1024;

  sqlite3* db_;
  int cache_kib_ = 0;  // the page cache's size as last set; 0 = SQLite's default
  std::shared_ptr<SqliteCheckpointer> checkpointer_;  // outlives db_: it is closed first
  std::unordered_map<std::string, sqlite3_stmt*, SqlTextHash, std::equal_to<>> cache_;
};

StatusOr<sqlite3*> OpenHandle(const std::string& path) {
  // No memory statistics (nothing reads them): keeping them takes one
  // process-wide mutex on every SQLite allocation, and a bulk job's writer and
  // its planner thread then queued on it — 3.85 → 3.53 s a 100k-row job.
  // Only possible before SQLite's first use, hence here and once.
  static std::once_flag configured;
  std::call_once(configured, [] { sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0); });
  sqlite3* db = nullptr;
  int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    Status st = MapError(db, rc, "sqlite open " + path);
    sqlite3_close_v2(db);
    return Unavailable(st.message());
  }
  sqlite3_busy_timeout(db, kBusyTimeoutMs);
  return db;
}

}  // namespace

StatusOr<std::shared_ptr<SqliteCheckpointer>> StartSqliteCheckpointer(const std::string& path) {
  GH_ASSIGN_OR_RETURN(sqlite3 * db, OpenHandle(path));
  return std::make_shared<SqliteCheckpointer>(db);
}

StatusOr<std::unique_ptr<Connection>> OpenSqlite(const std::string& path,
                                                 std::shared_ptr<SqliteCheckpointer> checkpointer) {
  GH_ASSIGN_OR_RETURN(sqlite3 * db, OpenHandle(path));
  if (checkpointer) sqlite3_wal_hook(db, &SqliteCheckpointer::AfterCommit, checkpointer.get());
  auto conn = std::make_unique<SqliteConnection>(db, std::move(checkpointer));
  bool memory = path == ":memory:";
  // journal_mode=WAL is persistent in the file; setting it on every open is
  // cheap and makes a fresh file WAL before any table exists.
  // 8 KiB pages for a new file (an existing one keeps its own): bulk
  // invitations write ~4 KB a row over six tables, and bigger pages took ~7%
  // off them (fewer pages to split, write and checkpoint).
  // The page cache is sized per transaction (SizePageCacheFor).
  // Temporary storage in memory: a multi-row INSERT inside a transaction
  // keeps a statement journal, which past 64 KiB went to a temporary file —
  // ~5 KB of file writes per bulk-invited guest.
  for (const char* pragma : {"PRAGMA page_size = 8192", "PRAGMA foreign_keys = ON", "PRAGMA synchronous = NORMAL",
                             "PRAGMA temp_store = MEMORY",
                             memory ? "PRAGMA journal_mode = MEMORY" : "PRAGMA journal_mode = WAL"}) {
    // Switching a fresh file to WAL needs an exclusive lock, and SQLite does
    // not wait on busy_timeout for it: two servers opening one new file at
    // once see SQLITE_BUSY. Retry for up to the busy timeout.
    Status st = conn->Run(pragma);
    for (int waited = 0; st.code() == Code::kUnavailable && waited < kBusyTimeoutMs; waited += 20) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      st = conn->Run(pragma);
    }
    GH_RETURN_IF_ERROR(st);
  }
  return std::unique_ptr<Connection>(std::move(conn));
}

}  // namespace gh::store::sql
