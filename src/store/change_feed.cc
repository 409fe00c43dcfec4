#include "store/change_feed.h"

#include <spdlog/spdlog.h>

namespace gh::store {
namespace {

int64_t NowMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t SteadyMillis() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace

ChangeFeed::ChangeFeed(Store& store, Options options) : store_(store), options_(options) {}

ChangeFeed::~ChangeFeed() { Stop(); }

Status ChangeFeed::Start() {
  {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(TxMode::kRead));
    GH_ASSIGN_OR_RETURN(int64_t last, tx->LastChangeSeq());
    applied_ = last;
  }
  last_read_ms_ = SteadyMillis();
  std::lock_guard<std::mutex> lock(stop_mu_);
  stopping_ = false;
  if (!thread_.joinable()) thread_ = std::thread([this] { Follow(); });
  return OkStatus();
}

void ChangeFeed::Stop() {
  {
    std::lock_guard<std::mutex> lock(stop_mu_);
    stopping_ = true;
  }
  stop_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

bool ChangeFeed::Current() const {
  const int64_t read = last_read_ms_.load();
  return read >= 0 && SteadyMillis() - read <= 3 * options_.poll_interval.count() &&
         applied_.load() >= committed_here_.load();
}

void ChangeFeed::CatchUp(int64_t seq) {
  for (int64_t seen = committed_here_.load(); seen < seq && !committed_here_.compare_exchange_weak(seen, seq);) {
  }
  if (applied_.load() >= seq) return;
  std::unique_lock<std::timed_mutex> lock(mu_, options_.catch_up_wait);
  if (!lock.owns_lock()) return;  // the feed's thread applies it when the holder is done
  if (Status st = Drain(seq); !st.ok()) spdlog::warn("change feed: catching up to {} failed: {}", seq, st.message());
}

Status ChangeFeed::Drain(int64_t until) {
  while (until == 0 || applied_.load() < until) {
    std::vector<Change> batch;
    {
      GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(TxMode::kRead));
      GH_ASSIGN_OR_RETURN(batch, tx->ReadChanges(applied_.load(), options_.batch_size));
      last_read_ms_ = SteadyMillis();
      // Entries after our position were purged before we read them.
      if (!batch.empty() && batch.front().seq > applied_.load() + 1) {
        GH_ASSIGN_OR_RETURN(int64_t first, tx->FirstChangeSeq());
        if (first > applied_.load() + 1) {
          spdlog::warn("change feed: entries {}..{} were purged before this node read them; rebuilding views",
                       applied_.load() + 1, first - 1);
          for (Subscriber* s : subscribers_) s->Reset();
        }
      }
    }
    if (batch.empty()) return OkStatus();
    for (Subscriber* s : subscribers_) s->Apply(batch);
    applied_ = batch.back().seq;
    last_lag_ms_ = std::max<int64_t>(0, NowMillis() - batch.back().at);
    if (static_cast<int>(batch.size()) < options_.batch_size && until == 0) return OkStatus();
  }
  return OkStatus();
}

void ChangeFeed::Follow() {
  for (;;) {
    {
      std::lock_guard<std::mutex> lock(stop_mu_);
      if (stopping_) return;
    }
    // A notification, or the poll interval: read the feed either way. An
    // error (the database is away) is retried at the next turn; the wait
    // itself paces it.
    if (!WaitForChanges()) return;  // stopping
    {
      std::lock_guard<std::timed_mutex> lock(mu_);
      if (Status st = Drain(0); !st.ok()) spdlog::warn("change feed: reading failed: {}", st.message());
    }
    PurgeOld();
  }
}

bool ChangeFeed::WaitForChanges() {
  // In slices, so that Stop is never kept waiting long.
  constexpr auto kSlice = std::chrono::milliseconds(250);
  const auto until = std::chrono::steady_clock::now() + options_.poll_interval;
  for (auto now = std::chrono::steady_clock::now(); now < until; now = std::chrono::steady_clock::now()) {
    const auto slice = std::min<std::chrono::steady_clock::duration>(kSlice, until - now);
    const auto started = now;
    auto woke = store_.WaitForChanges(std::chrono::duration_cast<std::chrono::milliseconds>(slice));
    if (woke.ok() && *woke) return true;
    std::unique_lock<std::mutex> lock(stop_mu_);
    // No notifications here (SQLite) or the database is away: wait the slice out.
    if (!woke.ok() || std::chrono::steady_clock::now() - started < slice / 2)
      stop_cv_.wait_for(lock, slice, [this] { return stopping_; });
    if (stopping_) return false;
  }
  return true;
}

void ChangeFeed::PurgeOld() {
  const auto now = std::chrono::steady_clock::now();
  if (now < next_purge_) return;
  next_purge_ = now + options_.purge_interval;
  const int64_t before =
      NowMillis() - std::chrono::duration_cast<std::chrono::milliseconds>(options_.retention).count();
  auto tx = store_.Begin(TxMode::kWrite);
  Status st = tx.ok() ? (*tx)->PurgeChanges(before).status() : tx.status();
  if (st.ok()) st = (*tx)->Commit();
  if (!st.ok()) spdlog::warn("change feed: purging entries older than {} h failed: {}", options_.retention.count(),
                             st.message());
}

}  // namespace gh::store
