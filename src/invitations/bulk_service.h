#pragma once
// Bulk invitations from a CSV file, as durable jobs.
//
// Submit() reads the whole file once (bulk_csv.h), outside any transaction:
// it refuses a file that is not CSV, has no address column or is past the
// caps (UploadLimits), splits the rows into chunks of normalised rows, then
// stores them with the job and queues it in one short write transaction. RunChunk() then processes one
// chunk in ONE transaction: every row through the invitation rules of
// InvitationService (InviteAllIn: the same checks and writes as a single
// Graph invitation, with the reads and writes batched per chunk), then the chunk's
// results, the job's progress, and the deletion of the chunk. A crash rolls
// back at most the chunk in flight; the next RunChunk resumes there, so the
// results are those of an uninterrupted run, and nothing committed is done
// twice. Memory is bounded by two chunks (one written, the next planned:
// PlanChunk), not by the file.
//
// Idempotent: an address already in this job is a "duplicate" row (no second
// invitation or email); an address invited earlier and still pending is
// re-invited as Graph does (new link, old link replaced: still one guest and
// one pending invitation); an accepted guest or a member is "alreadyMember".
#include <atomic>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/secret_box.h"
#include "core/status.h"
#include "invitations/bulk_csv.h"
#include "invitations/bulk_job.h"
#include "invitations/invitation_service.h"
#include "store/bulk_repository.h"
#include "store/store.h"

namespace gh::invitations {

// One chunk's rows through the invitation rules with the writes held, made
// in a read transaction ahead of its turn (PlanChunk) so a runner can plan
// chunk k+1 while chunk k is written (RunChunk).
struct ChunkPlan {
  int64_t seq = -1;
  std::vector<BulkResult> results;  // in row order
  PlannedInvitations invited;
};

struct BulkSettings {
  int chunk_rows = 1000;  // one transaction; holds the SQLite write lock ~0.1–0.2 s
  int64_t lease_ms = 60'000;  // a runner that stops renewing loses the job after this
};

// Caps on an uploaded file (security review #14): rows to invite, and fields
// per record and bytes per field (bulk_csv.h). Past one, the upload is
// refused (InvalidArgument) and no job is made.
struct UploadLimits {
  int64_t max_rows = 500'000;
  CsvLimits csv;
};

// The reason of the error a stored job that no longer reads back (its
// options) fails with: the runner fails such a job at once, without retries.
inline constexpr std::string_view kUnreadableJob = "unreadable_job";

class BulkInvitationService {
 public:
  BulkInvitationService(store::Store& store, InvitationService& invitations, const Clock& clock, Random& random,
                        BulkSettings settings = {});

  // The box that seals the results' redeem links at rest (core/secret_box.h):
  // a server passes its at-rest key file's. Until set, a key that lives as
  // long as the process (links then don't open after a restart).
  void SetLinkBox(std::shared_ptr<const SecretBox> box) { link_box_ = std::move(box); }
  void SetUploadLimits(const UploadLimits& limits) { limits_ = limits; }
  // Called while Submit reads a file, after each chunk of rows, outside any
  // transaction (tests show other writes go on meanwhile).
  void SetOnRowsRead(std::function<void(int64_t rows_read)> f) { on_rows_read_ = std::move(f); }

  // Validates and stores the file as a queued job.
  StatusOr<BulkJob> Submit(const Inviter& submitter, const std::string& tenant_id, std::string_view csv,
                           const BulkOptions& options);
  StatusOr<BulkJob> Get(const std::string& tenant_id, const std::string& id);
  // Newest first, `top` at a time; `after_id` continues after that job.
  StatusOr<store::Page<BulkJob>> List(const std::string& tenant_id, const std::string& after_id, int top);
  // The results with their redeem links opened; a link sealed under another
  // key (a server with another at-rest key) is left empty, and logged.
  StatusOr<std::vector<BulkResult>> Results(const std::string& tenant_id, const std::string& id, int64_t after_row,
                                            int limit);
  // Seals the links of results stored in clear by an older Gatehouse, a
  // batch per transaction; returns how many. Run once at start.
  StatusOr<int64_t> SealStoredLinks();
  // Asks the runner to stop at the next chunk; a finished job is left as is.
  StatusOr<BulkJob> Cancel(const std::string& tenant_id, const std::string& id);
  Status Delete(const std::string& tenant_id, const std::string& id);

