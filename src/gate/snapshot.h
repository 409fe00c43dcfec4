#pragma once
// An immutable in-memory view of one resource tenant: everything the gate
// reads — users with their transitive groups, directory roles and licences,
// groups, the tenant's policies and settings, environments with per-principal
// security-role privileges, apps and their sharing — plus what it needs of
// the guests' home tenants (their cross-tenant policy and cloud).
//
// A Snapshot is built once from plain values (SnapshotInput; the store reader
// is gate/loader) and shared as std::shared_ptr<const Snapshot>. The large
// parts (the directory index, each environment's role table) are held by
// shared_ptr so a patched copy after one change shares everything else
// (WithEnvironmentRoles, WithUser): users sit in chunks of kUserChunkSize, so
// a user change copies one chunk, and a role-assignment change copies one
// environment's role table (EnvironmentRoles). No I/O here.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "directory/model/types.h"
#include "directory/model/policies.h"
#include "environments/model/types.h"

namespace gh::gate {

inline constexpr uint32_t kNoIndex = UINT32_MAX;

// Security-role privileges as bits; kHasRole marks "holds at least one role"
// (a role may grant no privilege at all, e.g. Delegate).
enum PrivilegeBit : uint32_t {
  kPrivCreateCanvasApp = 1u << 0,
  kPrivCreateModelDrivenApp = 1u << 1,
  kPrivImportSolution = 1u << 2,
  kPrivExportSolution = 1u << 3,
  kPrivCustomize = 1u << 4,
  kPrivAdminister = 1u << 5,
  kPrivShareApps = 1u << 6,
  kPrivReadData = 1u << 7,
  kPrivWriteData = 1u << 8,
  kHasRole = 1u << 31,
};
// The bits of a role's privilege names (unknown names are ignored).
uint32_t PrivilegeMask(const std::vector<std::string>& privileges);

// Where a user's identity lives.
enum class HomeKind : uint8_t {
  kMember,           // a member of the resource tenant
  kOtherTenant,      // a guest whose home tenant lives on this server
  kConsumer,         // a guest with a personal account (the consumers tenant)
  kOneTimePasscode,  // a guest signing in with an email one-time passcode
  kExternal,         // a guest whose home is not on this server
};

struct UserFacts {
  std::string id;
  std::string user_principal_name;
  std::string display_name;
  std::string mail;
  bool enabled = true;
  bool guest = false;
  bool pending_acceptance = false;
  HomeKind home = HomeKind::kMember;
  std::string home_tenant_id;                 // for kOtherTenant / kConsumer
  std::string home_object_id;                 // the user's object id at home
  std::vector<std::string> home_group_ids;    // transitive groups at home (cross-tenant targets)
  std::vector<std::string> directory_roles;   // role template ids, direct or through groups
  bool global_admin = false;
  bool power_platform_admin = false;
  std::vector<uint32_t> groups;               // transitive group indexes, sorted
  // Licences from the resource tenant (home licences never count).
  bool license_environment_access = false;
  bool license_dataverse = false;
  bool license_power_apps = false;

  bool IsAdmin() const { return global_admin || power_platform_admin; }
};

// The facts of a user that every decision reads, in two cache lines: the
// flags and the transitive groups (inline up to kInlineGroups), and the id
// (inline up to kInlineId characters) to confirm an id lookup. FindUser loads
// both lines at once, so a decision reads the user in one memory round trip
// after the index slot; the strings and the rest of UserFacts stay in the
// record, read only to render a text or on the rarer paths. Built from the
// record and pointing into it (see UserChunk).
struct alignas(128) UserCore {
  static constexpr uint32_t kInlineGroups = 12;
  static constexpr uint32_t kInlineId = 52;
  enum Flag : uint8_t {
    kEnabled = 1u << 0,
    kGuest = 1u << 1,
    kPendingAcceptance = 1u << 2,
    kAdmin = 1u << 3,  // Global or Power Platform Administrator
    kLicenseEnvironmentAccess = 1u << 4,
    kLicenseDataverse = 1u << 5,
    kLicensePowerApps = 1u << 6,
  };

