#include "gate/snapshot.h"

#include "core/strings.h"
#include <sys/mman.h>

#include <algorithm>
#include <bit>
#include <cstdlib>
#include <map>
#include <new>
#include <type_traits>

namespace gh::gate {
namespace {

// Ancestors (transitive parents) of every group; cycles are refused by the
// directory, but a visited set keeps a corrupt store from looping here.
std::vector<std::vector<uint32_t>> GroupAncestors(const std::vector<std::vector<uint32_t>>& parents) {
  const size_t n = parents.size();
  std::vector<std::vector<uint32_t>> out(n);
  std::vector<char> done(n, 0);
  std::vector<uint32_t> stack;
  std::vector<char> seen(n, 0);
  for (uint32_t g = 0; g < n; ++g) {
    if (parents[g].empty()) {
      done[g] = 1;
      continue;
    }
    std::vector<uint32_t> acc;
    stack.assign(parents[g].begin(), parents[g].end());
    while (!stack.empty()) {
      uint32_t p = stack.back();
      stack.pop_back();
      if (seen[p] || p == g) continue;
      seen[p] = 1;
      acc.push_back(p);
      if (done[p]) {
        for (uint32_t a : out[p])
          if (!seen[a]) { seen[a] = 1; acc.push_back(a); }
      } else {
        for (uint32_t q : parents[p]) stack.push_back(q);
      }
    }
    for (uint32_t a : acc) seen[a] = 0;
    std::sort(acc.begin(), acc.end());
    out[g] = std::move(acc);
    done[g] = 1;
  }
  return out;
}

}  // namespace

uint32_t PrivilegeMask(const std::vector<std::string>& privileges) {
  uint32_t m = kHasRole;
  for (const auto& p : privileges) {
    if (p == environments::kCreateCanvasApp) m |= kPrivCreateCanvasApp;
    else if (p == environments::kCreateModelDrivenApp) m |= kPrivCreateModelDrivenApp;
    else if (p == environments::kImportSolution) m |= kPrivImportSolution;
    else if (p == environments::kExportSolution) m |= kPrivExportSolution;
    else if (p == environments::kCustomize) m |= kPrivCustomize;
    else if (p == environments::kAdminister) m |= kPrivAdminister;
    else if (p == environments::kShareApps) m |= kPrivShareApps;
    else if (p == environments::kReadData) m |= kPrivReadData;
    else if (p == environments::kWriteData) m |= kPrivWriteData;
  }
  return m;
}

uint32_t PrincipalTable::Get(uint32_t key) const {
  if (slots_.empty()) return 0;
  const size_t mask = slots_.size() - 1;
  for (size_t i = Home(key);; i = (i + 1) & mask) {
    if (slots_[i].key == key) return slots_[i].bits;
    if (slots_[i].key == kEmptyKey) return 0;
  }
}

uint32_t& PrincipalTable::operator[](uint32_t key) {
  // Keep the load at most 3/4 so probe runs stay short.
  if ((size_ + 1) * 4 > slots_.size() * 3) Grow();
  const size_t mask = slots_.size() - 1;
  size_t i = Home(key);
  while (slots_[i].key != key && slots_[i].key != kEmptyKey) i = (i + 1) & mask;
  if (slots_[i].key == kEmptyKey) {
    slots_[i].key = key;
    ++size_;
  }
  return slots_[i].bits;
}

void PrincipalTable::Grow() {
  std::vector<Slot> old = std::move(slots_);
  const size_t capacity = old.empty() ? 16 : old.size() * 2;
  slots_.assign(capacity, Slot{});
  shift_ = 32 - static_cast<uint32_t>(std::countr_zero(capacity));
  size_ = 0;
  for (const Slot& s : old)
    if (s.key != kEmptyKey) (*this)[s.key] = s.bits;
}

UserCore::UserCore(const UserFacts& u)
    : all_groups_(u.groups.data()),
      group_count_(static_cast<uint32_t>(u.groups.size())),
      flags_((u.enabled ? kEnabled : 0) | (u.guest ? kGuest : 0) | (u.pending_acceptance ? kPendingAcceptance : 0) |
             (u.IsAdmin() ? kAdmin : 0) | (u.license_environment_access ? kLicenseEnvironmentAccess : 0) |
             (u.license_dataverse ? kLicenseDataverse : 0) | (u.license_power_apps ? kLicensePowerApps : 0)),
      home_(u.home),
      inline_groups_{},
      long_id_(u.id.data()),
      id_size_(static_cast<uint32_t>(u.id.size())),
      inline_id_{} {
  if (group_count_ <= kInlineGroups) std::copy(u.groups.begin(), u.groups.end(), inline_groups_);
  if (id_size_ <= kInlineId) std::copy(u.id.begin(), u.id.end(), inline_id_);
}

void* AllocateHugePageCandidate(size_t bytes, size_t alignment) {
  constexpr size_t kHugePage = size_t{2} << 20;
  if (bytes < kHugePage) return ::operator new(bytes, std::align_val_t(alignment));
  const size_t rounded = (bytes + kHugePage - 1) & ~(kHugePage - 1);
  void* p = std::aligned_alloc(kHugePage, rounded);
  if (!p) throw std::bad_alloc();
#ifdef MADV_HUGEPAGE
  madvise(p, rounded, MADV_HUGEPAGE);  // a hint; ignored where THP is off
#endif
  return p;
}

void FreeHugePageCandidate(void* p, size_t bytes, size_t alignment) {
  constexpr size_t kHugePage = size_t{2} << 20;
  if (bytes < kHugePage) return ::operator delete(p, std::align_val_t(alignment));
  std::free(p);
}

void EnvironmentRoles::Grant(uint32_t principal_key, uint32_t bits) {
  bits |= kHasRole;
  const bool group = principal_key & kGroupKeyBit;
  const uint32_t i = principal_key & ~kGroupKeyBit;
  Bitset& holders = group ? group_holders_ : user_holders_;
  if ((i >> 6) >= holders.size()) holders.resize((i >> 6) + 1, 0);
  holders[i >> 6] |= uint64_t{1} << (i & 63);
  if (!group) {
    users_[i] |= bits;
    return;
  }
  if (i >= groups_.size()) groups_.resize(i + 1, 0);
  groups_[i] |= bits;
}

void IdIndex::Add(std::string_view id, uint32_t index) {
  if ((size_ + 1) * 2 > slots_.size()) Grow();  // at most half full: short probe runs
  Place({Hash(id), index});
  ++size_;
}

void IdIndex::Place(Slot s) {
  const size_t mask = slots_.size() - 1;
  size_t i = s.hash & mask;
  while (slots_[i].index != kNoIndex) i = (i + 1) & mask;
  slots_[i] = s;
}

void IdIndex::Grow() {
  auto old = std::move(slots_);
  slots_.assign(old.empty() ? 16 : old.size() * 2, Slot{});
  for (const Slot& s : old)
    if (s.index != kNoIndex) Place(s);
}

namespace {

// Users into chunks of kUserChunkSize, their cores in one block. Each
// chunk's records are in place (a moved vector keeps its elements where they
// are) before its cores are built, so the cores point at their final place.
std::vector<std::shared_ptr<const UserChunk>> MakeUserChunks(std::vector<UserFacts> users) {
  using CoreBlock = std::vector<UserCore, HugePageAllocator<UserCore>>;
  auto block = std::make_shared<CoreBlock>();
  block->reserve(users.size());  // never reallocated: the chunks point into it
  std::vector<std::shared_ptr<const UserChunk>> chunks;
  for (size_t begin = 0; begin < users.size(); begin += kUserChunkSize) {
    const size_t end = std::min(users.size(), begin + kUserChunkSize);
    auto chunk = std::make_shared<UserChunk>();
    chunk->users.assign(std::make_move_iterator(users.begin() + begin), std::make_move_iterator(users.begin() + end));
    const UserCore* first = block->data() + block->size();
    for (const UserFacts& u : chunk->users) block->emplace_back(u);
    chunk->cores = std::shared_ptr<const UserCore>(block, first);
    chunks.push_back(std::move(chunk));
  }
  return chunks;
}

struct UserNames {
  NameIndex by_id, by_upn, by_mail;
};
UserNames IndexUserNames(const std::vector<UserFacts>& users) {
  UserNames n;
  n.by_id.reserve(users.size());
  n.by_upn.reserve(users.size());
  for (uint32_t i = 0; i < users.size(); ++i) {
    n.by_id.emplace(users[i].id, i);
    n.by_upn.emplace(ToLower(users[i].user_principal_name), i);
    if (!users[i].mail.empty()) n.by_mail.emplace(ToLower(users[i].mail), i);
  }
  return n;
}

// Every user's transitive groups (direct groups, then every ancestor), sorted:
// computed once here so a decision's membership test is a binary search.
void ResolveTransitiveGroups(const std::vector<directory::Membership>& memberships, const NameIndex& user_by_id,
                             const NameIndex& group_by_id, std::vector<UserFacts>& users) {
  std::vector<std::vector<uint32_t>> parents(group_by_id.size());
  std::vector<std::vector<uint32_t>> direct(users.size());
  for (const auto& m : memberships) {
    auto g = group_by_id.find(m.group_id);
    if (g == group_by_id.end()) continue;
    if (m.member_kind == directory::MemberKind::kGroup) {
      auto child = group_by_id.find(m.member_id);
      if (child != group_by_id.end()) parents[child->second].push_back(g->second);
    } else {
      auto u = user_by_id.find(m.member_id);
      if (u != user_by_id.end()) direct[u->second].push_back(g->second);
    }
  }
  auto ancestors = GroupAncestors(parents);
  for (uint32_t u = 0; u < users.size(); ++u) {
    auto& out = users[u].groups;
    out.clear();
    for (uint32_t g : direct[u]) {
      out.push_back(g);
      out.insert(out.end(), ancestors[g].begin(), ancestors[g].end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }
}

uint32_t Find(const NameIndex& index, const std::string& key) {
  auto it = index.find(key);
  return it == index.end() ? kNoIndex : it->second;
}

}  // namespace

std::shared_ptr<const Snapshot> Snapshot::Build(SnapshotInput in) {
  auto s = std::make_shared<Snapshot>();
  s->resource_ = std::move(in.resource);
  s->home_tenants_ = std::move(in.home_tenants);
  s->settings_ = in.settings;
  s->admin_contact_ = std::move(in.admin_contact);
  s->version_ = in.version;

  auto groups = std::make_shared<GroupIndex>();
  groups->groups = std::move(in.groups);
  groups->by_id.reserve(groups->groups.size());
  for (uint32_t i = 0; i < groups->groups.size(); ++i) groups->by_id.emplace(groups->groups[i].id, i);
  UserNames names = IndexUserNames(in.users);
  ResolveTransitiveGroups(in.memberships, names.by_id, groups->by_id, in.users);

  auto dir = std::make_shared<DirectoryIndex>();
  dir->user_count = static_cast<uint32_t>(in.users.size());
  dir->user_chunks = MakeUserChunks(std::move(in.users));
  auto ids = std::make_shared<IdIndex>();
  for (const auto& [id, i] : names.by_id) ids->Add(id, i);  // by_id kept the first of duplicate ids
  dir->user_by_id = std::move(ids);
  dir->user_by_upn = std::make_shared<const NameIndex>(std::move(names.by_upn));
  dir->user_by_mail = std::make_shared<const NameIndex>(std::move(names.by_mail));
  dir->groups = groups;

  s->environments_ = std::move(in.environments);
  std::vector<std::shared_ptr<EnvironmentRoles>> roles(s->environments_.size());
  for (uint32_t e = 0; e < s->environments_.size(); ++e) {
    auto& env = s->environments_[e];
    // The first environment with a key keeps it.
    if (s->FindEnvironment(env.env.id) == kNoIndex) s->env_by_key_.Add(env.env.id, e);
    if (s->FindEnvironment(env.env.unique_name) == kNoIndex) s->env_by_key_.Add(env.env.unique_name, e);
    if (env.env.security_group_id) {
      if (uint32_t g = Find(groups->by_id, *env.env.security_group_id); g != kNoIndex) {
        env.security_group = g;
        env.security_group_name = groups->groups[g].display_name;
      }
    }
    roles[e] = std::make_shared<EnvironmentRoles>();
  }
  for (const auto& grant : in.role_grants) {
    const uint32_t e = s->FindEnvironment(grant.environment_id);
    if (e == kNoIndex) continue;
    uint32_t key = Find(names.by_id, grant.principal_id);
    if (key == kNoIndex)
      if (uint32_t g = Find(groups->by_id, grant.principal_id); g != kNoIndex) key = g | kGroupKeyBit;
    if (key == kNoIndex) continue;
    roles[e]->Grant(key, grant.privileges | kHasRole);
  }
  s->env_roles_.assign(roles.begin(), roles.end());

  s->apps_ = std::move(in.apps);
  for (uint32_t i = 0; i < s->apps_.size(); ++i) s->app_by_id_.emplace(s->apps_[i].id, i);
  s->dir_ = std::move(dir);
  return s;
}

std::shared_ptr<const Snapshot> Snapshot::WithEnvironmentRoles(uint32_t env_index,
                                                               std::shared_ptr<const EnvironmentRoles> roles) const {
  auto s = std::make_shared<Snapshot>(*this);  // copies pointers and the small parts
  if (env_index < s->env_roles_.size()) s->env_roles_[env_index] = std::move(roles);
  ++s->version_;
  return s;
}

// Copies only what the change touches: the user's chunk, and a name index
// only when that name changed (or the user is new).
std::shared_ptr<const Snapshot> Snapshot::WithUser(const UserFacts& user) const { return WithUsers({user}); }

std::shared_ptr<const Snapshot> Snapshot::WithUsers(const std::vector<UserFacts>& users) const {
  auto s = std::make_shared<Snapshot>(*this);
  auto dir = std::make_shared<DirectoryIndex>(*dir_);  // chunk and index pointers only
  // Each part is copied once, on its first change.
  std::shared_ptr<IdIndex> ids;
  std::shared_ptr<NameIndex> by_upn, by_mail;
  auto writable = [](auto& copy, const auto& shared) -> auto& {
    if (!copy) copy = std::make_shared<std::remove_cvref_t<decltype(*shared)>>(*shared);
    return *copy;
  };
  auto rename = [&](std::shared_ptr<NameIndex>& copy, const std::shared_ptr<const NameIndex>& shared,
                    const std::string& old_key, const std::string& new_key, uint32_t i) {
    if (old_key == new_key) return;
    NameIndex& index = writable(copy, shared);
    if (auto it = index.find(old_key); !old_key.empty() && it != index.end() && it->second == i) index.erase(it);
    if (!new_key.empty()) index.emplace(new_key, i);
  };
  std::map<uint32_t, std::vector<UserFacts>> chunks;  // chunk → its records, copied on first change
  auto records_of = [&](uint32_t i) -> std::vector<UserFacts>& {
    auto [it, fresh] = chunks.try_emplace(i >> kUserChunkBits);
    if (fresh && (i >> kUserChunkBits) < dir->user_chunks.size())
      it->second = dir->user_chunks[i >> kUserChunkBits]->users;
    return it->second;
  };
  auto at = [&](uint32_t k) -> const UserFacts& {  // a record as changed so far
    if (auto it = chunks.find(k >> kUserChunkBits); it != chunks.end()) return it->second[k & (kUserChunkSize - 1)];
    return dir->user(k);
  };
  for (const UserFacts& user : users) {
    uint32_t i = ids ? ids->Find(user.id, [&](uint32_t k) { return at(k).id == user.id; }) : FindUser(user.id);
    std::string old_upn, old_mail;  // lower-case
    if (i == kNoIndex) {
      i = dir->user_count++;
      if (i % kUserChunkSize == 0) dir->user_chunks.push_back(std::make_shared<const UserChunk>());
      writable(ids, dir->user_by_id).Add(user.id, i);
      // Indexed even when empty, as Build does; so the rename below is a no-op.
      writable(by_upn, dir->user_by_upn).emplace(ToLower(user.user_principal_name), i);
      old_upn = ToLower(user.user_principal_name);
    } else {
      const UserFacts& old = records_of(i)[i & (kUserChunkSize - 1)];
      old_upn = ToLower(old.user_principal_name);
      old_mail = ToLower(old.mail);
    }
    rename(by_upn, dir->user_by_upn, old_upn, ToLower(user.user_principal_name), i);
    rename(by_mail, dir->user_by_mail, old_mail, ToLower(user.mail), i);
    std::vector<UserFacts>& records = records_of(i);
    const uint32_t slot = i & (kUserChunkSize - 1);
    if (slot < records.size()) records[slot] = user;
    else records.push_back(user);
  }
  for (auto& [c, records] : chunks) dir->user_chunks[c] = MakeUserChunks(std::move(records)).front();
  if (ids) dir->user_by_id = std::move(ids);
  if (by_upn) dir->user_by_upn = std::move(by_upn);
  if (by_mail) dir->user_by_mail = std::move(by_mail);
  s->dir_ = std::move(dir);
  ++s->version_;
  return s;
}

std::shared_ptr<const EnvironmentRoles> Snapshot::RolesFrom(const std::vector<SnapshotInput::RoleGrant>& grants) const {
  auto roles = std::make_shared<EnvironmentRoles>();
  for (const auto& grant : grants) {
    uint32_t key = FindUser(grant.principal_id);
    if (key == kNoIndex)
      if (uint32_t g = FindGroup(grant.principal_id); g != kNoIndex) key = g | kGroupKeyBit;
    if (key != kNoIndex) roles->Grant(key, grant.privileges | kHasRole);
  }
  return roles;
}

const TenantFacts* Snapshot::HomeTenant(const std::string& tenant_id) const {
  auto it = home_tenants_.find(tenant_id);
  return it == home_tenants_.end() ? nullptr : &it->second;
}

const TenantFacts* Snapshot::HomeTenantByDomain(const std::string& domain) const {
  for (const auto& [id, t] : home_tenants_)
    for (const auto& d : t.tenant.verified_domains)
      if (d == domain) return &t;
  return nullptr;
}

// Confirmed against the user's core (read next anyway), not the full record.
uint32_t Snapshot::FindUser(const std::string& id) const {
  return dir_->user_by_id->Find(id, [&](uint32_t i) {
    const UserCore& core = dir_->core(i);
    core.PrefetchFacts();
    return core.id() == id;
  });
}

uint32_t Snapshot::FindUserByAnyName(const std::string& name) const {
  if (uint32_t i = FindUser(name); i != kNoIndex) return i;
  std::string key = ToLower(name);
  if (uint32_t i = Find(*dir_->user_by_upn, key); i != kNoIndex) return i;
  return Find(*dir_->user_by_mail, key);
}

uint32_t Snapshot::FindGroup(const std::string& id) const { return Find(dir_->groups->by_id, id); }

bool Snapshot::IsMemberOf(uint32_t user, uint32_t group) const {
  const auto g = dir_->core(user).groups();
  return std::binary_search(g.begin(), g.end(), group);
}

uint32_t Snapshot::FindEnvironment(const std::string& id_or_name) const {
  return env_by_key_.Find(id_or_name, [&](uint32_t e) {
    const auto& env = environments_[e].env;
    return env.id == id_or_name || env.unique_name == id_or_name;
  });
}

uint32_t Snapshot::PrivilegesOf(uint32_t user, uint32_t env) const {
  const EnvironmentRoles& roles = *env_roles_[env];
  if (roles.empty()) return 0;
  uint32_t bits = roles.OfUser(user);
  for (uint32_t g : dir_->core(user).groups()) bits |= roles.OfGroup(g);
  return bits;
}

bool Snapshot::HoldsAny(uint32_t user, uint32_t env, uint32_t wanted) const {
  const EnvironmentRoles& roles = *env_roles_[env];
  if (roles.empty()) return false;
  if (roles.UserHoldsAny(user, wanted)) return true;
  for (uint32_t g : dir_->core(user).groups())
    if (roles.GroupHoldsAny(g, wanted)) return true;
  return false;
}

const AppFacts* Snapshot::FindApp(const std::string& id) const {
  auto it = app_by_id_.find(id);
  return it == app_by_id_.end() ? nullptr : &apps_[it->second];
}

}  // namespace gh::gate
