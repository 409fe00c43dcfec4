#include "invitations/bulk_job.h"

#include "core/enum_names.h"

namespace gh::invitations {
namespace {

constexpr auto kStatusNames = std::to_array<EnumName<BulkJobStatus>>({
    {BulkJobStatus::kQueued, "queued"},
    {BulkJobStatus::kRunning, "running"},
    {BulkJobStatus::kCompleted, "completed"},
    {BulkJobStatus::kCompletedWithErrors, "completedWithErrors"},
    {BulkJobStatus::kFailed, "failed"},
    {BulkJobStatus::kCancelled, "cancelled"},
});
static_assert(AreDistinct(kStatusNames));

constexpr auto kOutcomeNames = std::to_array<EnumName<BulkOutcome>>({
    {BulkOutcome::kInvited, "invited"},
    {BulkOutcome::kAlreadyInvited, "alreadyInvited"},
    {BulkOutcome::kAlreadyMember, "alreadyMember"},
    {BulkOutcome::kDuplicate, "duplicate"},
    {BulkOutcome::kInvalid, "invalid"},
    {BulkOutcome::kBlockedByPolicy, "blockedByPolicy"},
    {BulkOutcome::kError, "error"},
});
static_assert(AreDistinct(kOutcomeNames));

}  // namespace

std::string_view BulkJobStatusName(BulkJobStatus s) { return NameOf(kStatusNames, s); }
std::optional<BulkJobStatus> ParseBulkJobStatus(std::string_view name) { return FromName(kStatusNames, name); }

bool IsFinished(BulkJobStatus s) {
  return s == BulkJobStatus::kCompleted || s == BulkJobStatus::kCompletedWithErrors || s == BulkJobStatus::kFailed ||
         s == BulkJobStatus::kCancelled;
}

std::string_view BulkOutcomeName(BulkOutcome o) { return NameOf(kOutcomeNames, o); }
std::optional<BulkOutcome> ParseBulkOutcome(std::string_view name) { return FromName(kOutcomeNames, name); }

bool IsFailedOutcome(BulkOutcome o) {
  return o == BulkOutcome::kInvalid || o == BulkOutcome::kBlockedByPolicy || o == BulkOutcome::kError;
}

}  // namespace gh::invitations
