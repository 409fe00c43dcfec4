#pragma once
// Follows the store's change feed (store.h, "The change feed") on one node
// and hands each batch of committed changes, in sequence order, to the
// node's views (the gate's snapshots, …), one batch at a time.
//
// Two ways in: the committing thread of this node calls CatchUp (through the
// store's commit listener) and returns once its own change is applied — a
// write is visible on the node that made it as soon as the write returns;
// and a thread of the feed waits for other nodes' commits (PostgreSQL
// LISTEN/NOTIFY) and reads the feed anyway every poll interval, so a lost
// notification only delays a change. When entries the node had not read yet
// were purged (it was away longer than the retention), subscribers are told
// to Reset: everything they hold may be stale.
//
// Views that build themselves from the store (a first load, a rebuild) do it
// in Holding, so no batch is applied meanwhile: what they read reflects the
// feed up to a sequence number at least as new as applied(), and batches
// after it reach them next. Thread-safe.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <thread>
#include <vector>

#include "core/status.h"
#include "store/store.h"

namespace gh::store {

class ChangeFeed {
 public:
  class Subscriber {
   public:
    virtual ~Subscriber() = default;
    // Committed changes after the last batch, oldest first.
    virtual void Apply(const std::vector<Change>& batch) = 0;
    // Changes were missed: drop or rebuild whatever was built before.
    virtual void Reset() = 0;
  };

  struct Options {
    // How often the feed is read without a notification.
    std::chrono::milliseconds poll_interval{1000};
    // How long a committing thread waits for its change to be applied (a
    // rebuild in progress holds the feed) before leaving it to the feed's
    // thread.
    std::chrono::milliseconds catch_up_wait{2000};
    int batch_size = 1000;
    // Entries older than this are purged (by whichever node's turn comes
    // first); a node away for longer rebuilds its views when it returns.
    std::chrono::hours retention{24};
    std::chrono::minutes purge_interval{10};
  };

  ChangeFeed(Store& store, Options options);
  explicit ChangeFeed(Store& store) : ChangeFeed(store, Options{}) {}
  ~ChangeFeed();
  ChangeFeed(const ChangeFeed&) = delete;
  ChangeFeed& operator=(const ChangeFeed&) = delete;

  // Before Start. Subscribers outlive the feed's thread (Stop).
  void Subscribe(Subscriber* s) { subscribers_.push_back(s); }
  // Positions the feed at its current end (views built from now on read the
  // store themselves) and starts the thread that follows other nodes.
  Status Start();
  void Stop();

  // For Store::SetCommitListener: applies the feed up to `seq`.
  CommitListener Listener() {
    return [this](int64_t seq) { CatchUp(seq); };
  }
  // Reads and applies the feed until `seq` is applied (or the feed has
  // nothing newer), waiting at most Options::catch_up_wait for the feed.
  void CatchUp(int64_t seq);

  // Runs fn() with the feed held: no batch is applied while it runs.
  template <typename F>
  auto Holding(F fn) {
    std::lock_guard<std::timed_mutex> lock(mu_);
    return fn();
  }

  int64_t applied() const { return applied_.load(); }
  // True when views fed by this feed may answer reads instead of the store:
  // the feed was read successfully within the last three poll intervals, and
  // every commit this node made has been applied (a catch-up that gave up
  // waiting leaves the views behind this node's own writes until the feed's
  // thread applies them).
  bool Current() const;
  // Milliseconds between the commit of the newest applied change and its
  // application here (0 when none yet): the replication lag of this node.
  int64_t last_lag_ms() const { return last_lag_ms_.load(); }

 private:
  // With mu_ held: reads and applies batches until the feed has nothing
  // newer or `until` is applied.
  Status Drain(int64_t until);
  void Follow();
  // Until another node may have written or the poll interval passed (true),
  // or Stop (false).
  bool WaitForChanges();
  void PurgeOld();

  Store& store_;
  const Options options_;
  std::vector<Subscriber*> subscribers_;
  std::timed_mutex mu_;  // applying a batch, or Holding
  std::atomic<int64_t> applied_{0};
  std::atomic<int64_t> last_lag_ms_{0};
  std::atomic<int64_t> committed_here_{0};  // the newest seq this node's commits reported
  std::atomic<int64_t> last_read_ms_{-1};   // steady-clock ms of the last successful read; -1 before Start

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stopping_ = false;
  std::thread thread_;
  std::chrono::steady_clock::time_point next_purge_{};
};

}  // namespace gh::store