  explicit UserCore(const UserFacts& u);

  bool enabled() const { return flags_ & kEnabled; }
  bool guest() const { return flags_ & kGuest; }
  bool pending_acceptance() const { return flags_ & kPendingAcceptance; }
  bool IsAdmin() const { return flags_ & kAdmin; }
  bool license_environment_access() const { return flags_ & kLicenseEnvironmentAccess; }
  bool license_dataverse() const { return flags_ & kLicenseDataverse; }
  bool license_power_apps() const { return flags_ & kLicensePowerApps; }
  HomeKind home() const { return home_; }
  // Transitive group indexes, sorted.
  std::span<const uint32_t> groups() const {
    return {group_count_ <= kInlineGroups ? inline_groups_ : all_groups_, group_count_};
  }
  std::string_view id() const { return {id_size_ <= kInlineId ? inline_id_ : long_id_, id_size_}; }
  // A hint: starts loading the first line while the id on the second is compared.
  [[gnu::always_inline]] void PrefetchFacts() const { __builtin_prefetch(this); }

 private:
  // First line: what the checks read.
  const uint32_t* all_groups_;  // the record's groups (used when more than fit inline)
  uint32_t group_count_;
  uint8_t flags_;
  HomeKind home_;
  uint32_t inline_groups_[kInlineGroups];
  // Second line: the id.
  const char* long_id_;  // the record's id (used when longer than kInlineId)
  uint32_t id_size_;
  char inline_id_[kInlineId];
};
static_assert(sizeof(UserCore) == 128);

struct GroupFacts {
  std::string id;
  std::string display_name;
  bool microsoft365 = false;
};

struct EnvironmentFacts {
  environments::Environment env;
  uint32_t security_group = kNoIndex;  // group index
  std::string security_group_name;
};

// Principal key → privilege bits, in one flat array (open addressing, linear
// probing). Why not std::unordered_map: a decision looks up the user and each
// of their groups in it, and a node-based map costs a bucket load plus a node
// load per lookup on a table that doesn't fit in L2; here a lookup is usually
// one cache line, and copying the table for a patch is one memcpy.
class PrincipalTable {
 public:
  uint32_t Get(uint32_t key) const;    // 0 when absent
  uint32_t& operator[](uint32_t key);  // inserts 0 when absent
  void clear() { slots_.clear(), size_ = 0, shift_ = 32; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

 private:
  static constexpr uint32_t kEmptyKey = UINT32_MAX;  // never a key (kNoIndex)
  struct Slot {
    uint32_t key = kEmptyKey;
    uint32_t bits = 0;
  };
  // Fibonacci hashing: indexes are dense small integers, the multiply spreads them.
  size_t Home(uint32_t key) const { return static_cast<uint32_t>(key * 2654435769u) >> shift_; }
  void Grow();

  std::vector<Slot> slots_;  // size 0 or a power of two
  uint32_t shift_ = 32;      // 32 - log2(capacity)
  size_t size_ = 0;
};

// One environment's security-role table: principal → privilege bits.
// A decision asks it about the user and every transitive group of theirs, so
// it is laid out for those probes: first a bitset of the principals holding
// any role here (12.5 KB for 100,000 users, 625 bytes for 5,000 groups —
// small enough to stay in cache across environments), then, only for a
// principal that does, its bits: users in a flat hash table (a few thousand
// of the tenant's users hold a role in one environment), groups in a dense
// array indexed by group.
// Principal keys (Grant): a user index, or a group index with kGroupKeyBit set.
inline constexpr uint32_t kGroupKeyBit = 1u << 31;
class EnvironmentRoles {
 public:
  // Adds `bits` and kHasRole (the principal now holds a role) to what the
  // principal holds.
  void Grant(uint32_t principal_key, uint32_t bits);
  uint32_t OfUser(uint32_t user) const { return Holds(user_holders_, user) ? users_.Get(user) : 0; }
  uint32_t OfGroup(uint32_t group) const { return Holds(group_holders_, group) ? groups_[group] : 0; }
  // Whether the principal holds any of `wanted`; kHasRole alone (the
  // environment.access role check) is answered by the bitset.
  bool UserHoldsAny(uint32_t user, uint32_t wanted) const {
    return Holds(user_holders_, user) && (wanted == kHasRole || (users_.Get(user) & wanted));
  }
  bool GroupHoldsAny(uint32_t group, uint32_t wanted) const {
    return Holds(group_holders_, group) && (wanted == kHasRole || (groups_[group] & wanted));
  }
  // A hint: starts loading what OfUser / OfGroup read first for these.
  // (The prefetch hints are always_inline: GCC deems a function that only
  // prefetches pure, and drops calls to it when it isn't inlined early.)
  [[gnu::always_inline]] void Prefetch(uint32_t user, std::span<const uint32_t> groups) const {
    Prefetch(user_holders_, user);
    for (uint32_t g : groups) Prefetch(group_holders_, g);
  }
  bool empty() const { return user_holders_.empty() && group_holders_.empty(); }
  void clear() { *this = EnvironmentRoles(); }

