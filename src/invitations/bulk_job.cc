#include "invitations/bulk_job.h"

#include <array>
#include <utility>

namespace gh::invitations {
namespace {

constexpr std::array<std::pair<BulkJobStatus, std::string_view>, 6> kStatusNames{{
    {BulkJobStatus::kQueued, "queued"},
    {BulkJobStatus::kRunning, "running"},
    {BulkJobStatus::kCompleted, "completed"},
    {BulkJobStatus::kCompletedWithErrors, "completedWithErrors"},
    {BulkJobStatus::kFailed, "failed"},
    {BulkJobStatus::kCancelled, "cancelled"},
}};

constexpr std::array<std::pair<BulkOutcome, std::string_view>, 7> kOutcomeNames{{
    {BulkOutcome::kInvited, "invited"},
    {BulkOutcome::kAlreadyInvited, "alreadyInvited"},
    {BulkOutcome::kAlreadyMember, "alreadyMember"},
    {BulkOutcome::kDuplicate, "duplicate"},
    {BulkOutcome::kInvalid, "invalid"},
    {BulkOutcome::kBlockedByPolicy, "blockedByPolicy"},
    {BulkOutcome::kError, "error"},
}};

template <class E, size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& names, E value) {
  for (const auto& [v, name] : names)
    if (v == value) return name;
  return "unknown";
}

template <class E, size_t N>
std::optional<E> Parse(const std::array<std::pair<E, std::string_view>, N>& names, std::string_view name) {
  for (const auto& [v, n] : names)
    if (n == name) return v;
  return std::nullopt;
}

}  // namespace

std::string_view BulkJobStatusName(BulkJobStatus s) { return NameOf(kStatusNames, s); }
std::optional<BulkJobStatus> ParseBulkJobStatus(std::string_view name) { return Parse(kStatusNames, name); }

bool IsFinished(BulkJobStatus s) {
  return s == BulkJobStatus::kCompleted || s == BulkJobStatus::kCompletedWithErrors || s == BulkJobStatus::kFailed ||
         s == BulkJobStatus::kCancelled;
}

std::string_view BulkOutcomeName(BulkOutcome o) { return NameOf(kOutcomeNames, o); }
std::optional<BulkOutcome> ParseBulkOutcome(std::string_view name) { return Parse(kOutcomeNames, name); }

bool IsFailedOutcome(BulkOutcome o) {
  return o == BulkOutcome::kInvalid || o == BulkOutcome::kBlockedByPolicy || o == BulkOutcome::kError;
}

}  // namespace gh::invitations
