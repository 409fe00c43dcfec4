#include "environments/environment_service.h"

#include <algorithm>
#include <boost/json.hpp>
#include <deque>
#include <set>

#include "core/encoding.h"
#include "core/strings.h"
#include "directory/model/validation.h"
#include "licensing/licensing_service.h"
#include "store/environments_repository.h"

namespace gh::environments {
namespace {
namespace json = boost::json;
using directory::Actor;

constexpr std::string_view kCategory = "EnvironmentManagement";

std::string Slug(std::string_view text) {
  std::string out;
  for (char c : text) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out += static_cast<char>(std::tolower(u));
    else if (!out.empty() && out.back() != '-') out += '-';
  }
  while (!out.empty() && out.back() == '-') out.pop_back();
  if (out.size() > 63) out.resize(63);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out;
}

Status ValidateUniqueName(const std::string& name) {
  bool ok = name.size() >= 2 && name.size() <= 63 && name.front() != '-' && name.back() != '-' &&
            std::all_of(name.begin(), name.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'; });
  if (!ok)
    return BadRequest("Property 'uniqueName' must be 2 to 63 lower-case letters, digits or hyphens, not starting or "
                      "ending with a hyphen.");
  // Environment URLs are global: a name like another organisation's Default
  // environment's ("<its name>-default") would send its people to this one.
  if (name == "default" || name.ends_with("-default"))
    return BadRequest("Property 'uniqueName' can't be 'default' or end in '-default': those names are kept for the "
                      "Default environments Gatehouse creates.");
  return OkStatus();
}

store::EnvironmentRow ToRow(const Environment& e) {
  return {e.tenant_id,  e.id,     e.display_name, e.unique_name, std::string(TypeName(e.type)), e.dataverse,
          e.security_group_id, std::string(StateName(e.state)), e.created_at, e.updated_at};
}

SecurityRole RoleFrom(const store::SecurityRoleRow& r) {
  return {r.id, r.environment_id, r.name, r.privileges, r.predefined, r.created_at};
}

RoleAssignment AssignmentFrom(const store::EnvRoleAssignmentRow& r) {
  return {r.id, r.environment_id, r.principal_id,
          r.principal_kind == "group" ? PrincipalKind::kGroup : PrincipalKind::kUser, r.role_id, r.created_at};
}

EnvironmentUser UserFrom(const store::EnvUserRow& r) {
  return {r.environment_id, r.user_id, r.enabled, r.added_by, r.created_at, r.updated_at};
}

// Users in a group directly or through nested groups (cycle-safe), by id.
StatusOr<std::vector<std::string>> TransitiveUsers(store::Transaction& tx, const std::string& tenant_id,
                                                   const std::string& group_id) {
  std::set<std::string> groups{group_id}, users;
  std::deque<std::string> queue{group_id};
  while (!queue.empty()) {
    GH_ASSIGN_OR_RETURN(auto members, tx.ListMembers(tenant_id, queue.front()));
    queue.pop_front();
    for (const auto& m : members) {
      if (m.member_kind == directory::MemberKind::kUser) users.insert(m.member_id);
      else if (groups.insert(m.member_id).second) queue.push_back(m.member_id);
    }
  }
  return std::vector<std::string>(users.begin(), users.end());
}

// Global or Power Platform Administrator, directly or through a group.
StatusOr<bool> IsPlatformAdmin(store::Transaction& tx, const std::string& tenant_id, const std::string& user_id) {
  GH_ASSIGN_OR_RETURN(auto groups, tx.ListTransitiveGroupsOf(tenant_id, user_id));
  groups.push_back(user_id);
  for (const auto& principal : groups) {
    GH_ASSIGN_OR_RETURN(auto roles, tx.ListRoleAssignments(tenant_id, principal));
    for (const auto& r : roles)
      if (r.role_definition_id == directory::kGlobalAdministratorRole ||
          r.role_definition_id == directory::kPowerPlatformAdministratorRole)
        return true;
  }
  return false;
}

StatusOr<Entitlement> EntitlementIn(store::Transaction& tx, const std::string& tenant_id, const Environment& env,
                                    const directory::User& user, const licensing::Resolution& licences) {
  Entitlement e;
  if (!user.account_enabled) {
    e.reason = "The user account '" + user.user_principal_name + "' is disabled.";
    return e;
  }
  GH_ASSIGN_OR_RETURN(e.admin, IsPlatformAdmin(tx, tenant_id, user.id));
  if (e.admin) {
    e.entitled = true;
    return e;
  }
  if (!licences.GrantsEnvironmentAccess(user.id)) {
    e.reason = "'" + user.user_principal_name +
               "' holds no licence from this tenant that grants access to environments (for example Dynamics 365 "
               "Sales Enterprise or Power Apps per user). Assign one; a guest's licence from its home tenant does "
               "not count.";
    return e;
  }
  if (env.security_group_id) {
    GH_ASSIGN_OR_RETURN(auto groups, tx.ListTransitiveGroupsOf(tenant_id, user.id));
    if (std::find(groups.begin(), groups.end(), *env.security_group_id) == groups.end()) {
      auto g = tx.GetGroup(tenant_id, *env.security_group_id);
      e.reason = "'" + user.user_principal_name + "' is not a member of the environment's security group '" +
                 (g.ok() ? g->display_name : *env.security_group_id) + "'.";
      return e;
    }
  }
  e.entitled = true;
  return e;
}

StatusOr<directory::User> FindUser(store::Transaction& tx, const std::string& tenant_id, const std::string& key) {
  if (IsUuid(key)) return tx.GetUser(tenant_id, ToLower(key));
  return tx.FindUserByUpn(tenant_id, key);
}

}  // namespace

EnvironmentService::EnvironmentService(store::Store& store, const Clock& clock, Random& random,
                                       std::string public_base)
    : store_(store), clock_(clock), random_(random), public_base_(std::move(public_base)) {}

template <typename Fn>
Status EnvironmentService::Write(Fn&& body) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(body(*tx));
  return tx->Commit();
}

