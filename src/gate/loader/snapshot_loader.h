#pragma once
// Reading a tenant's Snapshot from the store (kept apart from gh_gate so the
// decision code stays free of I/O), and the glue that puts the gate in front
// of the token endpoint's first-party client surfaces.
#include <memory>
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
StatusOr<std::shared_ptr<const Snapshot>> LoadSnapshot(store::Store& store, const std::string& tenant_id);

// A SnapshotLoader over `store` for SnapshotCache.
SnapshotLoader StoreLoader(store::Store& store);

// The store's commit listener that keeps `cache` current: a committed write
// makes its tenants' snapshots stale; a policy change may be another tenant's
// too (a home tenant's cross-tenant policy lives in its guests'
// resource-tenant snapshots), so it drops them all.
store::CommitListener InvalidateOnCommit(SnapshotCache& cache);

// The gate action a first-party client surface stands for, or nullopt for
// clients the gate doesn't govern.
std::optional<Action> ActionForClient(std::string_view client_id);

// SigninService::ClientGate over the cache: refuses (PermissionDenied,
// reason "access_denied") with the failed checks' sentences.
identity::SigninService::ClientGate MakeClientGate(SnapshotCache& cache);

}  // namespace gh::gate
