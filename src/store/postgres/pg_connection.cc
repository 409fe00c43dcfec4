// PostgreSQL driver for store/sql.h, on libpq. Writes are prepared under
// generated names and run prepared, reads run as unnamed statements (see
// IsRead); parameters go as text and PostgreSQL infers their types from the
// statement. ExecPipelined sends in libpq's pipeline mode; every other call
// first ends a pipeline left open.
#include <libpq-fe.h>
#include <poll.h>

#include <cerrno>

#include <cstdio>
#include <functional>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "store/sql.h"

namespace gh::store::sql {
namespace {

// Built-in type OIDs (pg_type.h), to hand numbers back as numbers.
constexpr Oid kBoolOid = 16, kInt8Oid = 20, kInt2Oid = 21, kInt4Oid = 23, kFloat4Oid = 700, kFloat8Oid = 701;

using ResultPtr = std::unique_ptr<PGresult, decltype(&PQclear)>;

// Reads run as unnamed statements, parsed and planned for their values on
// every run. A prepared one would, after five runs, settle on a generic plan,
// and one made while a table was still nearly empty (a sequential scan) stays
// as the table grows: bulk invitations' look-ups went from 0.02 ms to 16 ms
// each over 12,000 rows. Writes stay prepared: their plans have no choice to
// get wrong, and planning a 128-row INSERT on every run doubled its cost.
bool IsRead(std::string_view sql) { return sql.starts_with("SELECT") || sql.starts_with("WITH"); }

class PgConnection final : public Connection {
 public:
  explicit PgConnection(PGconn* conn) : conn_(conn) {}
  ~PgConnection() override { PQfinish(conn_); }

  Dialect dialect() const override { return Dialect::kPostgres; }

  StatusOr<int64_t> Exec(std::string_view sql, const Params& params) override {
    GH_ASSIGN_OR_RETURN(ResultPtr res, Execute(sql, params));
    const char* n = PQcmdTuples(res.get());
    return n && *n ? std::stoll(n) : int64_t{0};
  }

  StatusOr<Rows> Query(std::string_view sql, const Params& params) override {
    GH_ASSIGN_OR_RETURN(ResultPtr res, Execute(sql, params));
    PGresult* r = res.get();
    int nrows = PQntuples(r), ncols = PQnfields(r);
    Rows rows;
    rows.reserve(nrows);
    for (int i = 0; i < nrows; ++i) {
      std::vector<Value> cells;
      cells.reserve(ncols);
      for (int c = 0; c < ncols; ++c) {
        if (PQgetisnull(r, i, c)) {
          cells.emplace_back(std::monostate{});
          continue;
        }
        const char* v = PQgetvalue(r, i, c);
        switch (PQftype(r, c)) {
          case kBoolOid: cells.emplace_back(int64_t{v[0] == 't'}); break;
          case kInt2Oid:
          case kInt4Oid:
          case kInt8Oid: cells.emplace_back(int64_t{std::stoll(v)}); break;
          case kFloat4Oid:
          case kFloat8Oid: cells.emplace_back(std::stod(v)); break;
          default: cells.emplace_back(std::string(v, PQgetlength(r, i, c)));
        }
      }
      rows.emplace_back(std::move(cells));
    }
    return rows;
  }

  Status Run(std::string_view sql) override {
    GH_RETURN_IF_ERROR(EndPipeline());
    ResultPtr res(PQexec(conn_, std::string(sql).c_str()), &PQclear);
    return Check(res.get(), "postgres");
  }

  Status ExecPipelined(std::string_view sql, const Params& params) override {
    if (!pipelined_) {
      if (PQenterPipelineMode(conn_) != 1) return Unavailable(Message("postgres pipeline"));
      pipelined_ = true;
    }
    TextParams p(params);
    GH_ASSIGN_OR_RETURN(const std::string* name, NameFor(sql, p.size(), [&](const char* n, const char* q, int np) {
                          if (PQsendPrepare(conn_, n, q, np, nullptr) == 1) return OkStatus();
                          return Unavailable(Message("postgres prepare"));
                        }));
    int sent = name ? PQsendQueryPrepared(conn_, name->c_str(), p.size(), p.values.data(), nullptr, nullptr, 0)
                    : PQsendQueryParams(conn_, std::string(sql).c_str(), p.size(), nullptr, p.values.data(),
                                        nullptr, nullptr, 0);
    return sent == 1 ? OkStatus() : Unavailable(Message("postgres send"));
  }

