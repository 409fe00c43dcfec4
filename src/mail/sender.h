#pragma once
// Delivers the outbox. RunOnce() claims a batch of due messages (a short write
// transaction, committed before any network I/O so other servers see the
// lease), builds each message, hands it to the Transport, then records the
// outcome in a second short transaction:
//   OK                  → MarkSent;
//   FailedPrecondition  → given up at once (permanent SMTP rejection, or a
//                         message that cannot be built);
//   anything else       → retried after a back-off (options.backoff_ms:
//                         30 s, 2 min, 10 min, 1 h, 4 h, then 4 h), given up
//                         after options.max_attempts attempts;
// last_error keeps the latest failure either way.
//
// Delivery is at-least-once, never at-most-once: a message is only marked
// sent after the transport accepted it, so a crash (or a failed MarkSent)
// between delivery and MarkSent leaves the row leased; when the lease
// (options.lease_ms) expires it is claimed and delivered again. A recipient
// may therefore, rarely, get a duplicate; an acknowledged (committed) mail is
// never lost. Messages carry their outbox id in Message-ID, so duplicates are
// recognisable.
//
// Start() runs RunOnce() on a background thread every poll interval (1 s) or
// as soon as Notify() is called; Stop() finishes the current batch and joins.
// RunOnce() may also be called directly (tests) while the thread is not
// running. The Store, Transport and Clock must outlive the sender.
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/status.h"
#include "mail/transport.h"
#include "store/store.h"

namespace gh::mail {

struct RunStats;

struct SenderOptions {
  std::string from_address;          // envelope sender and From address
  std::string claimer = "gatehouse";  // recorded on claimed rows (host name, pid)
  int batch_size = 20;
  int64_t lease_ms = 5 * 60 * 1000;  // longer than one batch can take to send
  int max_attempts = 8;
  std::vector<int64_t> backoff_ms = {30'000, 120'000, 600'000, 3'600'000, 14'400'000};
  int64_t poll_ms = 1000;
  // Told after each pass that claimed anything (metrics: sent, failed).
  std::function<void(const RunStats&)> on_pass;
};

struct RunStats {
  int claimed = 0;
  int sent = 0;
  int failed = 0;    // will be retried
  int gave_up = 0;
};

class MailSender {
 public:
  MailSender(store::Store& store, Transport& transport, const Clock& clock, SenderOptions options);
  ~MailSender();  // Stop()s
  MailSender(const MailSender&) = delete;
  MailSender& operator=(const MailSender&) = delete;

  // One claim-and-deliver pass. A store error is returned as is (nothing was
  // marked; leases expire and the messages come back).
  StatusOr<RunStats> RunOnce();

  // The delay before attempt `attempts_done + 1`, after `attempts_done`
  // failed attempts (1-based).
  int64_t BackoffAfter(int attempts_done) const;

  void Start();
  void Notify();  // wake the background thread now (e.g. after a commit)
  void Stop();

 private:
  void Loop();

  store::Store& store_;
  Transport& transport_;
  const Clock& clock_;
  const SenderOptions options_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  bool notified_ = false;
  std::thread thread_;
};

}  // namespace gh::mail
