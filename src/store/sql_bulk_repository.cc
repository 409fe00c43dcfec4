#include "core/strings.h"
#include "store/bulk_repository.h"
#include "store/sql_repositories.h"


namespace gh::store {
namespace {

const Table kJobs{"bulk_jobs",
                  {"id", "tenant_id", "status", "file_name", "format", "options_json", "submitter_json", "total_rows",
                   "chunk_count", "next_chunk", "processed", "succeeded", "failed", "cancel_requested", "error",
                   "lease_owner", "lease_expires_at", "created_at", "started_at", "finished_at"},
                  1};

BulkJobRow JobFrom(const sql::Row& r) {
  BulkJobRow j;
  j.id = r.Text(0);
  j.tenant_id = r.Text(1);
  j.status = r.Text(2);
  j.file_name = r.Text(3);
  j.format = r.Text(4);
  j.options_json = r.Text(5);
  j.submitter_json = r.Text(6);
  j.total_rows = r.Int(7);
  j.chunk_count = r.Int(8);
  j.next_chunk = r.Int(9);
  j.processed = r.Int(10);
  j.succeeded = r.Int(11);
  j.failed = r.Int(12);
  j.cancel_requested = r.Bool(13);
  j.error = r.OptText(14);
  j.lease_owner = r.OptText(15);
  j.lease_expires_at = r.Int(16);
  j.created_at = r.Int(17);
  j.started_at = r.OptInt(18);
  j.finished_at = r.OptInt(19);
  return j;
}

sql::Params JobParams(const BulkJobRow& j) {
  return {j.id,
          j.tenant_id,
          j.status,
          j.file_name,
          j.format,
          j.options_json,
          j.submitter_json,
          sql::Int(j.total_rows),
          sql::Int(j.chunk_count),
          sql::Int(j.next_chunk),
          sql::Int(j.processed),
          sql::Int(j.succeeded),
          sql::Int(j.failed),
          sql::Bool(j.cancel_requested),
          sql::OptText(j.error),
          sql::OptText(j.lease_owner),
          sql::Int(j.lease_expires_at),
          sql::Int(j.created_at),
          sql::OptInt(j.started_at),
          sql::OptInt(j.finished_at)};
}

const Table kResults{"bulk_job_results",
                     {"job_id", "row_no", "email", "email_lower", "outcome", "user_id", "redeem_url", "error"},
                     2};

BulkResultRow ResultFrom(const sql::Row& r) {
  return {r.Int(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
}

sql::Params ResultParams(const std::string& job_id, const BulkResultRow& r) {
  return sql::MakeParams(job_id, sql::Int(r.row), r.email, ToLower(r.email), r.outcome, r.user_id, r.redeem_url,
                         r.error);
}

StoredLink StoredLinkFrom(const sql::Row& r) { return {r.Text(0), r.Int(1), r.Text(2)}; }

// (email_lower, first row) pairs of FirstRowsFor.
std::pair<std::string, int64_t> FirstRowFrom(const sql::Row& r) { return {r.Text(0), r.Int(1)}; }

class SqlBulkRepository final : public BulkRepository {
 public:
  explicit SqlBulkRepository(SqlTx& tx) : tx_(tx) {}

  Status InsertJob(const BulkJobRow& job) override {
    return Explain(tx_.Exec(kJobs.Insert(), JobParams(job)).status(), Code::kFailedPrecondition,
                   "The tenant does not exist.", Code::kNotFound);
  }
  Status InsertChunk(const std::string& job_id, int64_t seq, const std::string& data) override {
    return tx_.Exec("INSERT INTO bulk_job_chunks (job_id, seq, data) VALUES ($1, $2, $3)", {job_id, sql::Int(seq), data})
        .status();
  }
  StatusOr<BulkJobRow> GetJob(const std::string& tenant_id, const std::string& id) override {
    return tx_.One(kJobs.Select("WHERE tenant_id = $1 AND id = $2"), {tenant_id, id}, JobFrom, "Bulk invitation job");
  }
  StatusOr<Page<BulkJobRow>> ListJobs(const std::string& tenant_id, const std::string& after_id,
                                      int limit) override {
    sql::Params params{tenant_id};
    std::string where = "WHERE tenant_id = $1 ";
    if (!after_id.empty()) {
      params.push_back(after_id);
      where += "AND (created_at, id) < (SELECT created_at, id FROM bulk_jobs WHERE tenant_id = $1 AND id = $2) ";
    }
    return tx_.Paged(kJobs.Select(where + "ORDER BY created_at DESC, id DESC LIMIT "), std::move(params), limit,
                     JobFrom);
  }
  StatusOr<std::vector<BulkJobRow>> ListUnfinished(int limit) override {
    return tx_.Many(kJobs.Select("WHERE status IN ('queued', 'running') ORDER BY created_at, id LIMIT $1"),
                    {sql::Int(limit)}, JobFrom);
  }
  StatusOr<bool> Claim(const std::string& job_id, const std::string& owner, int64_t now, int64_t expires_at) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("UPDATE bulk_jobs SET lease_owner = $2, lease_expires_at = $4 "
                                            "WHERE id = $1 AND (lease_owner IS NULL OR lease_owner = $2 "
                                            "OR lease_expires_at < $3)",
                                            {job_id, owner, sql::Int(now), sql::Int(expires_at)}));
    return n == 1;
  }
  Status ReleaseLease(const std::string& job_id, const std::string& owner) override {
    return tx_.Exec("UPDATE bulk_jobs SET lease_owner = NULL, lease_expires_at = 0 WHERE id = $1 AND lease_owner = $2",
                    {job_id, owner})
        .status();
  }
  Status UpdateJob(const BulkJobRow& job) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec(kJobs.Update(), JobParams(job)));
    return n == 1 ? OkStatus() : NotFound("Bulk invitation job '" + job.id + "' not found.");
  }
  Status RequestCancel(const std::string& tenant_id, const std::string& id) override {
    GH_ASSIGN_OR_RETURN(int64_t n, tx_.Exec("UPDATE bulk_jobs SET cancel_requested = 1 WHERE tenant_id = $1 AND id = $2",
                                            {tenant_id, id}));
    return n == 1 ? OkStatus() : NotFound("Bulk invitation job '" + id + "' not found.");
  }
  StatusOr<std::string> GetChunk(const std::string& job_id, int64_t seq) override {
    GH_ASSIGN_OR_RETURN(sql::Rows rows, tx_.Query("SELECT data FROM bulk_job_chunks WHERE job_id = $1 AND seq = $2",
                                                  {job_id, sql::Int(seq)}));
    if (rows.empty()) return NotFound("Chunk " + std::to_string(seq) + " of job '" + job_id + "' not found.");
    return rows.front().Text(0);
  }
  Status DeleteChunk(const std::string& job_id, int64_t seq) override {
    return tx_.Exec("DELETE FROM bulk_job_chunks WHERE job_id = $1 AND seq = $2", {job_id, sql::Int(seq)}).status();
  }
  Status InsertResults(const std::string& job_id, const std::vector<BulkResultRow>& rows) override {
    return tx_.InsertAll(kResults, rows, [&](const BulkResultRow& r) { return ResultParams(job_id, r); });
  }
  StatusOr<std::vector<BulkResultRow>> ListResults(const std::string& job_id, int64_t after_row, int limit) override {
    return tx_.Many("SELECT row_no, email, outcome, user_id, redeem_url, error FROM bulk_job_results "
                    "WHERE job_id = $1 AND row_no > $2 ORDER BY row_no LIMIT $3",
                    {job_id, sql::Int(after_row), sql::Int(limit)}, ResultFrom);
  }
  StatusOr<std::map<std::string, int64_t>> FirstRowsFor(const std::string& job_id,
                                                        const std::vector<std::string>& emails_lower) override {
    GH_ASSIGN_OR_RETURN(auto firsts, tx_.ManyIn("SELECT email_lower, MIN(row_no) FROM bulk_job_results "
                                                "WHERE job_id = $1 AND email_lower IN ",
                                                {job_id}, emails_lower, " GROUP BY email_lower", FirstRowFrom));
    return std::map<std::string, int64_t>(firsts.begin(), firsts.end());
  }
  Status DeleteJob(const std::string& tenant_id, const std::string& id) override {
    GH_ASSIGN_OR_RETURN(auto job, GetJob(tenant_id, id));
    GH_RETURN_IF_ERROR(tx_.Exec("DELETE FROM bulk_job_results WHERE job_id = $1", {job.id}).status());
    GH_RETURN_IF_ERROR(tx_.Exec("DELETE FROM bulk_job_chunks WHERE job_id = $1", {job.id}).status());
    return tx_.Exec("DELETE FROM bulk_jobs WHERE id = $1", {job.id}).status();
  }
  StatusOr<std::vector<StoredLink>> ListUnsealedLinks(const std::string& sealed_prefix, int limit) override {
    // The prefix has no LIKE wildcards ("sb1.").
    return tx_.Many("SELECT job_id, row_no, redeem_url FROM bulk_job_results WHERE redeem_url <> '' AND "
                    "redeem_url NOT LIKE $1 LIMIT $2",
                    {sealed_prefix + "%", sql::Int(limit)}, StoredLinkFrom);
  }
  Status ReplaceLink(const StoredLink& before, const std::string& redeem_url) override {
    return tx_
        .Exec("UPDATE bulk_job_results SET redeem_url = $1 WHERE job_id = $2 AND row_no = $3 AND redeem_url = $4",
              {redeem_url, before.job_id, sql::Int(before.row), before.redeem_url})
        .status();
  }

 private:
  SqlTx& tx_;
};

}  // namespace

std::unique_ptr<BulkRepository> NewSqlBulkRepository(SqlTx& tx) { return std::make_unique<SqlBulkRepository>(tx); }

}  // namespace gh::store
