#pragma once
// Runs bulk invitation jobs on a background thread: picks up queued jobs and
// the jobs a previous process left running (after a crash it resumes them at
// their first unprocessed chunk), one chunk per transaction. A chunk that
// fails on a database error is retried after a pause; after `max_attempts`
// failures in a row the job is marked failed with the error. While a chunk is
// written, the next one is planned on a second thread.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

#include "invitations/bulk_service.h"

namespace gh::invitations {

struct RunnerOptions {
  std::string owner = "gatehouse";  // this process, as recorded on leased jobs
  int64_t poll_ms = 2000;           // look for jobs from other servers this often
  int64_t retry_ms = 1000;
  int max_attempts = 5;
  // Plan each chunk on a second thread while the one before it is written
  // (BulkInvitationService::RunChunk's `ahead`): the rules and the writes
  // then use a core each.
  bool plan_ahead = true;
  // True when the runner named `owner` is known to be gone (a crashed process
  // on this host), so its jobs are taken over at once instead of after the lease.
  std::function<bool(const std::string& owner)> owner_is_dead;
  // Told after each committed chunk how many rows it processed (metrics).
  std::function<void(int64_t rows)> on_rows;
};

class BulkRunner {
 public:
  BulkRunner(BulkInvitationService& bulk, RunnerOptions options);
  ~BulkRunner();  // Stop()s
  BulkRunner(const BulkRunner&) = delete;
  BulkRunner& operator=(const BulkRunner&) = delete;

  // Runs every unfinished job to its end (or until Stop()); returns how many
  // chunks were processed. Used by the thread and directly by tests.
  int RunAll();

  void Start();
  void Notify();  // a job was submitted
  void Stop();    // finishes the chunk in flight, then joins

 private:
  void Loop();
  bool Stopping();
  // One job, chunk after chunk, each planned while the one before is written.
  int RunJob(store::BulkJobRow job);

  BulkInvitationService& bulk_;
  RunnerOptions options_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool notified_ = false;
};

}  // namespace gh::invitations
