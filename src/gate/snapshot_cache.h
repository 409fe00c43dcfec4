#pragma once
// One current snapshot per tenant, shared as std::shared_ptr<const Snapshot>,
// with the change-feed position it reflects. Readers copy the pointer under
// a short lock and decide without any lock held; a snapshot being read stays
// alive until its last reader lets go.
//
// Kept current from outside (gate/loader's GateViews, following the store's
// change feed): Put installs a patched or rebuilt snapshot, MarkStale says a
// tenant needs a rebuild. A missing or stale tenant is (re)built by the
// injected refresh on the next Get, single-flight: one caller builds, the
// others wait for a missing tenant or keep deciding on the stale snapshot
// meanwhile. The refresh installs what it built itself (Put), so that it can
// do so while no change is being applied.
//
// Thread-safe.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "core/status.h"
#include "gate/snapshot.h"

namespace gh::gate {

class SnapshotCache {
 public:
  // Builds the tenant's snapshot and Puts it.
  using Refresh = std::function<Status(const std::string& tenant_id)>;
  explicit SnapshotCache(Refresh refresh) : refresh_(std::move(refresh)) {}

  StatusOr<std::shared_ptr<const Snapshot>> Get(const std::string& tenant_id) {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      auto it = current_.find(tenant_id);
      const bool building = building_.contains(tenant_id);
      if (it != current_.end() && (!it->second.stale || building)) return it->second.snapshot;
      if (!building) break;
      built_.wait(lock);  // another caller is building it
    }
    building_.insert(tenant_id);
    lock.unlock();
    Status st = refresh_(tenant_id);
    lock.lock();
    building_.erase(tenant_id);
    built_.notify_all();
    auto it = current_.find(tenant_id);
    if (it != current_.end() && (st.ok() || it->second.snapshot)) return it->second.snapshot;
    if (!st.ok()) return st;
    return Internal("the gate's snapshot of tenant " + tenant_id + " was not built");
  }

  // What is there now, without building: null when absent.
  struct Entry {
    std::shared_ptr<const Snapshot> snapshot;
    int64_t seq = 0;     // the change feed's position it reflects
    bool stale = false;  // a rebuild is due
  };
  Entry Peek(const std::string& tenant_id) const {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = current_.find(tenant_id);
    return it == current_.end() ? Entry{} : it->second;
  }
  std::vector<std::string> Tenants() const {
    std::lock_guard<std::mutex> lock(mu_);
    std::vector<std::string> out;
    for (const auto& [id, e] : current_) out.push_back(id);
    return out;
  }

  // Installs a snapshot reflecting the feed up to `seq`.
  void Put(const std::string& tenant_id, std::shared_ptr<const Snapshot> s, int64_t seq, bool stale = false) {
    std::lock_guard<std::mutex> lock(mu_);
    current_[tenant_id] = Entry{std::move(s), seq, stale};
  }
  // The tenant's snapshot keeps serving until the next Get rebuilds it.
  void MarkStale(const std::string& tenant_id) {
    std::lock_guard<std::mutex> lock(mu_);
    if (auto it = current_.find(tenant_id); it != current_.end()) it->second.stale = true;
  }
  void MarkAllStale() {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& [id, e] : current_) e.stale = true;
  }

 private:
  Refresh refresh_;
  mutable std::mutex mu_;
  std::condition_variable built_;
  std::map<std::string, Entry> current_;
  std::set<std::string> building_;
};

}  // namespace gh::gate