  // Waits for every pipelined statement; the first error wins (PostgreSQL
  // skips the rest of a pipeline after an error).
  Status EndPipeline() override {
    if (!pipelined_) return OkStatus();
    Status first = OkStatus();
    if (PQpipelineSync(conn_) != 1) {
      first = Unavailable(Message("postgres pipeline sync"));
    } else {
      for (;;) {
        ResultPtr r(PQgetResult(conn_), &PQclear);
        if (!r) {  // between two statements' results; a dead connection has no more
          if (PQstatus(conn_) != CONNECTION_OK) {
            if (first.ok()) first = Unavailable(Message("postgres pipeline"));
            break;
          }
          continue;
        }
        ExecStatusType st = PQresultStatus(r.get());
        if (st == PGRES_PIPELINE_SYNC) break;
        if (st != PGRES_PIPELINE_ABORTED && first.ok()) first = Check(r.get(), "postgres");
      }
    }
    PQexitPipelineMode(conn_);
    pipelined_ = false;
    // A PREPARE in a failed pipeline may not have run: prepare again next time.
    if (!first.ok())
      for (const std::string& sql : unconfirmed_) names_.erase(sql);
    unconfirmed_.clear();
    return first;
  }

  Status Begin(TxMode mode) override {
    return Run(mode == TxMode::kWrite ? "BEGIN" : "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
  }

  Status Commit() override {
    GH_RETURN_IF_ERROR(EndPipeline());
    ResultPtr res(PQexec(conn_, "COMMIT"), &PQclear);
    GH_RETURN_IF_ERROR(Check(res.get(), "postgres commit"));
    // COMMIT of a transaction already aborted by an error reports ROLLBACK.
    if (std::string_view(PQcmdStatus(res.get())) == "ROLLBACK") {
      return Internal("postgres commit: transaction was aborted and rolled back");
    }
    return OkStatus();
  }

  Status Rollback() override {
    (void)EndPipeline();  // its error is what is being rolled back
    return Run("ROLLBACK");
  }

  bool Broken() const override { return PQstatus(conn_) != CONNECTION_OK; }

 private:
  // Parameters as text, alive as long as this object.
  struct TextParams {
    std::vector<std::string> text;
    std::vector<const char*> values;
    explicit TextParams(const Params& params) : text(params.size()), values(params.size(), nullptr) {
      for (size_t i = 0; i < params.size(); ++i) {
        std::visit(
            [&](const auto& v) {
              using T = std::decay_t<decltype(v)>;
              if constexpr (std::is_same_v<T, int64_t>) text[i] = std::to_string(v);
              else if constexpr (std::is_same_v<T, double>) {
                char buf[32];
                std::snprintf(buf, sizeof buf, "%.17g", v);
                text[i] = buf;
              }
              else if constexpr (std::is_same_v<T, std::string_view>) text[i] = v;  // libpq wants it NUL-terminated
              if constexpr (std::is_same_v<T, std::string>) values[i] = v.c_str();  // no copy
              else if constexpr (!std::is_same_v<T, std::monostate>) values[i] = text[i].c_str();
            },
            params[i]);
      }
    }
    int size() const { return static_cast<int>(values.size()); }
  };

  // The prepared statement's name for `sql`, or nullptr to run it unnamed
  // (reads; writes once the cache is full). `prepare` sends the PREPARE.
  template <typename Prepare>
  StatusOr<const std::string*> NameFor(std::string_view sql, int nparams, Prepare prepare) {
    if (IsRead(sql)) return nullptr;
    if (auto it = names_.find(sql); it != names_.end()) return &it->second;
    if (names_.size() >= kMaxCachedStatements) return nullptr;
    std::string name = "gh_" + std::to_string(++named_);
    GH_RETURN_IF_ERROR(prepare(name.c_str(), std::string(sql).c_str(), nparams));
    if (pipelined_) unconfirmed_.emplace_back(sql);
    return &names_.emplace(std::string(sql), std::move(name)).first->second;
  }

  StatusOr<ResultPtr> Execute(std::string_view sql, const Params& params) {
    GH_RETURN_IF_ERROR(EndPipeline());
    TextParams p(params);
    GH_ASSIGN_OR_RETURN(const std::string* name, NameFor(sql, p.size(), [&](const char* n, const char* q, int np) {
                          ResultPtr prep(PQprepare(conn_, n, q, np, nullptr), &PQclear);
                          return Check(prep.get(), "postgres prepare");
                        }));
    PGresult* res = name ? PQexecPrepared(conn_, name->c_str(), p.size(), p.values.data(), nullptr, nullptr, 0)
                         : PQexecParams(conn_, std::string(sql).c_str(), p.size(), nullptr, p.values.data(),
                                        nullptr, nullptr, 0);
    ResultPtr out(res, &PQclear);
    GH_RETURN_IF_ERROR(Check(out.get(), "postgres"));
    return out;
  }

  std::string Message(std::string_view what) const {
    std::string msg = std::string(what) + ": " + PQerrorMessage(conn_);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return msg;
  }

  Status Check(PGresult* res, std::string_view what) {
    ExecStatusType st = res ? PQresultStatus(res) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return OkStatus();
    std::string msg = std::string(what) + ": " + (res ? PQresultErrorMessage(res) : PQerrorMessage(conn_));
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    const char* state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
    std::string_view code = state ? state : "";
    if (code == "23505") return AlreadyExists(msg);
    if (code == "23503") return FailedPrecondition(msg);
    // Connection exceptions (08), serialization failure / deadlock (40),
    // server shutting down or unavailable (57P, 53).
    if (Broken() || code.empty() || code.starts_with("08") || code.starts_with("40") ||
        code.starts_with("57P") || code.starts_with("53")) {
      return Unavailable(msg);
    }
    return Internal(msg);
  }

  PGconn* conn_;
  std::unordered_map<std::string, std::string, SqlTextHash, std::equal_to<>> names_;  // SQL text → statement name
  int named_ = 0;                         // statement names are never reused
  bool pipelined_ = false;
  std::vector<std::string> unconfirmed_;  // prepared in the open pipeline
};

class PgListener final : public Listener {
 public:
  explicit PgListener(PGconn* conn) : conn_(conn) {}
  ~PgListener() override { PQfinish(conn_); }