 private:
  using Bitset = std::vector<uint64_t>;
  static bool Holds(const Bitset& set, uint32_t i) { return (i >> 6) < set.size() && (set[i >> 6] >> (i & 63)) & 1; }
  [[gnu::always_inline]] static void Prefetch(const Bitset& set, uint32_t i) {
    if ((i >> 6) < set.size()) __builtin_prefetch(&set[i >> 6]);
  }

  Bitset user_holders_;          // bit per user index
  Bitset group_holders_;         // bit per group index
  PrincipalTable users_;         // user index → bits
  std::vector<uint32_t> groups_; // group index → bits; sized to the highest group granted
};

enum class AppType { kCanvas, kModelDriven };
struct AppFacts {
  std::string id;
  std::string environment_id;
  std::string display_name;
  AppType type = AppType::kCanvas;
  bool dataverse = false;
  std::string owner_id;
  bool shared_with_everyone = false;
  std::vector<std::string> shared_with;  // user and group ids
};

// The tenant settings the gate reads (the whole document is environments'
// tenant_settings.h).
struct TenantSettingsFacts {
  bool enable_guests_to_make = false;
  bool disable_share_with_everyone = false;
};

struct TenantFacts {
  directory::Tenant tenant;
  directory::Policies policies;
};

// The directory part: users and groups with their lookup indexes. Every part
// is shared between snapshots and copied only when a patch changes it: users
// in chunks of kUserChunkSize (a user change copies one chunk), each name map
// on its own (a change that keeps the names copies none of them).
inline constexpr uint32_t kUserChunkBits = 10;
inline constexpr uint32_t kUserChunkSize = 1u << kUserChunkBits;  // 1,024 users
using NameIndex = std::unordered_map<std::string, uint32_t>;

// Memory for the large arrays a decision probes at random (the users'
// cores, the user-id index), advised to the kernel as huge-page candidates
// (madvise MADV_HUGEPAGE; blocks under 2 MiB get ordinary memory). With 4 KiB
// pages nearly every such probe is also a TLB miss, and the page walk costs
// about as much as the cache miss (more in a VM). A hint: no effect on results.
void* AllocateHugePageCandidate(size_t bytes, size_t alignment);
void FreeHugePageCandidate(void* p, size_t bytes, size_t alignment);
template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}  // NOLINT: rebinding, as allocators do
  T* allocate(size_t n) { return static_cast<T*>(AllocateHugePageCandidate(n * sizeof(T), alignof(T))); }
  void deallocate(T* p, size_t n) { FreeHugePageCandidate(p, n * sizeof(T), alignof(T)); }
  friend bool operator==(const HugePageAllocator&, const HugePageAllocator&) { return true; }
};