directory::AuditEntry EnvironmentService::Audit(const Actor& actor, const std::string& tenant_id,
                                                std::string activity, std::string target_type,
                                                const std::string& target_id, const std::string& target_name,
                                                std::string details_json) {
  return directory::MakeAuditEntry(random_, clock_, actor, tenant_id, std::string(kCategory), std::move(activity),
                                   std::move(target_type), target_id, target_name, std::move(details_json));
}

// The private helpers below need the service's clock, ids and URL base; they
// take the transaction of the operation calling them.
namespace {

struct Ctx {
  const Clock& clock;
  Random& random;
  const std::string& base;
  Environment FromRow(const store::EnvironmentRow& r) const {
    Environment e;
    e.tenant_id = r.tenant_id;
    e.id = r.id;
    e.display_name = r.display_name;
    e.unique_name = r.unique_name;
    e.url = base + "/env/" + r.unique_name;
    e.type = ParseType(r.type).value_or(EnvironmentType::kProduction);
    e.dataverse = r.dataverse;
    e.security_group_id = r.security_group_id;
    e.state = ParseState(r.state).value_or(EnvironmentState::kEnabled);
    e.created_at = r.created_at;
    e.updated_at = r.updated_at;
    return e;
  }
  StatusOr<Environment> Load(store::Transaction& tx, const std::string& tenant_id, const std::string& id) const {
    if (!IsUuid(id)) return NotFound("Environment '" + id + "' not found.", "Request_ResourceNotFound");
    GH_ASSIGN_OR_RETURN(auto row, tx.Environments().GetEnvironment(tenant_id, ToLower(id)));
    return FromRow(row);
  }
  Status InsertWithRoles(store::Transaction& tx, const Environment& e) const {
    GH_RETURN_IF_ERROR(tx.Environments().InsertEnvironment(ToRow(e)));
    int64_t n = 0;
    for (const auto& t : PredefinedRoles(e.dataverse)) {
      store::SecurityRoleRow r{e.tenant_id, e.id, random.NewUuid(), std::string(t.name), {}, true, e.created_at + n++};
      for (auto p : t.privileges) r.privileges.emplace_back(p);
      GH_RETURN_IF_ERROR(tx.Environments().InsertSecurityRole(r));
    }
    return OkStatus();
  }
  // "<slug of the tenant's name>-default", or when another organisation
  // (one with the same name) has it, that with a random suffix: uniqueNames
  // are unique across tenants.
  StatusOr<std::string> FreeDefaultName(store::Transaction& tx, const std::string& tenant_name) const {
    const std::string base = Slug(tenant_name);
    std::string name = base.empty() ? "default" : base + "-default";
    for (int attempt = 0; attempt < 8; ++attempt) {
      auto taken = tx.Environments().FindEnvironmentByUniqueName(name);
      if (!taken.ok() && taken.status().code() == Code::kNotFound) return name;
      if (!taken.ok()) return taken.status();
      name = (base.empty() ? "default" : base + "-default") + "-" + HexEncode(random.Bytes(4));
    }
    return Internal("No free name for the Default environment.");
  }
  // Creates the Default environment when the tenant has none; returns it.
  StatusOr<std::optional<Environment>> EnsureDefaultIn(store::Transaction& tx, const std::string& tenant_id) const {
    GH_ASSIGN_OR_RETURN(auto rows, tx.Environments().ListEnvironments(tenant_id));
    for (const auto& r : rows)
      if (r.type == TypeName(EnvironmentType::kDefault)) return std::optional<Environment>();
    GH_ASSIGN_OR_RETURN(auto tenant, tx.GetTenant(tenant_id));
    Environment e;
    e.tenant_id = tenant_id;
    e.id = random.NewUuid();
    e.display_name = tenant.name + " (default)";
    GH_ASSIGN_OR_RETURN(e.unique_name, FreeDefaultName(tx, tenant.name));
    e.type = EnvironmentType::kDefault;
    e.created_at = e.updated_at = clock.NowMillis();
    e.url = base + "/env/" + e.unique_name;
    GH_RETURN_IF_ERROR(InsertWithRoles(tx, e));
    return std::optional(e);
  }
  StatusOr<SecurityRole> FindRole(store::Transaction& tx, const Environment& env, const std::string& key) const {
    GH_ASSIGN_OR_RETURN(auto roles, tx.Environments().ListSecurityRoles(env.tenant_id, env.id));
    for (const auto& r : roles)
      if (r.id == ToLower(key) || ToLower(r.name) == ToLower(key)) return RoleFrom(r);
    return BadRequest("Security role '" + key + "' does not exist in environment '" + env.display_name + "'.");
  }
  Status CheckSecurityGroup(store::Transaction& tx, const Environment& e) const {
    if (!e.security_group_id) return OkStatus();
    if (e.type == EnvironmentType::kDefault || e.type == EnvironmentType::kDeveloper)
      return BadRequest("A security group can't be assigned to a " + std::string(TypeName(e.type)) +
                        " environment.");
    if (!IsUuid(*e.security_group_id))
      return BadRequest("Property 'securityGroupId' is not a valid group id: '" + *e.security_group_id + "'.");
    auto g = tx.GetGroup(e.tenant_id, *e.security_group_id);
    if (!g.ok() && g.status().code() == Code::kNotFound)
      return BadRequest("Group '" + *e.security_group_id + "' does not exist in this tenant.");
    return g.status();
  }
};

}  // namespace

