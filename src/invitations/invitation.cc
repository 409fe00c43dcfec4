#include "invitations/invitation.h"

#include "core/enum_names.h"

namespace gh::invitations {
namespace {

constexpr auto kStatusNames = std::to_array<EnumName<InvitationStatus>>({
    {InvitationStatus::kPendingAcceptance, "PendingAcceptance"},
    {InvitationStatus::kCompleted, "Completed"},
    {InvitationStatus::kSuperseded, "Superseded"},
});
static_assert(AreDistinct(kStatusNames));

}  // namespace

std::string_view InvitationStatusName(InvitationStatus s) { return NameOf(kStatusNames, s); }

std::optional<InvitationStatus> ParseInvitationStatus(std::string_view name) { return FromName(kStatusNames, name); }

}  // namespace gh::invitations
