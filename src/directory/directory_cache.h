#pragma once
// A node's memory of the directory rows Graph clients read most — a user by
// id or userPrincipalName, a group by id, the directory roles a user holds
// (read on every request a user's token makes) — kept correct by the change
// feed (store/change_feed.h): a change to a user, group, membership, role
// assignment or deletion drops what it touches, a gap drops everything.
//
// Read-through: a lookup answers from memory only while the feed is current
// (ChangeFeed::Current: read recently, and every commit of this node
// applied); otherwise, and on a miss, it reads the store. What the store
// returned is kept only if no change to that tenant was applied while it was
// being read, so a row read before a write can't be kept after the write's
// change dropped it. Not-found answers are never kept.
//
// Users are kept packed (directory/packed_user.h): a 100,000-user tenant's
// rows take tens of megabytes, not hundreds.
//
// Bounded: per tenant and kind, two generations of at most half the limit
// each; a full young generation becomes the old one and the old one is
// dropped, so what is read keeps being kept (a hit in the old generation
// moves the row to the young one). Thread-safe.
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "core/status.h"
#include "directory/model/types.h"
#include "directory/packed_user.h"
#include "store/change_feed.h"

namespace gh::directory {

class DirectoryCache : public store::ChangeFeed::Subscriber {
 public:
  struct Options {
    size_t users_per_tenant = 200'000;   // rows kept per tenant (by id; the UPN index adds keys only)
    size_t groups_per_tenant = 50'000;
    size_t role_sets_per_tenant = 200'000;
  };

  DirectoryCache(const store::ChangeFeed& feed, Options options);
  explicit DirectoryCache(const store::ChangeFeed& feed) : DirectoryCache(feed, Options{}) {}

  // Each returns the row from memory when it can, otherwise load()'s answer
  // (kept when it is a row and nothing changed meanwhile). `id` is a lower-case
  // object id, `upn` any case.
  StatusOr<User> UserById(const std::string& tenant_id, const std::string& id,
                          const std::function<StatusOr<User>()>& load);
  StatusOr<User> UserByUpn(const std::string& tenant_id, const std::string& upn,
                           const std::function<StatusOr<User>()>& load);
  StatusOr<Group> GroupById(const std::string& tenant_id, const std::string& id,
                            const std::function<StatusOr<Group>()>& load);
  // The directory role template ids `user_id` holds (directly or through a
  // role-assignable group).
  StatusOr<std::vector<std::string>> RolesOf(const std::string& tenant_id, const std::string& user_id,
                                             const std::function<StatusOr<std::vector<std::string>>()>& load);

  void Apply(const std::vector<store::Change>& batch) override;
  void Reset() override;

  // Lookups answered from memory, and those that read the store.
  int64_t hits() const { return hits_.load(); }
  int64_t misses() const { return misses_.load(); }

 private:
  // Young and old generations of one kind of row in one tenant.
  template <typename V>
  struct Generations {
    std::unordered_map<std::string, V> young, old;
    const V* Find(const std::string& key);
    void Put(const std::string& key, V value, size_t limit);
    void Erase(const std::string& key);
  };
  struct Tenant {
    uint64_t generation = 0;  // counts the changes applied to this tenant
    Generations<PackedUser> users;
    Generations<std::string> upn_to_id;  // lower-case UPN → id
    Generations<Group> groups;
    Generations<std::vector<std::string>> roles;
  };

  // find() in memory when the feed is current; else load(), and keep() what
  // it returned unless a change to the tenant was applied meanwhile.
  template <typename V>
  StatusOr<V> ReadThrough(const std::string& tenant_id, const std::function<std::optional<V>(Tenant&)>& find,
                          const std::function<StatusOr<V>()>& load,
                          const std::function<void(Tenant&, const V&)>& keep);
  // With mu_ held: the tenant, created on first use.
  Tenant& TenantLocked(const std::string& tenant_id);
  void KeepUserLocked(Tenant& t, const User& u) const;
  void DropUserLocked(Tenant& t, const std::string& id);

  const store::ChangeFeed& feed_;
  const Options options_;
  std::mutex mu_;
  std::map<std::string, Tenant, std::less<>> tenants_;
  std::atomic<int64_t> hits_{0};
  std::atomic<int64_t> misses_{0};
};

}  // namespace gh::directory