StatusOr<Environment> EnvironmentService::EnsureDefault(const Actor& actor, const std::string& tenant_id) {
  Ctx c{clock_, random_, public_base_};
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(auto created, c.EnsureDefaultIn(tx, tenant_id));
    if (!created) return OkStatus();
    return tx.InsertAudit(Audit(actor, tenant_id, "Create environment", "Environment", created->id,
                                created->display_name));
  }));
  GH_ASSIGN_OR_RETURN(auto all, List(tenant_id));
  for (auto& e : all)
    if (e.type == EnvironmentType::kDefault) return e;
  return Internal("The Default environment is missing.");
}

StatusOr<std::vector<Environment>> EnvironmentService::List(const std::string& tenant_id) {
  Ctx c{clock_, random_, public_base_};
  std::vector<Environment> out;
  {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
    GH_ASSIGN_OR_RETURN(auto rows, tx->Environments().ListEnvironments(tenant_id));
    for (const auto& r : rows) out.push_back(c.FromRow(r));
  }
  if (std::none_of(out.begin(), out.end(), [](const Environment& e) { return e.type == EnvironmentType::kDefault; })) {
    GH_RETURN_IF_ERROR(EnsureDefault(Actor::System(), tenant_id).status());
    return List(tenant_id);
  }
  return out;
}

StatusOr<Environment> EnvironmentService::Get(const std::string& tenant_id, const std::string& id) {
  Ctx c{clock_, random_, public_base_};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return c.Load(*tx, tenant_id, id);
}

StatusOr<Environment> EnvironmentService::FindByUniqueName(const std::string& unique_name) {
  Ctx c{clock_, random_, public_base_};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto row, tx->Environments().FindEnvironmentByUniqueName(unique_name));
  return c.FromRow(row);
}