// Up to kUserChunkSize user records and their cores. The cores of a built
// snapshot sit in one block shared by its chunks (huge pages); a patched
// chunk gets its own. Cores point into the records, so a chunk is never
// copied: a patch builds a new chunk from copied records (MakeUserChunks).
struct UserChunk {
  UserChunk() = default;
  UserChunk(const UserChunk&) = delete;
  UserChunk& operator=(const UserChunk&) = delete;

  std::vector<UserFacts> users;
  std::shared_ptr<const UserCore> cores;  // cores.get()[i] is users[i]'s
};

// Id → index, in one flat array of (hash tag, index) slots, for user ids and
// environment ids / unique names. Every decision starts with these lookups;
// in a node-based map each was a bucket load, a chain of node loads and the
// key's heap string — most of a decision's cache misses. Here it is one slot
// (8 bytes), then the caller confirms the id against its own record. Ids are
// never renamed, so only a new user or environment changes it.
class IdIndex {
 public:
  static uint32_t Hash(std::string_view id) { return static_cast<uint32_t>(std::hash<std::string_view>{}(id)); }
  // The index whose id the caller confirms with is_id(index), or kNoIndex.
  template <class IsId>
  uint32_t Find(std::string_view id, IsId is_id) const {
    if (slots_.empty()) return kNoIndex;
    const uint32_t h = Hash(id);
    const size_t mask = slots_.size() - 1;
    for (size_t i = h & mask; slots_[i].index != kNoIndex; i = (i + 1) & mask)
      if (slots_[i].hash == h && is_id(slots_[i].index)) return slots_[i].index;
    return kNoIndex;
  }
  // The caller makes sure the id isn't indexed yet (first one wins, as in Build).
  void Add(std::string_view id, uint32_t index);

 private:
  struct Slot {
    uint32_t hash = 0;          // also the home slot (hash & mask)
    uint32_t index = kNoIndex;  // kNoIndex: empty
  };
  void Place(Slot s);
  void Grow();

  std::vector<Slot, HugePageAllocator<Slot>> slots_;  // size 0 or a power of two, at most half full
  size_t size_ = 0;
};
struct GroupIndex {
  std::vector<GroupFacts> groups;
  NameIndex by_id;
};
struct DirectoryIndex {
  std::vector<std::shared_ptr<const UserChunk>> user_chunks;  // all full but the last
  uint32_t user_count = 0;
  std::shared_ptr<const IdIndex> user_by_id;
  std::shared_ptr<const NameIndex> user_by_upn;   // lower-case
  std::shared_ptr<const NameIndex> user_by_mail;  // lower-case
  std::shared_ptr<const GroupIndex> groups;

  const UserFacts& user(uint32_t i) const { return user_chunks[i >> kUserChunkBits]->users[i & (kUserChunkSize - 1)]; }
  const UserCore& core(uint32_t i) const {
    return user_chunks[i >> kUserChunkBits]->cores.get()[i & (kUserChunkSize - 1)];
  }
  const GroupFacts& group(uint32_t i) const { return groups->groups[i]; }
};

// Everything a snapshot is built from: plain values.
struct SnapshotInput {
  TenantFacts resource;
  std::map<std::string, TenantFacts> home_tenants;  // by tenant id, for guests' home tenants on this server
  TenantSettingsFacts settings;
  std::string admin_contact;  // shown in refusals: "ask your administrator (<contact>)"
  std::vector<UserFacts> users;   // groups left empty: computed from memberships
  std::vector<GroupFacts> groups;
  std::vector<directory::Membership> memberships;
  std::vector<EnvironmentFacts> environments;
  struct RoleGrant {
    std::string environment_id;
    std::string principal_id;  // user or group id
    uint32_t privileges = kHasRole;
  };
  std::vector<RoleGrant> role_grants;
  std::vector<AppFacts> apps;
  int64_t version = 0;
};