  // For runners (bulk_runner.h), which work on the store's rows (chunks,
  // leases): jobs to work on, and one step of one job. `owner` names the
  // runner; a job leased by another live runner is Unavailable.
  StatusOr<std::vector<store::BulkJobRow>> Unfinished();
  StatusOr<store::BulkJobRow> StoredJob(const std::string& tenant_id, const std::string& id);
  //
  // RunChunk processes the job's next chunk in one write transaction. Given
  // `ahead`, the plan of that chunk made by PlanChunk while the previous
  // chunk was being written, it writes the plan — unless the guests the plan
  // looked up have changed since it read them (someone invited one
  // meanwhile): then the chunk is planned again in the transaction, as
  // without `ahead`. A plan needs no check of the job's earlier rows: it
  // counts those of the chunk still being written from that chunk's input,
  // and only the job's runner writes its results. Either way the outcome is
  // that of planning the chunk in turn.
  StatusOr<store::BulkJobRow> RunChunk(const store::BulkJobRow& job, const std::string& owner,
                                       ChunkPlan* ahead = nullptr);
  StatusOr<ChunkPlan> PlanChunk(const store::BulkJobRow& job, int64_t seq);
  // Chunks written from a plan made ahead, and plans found stale (since start).
  int64_t ChunksPlannedAhead() const { return planned_ahead_; }
  int64_t ChunksReplanned() const { return replanned_; }
  // Frees a job leased by a runner that is known to be dead.
  Status ReleaseLease(const store::BulkJobRow& job, const std::string& dead_owner);
  // Marks a job failed after the runner gave up on it.
  Status Fail(const store::BulkJobRow& job, const std::string& error);

 private:
  // The job's next chunk through the invitation rules in `tx` — from
  // `ahead` if that is its plan and it still holds — with its writes made:
  // the rows' results in row order.
  StatusOr<std::vector<BulkResult>> ProcessChunk(store::Transaction& tx, const store::BulkJobRow& job,
                                                           ChunkPlan* ahead);
  // What both ways of planning a chunk share: the rows up to the invitation
  // rules (bulk_service.cc).
  struct PreparedChunk;
  // `tx` holds the results of the job's chunks before `written` (the
  // chunks from there to `seq` count by their input).
  StatusOr<PreparedChunk> Prepare(store::Transaction& tx, const store::BulkJobRow& job, int64_t seq,
                                  int64_t written, const std::string& data);

  store::Store& store_;
  InvitationService& invitations_;
  const Clock& clock_;
  Random& random_;
  BulkSettings settings_;
  UploadLimits limits_;
  std::shared_ptr<const SecretBox> link_box_;
  std::function<void(int64_t)> on_rows_read_;
  std::atomic<int64_t> planned_ahead_{0}, replanned_{0};
};

// A stored job's state, for runners (only this service writes the column: an
// unknown word, from a newer Gatehouse or a damaged database, is logged and
// read as failed).
BulkJobStatus StatusOf(const store::BulkJobRow& row);
// Who sees a job: apps and Global or User Administrators see every job of the
// tenant; anyone else only the jobs they submitted.
bool SeesAllBulkJobs(bool is_app, const std::vector<std::string>& directory_roles);
bool SubmittedBy(const BulkJob& job, const std::string& object_id);
// The heading of the results file and one line of it.
std::string_view ResultsHeading();
std::string ResultsLine(const BulkResult& r);

}  // namespace gh::invitations
