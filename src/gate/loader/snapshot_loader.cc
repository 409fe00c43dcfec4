#include "gate/loader/snapshot_loader.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "directory/policy_service.h"
#include "environments/tenant_settings.h"
#include "licensing/licensing_service.h"
#include "store/apps_repository.h"
#include "store/environments_repository.h"

namespace gh::gate {
namespace {

constexpr int kPage = 1000;

template <typename T, typename F>
StatusOr<std::vector<T>> ListAll(const std::string& tenant_id, F list) {
  std::vector<T> out;
  store::ListQuery q;
  q.tenant_id = tenant_id;
  q.top = kPage;
  while (true) {
    GH_ASSIGN_OR_RETURN(store::Page<T> page, list(q));
    for (auto& x : page.items) out.push_back(std::move(x));
    if (!page.more || out.empty()) break;
    q.after = out.back().id;
  }
  return out;
}

// Where a guest's identity lives, from its identities (see
// identity::SigninService::IdpOf: "<base>/<homeTenantId>/v2.0", "live.com"
// for personal accounts, "mail" for one-time passcodes).
void ResolveHome(UserFacts& u, const directory::User& user) {
  if (user.user_type != directory::UserType::kGuest) return;
  u.home = HomeKind::kExternal;
  for (const auto& id : user.identities) {
    if (id.issuer == "mail") { u.home = HomeKind::kOneTimePasscode; return; }
    if (id.issuer == "live.com") {
      u.home = HomeKind::kConsumer;
      u.home_tenant_id = std::string(wire::kConsumersTenantId);
      u.home_object_id = id.issuer_assigned_id;
      return;
    }
    constexpr std::string_view kSuffix = "/v2.0";
    if (id.issuer.size() > kSuffix.size() && id.issuer.ends_with(kSuffix)) {
      std::string_view head(id.issuer.data(), id.issuer.size() - kSuffix.size());
      auto slash = head.rfind('/');
      u.home_tenant_id = std::string(head.substr(slash + 1));
      u.home_object_id = id.issuer_assigned_id;
      u.home = u.home_tenant_id == wire::kConsumersTenantId ? HomeKind::kConsumer : HomeKind::kOtherTenant;
      return;
    }
  }
}


// Directory roles by principal: what a user holds directly or through a
// group it is a direct member of.
using RolesByPrincipal = std::map<std::string, std::vector<std::string>>;

RolesByPrincipal RolesOf(const std::vector<directory::RoleAssignment>& assignments) {
  RolesByPrincipal out;
  for (const auto& r : assignments) out[r.principal_id].push_back(r.role_definition_id);
  return out;
}

// A user's facts but its transitive groups (the caller resolves those).
StatusOr<UserFacts> FactsOf(store::Transaction& tx, const directory::User& user,
                            const std::vector<std::string>& direct_groups, const RolesByPrincipal& roles_of,
                            const licensing::Resolution& licences,
                            const std::function<bool(const std::string&)>& on_this_server) {
  UserFacts u;
  u.id = user.id;
  u.user_principal_name = user.user_principal_name;
  u.display_name = user.display_name;
  u.mail = user.mail.value_or("");
  u.enabled = user.account_enabled;
  u.guest = user.user_type == directory::UserType::kGuest;
  u.pending_acceptance = user.external_user_state.value_or("") == "PendingAcceptance";
  ResolveHome(u, user);
  if (u.home == HomeKind::kOtherTenant && on_this_server(u.home_tenant_id)) {
    GH_ASSIGN_OR_RETURN(u.home_group_ids, tx.ListTransitiveGroupsOf(u.home_tenant_id, u.home_object_id));
  }
  // As DirectoryService::RolesIn: the user's own roles and those of the
  // (role-assignable) groups they are a direct member of.
  auto add_roles = [&](const std::string& principal) {
    if (auto it = roles_of.find(principal); it != roles_of.end())
      u.directory_roles.insert(u.directory_roles.end(), it->second.begin(), it->second.end());
  };
  add_roles(user.id);
  for (const auto& g : direct_groups) add_roles(g);
  const auto& roles = u.directory_roles;
  u.global_admin = std::count(roles.begin(), roles.end(), directory::kGlobalAdministratorRole) > 0;
  u.power_platform_admin = std::count(roles.begin(), roles.end(), directory::kPowerPlatformAdministratorRole) > 0;
  for (const auto& plan : licences.Of(user.id).EffectivePlans(licences.skus)) {
    u.license_environment_access |= plan.grants_environment_access;
    u.license_dataverse |= plan.grants_dataverse;
    u.license_power_apps |= std::count(plan.app_families.begin(), plan.app_families.end(),
                                       std::string(licensing::kFamilyPowerApps)) > 0 &&
                            plan.grants_environment_access;
  }
  return u;
}

StatusOr<std::map<std::string, TenantFacts>> HomeTenantsOf(store::Transaction& tx, const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(auto tenants, tx.ListTenants());
  std::map<std::string, TenantFacts> out;
  for (auto& t : tenants) {
    if (t.id == tenant_id) continue;
    TenantFacts f;
    f.tenant = t;
    GH_ASSIGN_OR_RETURN(f.policies, directory::PolicyService::GetIn(tx, t.id));
    out.emplace(t.id, std::move(f));
  }
  return out;
}

StatusOr<std::vector<SnapshotInput::RoleGrant>> GrantsIn(store::Transaction& tx, const std::string& tenant_id,
                                                         const std::string& environment_id) {
  GH_ASSIGN_OR_RETURN(auto env_roles, tx.Environments().ListSecurityRoles(tenant_id, environment_id));
  std::map<std::string, uint32_t> mask;
  for (const auto& r : env_roles) mask[r.id] = PrivilegeMask(r.privileges);
  GH_ASSIGN_OR_RETURN(auto grants, tx.Environments().ListRoleAssignments(tenant_id, environment_id));
  std::vector<SnapshotInput::RoleGrant> out;
  for (const auto& a : grants)
    out.push_back({environment_id, a.principal_id, mask.count(a.role_id) ? mask[a.role_id] : kHasRole});
  return out;
}

}  // namespace

StatusOr<LoadedSnapshot> LoadSnapshotAt(store::Store& store, const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(auto tx, store.Begin(store::TxMode::kRead));
  // First, so that everything read below reflects at least this much of the feed.
  GH_ASSIGN_OR_RETURN(int64_t seq, tx->LastChangeSeq());
  SnapshotInput in;
  GH_ASSIGN_OR_RETURN(in.resource.tenant, tx->GetTenant(tenant_id));
  GH_ASSIGN_OR_RETURN(in.resource.policies, directory::PolicyService::GetIn(*tx, tenant_id));
  GH_ASSIGN_OR_RETURN(auto settings, environments::TenantSettingsIn(*tx, tenant_id));
  in.settings.enable_guests_to_make = environments::SettingFlag(settings, "powerPlatform.powerApps.enableGuestsToMake");
  in.settings.disable_share_with_everyone =
      environments::SettingFlag(settings, "powerPlatform.powerApps.disableShareWithEveryone");
  GH_ASSIGN_OR_RETURN(in.home_tenants, HomeTenantsOf(*tx, tenant_id));

  GH_ASSIGN_OR_RETURN(auto users, ListAll<directory::User>(tenant_id, [&](const store::ListQuery& q) {
                        return tx->ListUsers(q);
                      }));
  GH_ASSIGN_OR_RETURN(auto groups, ListAll<directory::Group>(tenant_id, [&](const store::ListQuery& q) {
                        return tx->ListGroups(q);
                      }));
  GH_ASSIGN_OR_RETURN(in.memberships, tx->ListAllMemberships(tenant_id));
  GH_ASSIGN_OR_RETURN(auto roles, tx->ListRoleAssignments(tenant_id));
  GH_ASSIGN_OR_RETURN(auto licences, licensing::ResolveIn(*tx, tenant_id));

  const RolesByPrincipal roles_of = RolesOf(roles);
  std::map<std::string, std::vector<std::string>> direct_groups;
  for (const auto& m : in.memberships)
    if (m.member_kind == directory::MemberKind::kUser) direct_groups[m.member_id].push_back(m.group_id);
  static const std::vector<std::string> kNone;

  for (const auto& g : groups) in.groups.push_back({g.id, g.display_name, g.IsMicrosoft365()});
  for (const auto& user : users) {
    auto it = direct_groups.find(user.id);
    GH_ASSIGN_OR_RETURN(UserFacts u, FactsOf(*tx, user, it == direct_groups.end() ? kNone : it->second, roles_of,
                                             licences, [&](const std::string& t) { return in.home_tenants.count(t) > 0; }));
    in.users.push_back(std::move(u));
  }
  for (const auto& u : in.users)
    if (u.global_admin && in.admin_contact.empty()) in.admin_contact = u.user_principal_name;

  GH_ASSIGN_OR_RETURN(auto envs, tx->Environments().ListEnvironments(tenant_id));
  for (const auto& row : envs) {
    EnvironmentFacts f;
    f.env.id = row.id;
    f.env.tenant_id = row.tenant_id;
    f.env.display_name = row.display_name;
    f.env.unique_name = row.unique_name;
    f.env.dataverse = row.dataverse;
    f.env.security_group_id = row.security_group_id;
    f.env.state = environments::EnvironmentState::kEnabled;
    if (row.state == "disabled") f.env.state = environments::EnvironmentState::kDisabled;
    if (row.state == "adminMode") f.env.state = environments::EnvironmentState::kAdminMode;
    if (row.type == "Default") f.env.type = environments::EnvironmentType::kDefault;
    in.environments.push_back(std::move(f));
    GH_ASSIGN_OR_RETURN(auto grants, GrantsIn(*tx, tenant_id, row.id));
    in.role_grants.insert(in.role_grants.end(), grants.begin(), grants.end());
  }

  GH_ASSIGN_OR_RETURN(auto apps, tx->Apps().ListApps(tenant_id));
  for (const auto& a : apps)
    in.apps.push_back({a.id, a.environment_id, a.display_name,
                       a.app_type == "modelDriven" ? AppType::kModelDriven : AppType::kCanvas, a.dataverse, a.owner_id,
                       a.shared_with_everyone, a.shared_with});
  return LoadedSnapshot{Snapshot::Build(std::move(in)), seq};
}

StatusOr<std::shared_ptr<const Snapshot>> LoadSnapshot(store::Store& store, const std::string& tenant_id) {
  GH_ASSIGN_OR_RETURN(LoadedSnapshot loaded, LoadSnapshotAt(store, tenant_id));
  return loaded.snapshot;
}

StatusOr<std::optional<std::vector<UserFacts>>> LoadUsers(store::Transaction& tx, const Snapshot& snapshot,
                                                          const std::set<std::string>& user_ids) {
  const std::string& tenant_id = snapshot.resource().tenant.id;
  GH_ASSIGN_OR_RETURN(auto roles, tx.ListRoleAssignments(tenant_id));
  GH_ASSIGN_OR_RETURN(auto licences, licensing::ResolveIn(tx, tenant_id));
  const RolesByPrincipal roles_of = RolesOf(roles);
  std::vector<UserFacts> out;
  for (const auto& id : user_ids) {
    auto user = tx.GetUser(tenant_id, id);
    if (user.status().code() == Code::kNotFound) return std::optional<std::vector<UserFacts>>();  // deleted: rebuild
    GH_RETURN_IF_ERROR(user.status());
    GH_ASSIGN_OR_RETURN(auto direct, tx.ListGroupsOf(tenant_id, id));
    // The home tenants as the snapshot knows them: a tenant added or changed
    // since makes the snapshot stale anyway (GateViews).
    GH_ASSIGN_OR_RETURN(UserFacts u, FactsOf(tx, *user, direct, roles_of, licences, [&](const std::string& t) {
                          return snapshot.HomeTenant(t) != nullptr;
                        }));
    GH_ASSIGN_OR_RETURN(auto transitive, tx.ListTransitiveGroupsOf(tenant_id, id));
    for (const auto& g : transitive) {
      uint32_t i = snapshot.FindGroup(g);
      if (i == kNoIndex) return std::optional<std::vector<UserFacts>>();  // a group it doesn't know yet: rebuild
      u.groups.push_back(i);
    }
    std::sort(u.groups.begin(), u.groups.end());
    out.push_back(std::move(u));
  }
  return std::optional(std::move(out));
}

StatusOr<std::shared_ptr<const EnvironmentRoles>> LoadEnvironmentRoles(store::Transaction& tx,
                                                                       const Snapshot& snapshot,
                                                                       const std::string& environment_id) {
  GH_ASSIGN_OR_RETURN(auto grants, GrantsIn(tx, snapshot.resource().tenant.id, environment_id));
  return snapshot.RolesFrom(grants);
}

std::optional<Action> ActionForClient(std::string_view client_id) {
  if (client_id == wire::kUsdClientId) return Action::kClientUsd;
  if (client_id == wire::kOutlookAppClientId) return Action::kClientOutlookHomeEmail;
  if (client_id == wire::kCustomerVoiceClientId) return Action::kCustomerVoiceUse;
  if (client_id == wire::kMakerPortalClientId) return Action::kMakerPortalSignIn;
  return std::nullopt;
}

identity::SigninService::ClientGate MakeClientGate(SnapshotCache& cache) {
  return [&cache](const std::string& tenant_id, const directory::User& user, const std::string& client_id) -> Status {
    auto action = ActionForClient(client_id);
    if (!action) return OkStatus();
    GH_ASSIGN_OR_RETURN(auto snap, cache.Get(tenant_id));
    AccessRequest req{tenant_id, user.id, *action, "", "", client_id, ""};
    Decision d = Decide(*snap, req);
    if (d.allowed) return OkStatus();
    std::string why;
    for (const auto& c : d.checks)
      if (!c.passed) why += (why.empty() ? "" : " ") + c.sentence.str() + " [" + std::string(c.id) + "]";
    return PermissionDenied("AADSTS50105: " + why, "access_denied");
  };
}

}  // namespace gh::gate