StatusOr<Environment> EnvironmentService::Create(const Actor& actor, const std::string& tenant_id,
                                                 NewEnvironment in) {
  Ctx c{clock_, random_, public_base_};
  GH_RETURN_IF_ERROR(directory::ValidateLength("displayName", in.display_name, 100, true));
  if (in.type == EnvironmentType::kDefault)
    return BadRequest("Every tenant has exactly one Default environment, created by Gatehouse; create a "
                      "Production, Sandbox, Developer or Trial environment instead.");
  Environment e;
  e.tenant_id = tenant_id;
  e.id = random_.NewUuid();
  e.display_name = in.display_name;
  e.unique_name = in.unique_name ? *in.unique_name : Slug(in.display_name);
  GH_RETURN_IF_ERROR(ValidateUniqueName(e.unique_name));
  e.url = public_base_ + "/env/" + e.unique_name;
  e.type = in.type;
  e.dataverse = in.dataverse;
  if (in.security_group_id) e.security_group_id = ToLower(*in.security_group_id);
  e.state = in.state;
  e.created_at = e.updated_at = clock_.NowMillis();
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_RETURN_IF_ERROR(c.EnsureDefaultIn(tx, tenant_id).status());
    GH_RETURN_IF_ERROR(c.CheckSecurityGroup(tx, e));
    GH_RETURN_IF_ERROR(c.InsertWithRoles(tx, e));
    return tx.InsertAudit(Audit(actor, tenant_id, "Create environment", "Environment", e.id, e.display_name,
                                json::serialize(json::object{{"uniqueName", e.unique_name},
                                                             {"type", TypeName(e.type)},
                                                             {"dataverse", e.dataverse}})));
  }));
  return e;
}

StatusOr<Environment> EnvironmentService::Update(const Actor& actor, const std::string& tenant_id,
                                                 const std::string& id, const EnvironmentPatch& patch) {
  Ctx c{clock_, random_, public_base_};
  if (patch.display_name) GH_RETURN_IF_ERROR(directory::ValidateLength("displayName", *patch.display_name, 100, true));
  Environment e;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(e, c.Load(tx, tenant_id, id));
    json::array modified;
    if (patch.display_name) e.display_name = *patch.display_name, modified.emplace_back("displayName");
    if (patch.state) e.state = *patch.state, modified.emplace_back("state");
    bool group_changed = false;
    if (patch.security_group_id) {
      std::optional<std::string> g;
      if (*patch.security_group_id) g = ToLower(**patch.security_group_id);
      group_changed = g != e.security_group_id;
      e.security_group_id = g;
      modified.emplace_back("securityGroupId");
      GH_RETURN_IF_ERROR(c.CheckSecurityGroup(tx, e));
    }
    e.updated_at = clock_.NowMillis();
    GH_RETURN_IF_ERROR(tx.Environments().UpdateEnvironment(ToRow(e)));
    GH_RETURN_IF_ERROR(tx.InsertAudit(Audit(actor, tenant_id, "Update environment", "Environment", e.id,
                                            e.display_name,
                                            json::serialize(json::object{{"modifiedProperties", modified}}))));
    if (!group_changed) return OkStatus();
    // A new security group re-evaluates every user record: non-members are
    // disabled (kept), entitled ones enabled.
    GH_ASSIGN_OR_RETURN(auto licences, licensing::ResolveIn(tx, tenant_id));
    GH_ASSIGN_OR_RETURN(auto records, tx.Environments().ListUsers(tenant_id, e.id));
    for (auto rec : records) {
      auto user = tx.GetUser(tenant_id, rec.user_id);
      if (!user.ok()) continue;
      GH_ASSIGN_OR_RETURN(Entitlement ent, EntitlementIn(tx, tenant_id, e, *user, licences));
      if (ent.entitled == rec.enabled) continue;
      rec.enabled = ent.entitled;
      rec.updated_at = e.updated_at;
      GH_RETURN_IF_ERROR(tx.Environments().UpsertUser(rec));
      GH_RETURN_IF_ERROR(tx.InsertAudit(Audit(Actor::System(), tenant_id,
                                              rec.enabled ? "Enable environment user" : "Disable environment user",
                                              "User", user->id, user->user_principal_name,
                                              json::serialize(json::object{{"environmentId", e.id},
                                                                           {"reason", ent.reason}}))));
    }
    return OkStatus();
  }));
  return e;
}

Status EnvironmentService::Delete(const Actor& actor, const std::string& tenant_id, const std::string& id) {
  Ctx c{clock_, random_, public_base_};
  return Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(auto e, c.Load(tx, tenant_id, id));
    if (e.type == EnvironmentType::kDefault) return BadRequest("The Default environment can't be deleted.");
    GH_RETURN_IF_ERROR(tx.Environments().DeleteEnvironment(tenant_id, e.id));
    return tx.InsertAudit(Audit(actor, tenant_id, "Delete environment", "Environment", e.id, e.display_name));
  });
}

// ---- security roles ------------------------------------------------------------

StatusOr<std::vector<SecurityRole>> EnvironmentService::ListRoles(const std::string& tenant_id,
                                                                  const std::string& env_id) {
  Ctx c{clock_, random_, public_base_};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto env, c.Load(*tx, tenant_id, env_id));
  GH_ASSIGN_OR_RETURN(auto rows, tx->Environments().ListSecurityRoles(tenant_id, env.id));
  std::vector<SecurityRole> out;
  for (const auto& r : rows) out.push_back(RoleFrom(r));
  return out;
}

