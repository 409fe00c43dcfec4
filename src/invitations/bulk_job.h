#pragma once
// A bulk invitation job and its per-row results as the rest of Gatehouse
// sees them (the API, the portal, the CLI's server side): states and
// outcomes are enums, the submitter and the row defaults are values. The
// store keeps its own rows (store/bulk_repository.h), in words; only
// bulk_service.cc translates between the two.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::invitations {

// queued → running → completed | completedWithErrors | failed | cancelled.
enum class BulkJobStatus { kQueued, kRunning, kCompleted, kCompletedWithErrors, kFailed, kCancelled };
// The words of the API and the results file (and the store's column).
std::string_view BulkJobStatusName(BulkJobStatus s);
std::optional<BulkJobStatus> ParseBulkJobStatus(std::string_view name);
bool IsFinished(BulkJobStatus s);

// What became of one row of the file.
enum class BulkOutcome {
  kInvited,          // a new guest and invitation
  kAlreadyInvited,   // still pending: re-invited with a new link
  kAlreadyMember,    // accepted guest or member: nothing to do
  kDuplicate,        // the same address as an earlier row of the file
  kInvalid,          // the row or its values are wrong
  kBlockedByPolicy,  // a collaboration or cross-tenant rule refuses it
  kError,            // the server failed on this row
};
std::string_view BulkOutcomeName(BulkOutcome o);
std::optional<BulkOutcome> ParseBulkOutcome(std::string_view name);
// The outcomes that make a job completedWithErrors.
bool IsFailedOutcome(BulkOutcome o);

// Defaults for rows that leave a column empty (or whose file has no such column).
struct BulkOptions {
  std::string file_name = "invitations.csv";
  std::string redirect_url;
  std::string message;
  bool send_email = true;
  std::string language;
};

// Who submitted a job, as shown with it.
struct BulkSubmitter {
  std::string id;
  std::string name;
  bool is_app = false;
};

struct BulkJob {
  std::string id;
  std::string tenant_id;
  BulkJobStatus status = BulkJobStatus::kQueued;
  std::string format;  // entraTemplate, powershellSample, gatehouse (bulk_csv.h BulkFormatName)
  BulkOptions options;  // options.file_name is the uploaded file's name
  BulkSubmitter submitter;
  int64_t total_rows = 0;
  int64_t processed = 0, succeeded = 0, failed = 0;
  bool cancel_requested = false;
  std::optional<std::string> error;  // why a failed job failed
  int64_t created_at = 0;
  std::optional<int64_t> started_at, finished_at;
};

struct BulkResult {
  int64_t row = 0;  // the record's number in the file, heading rows counted
  std::string email;
  BulkOutcome outcome = BulkOutcome::kError;
  std::string user_id;
  std::string redeem_url;  // in clear here; sealed at rest (bulk_service.h)
  std::string error;
};

}  // namespace gh::invitations
