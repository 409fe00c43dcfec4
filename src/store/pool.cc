#include "store/pool.h"

namespace gh::store {

std::shared_ptr<ConnectionPool> ConnectionPool::Create(Factory factory, int size, std::chrono::milliseconds wait) {
  return std::shared_ptr<ConnectionPool>(new ConnectionPool(std::move(factory), size, wait));
}

StatusOr<ConnectionPool::Lease> ConnectionPool::Acquire() {
  std::unique_lock lock(mu_);
  ++waiting_;
  const bool free = cv_.wait_for(lock, wait_, [&] { return !idle_.empty() || open_ < size_; });
  --waiting_;
  if (!free) {
    return Unavailable("no free database connection within " + std::to_string(wait_.count()) + " ms");
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    return Lease(shared_from_this(), std::move(conn));
  }
  ++open_;
  lock.unlock();  // connecting may take a while; don't hold others up
  auto conn = factory_();
  if (!conn.ok()) {
    Release(nullptr);
    return conn.status();
  }
  return Lease(shared_from_this(), std::move(conn).value());
}

ConnectionPool::Use ConnectionPool::CurrentUse() const {
  std::lock_guard lock(mu_);
  return {size_, open_, open_ - static_cast<int>(idle_.size()), waiting_};
}

void ConnectionPool::Release(std::unique_ptr<sql::Connection> conn) {
  {
    std::lock_guard lock(mu_);
    if (conn && !conn->Broken()) {
      idle_.push_back(std::move(conn));
    } else {
      --open_;
    }
  }
  cv_.notify_one();
}

}  // namespace gh::store
