#pragma once
// Environments: CRUD of a tenant's business-app environments, their security
// roles and role assignments, the environment user records and the access
// review. Each write is audited ("EnvironmentManagement") in the transaction
// that makes it. Callers are authenticated and authorised already (Global or
// Power Platform Administrators); this module checks the data.
//
// Rules reproduced from the Power Platform admin center:
//   - every tenant has exactly one Default environment; it is created lazily,
//     on the first call that reads or writes the tenant's environments (or by
//     EnsureDefault), and can't be deleted or created by hand;
//   - an optional security group (a group of the tenant) can't be set on
//     Default or Developer environments; setting or changing it re-evaluates
//     every user record of the environment (non-entitled users are disabled,
//     never deleted);
//   - a user is entitled to an environment when the account is enabled, it
//     holds a licence from this tenant whose plans grant environment access,
//     and it is a (transitive) member of the security group when one is set.
//     Global and Power Platform Administrators are entitled without licence or
//     membership;
//   - security roles are assigned to users or groups (a group's role applies to
//     its transitive members); only enabled users get roles.
// Not modelled: Dataverse group teams, access modes, app-pass capacity, the
// periodic background sync (SyncUser is the just-in-time path).
#include <optional>
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "environments/model/types.h"
#include "store/store.h"

namespace gh::environments {

struct NewEnvironment {
  std::string display_name;
  std::optional<std::string> unique_name;  // default: a slug of display_name
  EnvironmentType type = EnvironmentType::kProduction;
  bool dataverse = false;
  std::optional<std::string> security_group_id;
  EnvironmentState state = EnvironmentState::kEnabled;
};

// Only engaged fields change; an engaged empty security_group_id clears it.
struct EnvironmentPatch {
  std::optional<std::string> display_name;
  std::optional<std::optional<std::string>> security_group_id;
  std::optional<EnvironmentState> state;
};

// Whether a user may be in an environment, and why not.
struct Entitlement {
  bool entitled = false;
  bool admin = false;  // entitled as Global / Power Platform Administrator
  std::string reason;  // when not entitled: a sentence naming the missing piece
};

// The outcome of SyncUser: the record as it is now (absent when the user was
// never added and is not entitled) and the entitlement behind it.
struct SyncResult {
  std::optional<EnvironmentUser> record;
  Entitlement entitlement;
};

// One holder of a role, for the access review.
struct RoleHolder {
  std::string id;  // the assignment id (direct) or "<groupAssignmentId>_<userId>" (through a group)
  std::string assignment_id;
  std::string role_id;
  std::string role_name;
  directory::User user;
  std::optional<directory::Group> via_group;  // null = direct
  int64_t since = 0;
};

struct ReviewQuery {
  std::string role;  // role id or name; empty = every role
  std::optional<directory::UserType> user_type;
};

// Result of one id of a bulk removal.
struct RemovalResult {
  std::string id;
  std::string result;  // "removed", "notFound", "inheritedFromGroup"
  std::string message;
};

class EnvironmentService {
 public:
  // `public_base` (e.g. "https://localhost:8443") prefixes environment URLs.
  EnvironmentService(store::Store& store, const Clock& clock, Random& random, std::string public_base);

  StatusOr<Environment> EnsureDefault(const directory::Actor& actor, const std::string& tenant_id);
  StatusOr<std::vector<Environment>> List(const std::string& tenant_id);
  StatusOr<Environment> Get(const std::string& tenant_id, const std::string& id);
  // The environment at /env/{uniqueName}, in whichever tenant (uniqueNames are
  // unique across tenants: one index probe). NotFound when there is none.
  StatusOr<Environment> FindByUniqueName(const std::string& unique_name);
  StatusOr<Environment> Create(const directory::Actor& actor, const std::string& tenant_id, NewEnvironment in);
  StatusOr<Environment> Update(const directory::Actor& actor, const std::string& tenant_id, const std::string& id,
                               const EnvironmentPatch& patch);
  Status Delete(const directory::Actor& actor, const std::string& tenant_id, const std::string& id);

  // Security roles.
  StatusOr<std::vector<SecurityRole>> ListRoles(const std::string& tenant_id, const std::string& env_id);
  StatusOr<SecurityRole> CreateRole(const directory::Actor& actor, const std::string& tenant_id,
                                    const std::string& env_id, std::string name, std::vector<std::string> privileges);

  // Role assignments. `role` is a role id or name.
  StatusOr<RoleAssignment> AssignRole(const directory::Actor& actor, const std::string& tenant_id,
                                      const std::string& env_id, const std::string& principal_id,
                                      const std::string& role);
  Status RemoveRoleAssignment(const directory::Actor& actor, const std::string& tenant_id, const std::string& env_id,
                              const std::string& assignment_id);
  StatusOr<std::vector<RoleAssignment>> ListRoleAssignments(const std::string& tenant_id, const std::string& env_id);
  // The access review: who holds which role, directly or through which group.
  StatusOr<std::vector<RoleHolder>> Review(const std::string& tenant_id, const std::string& env_id,
                                           const ReviewQuery& q);
  // Removes direct assignments (and group assignments named by their own id),
  // all in one transaction; ids of group-inherited holders are reported back.
  StatusOr<std::vector<RemovalResult>> BulkRemove(const directory::Actor& actor, const std::string& tenant_id,
                                                  const std::string& env_id, const std::vector<std::string>& ids);
  // Roles a user holds in an environment, directly or through groups.
  StatusOr<std::vector<SecurityRole>> EffectiveRoles(const std::string& tenant_id, const std::string& env_id,
                                                     const std::string& user_id);

  // Environment users. AddUser refuses (FailedPrecondition, 400) a user who is
  // not entitled, saying why.
  StatusOr<EnvironmentUser> AddUser(const directory::Actor& actor, const std::string& tenant_id,
                                    const std::string& env_id, const std::string& user_id);
  Status RemoveUser(const directory::Actor& actor, const std::string& tenant_id, const std::string& env_id,
                    const std::string& user_id);
  StatusOr<std::vector<EnvironmentUser>> ListUsers(const std::string& tenant_id, const std::string& env_id);
  // Just-in-time sync: creates (added_by "jit") or re-enables the record when
  // the user is entitled, disables it when not. Never deletes.
  StatusOr<SyncResult> SyncUser(const std::string& tenant_id, const std::string& env_id, const std::string& user_id);
  StatusOr<Entitlement> CheckEntitlement(const std::string& tenant_id, const std::string& env_id,
                                         const std::string& user_id);

 private:
  template <typename Fn>
  Status Write(Fn&& body);
  directory::AuditEntry Audit(const directory::Actor& actor, const std::string& tenant_id, std::string activity,
                              std::string target_type, const std::string& target_id, const std::string& target_name,
                              std::string details_json = "{}");

  store::Store& store_;
  const Clock& clock_;
  Random& random_;
  std::string public_base_;
};

// Demo data: the Default environment, "Contoso Sales" (Production,
// uniqueName contoso-sales, Dataverse, security group `sales_group_id`) and
// "Contoso Sandbox" (Sandbox, no group). Idempotent.
Status SeedDemo(EnvironmentService& environments, const directory::Actor& actor, const std::string& tenant_id,
                const std::string& sales_group_id);

}  // namespace gh::environments
