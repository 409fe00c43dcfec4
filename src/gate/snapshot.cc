#include "gate/snapshot.h"

#include <algorithm>

namespace gh::gate {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

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

void DirectoryIndex::Reindex() {
  user_by_id.clear();
  user_by_upn.clear();
  user_by_mail.clear();
  group_by_id.clear();
  user_by_id.reserve(users.size());
  user_by_upn.reserve(users.size());
  for (uint32_t i = 0; i < users.size(); ++i) {
    user_by_id.emplace(users[i].id, i);
    user_by_upn.emplace(Lower(users[i].user_principal_name), i);
    if (!users[i].mail.empty()) user_by_mail.emplace(Lower(users[i].mail), i);
  }
  group_by_id.reserve(groups.size());
  for (uint32_t i = 0; i < groups.size(); ++i) group_by_id.emplace(groups[i].id, i);
}

std::shared_ptr<const Snapshot> Snapshot::Build(SnapshotInput in) {
  auto s = std::make_shared<Snapshot>();
  s->resource_ = std::move(in.resource);
  s->home_tenants_ = std::move(in.home_tenants);
  s->settings_ = in.settings;
  s->admin_contact_ = std::move(in.admin_contact);
  s->version_ = in.version;

  auto dir = std::make_shared<DirectoryIndex>();
  dir->users = std::move(in.users);
  dir->groups = std::move(in.groups);
  dir->Reindex();

  // Transitive membership: direct groups of each user, then every ancestor.
  std::vector<std::vector<uint32_t>> parents(dir->groups.size());
  std::vector<std::vector<uint32_t>> direct(dir->users.size());
  for (const auto& m : in.memberships) {
    auto g = dir->group_by_id.find(m.group_id);
    if (g == dir->group_by_id.end()) continue;
    if (m.member_kind == directory::MemberKind::kGroup) {
      auto child = dir->group_by_id.find(m.member_id);
      if (child != dir->group_by_id.end()) parents[child->second].push_back(g->second);
    } else {
      auto u = dir->user_by_id.find(m.member_id);
      if (u != dir->user_by_id.end()) direct[u->second].push_back(g->second);
    }
  }
  auto ancestors = GroupAncestors(parents);
  for (uint32_t u = 0; u < dir->users.size(); ++u) {
    auto& out = dir->users[u].groups;
    out.clear();
    for (uint32_t g : direct[u]) {
      out.push_back(g);
      out.insert(out.end(), ancestors[g].begin(), ancestors[g].end());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
  }

  s->environments_ = std::move(in.environments);
  std::vector<std::shared_ptr<EnvironmentRoles>> roles(s->environments_.size());
  for (uint32_t e = 0; e < s->environments_.size(); ++e) {
    auto& env = s->environments_[e];
    s->env_by_key_.emplace(env.env.id, e);
    s->env_by_key_.emplace(env.env.unique_name, e);
    if (env.env.security_group_id) {
      auto g = dir->group_by_id.find(*env.env.security_group_id);
      if (g != dir->group_by_id.end()) {
        env.security_group = g->second;
        env.security_group_name = dir->groups[g->second].display_name;
      }
    }
    roles[e] = std::make_shared<EnvironmentRoles>();
  }
  for (const auto& grant : in.role_grants) {
    auto e = s->env_by_key_.find(grant.environment_id);
    if (e == s->env_by_key_.end()) continue;
    uint32_t key = kNoIndex;
    if (auto u = dir->user_by_id.find(grant.principal_id); u != dir->user_by_id.end()) key = u->second;
    else if (auto g = dir->group_by_id.find(grant.principal_id); g != dir->group_by_id.end())
      key = g->second | kGroupKeyBit;
    if (key == kNoIndex) continue;
    roles[e->second]->by_principal[key] |= grant.privileges | kHasRole;
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

std::shared_ptr<const Snapshot> Snapshot::WithUser(const UserFacts& user) const {
  auto s = std::make_shared<Snapshot>(*this);
  auto dir = std::make_shared<DirectoryIndex>(*dir_);
  auto it = dir->user_by_id.find(user.id);
  if (it != dir->user_by_id.end()) {
    // Same id, same index: only the name indexes may need an update.
    UserFacts& old = dir->users[it->second];
    if (Lower(old.user_principal_name) != Lower(user.user_principal_name)) {
      dir->user_by_upn.erase(Lower(old.user_principal_name));
      dir->user_by_upn.emplace(Lower(user.user_principal_name), it->second);
    }
    if (Lower(old.mail) != Lower(user.mail)) {
      dir->user_by_mail.erase(Lower(old.mail));
      if (!user.mail.empty()) dir->user_by_mail.emplace(Lower(user.mail), it->second);
    }
    old = user;
  } else {
    uint32_t i = static_cast<uint32_t>(dir->users.size());
    dir->users.push_back(user);
    dir->user_by_id.emplace(user.id, i);
    dir->user_by_upn.emplace(Lower(user.user_principal_name), i);
    if (!user.mail.empty()) dir->user_by_mail.emplace(Lower(user.mail), i);
  }
  s->dir_ = std::move(dir);
  ++s->version_;
  return s;
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

uint32_t Snapshot::FindUser(const std::string& id) const {
  auto it = dir_->user_by_id.find(id);
  return it == dir_->user_by_id.end() ? kNoIndex : it->second;
}

uint32_t Snapshot::FindUserByAnyName(const std::string& name) const {
  if (uint32_t i = FindUser(name); i != kNoIndex) return i;
  std::string key = Lower(name);
  if (auto it = dir_->user_by_upn.find(key); it != dir_->user_by_upn.end()) return it->second;
  if (auto it = dir_->user_by_mail.find(key); it != dir_->user_by_mail.end()) return it->second;
  return kNoIndex;
}

uint32_t Snapshot::FindGroup(const std::string& id) const {
  auto it = dir_->group_by_id.find(id);
  return it == dir_->group_by_id.end() ? kNoIndex : it->second;
}

bool Snapshot::IsMemberOf(uint32_t user, uint32_t group) const {
  const auto& g = dir_->users[user].groups;
  return std::binary_search(g.begin(), g.end(), group);
}

uint32_t Snapshot::FindEnvironment(const std::string& id_or_name) const {
  auto it = env_by_key_.find(id_or_name);
  return it == env_by_key_.end() ? kNoIndex : it->second;
}

uint32_t Snapshot::PrivilegesOf(uint32_t user, uint32_t env) const {
  const auto& table = env_roles_[env]->by_principal;
  if (table.empty()) return 0;
  uint32_t bits = 0;
  if (auto it = table.find(user); it != table.end()) bits |= it->second;
  for (uint32_t g : dir_->users[user].groups)
    if (auto it = table.find(g | kGroupKeyBit); it != table.end()) bits |= it->second;
  return bits;
}

const AppFacts* Snapshot::FindApp(const std::string& id) const {
  auto it = app_by_id_.find(id);
  return it == app_by_id_.end() ? nullptr : &apps_[it->second];
}

}  // namespace gh::gate
