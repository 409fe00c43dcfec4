#include "invitations/invitation.h"

namespace gh::invitations {

std::string_view InvitationStatusName(InvitationStatus s) {
  switch (s) {
    case InvitationStatus::kPendingAcceptance: return "PendingAcceptance";
    case InvitationStatus::kCompleted: return "Completed";
    case InvitationStatus::kSuperseded: return "Superseded";
  }
  return "PendingAcceptance";
}

std::optional<InvitationStatus> ParseInvitationStatus(std::string_view name) {
  for (InvitationStatus s :
       {InvitationStatus::kPendingAcceptance, InvitationStatus::kCompleted, InvitationStatus::kSuperseded})
    if (InvitationStatusName(s) == name) return s;
  return std::nullopt;
}

}  // namespace gh::invitations
