#include "identity/signin_purger.h"

namespace gh::identity {

SigninPurger::SigninPurger(SigninService& signin, std::chrono::milliseconds interval, Report report)
    : signin_(signin), interval_(interval), report_(std::move(report)) {}

SigninPurger::~SigninPurger() { Stop(); }

void SigninPurger::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || interval_.count() <= 0) return;
  stop_ = false;
  thread_ = std::thread([this] { Loop(); });
}

void SigninPurger::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void SigninPurger::Loop() {
  for (;;) {
    auto result = signin_.PurgeExpired();
    if (report_) report_(result);
    std::unique_lock lock(mu_);
    if (cv_.wait_for(lock, interval_, [this] { return stop_; })) return;
  }
}

}  // namespace gh::identity
