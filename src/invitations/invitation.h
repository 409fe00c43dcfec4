#pragma once
// An invitation as the rest of Gatehouse sees it: its state is an enum, and
// it carries no ticket hash or stored message (store/invitations_repository.h
// keeps those, in words; invitation_service.cc translates).
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh::invitations {

// PendingAcceptance → Completed when redeemed, or Superseded when a newer
// invitation of the same guest replaces it.
enum class InvitationStatus { kPendingAcceptance, kCompleted, kSuperseded };
// Graph's words (invitation.status), also the store's column.
std::string_view InvitationStatusName(InvitationStatus s);
std::optional<InvitationStatus> ParseInvitationStatus(std::string_view name);

struct Invitation {
  std::string id;
  std::string tenant_id;
  std::string user_id;  // the guest object
  std::string email;    // the invited address as given
  std::string redirect_url;
  InvitationStatus status = InvitationStatus::kPendingAcceptance;
  std::string inviter_id;
  bool send_message = false;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> redeemed_at;
};

}  // namespace gh::invitations
