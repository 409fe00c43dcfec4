#pragma once
// Reading and changing a tenant's policies (authorization policy,
// collaboration domain restrictions, cross-tenant access), each change audited
// in the same transaction. Validation of the documents is in policies.h.
#include <functional>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "directory/directory_service.h"
#include "directory/policies.h"
#include "store/store.h"

namespace gh::directory {

class PolicyService {
 public:
  PolicyService(store::Store& store, const Clock& clock, Random& random) : store_(store), clock_(clock), random_(random) {}

  StatusOr<Policies> Get(const std::string& tenant_id);
  // Reads within the caller's transaction (invitations check policies there).
  static StatusOr<Policies> GetIn(store::Transaction& tx, const std::string& tenant_id);
  // Applies `change` to the current policies and stores the result; an error
  // from `change` leaves everything as it was. `activity` names the audit entry.
  StatusOr<Policies> Update(const Actor& actor, const std::string& tenant_id, const std::string& activity,
                            const std::function<Status(Policies&)>& change);

 private:
  store::Store& store_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace gh::directory