StatusOr<SecurityRole> EnvironmentService::CreateRole(const Actor& actor, const std::string& tenant_id,
                                                      const std::string& env_id, std::string name,
                                                      std::vector<std::string> privileges) {
  Ctx c{clock_, random_, public_base_};
  GH_RETURN_IF_ERROR(directory::ValidateLength("name", name, 100, true));
  std::sort(privileges.begin(), privileges.end());
  privileges.erase(std::unique(privileges.begin(), privileges.end()), privileges.end());
  for (const auto& p : privileges)
    if (std::find(AllPrivileges().begin(), AllPrivileges().end(), p) == AllPrivileges().end())
      return BadRequest("Unknown privilege '" + p + "'.");
  SecurityRole role;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(auto env, c.Load(tx, tenant_id, env_id));
    GH_ASSIGN_OR_RETURN(auto existing, tx.Environments().ListSecurityRoles(tenant_id, env.id));
    for (const auto& r : existing)
      if (ToLower(r.name) == ToLower(name))
        return BadRequest("A security role named '" + r.name + "' already exists in this environment.");
    role = {random_.NewUuid(), env.id, name, privileges, false, clock_.NowMillis()};
    GH_RETURN_IF_ERROR(tx.Environments().InsertSecurityRole(
        {tenant_id, env.id, role.id, role.name, role.privileges, false, role.created_at}));
    return tx.InsertAudit(Audit(actor, tenant_id, "Create security role", "SecurityRole", role.id, role.name,
                                json::serialize(json::object{{"environmentId", env.id}})));
  }));
  return role;
}

// ---- role assignments ----------------------------------------------------------

StatusOr<RoleAssignment> EnvironmentService::AssignRole(const Actor& actor, const std::string& tenant_id,
                                                        const std::string& env_id, const std::string& principal_id,
                                                        const std::string& role_key) {
  Ctx c{clock_, random_, public_base_};
  if (!IsUuid(principal_id)) return BadRequest("Property 'principalId' is not a valid object id: '" + principal_id + "'.");
  RoleAssignment a;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(auto env, c.Load(tx, tenant_id, env_id));
    GH_ASSIGN_OR_RETURN(auto role, c.FindRole(tx, env, role_key));
    std::string pid = ToLower(principal_id), name;
    PrincipalKind kind = PrincipalKind::kUser;
    auto user = tx.GetUser(tenant_id, pid);
    if (user.ok()) {
      if (!user->account_enabled)
        return BadRequest("Security roles can only be assigned to enabled users; '" + user->user_principal_name +
                          "' is disabled.");
      auto rec = tx.Environments().GetUser(tenant_id, env.id, pid);
      if (rec.ok() && !rec->enabled)
        return BadRequest("Security roles can only be assigned to enabled users; '" + user->user_principal_name +
                          "' is disabled in this environment.");
      name = user->user_principal_name;
    } else if (user.status().code() == Code::kNotFound) {
      auto group = tx.GetGroup(tenant_id, pid);
      if (!group.ok() && group.status().code() == Code::kNotFound)
        return BadRequest("Principal '" + principal_id + "' is neither a user nor a group of this tenant.");
      GH_RETURN_IF_ERROR(group.status());
      kind = PrincipalKind::kGroup;
      name = group->display_name;
    } else {
      return user.status();
    }
    a = {random_.NewUuid(), env.id, pid, kind, role.id, clock_.NowMillis()};
    GH_ASSIGN_OR_RETURN(auto existing, tx.Environments().ListRoleAssignments(tenant_id, env.id, pid));
    for (const auto& r : existing)
      if (r.role_id == role.id)
        return BadRequest("'" + name + "' already holds the role '" + role.name + "' in this environment.");
    GH_RETURN_IF_ERROR(tx.Environments().InsertRoleAssignment(
        {tenant_id, env.id, a.id, pid, kind == PrincipalKind::kGroup ? "group" : "user", role.id, a.created_at}));
    return tx.InsertAudit(Audit(actor, tenant_id, "Assign security role",
                                kind == PrincipalKind::kGroup ? "Group" : "User", pid, name,
                                json::serialize(json::object{{"environmentId", env.id},
                                                             {"roleId", role.id},
                                                             {"roleName", role.name},
                                                             {"assignmentId", a.id}})));
  }));
  return a;
}

