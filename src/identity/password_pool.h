#pragma once
// A bounded pool for Argon2id work: hashing and verifying passwords.
//
// Argon2id costs tens of milliseconds and 19 MiB a call by design, and the
// HTTP handlers run on a small worker pool, so unbounded, a flood of sign-ins
// or sign-ups would hold every worker and starve the rest of the API. The pool
// bounds that work two ways:
//   - at most `slots` computations run at once (default: the number of cores);
//   - at most `public_in_flight` unauthenticated callers (sign-in, sign-up)
//     are in the pool at once, running or waiting for a slot. The composition
//     root sets it below the number of HTTP workers, so password work started
//     by anonymous requests never holds every worker.
// A caller that can't get in is refused at once (a public caller over its
// bound) or after waiting for a slot (`max_wait_ms` for a public caller,
// `authenticated_max_wait_ms` for an administrator, whose writes queue behind
// a burst of their own rather than fail), with
// ResourceExhausted, reason "TooManyRequests" ("the server is busy"): the
// sign-in pages answer 429 and Graph 429, both with Retry-After.
//
// The pool runs the work on the calling thread: it bounds concurrency, it
// doesn't move work between threads. Thread-safe.
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "core/random.h"
#include "core/status.h"

namespace gh::identity {

struct PasswordPoolOptions {
  int slots = 0;             // computations at once; 0 = the number of cores
  int public_in_flight = 0;  // anonymous callers running or waiting; 0 = slots
  int64_t max_wait_ms = 2000;                 // a public caller's wait for a slot
  int64_t authenticated_max_wait_ms = 30000;  // an authenticated caller's
};

class PasswordPool {
 public:
  enum class Caller {
    kPublic,         // an unauthenticated request: sign-in, sign-up
    kAuthenticated,  // an administrator setting a password through Graph or the portal
  };

  explicit PasswordPool(PasswordPoolOptions options = {});
  ~PasswordPool();
  PasswordPool(const PasswordPool&) = delete;
  PasswordPool& operator=(const PasswordPool&) = delete;

  // HashPassword (secrets.h) inside the pool.
  StatusOr<std::string> Hash(std::string_view password, Random& random, Caller caller);
  // VerifyPassword (secrets.h) inside the pool: the verdict, or ResourceExhausted.
  StatusOr<bool> Verify(std::string_view password, std::string_view encoded, Caller caller);

  // Runs `work` on this thread while holding a slot; what Hash and Verify do.
  // ResourceExhausted (and `work` not run) when the pool is full.
  Status Run(Caller caller, const std::function<void()>& work);

  // Computations run to the end so far (tests count what a flood cost).
  int64_t completed() const { return completed_.load(); }
  const PasswordPoolOptions& options() const { return options_; }

 private:
  struct Slots;  // the counting semaphore
  PasswordPoolOptions options_;
  std::unique_ptr<Slots> slots_;
  std::atomic<int> public_in_flight_{0};
  std::atomic<int64_t> completed_{0};
};

// The "server busy" refusal the pool returns.
Status ServerBusy();

}  // namespace gh::identity
