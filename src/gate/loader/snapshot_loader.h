#pragma once
// Reading a tenant's Snapshot from the store (kept apart from gh_gate so the
// decision code stays free of I/O), and the glue that puts the gate in front
// of the token endpoint's first-party client surfaces.
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "core/status.h"
#include "gate/decision.h"
#include "gate/snapshot.h"
#include "gate/snapshot_cache.h"
#include "identity/signin.h"
#include "store/store.h"

namespace gh::gate {

// One read transaction: the tenant, its users, groups, memberships, directory
// roles, policies, tenant settings, licence resolution, environments with
// their role tables, apps, and every other tenant on the server (home tenants
// of guests: their policies and cloud).
struct LoadedSnapshot {
  std::shared_ptr<const Snapshot> snapshot;
  int64_t seq = 0;  // the change feed's position it reflects (store.h, Change)
};
StatusOr<LoadedSnapshot> LoadSnapshotAt(store::Store& store, const std::string& tenant_id);
StatusOr<std::shared_ptr<const Snapshot>> LoadSnapshot(store::Store& store, const std::string& tenant_id);

// For patching `snapshot` (its tenant) in `tx`: the current facts of these
// users, as LoadSnapshot computes them; nullopt when the snapshot can't take
// them as a patch (a user is gone, or belongs to a group it doesn't know).
StatusOr<std::optional<std::vector<UserFacts>>> LoadUsers(store::Transaction& tx, const Snapshot& snapshot,
                                                          const std::set<std::string>& user_ids);
// One environment's current role table, over the snapshot's principals.
StatusOr<std::shared_ptr<const EnvironmentRoles>> LoadEnvironmentRoles(store::Transaction& tx,
                                                                       const Snapshot& snapshot,
                                                                       const std::string& environment_id);

// The gate action a first-party client surface stands for, or nullopt for
// clients the gate doesn't govern.
std::optional<Action> ActionForClient(std::string_view client_id);

// SigninService::ClientGate over the cache: refuses (PermissionDenied,
// reason "access_denied") with the failed checks' sentences.
identity::SigninService::ClientGate MakeClientGate(SnapshotCache& cache);

}  // namespace gh::gate