Status EnvironmentService::RemoveRoleAssignment(const Actor& actor, const std::string& tenant_id,
                                                const std::string& env_id, const std::string& assignment_id) {
  GH_ASSIGN_OR_RETURN(auto results, BulkRemove(actor, tenant_id, env_id, {assignment_id}));
  if (results.front().result != "removed")
    return NotFound("Role assignment '" + assignment_id + "' not found in this environment.");
  return OkStatus();
}

StatusOr<std::vector<RoleAssignment>> EnvironmentService::ListRoleAssignments(const std::string& tenant_id,
                                                                              const std::string& env_id) {
  Ctx c{clock_, random_, public_base_};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto env, c.Load(*tx, tenant_id, env_id));
  GH_ASSIGN_OR_RETURN(auto rows, tx->Environments().ListRoleAssignments(tenant_id, env.id));
  std::vector<RoleAssignment> out;
  for (const auto& r : rows) out.push_back(AssignmentFrom(r));
  return out;
}

StatusOr<std::vector<RoleHolder>> EnvironmentService::Review(const std::string& tenant_id, const std::string& env_id,
                                                             const ReviewQuery& q) {
  Ctx c{clock_, random_, public_base_};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto env, c.Load(*tx, tenant_id, env_id));
  GH_ASSIGN_OR_RETURN(auto role_rows, tx->Environments().ListSecurityRoles(tenant_id, env.id));
  std::map<std::string, SecurityRole> roles;
  for (const auto& r : role_rows) roles[r.id] = RoleFrom(r);
  std::optional<std::string> only_role;
  if (!q.role.empty()) {
    GH_ASSIGN_OR_RETURN(auto role, c.FindRole(*tx, env, q.role));
    only_role = role.id;
  }
  GH_ASSIGN_OR_RETURN(auto rows, tx->Environments().ListRoleAssignments(tenant_id, env.id));
  std::vector<RoleHolder> out;
  auto add = [&](const store::EnvRoleAssignmentRow& a, const std::string& user_id,
                 const std::optional<directory::Group>& via) -> Status {
    auto user = tx->GetUser(tenant_id, user_id);
    if (!user.ok()) return user.status().code() == Code::kNotFound ? OkStatus() : user.status();
    if (q.user_type && user->user_type != *q.user_type) return OkStatus();
    RoleHolder h;
    h.id = via ? a.id + "_" + user_id : a.id;
    h.assignment_id = a.id;
    h.role_id = a.role_id;
    h.role_name = roles[a.role_id].name;
    h.user = *user;
    h.via_group = via;
    h.since = a.created_at;
    out.push_back(std::move(h));
    return OkStatus();
  };
  for (const auto& a : rows) {
    if (only_role && a.role_id != *only_role) continue;
    if (a.principal_kind == "user") {
      GH_RETURN_IF_ERROR(add(a, a.principal_id, std::nullopt));
      continue;
    }
    auto group = tx->GetGroup(tenant_id, a.principal_id);
    if (!group.ok()) continue;
    GH_ASSIGN_OR_RETURN(auto users, TransitiveUsers(*tx, tenant_id, group->id));
    for (const auto& u : users) GH_RETURN_IF_ERROR(add(a, u, *group));
  }
  return out;
}

StatusOr<std::vector<RemovalResult>> EnvironmentService::BulkRemove(const Actor& actor, const std::string& tenant_id,
                                                                    const std::string& env_id,
                                                                    const std::vector<std::string>& ids) {
  Ctx c{clock_, random_, public_base_};
  if (ids.empty()) return BadRequest("Property 'assignmentIds' must name at least one assignment.");
  if (ids.size() > 1000) return BadRequest("At most 1000 assignments can be removed at once.");
  std::vector<RemovalResult> out;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(auto env, c.Load(tx, tenant_id, env_id));
    GH_ASSIGN_OR_RETURN(auto rows, tx.Environments().ListRoleAssignments(tenant_id, env.id));
    GH_ASSIGN_OR_RETURN(auto role_rows, tx.Environments().ListSecurityRoles(tenant_id, env.id));
    std::set<std::string> removed;
    for (const auto& raw : ids) {
      std::string id = ToLower(raw);
      auto find = [&](const std::string& aid) {
        return std::find_if(rows.begin(), rows.end(), [&](const auto& r) { return r.id == aid; });
      };
      auto it = find(id);
      if (it != rows.end() && !removed.count(id)) {
        GH_RETURN_IF_ERROR(tx.Environments().DeleteRoleAssignment(tenant_id, id));
        removed.insert(id);
        auto role = std::find_if(role_rows.begin(), role_rows.end(), [&](const auto& r) { return r.id == it->role_id; });
        GH_RETURN_IF_ERROR(tx.InsertAudit(
            Audit(actor, tenant_id, "Remove security role", it->principal_kind == "group" ? "Group" : "User",
                  it->principal_id, it->principal_id,
                  json::serialize(json::object{{"environmentId", env.id},
                                               {"roleId", it->role_id},
                                               {"roleName", role == role_rows.end() ? "" : role->name},
                                               {"assignmentId", id}}))));
        out.push_back({raw, "removed", "The role assignment was removed."});
        continue;
      }
      // "<groupAssignmentId>_<userId>": a holder through a group.
      auto sep = id.find('_');
      if (sep != std::string::npos) {
        auto g = find(id.substr(0, sep));
        if (g != rows.end() && g->principal_kind == "group") {
          auto group = tx.GetGroup(tenant_id, g->principal_id);
          std::string gname = group.ok() ? group->display_name : g->principal_id;
          out.push_back({raw, "inheritedFromGroup",
                         "The user holds this role through group '" + gname + "' (assignment " + g->id +
                             "). Remove the user from the group, or remove the group's assignment, instead."});
          continue;
        }
      }
      out.push_back({raw, "notFound", "No role assignment '" + raw + "' in this environment."});
    }
    return OkStatus();
  }));
  return out;
}

