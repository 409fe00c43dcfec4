#pragma once
// Storage of delegated permission grants (Graph's oauth2PermissionGrant): the
// record that a user, or an administrator for everyone, consented to a client
// acting with some scopes on a resource. Rows are storage-level structs; the
// identity module (identity/consent.h) owns the rules (who may consent, what
// a token may carry).
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace gh::store {

struct PermissionGrantRow {
  std::string id;
  std::string tenant_id;
  std::string client_id;     // the client's object (service principal) id
  std::string consent_type;  // "AllPrincipals" or "Principal"
  std::string principal_id;  // the consenting user for "Principal"; empty for "AllPrincipals"
  std::string resource_id;   // the resource's service principal id
  std::vector<std::string> scopes;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

class ConsentRepository {
 public:
  virtual ~ConsentRepository() = default;
  // AlreadyExists when the tenant has a grant for the same client, consent
  // type, principal and resource (one row each; scopes are merged into it).
  virtual Status InsertGrant(const PermissionGrantRow& g) = 0;
  virtual Status UpdateGrant(const PermissionGrantRow& g) = 0;  // NotFound when absent
  virtual Status DeleteGrant(const std::string& tenant_id, const std::string& id) = 0;  // NotFound when absent
  virtual StatusOr<PermissionGrantRow> GetGrant(const std::string& tenant_id, const std::string& id) = 0;
  // A tenant's grants, or one client's (client_id non-empty); ordered by id.
  virtual StatusOr<std::vector<PermissionGrantRow>> ListGrants(const std::string& tenant_id,
                                                               const std::string& client_id = {}) = 0;
  virtual Status DeleteGrantsOfClient(const std::string& tenant_id, const std::string& client_id) = 0;
};

}  // namespace gh::store
