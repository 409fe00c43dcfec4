#pragma once
// Internal: a bounded pool of sql::Connection. Connections are opened lazily
// up to `size`; Acquire() blocks until one is free or `wait` passes
// (→ Unavailable). A connection returned Broken() is dropped, so the next
// Acquire() opens a fresh one. Thread-safe; leases may outlive the pool's
// owner (they share the pool's state).
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "store/sql.h"

namespace gh::store {

class ConnectionPool : public std::enable_shared_from_this<ConnectionPool> {
 public:
  using Factory = std::function<StatusOr<std::unique_ptr<sql::Connection>>()>;

  // Exclusive use of one connection; returns it to the pool when destroyed.
  class Lease {
   public:
    Lease(std::shared_ptr<ConnectionPool> pool, std::unique_ptr<sql::Connection> conn)
        : pool_(std::move(pool)), conn_(std::move(conn)) {}
    Lease(Lease&&) = default;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (pool_ && conn_) pool_->Release(std::move(conn_));
    }
    sql::Connection* operator->() const { return conn_.get(); }
    sql::Connection& operator*() const { return *conn_; }
    // Closes the connection instead of returning it (after a failure).
    void Discard() { conn_.reset(); if (pool_) pool_->Release(nullptr); pool_.reset(); }

   private:
    std::shared_ptr<ConnectionPool> pool_;
    std::unique_ptr<sql::Connection> conn_;
  };

  static std::shared_ptr<ConnectionPool> Create(Factory factory, int size, std::chrono::milliseconds wait);
  StatusOr<Lease> Acquire();

  // What the pool holds now (for metrics): its bound, connections open
  // (idle or leased), leased, and callers waiting in Acquire().
  struct Use {
    int size = 0, open = 0, in_use = 0, waiting = 0;
  };
  Use CurrentUse() const;

 private:
  ConnectionPool(Factory factory, int size, std::chrono::milliseconds wait)
      : factory_(std::move(factory)), size_(size < 1 ? 1 : size), wait_(wait) {}
  // `conn` null: a connection was closed, freeing its slot.
  void Release(std::unique_ptr<sql::Connection> conn);

  Factory factory_;
  const int size_;
  const std::chrono::milliseconds wait_;
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::unique_ptr<sql::Connection>> idle_;
  int open_ = 0;  // connections that exist (idle or leased)
  int waiting_ = 0;  // callers blocked in Acquire()
};

}  // namespace gh::store