StatusOr<std::vector<SecurityRole>> EnvironmentService::EffectiveRoles(const std::string& tenant_id,
                                                                       const std::string& env_id,
                                                                       const std::string& user_id) {
  Ctx c{clock_, random_, public_base_};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto env, c.Load(*tx, tenant_id, env_id));
  GH_ASSIGN_OR_RETURN(auto principals, tx->ListTransitiveGroupsOf(tenant_id, ToLower(user_id)));
  principals.push_back(ToLower(user_id));
  GH_ASSIGN_OR_RETURN(auto rows, tx->Environments().ListRoleAssignments(tenant_id, env.id));
  GH_ASSIGN_OR_RETURN(auto role_rows, tx->Environments().ListSecurityRoles(tenant_id, env.id));
  std::vector<SecurityRole> out;
  for (const auto& r : role_rows) {
    bool held = std::any_of(rows.begin(), rows.end(), [&](const auto& a) {
      return a.role_id == r.id && std::find(principals.begin(), principals.end(), a.principal_id) != principals.end();
    });
    if (held) out.push_back(RoleFrom(r));
  }
  return out;
}

// ---- environment users ---------------------------------------------------------

StatusOr<EnvironmentUser> EnvironmentService::AddUser(const Actor& actor, const std::string& tenant_id,
                                                      const std::string& env_id, const std::string& user_id) {
  Ctx c{clock_, random_, public_base_};
  EnvironmentUser rec;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(auto env, c.Load(tx, tenant_id, env_id));
    auto user = FindUser(tx, tenant_id, user_id);
    if (!user.ok() && user.status().code() == Code::kNotFound)
      return BadRequest("User '" + user_id + "' does not exist in this tenant.");
    GH_RETURN_IF_ERROR(user.status());
    GH_ASSIGN_OR_RETURN(auto licences, licensing::ResolveIn(tx, tenant_id));
    GH_ASSIGN_OR_RETURN(Entitlement ent, EntitlementIn(tx, tenant_id, env, *user, licences));
    if (!ent.entitled)
      return FailedPrecondition("The user can't be added to environment '" + env.display_name + "': " + ent.reason,
                                "Request_BadRequest");
    int64_t now = clock_.NowMillis();
    auto existing = tx.Environments().GetUser(tenant_id, env.id, user->id);
    store::EnvUserRow row{tenant_id, env.id, user->id, true, std::string(kAddedAdmin), now, now};
    if (existing.ok()) row.created_at = existing->created_at, row.added_by = existing->added_by;
    GH_RETURN_IF_ERROR(tx.Environments().UpsertUser(row));
    rec = UserFrom(row);
    return tx.InsertAudit(Audit(actor, tenant_id, "Add user to environment", "User", user->id,
                                user->user_principal_name, json::serialize(json::object{{"environmentId", env.id}})));
  }));
  return rec;
}

Status EnvironmentService::RemoveUser(const Actor& actor, const std::string& tenant_id, const std::string& env_id,
                                      const std::string& user_id) {
  Ctx c{clock_, random_, public_base_};
  return Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(auto env, c.Load(tx, tenant_id, env_id));
    if (!IsUuid(user_id)) return NotFound("User '" + user_id + "' is not in this environment.");
    GH_RETURN_IF_ERROR(tx.Environments().DeleteUser(tenant_id, env.id, ToLower(user_id)));
    return tx.InsertAudit(Audit(actor, tenant_id, "Remove user from environment", "User", ToLower(user_id),
                                ToLower(user_id), json::serialize(json::object{{"environmentId", env.id}})));
  });
}

