#include "identity/password_pool.h"

#include <chrono>
#include <semaphore>
#include <thread>

#include "identity/secrets.h"

namespace gh::identity {

struct PasswordPool::Slots {
  explicit Slots(int n) : sem(n) {}
  std::counting_semaphore<4096> sem;
};

namespace {

PasswordPoolOptions Normalised(PasswordPoolOptions o) {
  if (o.slots <= 0) o.slots = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  o.slots = std::min(o.slots, 4096);
  if (o.public_in_flight <= 0) o.public_in_flight = o.slots;
  if (o.max_wait_ms < 0) o.max_wait_ms = 0;
  if (o.authenticated_max_wait_ms < 0) o.authenticated_max_wait_ms = 0;
  return o;
}

}  // namespace

Status ServerBusy() {
  return ResourceExhausted("The server is busy. Wait a moment and try again.", "TooManyRequests");
}

PasswordPool::PasswordPool(PasswordPoolOptions options)
    : options_(Normalised(options)), slots_(std::make_unique<Slots>(options_.slots)) {}

PasswordPool::~PasswordPool() = default;

Status PasswordPool::Run(Caller caller, const std::function<void()>& work) {
  const bool is_public = caller == Caller::kPublic;
  if (is_public) {
    // Admission first, so the callers waiting below are bounded too: a waiting
    // request holds an HTTP worker as surely as a running one.
    if (public_in_flight_.fetch_add(1) >= options_.public_in_flight) {
      public_in_flight_.fetch_sub(1);
      return ServerBusy();
    }
  }
  struct Leave {
    std::atomic<int>* counter;
    ~Leave() {
      if (counter) counter->fetch_sub(1);
    }
  } leave{is_public ? &public_in_flight_ : nullptr};
  const int64_t wait_ms = is_public ? options_.max_wait_ms : options_.authenticated_max_wait_ms;
  if (!slots_->sem.try_acquire_for(std::chrono::milliseconds(wait_ms))) return ServerBusy();
  struct Release {
    Slots* s;
    ~Release() { s->sem.release(); }
  } release{slots_.get()};
  work();
  completed_.fetch_add(1);
  return OkStatus();
}

StatusOr<std::string> PasswordPool::Hash(std::string_view password, Random& random, Caller caller) {
  StatusOr<std::string> out = Internal("password hashing did not run");
  GH_RETURN_IF_ERROR(Run(caller, [&] { out = HashPassword(password, random); }));
  return out;
}

StatusOr<bool> PasswordPool::Verify(std::string_view password, std::string_view encoded, Caller caller) {
  bool ok = false;
  GH_RETURN_IF_ERROR(Run(caller, [&] { ok = VerifyPassword(password, encoded); }));
  return ok;
}

}  // namespace gh::identity
