#pragma once
// Persistence for bulk invitation jobs: the job (status, counters, options,
// who submitted it), its input split into chunks of normalised rows, and one
// result per input row. A chunk is processed in one transaction together with
// its results, the job's progress, and the invitations and emails it causes,
// so a restart resumes exactly at the first unprocessed chunk.
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "store/store.h"  // Page

namespace gh::store {

struct BulkJobRow {
  std::string id;
  std::string tenant_id;
  std::string status;  // queued, running, completed, completedWithErrors, failed, cancelled
  std::string file_name;
  std::string format;        // entraTemplate, powershellSample, gatehouse
  std::string options_json;  // defaults for rows: redirect URL, message, sendEmail, language
  std::string submitter_json;  // who submitted it and their rights at the time
  int64_t total_rows = 0;
  int64_t chunk_count = 0;
  int64_t next_chunk = 0;  // first chunk not yet processed
  int64_t processed = 0, succeeded = 0, failed = 0;
  bool cancel_requested = false;
  std::optional<std::string> error;
  std::optional<std::string> lease_owner;
  int64_t lease_expires_at = 0;
  int64_t created_at = 0;
  std::optional<int64_t> started_at, finished_at;
};

struct BulkResultRow {
  int64_t row = 0;  // the record's number in the file, heading rows counted
  std::string email;
  std::string outcome;  // invited, alreadyInvited, alreadyMember, duplicate, invalid, blockedByPolicy, error
  std::string user_id;
  std::string redeem_url;  // stored sealed by the service (core/secret_box.h), never in clear
  std::string error;
};

// A result whose redeem link is stored as given (not sealed).
struct StoredLink {
  std::string job_id;
  int64_t row = 0;
  std::string redeem_url;
};

class BulkRepository {
 public:
  virtual ~BulkRepository() = default;
  virtual Status InsertJob(const BulkJobRow& job) = 0;
  virtual Status InsertChunk(const std::string& job_id, int64_t seq, const std::string& data) = 0;
  virtual StatusOr<BulkJobRow> GetJob(const std::string& tenant_id, const std::string& id) = 0;
  // Newest first; with `after_id`, the jobs after (older than) that one.
  virtual StatusOr<Page<BulkJobRow>> ListJobs(const std::string& tenant_id, const std::string& after_id,
                                              int limit) = 0;
  // Jobs a runner should work on: queued or running, oldest first, any tenant.
  virtual StatusOr<std::vector<BulkJobRow>> ListUnfinished(int limit) = 0;
  // Takes the job for `owner` until `expires_at` when it is free, already
  // ours, or its lease ran out; false when another runner holds it.
  virtual StatusOr<bool> Claim(const std::string& job_id, const std::string& owner, int64_t now,
                               int64_t expires_at) = 0;
  // Frees the job when `owner` still holds it (a runner that is known dead).
  virtual Status ReleaseLease(const std::string& job_id, const std::string& owner) = 0;
  // Writes status, counters, next_chunk, error, timestamps and the lease.
  virtual Status UpdateJob(const BulkJobRow& job) = 0;
  virtual Status RequestCancel(const std::string& tenant_id, const std::string& id) = 0;
  virtual StatusOr<std::string> GetChunk(const std::string& job_id, int64_t seq) = 0;
  virtual Status DeleteChunk(const std::string& job_id, int64_t seq) = 0;
  virtual Status InsertResults(const std::string& job_id, const std::vector<BulkResultRow>& rows) = 0;
  // Results in row order after `after_row`, at most `limit`.
  virtual StatusOr<std::vector<BulkResultRow>> ListResults(const std::string& job_id, int64_t after_row,
                                                           int limit) = 0;
  // For each of `emails_lower` that this job already has a result for, its
  // first row (address → row); the others are absent.
  virtual StatusOr<std::map<std::string, int64_t>> FirstRowsFor(const std::string& job_id,
                                                                const std::vector<std::string>& emails_lower) = 0;
  // Removes the job with its chunks and results.
  virtual Status DeleteJob(const std::string& tenant_id, const std::string& id) = 0;
  // Up to `limit` results whose redeem_url is not empty and doesn't start
  // with `sealed_prefix` (written in clear by an older version).
  virtual StatusOr<std::vector<StoredLink>> ListUnsealedLinks(const std::string& sealed_prefix, int limit) = 0;
  // Replaces a result's redeem_url when it is still `before`.
  virtual Status ReplaceLink(const StoredLink& before, const std::string& redeem_url) = 0;
};

}  // namespace gh::store