StatusOr<std::vector<EnvironmentUser>> EnvironmentService::ListUsers(const std::string& tenant_id,
                                                                     const std::string& env_id) {
  Ctx c{clock_, random_, public_base_};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto env, c.Load(*tx, tenant_id, env_id));
  GH_ASSIGN_OR_RETURN(auto rows, tx->Environments().ListUsers(tenant_id, env.id));
  std::vector<EnvironmentUser> out;
  for (const auto& r : rows) out.push_back(UserFrom(r));
  return out;
}

StatusOr<SyncResult> EnvironmentService::SyncUser(const std::string& tenant_id, const std::string& env_id,
                                                  const std::string& user_id) {
  Ctx c{clock_, random_, public_base_};
  SyncResult res;
  GH_RETURN_IF_ERROR(Write([&](store::Transaction& tx) -> Status {
    GH_ASSIGN_OR_RETURN(auto env, c.Load(tx, tenant_id, env_id));
    GH_ASSIGN_OR_RETURN(auto user, FindUser(tx, tenant_id, user_id));
    GH_ASSIGN_OR_RETURN(auto licences, licensing::ResolveIn(tx, tenant_id));
    GH_ASSIGN_OR_RETURN(res.entitlement, EntitlementIn(tx, tenant_id, env, user, licences));
    auto existing = tx.Environments().GetUser(tenant_id, env.id, user.id);
    if (!existing.ok() && existing.status().code() != Code::kNotFound) return existing.status();
    int64_t now = clock_.NowMillis();
    if (!existing.ok() && !res.entitlement.entitled) return OkStatus();  // nothing to create or disable
    store::EnvUserRow row = existing.ok()
                                ? *existing
                                : store::EnvUserRow{tenant_id, env.id, user.id, false, std::string(kAddedJit), now, now};
    bool changed = !existing.ok() || row.enabled != res.entitlement.entitled;
    row.enabled = res.entitlement.entitled;
    if (changed) {
      row.updated_at = now;
      GH_RETURN_IF_ERROR(tx.Environments().UpsertUser(row));
      std::string activity = !existing.ok() ? "Add user to environment"
                             : row.enabled  ? "Enable environment user"
                                            : "Disable environment user";
      GH_RETURN_IF_ERROR(tx.InsertAudit(Audit(Actor::System(), tenant_id, activity, "User", user.id,
                                              user.user_principal_name,
                                              json::serialize(json::object{{"environmentId", env.id},
                                                                           {"sync", "jit"},
                                                                           {"reason", res.entitlement.reason}}))));
    }
    res.record = UserFrom(row);
    return OkStatus();
  }));
  return res;
}

StatusOr<Entitlement> EnvironmentService::CheckEntitlement(const std::string& tenant_id, const std::string& env_id,
                                                           const std::string& user_id) {
  Ctx c{clock_, random_, public_base_};
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto env, c.Load(*tx, tenant_id, env_id));
  GH_ASSIGN_OR_RETURN(auto user, FindUser(*tx, tenant_id, user_id));
  GH_ASSIGN_OR_RETURN(auto licences, licensing::ResolveIn(*tx, tenant_id));
  return EntitlementIn(*tx, tenant_id, env, user, licences);
}

Status SeedDemo(EnvironmentService& environments, const Actor& actor, const std::string& tenant_id,
                const std::string& sales_group_id) {
  GH_RETURN_IF_ERROR(environments.EnsureDefault(actor, tenant_id).status());
  GH_ASSIGN_OR_RETURN(auto existing, environments.List(tenant_id));
  auto has = [&](std::string_view unique) {
    return std::any_of(existing.begin(), existing.end(), [&](const Environment& e) { return e.unique_name == unique; });
  };
  if (!has("contoso-sales")) {
    NewEnvironment sales{"Contoso Sales", "contoso-sales", EnvironmentType::kProduction, true, sales_group_id,
                         EnvironmentState::kEnabled};
    if (sales_group_id.empty()) sales.security_group_id.reset();
    GH_RETURN_IF_ERROR(environments.Create(actor, tenant_id, sales).status());
  }
  if (!has("contoso-sandbox")) {
    GH_RETURN_IF_ERROR(environments
                           .Create(actor, tenant_id,
                                   {"Contoso Sandbox", "contoso-sandbox", EnvironmentType::kSandbox, true,
                                    std::nullopt, EnvironmentState::kEnabled})
                           .status());
  }
  return OkStatus();
}

}  // namespace gh::environments
