#pragma once
// The periodic purge of expired sign-in rows (SigninService::PurgeExpired) on
// a background thread: once at Start(), then every `interval` until Stop().
// Without it the device-code, one-time-passcode, session, code, refresh-token
// and throttle tables grow with every unauthenticated request, for ever.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <thread>

#include "identity/signin.h"

namespace gh::identity {

class SigninPurger {
 public:
  // Called after each run with what it deleted, or why it failed (the next
  // run tries again). From the purger's thread.
  using Report = std::function<void(const StatusOr<store::PurgeCounts>&)>;

  // `signin` must outlive the purger. An interval of zero or less never runs.
  SigninPurger(SigninService& signin, std::chrono::milliseconds interval, Report report = {});
  ~SigninPurger();  // Stop()
  SigninPurger(const SigninPurger&) = delete;
  SigninPurger& operator=(const SigninPurger&) = delete;

  void Start();
  // Wakes the thread and waits for it; a run in progress finishes first
  // (each of its transactions is short).
  void Stop();

 private:
  void Loop();

  SigninService& signin_;
  std::chrono::milliseconds interval_;
  Report report_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace gh::identity
