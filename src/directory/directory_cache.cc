#include "directory/directory_cache.h"

#include "core/strings.h"

namespace gh::directory {

template <typename V>
const V* DirectoryCache::Generations<V>::Find(const std::string& key) {
  if (auto it = young.find(key); it != young.end()) return &it->second;
  auto it = old.find(key);
  if (it == old.end()) return nullptr;
  // Still read: move it to the young generation, where it outlives the old one.
  auto [moved, inserted] = young.insert_or_assign(key, std::move(it->second));
  old.erase(it);
  return &moved->second;
}

template <typename V>
void DirectoryCache::Generations<V>::Put(const std::string& key, V value, size_t limit) {
  old.erase(key);
  if (young.size() >= std::max<size_t>(1, limit / 2) && !young.contains(key)) {
    old = std::move(young);
    young.clear();
  }
  young.insert_or_assign(key, std::move(value));
}

template <typename V>
void DirectoryCache::Generations<V>::Erase(const std::string& key) {
  young.erase(key);
  old.erase(key);
}

namespace {
template <typename V>
std::optional<V> CopyOf(const V* v) {
  return v != nullptr ? std::optional<V>(*v) : std::nullopt;
}
}  // namespace

DirectoryCache::DirectoryCache(const store::ChangeFeed& feed, Options options) : feed_(feed), options_(options) {}

DirectoryCache::Tenant& DirectoryCache::TenantLocked(const std::string& tenant_id) {
  auto it = tenants_.find(tenant_id);
  if (it == tenants_.end()) it = tenants_.emplace(tenant_id, Tenant{}).first;
  return it->second;
}

template <typename V>
StatusOr<V> DirectoryCache::ReadThrough(const std::string& tenant_id,
                                        const std::function<std::optional<V>(Tenant&)>& find,
                                        const std::function<StatusOr<V>()>& load,
                                        const std::function<void(Tenant&, const V&)>& keep) {
  std::optional<uint64_t> generation;  // the tenant's change count before the store is read
  if (feed_.Current()) {
    std::lock_guard<std::mutex> lock(mu_);
    Tenant& t = TenantLocked(tenant_id);
    if (std::optional<V> v = find(t)) {
      ++hits_;
      return *std::move(v);
    }
    generation = t.generation;
  }
  ++misses_;
  StatusOr<V> loaded = load();
  if (loaded.ok() && generation) {
    std::lock_guard<std::mutex> lock(mu_);
    Tenant& t = TenantLocked(tenant_id);
    if (t.generation == *generation) keep(t, *loaded);
  }
  return loaded;
}

void DirectoryCache::KeepUserLocked(Tenant& t, const User& u) const {
  t.upn_to_id.Put(ToLower(u.user_principal_name), u.id, options_.users_per_tenant);
  t.users.Put(u.id, PackedUser(u), options_.users_per_tenant);
}

StatusOr<User> DirectoryCache::UserById(const std::string& tenant_id, const std::string& id,
                                        const std::function<StatusOr<User>()>& load) {
  return ReadThrough<User>(
      tenant_id,
      [&](Tenant& t) -> std::optional<User> {
        const PackedUser* u = t.users.Find(id);
        return u != nullptr ? std::optional<User>(u->Unpack()) : std::nullopt;
      },
      load,
      [this](Tenant& t, const User& u) { KeepUserLocked(t, u); });
}

StatusOr<User> DirectoryCache::UserByUpn(const std::string& tenant_id, const std::string& upn,
                                         const std::function<StatusOr<User>()>& load) {
  const std::string key = ToLower(upn);
  return ReadThrough<User>(
      tenant_id,
      [&](Tenant& t) -> std::optional<User> {
        const std::string* id = t.upn_to_id.Find(key);
        const PackedUser* u = id != nullptr ? t.users.Find(*id) : nullptr;
        // The index can outlive a row it pointed to (they age apart): a user
        // renamed since is read again under the new name, not this one.
        if (u == nullptr || ToLower(u->user_principal_name()) != key) return std::nullopt;
        return u->Unpack();
      },
      load, [this](Tenant& t, const User& u) { KeepUserLocked(t, u); });
}

StatusOr<Group> DirectoryCache::GroupById(const std::string& tenant_id, const std::string& id,
                                          const std::function<StatusOr<Group>()>& load) {
  return ReadThrough<Group>(
      tenant_id, [&](Tenant& t) { return CopyOf(t.groups.Find(id)); }, load,
      [this](Tenant& t, const Group& g) { t.groups.Put(g.id, g, options_.groups_per_tenant); });
}

StatusOr<std::vector<std::string>> DirectoryCache::RolesOf(
    const std::string& tenant_id, const std::string& user_id,
    const std::function<StatusOr<std::vector<std::string>>()>& load) {
  using Roles = std::vector<std::string>;
  return ReadThrough<Roles>(
      tenant_id, [&](Tenant& t) { return CopyOf(t.roles.Find(user_id)); }, load,
      [&](Tenant& t, const Roles& roles) { t.roles.Put(user_id, roles, options_.role_sets_per_tenant); });
}

void DirectoryCache::DropUserLocked(Tenant& t, const std::string& id) {
  auto drop_upn = [&t](const std::unordered_map<std::string, PackedUser>& rows, const std::string& id) {
    if (auto it = rows.find(id); it != rows.end()) t.upn_to_id.Erase(ToLower(it->second.user_principal_name()));
  };
  drop_upn(t.users.young, id);
  drop_upn(t.users.old, id);
  t.users.Erase(id);
}

void DirectoryCache::Apply(const std::vector<store::Change>& batch) {
  using store::ChangeKind;
  std::lock_guard<std::mutex> lock(mu_);
  for (const store::Change& c : batch) {
    auto it = tenants_.find(c.tenant_id);
    if (it == tenants_.end()) continue;  // nothing kept, no read in flight
    Tenant& t = it->second;
    switch (c.kind) {
      case ChangeKind::kUser:
      case ChangeKind::kGroup:
      case ChangeKind::kPrincipalDeleted:
      case ChangeKind::kMembership:
      case ChangeKind::kDirectoryRole:
        break;
      default:
        continue;  // nothing this cache keeps
    }
    ++t.generation;
    if (c.all) {
      const uint64_t generation = t.generation;
      t = Tenant{};
      t.generation = generation;
      continue;
    }
    switch (c.kind) {
      case ChangeKind::kUser:
        for (const std::string& id : c.ids) DropUserLocked(t, id);
        break;
      case ChangeKind::kGroup:
        for (const std::string& id : c.ids) t.groups.Erase(id);
        break;
      case ChangeKind::kPrincipalDeleted:
        for (const std::string& id : c.ids) {
          DropUserLocked(t, id);
          t.groups.Erase(id);
        }
        t.roles = {};  // a deleted group took its members' roles with it
        break;
      case ChangeKind::kMembership:
      case ChangeKind::kDirectoryRole:
        // A member or assignee may be a group: whose roles changed is not
        // known without reading, and role changes are rare.
        t.roles = {};
        break;
      default:
        break;
    }
  }
}

void DirectoryCache::Reset() {
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [id, t] : tenants_) {
    const uint64_t generation = t.generation + 1;
    t = Tenant{};
    t.generation = generation;
  }
}

}  // namespace gh::directory
