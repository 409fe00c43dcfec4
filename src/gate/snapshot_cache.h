#pragma once
// One current snapshot per tenant, shared as std::shared_ptr<const Snapshot>.
// A snapshot is built on first use by the injected loader and kept until
// Invalidate(tenant) or InvalidateAll(), after which the next Get() rebuilds
// it (lazily, so a burst of writes costs one rebuild). Readers copy the
// pointer under a short lock and decide without any lock held; a snapshot
// being read stays alive until its last reader lets go.
//
// Rebuilds are single-flight: callers that find a tenant's build under way
// wait for it instead of starting their own, so a rebuild costs the database
// once however many decisions are waiting. Invalidation follows committed
// writes (gate/loader's InvalidateOnCommit, the store's commit listener),
// never requests.
//
// Thread-safe.
#include <condition_variable>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>

#include "core/status.h"
#include "gate/snapshot.h"

namespace gh::gate {

using SnapshotLoader = std::function<StatusOr<std::shared_ptr<const Snapshot>>(const std::string& tenant_id)>;

class SnapshotCache {
 public:
  explicit SnapshotCache(SnapshotLoader loader) : loader_(std::move(loader)) {}

  StatusOr<std::shared_ptr<const Snapshot>> Get(const std::string& tenant_id) {
    uint64_t generation;
    {
      std::unique_lock<std::mutex> lock(mu_);
      for (;;) {
        auto it = current_.find(tenant_id);
        if (it != current_.end()) return it->second;
        if (!building_.contains(tenant_id)) break;
        built_.wait(lock);  // another caller is building it
      }
      building_.insert(tenant_id);
      generation = generation_;
    }
    auto built = loader_(tenant_id);
    std::lock_guard<std::mutex> lock(mu_);
    building_.erase(tenant_id);
    built_.notify_all();
    if (!built.ok()) return built.status();
    // An invalidation while building means the snapshot may be stale: serve
    // it to this caller but don't keep it (a waiter then builds anew).
    if (generation == generation_) current_[tenant_id] = *built;
    return *built;
  }

  // Replaces a tenant's snapshot (e.g. with a patched copy).
  void Put(const std::string& tenant_id, std::shared_ptr<const Snapshot> s) {
    std::lock_guard<std::mutex> lock(mu_);
    current_[tenant_id] = std::move(s);
  }

  void Invalidate(const std::string& tenant_id) {
    std::lock_guard<std::mutex> lock(mu_);
    current_.erase(tenant_id);
    ++generation_;
  }

  void InvalidateAll() {
    std::lock_guard<std::mutex> lock(mu_);
    current_.clear();
    ++generation_;
  }

 private:
  SnapshotLoader loader_;
  std::mutex mu_;
  std::condition_variable built_;
  std::map<std::string, std::shared_ptr<const Snapshot>> current_;
  std::set<std::string> building_;
  uint64_t generation_ = 0;
};

}  // namespace gh::gate
