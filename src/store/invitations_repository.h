#pragma once
// Persistence for invitations: one row per invitation sent (or re-sent) to a
// guest, with the redemption ticket stored only as its SHA-256 digest.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace gh::store {

struct InvitationRow {
  std::string id;
  std::string tenant_id;
  std::string user_id;  // the guest object
  std::string email;    // invited address as given
  std::string redirect_url;
  std::string ticket_hash;
  std::string status;  // "PendingAcceptance", "Completed", "Superseded"
  std::string inviter_id;
  std::string message_json;  // invitedUserMessageInfo as sent
  bool send_message = false;
  int64_t created_at = 0;
  int64_t expires_at = 0;
  std::optional<int64_t> redeemed_at;
};

class InvitationsRepository {
 public:
  virtual ~InvitationsRepository() = default;
  // Every row, with multi-row statements (a bulk job's chunk at once).
  virtual Status InsertAll(const std::vector<InvitationRow>& rows) = 0;
  virtual StatusOr<InvitationRow> Get(const std::string& tenant_id, const std::string& id) = 0;
  // Marks every pending invitation of the user superseded (a new ticket replaces them).
  virtual Status SupersedePending(const std::string& tenant_id, const std::string& user_id) = 0;
  // PendingAcceptance → Completed; NotFound when it was not pending (redeemed twice).
  virtual Status MarkRedeemed(const std::string& tenant_id, const std::string& id, int64_t now) = 0;
  virtual StatusOr<std::vector<InvitationRow>> ListForUser(const std::string& tenant_id,
                                                           const std::string& user_id) = 0;
};

}  // namespace gh::store
