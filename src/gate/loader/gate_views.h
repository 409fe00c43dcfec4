#pragma once
// Keeps the gate's snapshots (SnapshotCache) current from the store's change
// feed (store/change_feed.h): a change to a few users (their attributes,
// memberships, directory roles, licences) or to an environment's security
// roles is patched into the tenant's snapshot, reading only those users or
// that environment; anything wider (a new group, a deletion, settings,
// policies, subscriptions, environments, apps, a bulk load) marks the tenant
// stale, and the next decision rebuilds it while the others keep deciding on
// the previous snapshot. Patches run with the feed held; a build reads
// without it, then installs itself and replays the changes the feed applied
// meanwhile with it held, so a snapshot never misses a change committed
// while it was read.
//
// Cross-tenant: a guest's home tenant on this server is part of the guest's
// facts (its cross-tenant policy, the guest's groups there), so a policy or
// tenant change elsewhere makes every other snapshot stale, and a membership
// change elsewhere reloads the guests homed there.
#include <atomic>
#include <chrono>
#include <functional>
#include <cstdint>
#include <string>
#include <vector>

#include "gate/snapshot_cache.h"
#include "store/change_feed.h"
#include "store/store.h"

namespace gh::gate {

class GateViews final : public store::ChangeFeed::Subscriber {
 public:
  GateViews(store::Store& store, store::ChangeFeed& feed);

  SnapshotCache& cache() { return cache_; }

  void Apply(const std::vector<store::Change>& batch) override;
  void Reset() override { cache_.MarkAllStale(); }

  // For metrics: snapshots patched, and built (first loads and rebuilds).
  uint64_t patches() const { return patches_.load(); }
  uint64_t builds() const { return builds_.load(); }
  // Told after each build (first load or rebuild) whether it succeeded and
  // how long it took. Set before the cache is used.
  using BuildObserver =
      std::function<void(const std::string& tenant_id, bool ok, std::chrono::steady_clock::duration took)>;
  void SetBuildObserver(BuildObserver observer) { on_build_ = std::move(observer); }

 private:
  Status Refresh(const std::string& tenant_id);
  // Patches or marks stale one tenant's snapshot for the batch's changes.
  Status ApplyTo(const std::string& tenant_id, const std::vector<store::Change>& batch);

  store::Store& store_;
  store::ChangeFeed& feed_;
  SnapshotCache cache_;
  std::atomic<uint64_t> patches_{0};
  std::atomic<uint64_t> builds_{0};
  BuildObserver on_build_;
};

}  // namespace gh::gate
