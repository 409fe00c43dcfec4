#include "invitations/bulk_runner.h"

#include <spdlog/spdlog.h>

#include <future>
#include <optional>

namespace gh::invitations {

BulkRunner::BulkRunner(BulkInvitationService& bulk, RunnerOptions options)
    : bulk_(bulk), options_(std::move(options)) {}

BulkRunner::~BulkRunner() { Stop(); }

bool BulkRunner::Stopping() {
  std::lock_guard lock(mu_);
  return stop_;
}

int BulkRunner::RunAll() {
  int chunks = 0;
  auto jobs = bulk_.Unfinished();
  if (!jobs.ok()) {
    spdlog::warn("bulk invitations: listing jobs failed: {}", jobs.status().message());
    return 0;
  }
  for (store::BulkJobRow job : *jobs) {
    // A job that throws (a stored row that no longer reads back) fails
    // alone: escaping this thread would end the server, and at every start
    // after, as the job would still be waiting.
    try {
      chunks += RunJob(job);
    } catch (const std::exception& e) {
      spdlog::error("bulk invitations: job {} stopped by an internal error: {}", job.id, e.what());
      if (Status s = bulk_.Fail(job, "An internal error stopped the job."); !s.ok())
        spdlog::error("bulk invitations: could not mark job {} failed: {}", job.id, s.message());
    }
  }
  return chunks;
}

int BulkRunner::RunJob(store::BulkJobRow job) {
  int chunks = 0;
  int failures = 0;
  std::future<StatusOr<ChunkPlan>> planning;  // of the chunk after the one being written
  // The plan last written: freed by the next planning task, as freeing its
  // thousands of small objects took ~3% of the writing thread.
  std::optional<ChunkPlan> spent;
  while (!IsFinished(StatusOf(job)) && !Stopping()) {
    std::optional<ChunkPlan> plan;
    if (planning.valid()) {
      // A plan that could not be made (it needed a read past its prefetch,
      // the database failed) leaves the chunk to be planned in its turn.
      if (auto planned = planning.get(); planned.ok()) plan = std::move(*planned);
    }
    if (options_.plan_ahead && job.next_chunk + 1 < job.chunk_count && !job.cancel_requested)
      planning = std::async(std::launch::async, [this, job, spent = std::move(spent)]() mutable {
        spent.reset();
        return bulk_.PlanChunk(job, job.next_chunk + 1);
      });
    auto next = bulk_.RunChunk(job, options_.owner, plan ? &*plan : nullptr);
    spent = std::move(plan);
    if (next.ok()) {
      if (options_.on_rows && next->processed > job.processed) options_.on_rows(next->processed - job.processed);
      job = *next;
      failures = 0;
      ++chunks;
      continue;
    }
    if (next.status().reason() == "leased") {
      // Held by another runner: take it over only if that runner is dead.
      auto held = bulk_.StoredJob(job.tenant_id, job.id);
      if (held.ok() && held->lease_owner && options_.owner_is_dead && options_.owner_is_dead(*held->lease_owner) &&
          bulk_.ReleaseLease(*held, *held->lease_owner).ok()) {
        spdlog::info("bulk invitations: resuming job {} left by {}", job.id, *held->lease_owner);
        continue;
      }
      break;
    }
    if (next.status().reason() == kUnreadableJob) {
      // Retrying won't help, and the row's text is not for the job's reader.
      spdlog::error("bulk invitations: job {} stopped: {}", job.id, next.status().message());
      if (Status s = bulk_.Fail(job, "An internal error stopped the job."); !s.ok())
        spdlog::error("bulk invitations: could not mark job {} failed: {}", job.id, s.message());
      break;
    }
    spdlog::warn("bulk invitations: job {} chunk {} failed: {}", job.id, job.next_chunk, next.status().message());
    if (++failures >= options_.max_attempts) {
      if (Status s = bulk_.Fail(job, next.status().message()); !s.ok())
        spdlog::error("bulk invitations: could not mark job {} failed: {}", job.id, s.message());
      break;
    }
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(options_.retry_ms), [this] { return stop_; });
  }
  if (IsFinished(StatusOf(job)))
    spdlog::info("bulk invitations: job {} {}: {} rows, {} succeeded, {} failed", job.id, BulkJobStatusName(StatusOf(job)),
                 job.processed, job.succeeded, job.failed);
  return chunks;
}

void BulkRunner::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable()) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void BulkRunner::Notify() {
  {
    std::lock_guard lock(mu_);
    notified_ = true;
  }
  cv_.notify_one();
}

void BulkRunner::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_one();
  if (thread_.joinable()) thread_.join();
}

void BulkRunner::Loop() {
  while (!Stopping()) {
    RunAll();
    std::unique_lock lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(options_.poll_ms), [this] { return stop_ || notified_; });
    notified_ = false;
  }
}

}  // namespace gh::invitations