  StatusOr<bool> Wait(std::chrono::milliseconds timeout) override {
    if (Drain()) return true;
    pollfd fd{PQsocket(conn_), POLLIN, 0};
    if (fd.fd < 0) return Lost();
    int ready = ::poll(&fd, 1, static_cast<int>(timeout.count()));
    if (ready < 0 && errno != EINTR) return Lost();
    if (ready > 0 && !PQconsumeInput(conn_)) return Lost();
    if (PQstatus(conn_) != CONNECTION_OK) return Lost();
    return Drain();
  }

 private:
  bool Drain() {
    bool any = false;
    while (PGnotify* n = PQnotifies(conn_)) {
      any = true;
      PQfreemem(n);
    }
    return any;
  }
  Status Lost() { return Unavailable(std::string("postgres listener: ") + PQerrorMessage(conn_)); }

  PGconn* conn_;
};

StatusOr<PGconn*> Connect(const std::string& url) {
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    std::string msg = std::string("postgres connect: ") + PQerrorMessage(conn);
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    PQfinish(conn);
    return Unavailable(msg);
  }
  // Notices (e.g. "relation already exists, skipping") are not errors.
  PQsetNoticeProcessor(conn, [](void*, const char*) {}, nullptr);
  return conn;
}

}  // namespace

StatusOr<std::unique_ptr<Connection>> OpenPostgres(const std::string& url) {
  GH_ASSIGN_OR_RETURN(PGconn * conn, Connect(url));
  return std::unique_ptr<Connection>(std::make_unique<PgConnection>(conn));
}

StatusOr<std::unique_ptr<Listener>> ListenPostgres(const std::string& url, const std::string& channel) {
  GH_ASSIGN_OR_RETURN(PGconn * conn, Connect(url));
  auto listener = std::make_unique<PgListener>(conn);  // owns conn from here
  char* quoted = PQescapeIdentifier(conn, channel.data(), channel.size());
  if (quoted == nullptr) return Internal(std::string("postgres listen: ") + PQerrorMessage(conn));
  ResultPtr res(PQexec(conn, ("LISTEN " + std::string(quoted)).c_str()), &PQclear);
  PQfreemem(quoted);
  if (PQresultStatus(res.get()) != PGRES_COMMAND_OK)
    return Unavailable(std::string("postgres listen: ") + PQerrorMessage(conn));
  return std::unique_ptr<Listener>(std::move(listener));
}

}  // namespace gh::store::sql