class Snapshot {
 public:
  // Computes transitive memberships and indexes. Unknown ids in memberships
  // and grants are skipped.
  static std::shared_ptr<const Snapshot> Build(SnapshotInput in);

  // Patched copies sharing every other part with this one.
  std::shared_ptr<const Snapshot> WithEnvironmentRoles(uint32_t env_index,
                                                       std::shared_ptr<const EnvironmentRoles> roles) const;
  std::shared_ptr<const Snapshot> WithUser(const UserFacts& user) const;  // replaces by id, or adds
  // As WithUser for each, copying each shared part at most once.
  std::shared_ptr<const Snapshot> WithUsers(const std::vector<UserFacts>& users) const;
  // A role table for one environment from its grants, over this snapshot's
  // users and groups (unknown principals are skipped, as in Build).
  std::shared_ptr<const EnvironmentRoles> RolesFrom(const std::vector<SnapshotInput::RoleGrant>& grants) const;

  // ---- lookups (null / kNoIndex when absent)
  const TenantFacts& resource() const { return resource_; }
  const TenantFacts* HomeTenant(const std::string& tenant_id) const;
  const TenantFacts* HomeTenantByDomain(const std::string& domain) const;  // lower-case domain
  const TenantSettingsFacts& settings() const { return settings_; }
  const std::string& admin_contact() const { return admin_contact_; }
  const DirectoryIndex& directory() const { return *dir_; }
  uint32_t FindUser(const std::string& id) const;
  // By id, userPrincipalName or mail (case-insensitive).
  uint32_t FindUserByAnyName(const std::string& name) const;
  const UserFacts& user(uint32_t i) const { return dir_->user(i); }
  // What every decision reads of the user (flags, groups), in one cache line.
  const UserCore& core(uint32_t i) const { return dir_->core(i); }
  size_t user_count() const { return dir_->user_count; }
  uint32_t FindGroup(const std::string& id) const;
  const GroupFacts& group(uint32_t i) const { return dir_->group(i); }
  bool IsMemberOf(uint32_t user, uint32_t group) const;
  // By id or uniqueName.
  uint32_t FindEnvironment(const std::string& id_or_name) const;
  const EnvironmentFacts& environment(uint32_t i) const { return environments_[i]; }
  size_t environment_count() const { return environments_.size(); }
  const EnvironmentRoles& roles(uint32_t env) const { return *env_roles_[env]; }
  // Privilege bits a user holds in an environment, directly or through groups.
  uint32_t PrivilegesOf(uint32_t user, uint32_t env) const;
  // Whether the user holds any of `bits` there (stops at the first grant found).
  bool HoldsAny(uint32_t user, uint32_t env, uint32_t bits) const;
  // A hint, no effect on results: starts loading the role-table entries that
  // PrivilegesOf / HoldsAny will read for the user (and each of their groups)
  // in the environment. Decide calls it as soon as it knows both, so those
  // cache misses overlap with the checks evaluated before the role check.
  [[gnu::always_inline]] void PrefetchRoles(uint32_t user, uint32_t env) const {
    env_roles_[env]->Prefetch(user, core(user).groups());
  }
  const AppFacts* FindApp(const std::string& id) const;
  const std::vector<AppFacts>& apps() const { return apps_; }
  int64_t version() const { return version_; }

 private:
  TenantFacts resource_;
  std::map<std::string, TenantFacts> home_tenants_;
  TenantSettingsFacts settings_;
  std::string admin_contact_;
  std::shared_ptr<const DirectoryIndex> dir_;
  std::vector<EnvironmentFacts> environments_;
  IdIndex env_by_key_;  // id and uniqueName
  std::vector<std::shared_ptr<const EnvironmentRoles>> env_roles_;
  std::vector<AppFacts> apps_;
  std::unordered_map<std::string, uint32_t> app_by_id_;
  int64_t version_ = 0;
};

}  // namespace gh::gate
