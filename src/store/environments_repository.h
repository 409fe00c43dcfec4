#pragma once
// Storage of the environments module: business-app environments, their
// security roles, role assignments and environment user records. Rows are
// storage-level structs; src/environments maps them to its own types and owns
// every rule (one Default environment, security groups, entitlement).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace gh::store {

struct EnvironmentRow {
  std::string tenant_id;
  std::string id;
  std::string display_name;
  std::string unique_name;  // unique across tenants (the URL /env/{unique_name} is global): AlreadyExists
  std::string type;         // "Default", "Production", ... (at most one "Default" per tenant: AlreadyExists)
  bool dataverse = false;
  std::optional<std::string> security_group_id;
  std::string state;        // "enabled", "disabled", "adminMode"
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct SecurityRoleRow {
  std::string tenant_id;
  std::string environment_id;
  std::string id;
  std::string name;  // unique per environment
  std::vector<std::string> privileges;
  bool predefined = false;
  int64_t created_at = 0;
};

struct EnvRoleAssignmentRow {
  std::string tenant_id;
  std::string environment_id;
  std::string id;
  std::string principal_id;
  std::string principal_kind;  // "user" / "group"
  std::string role_id;         // (environment, principal, role) is unique
  int64_t created_at = 0;
};

struct EnvUserRow {
  std::string tenant_id;
  std::string environment_id;
  std::string user_id;
  bool enabled = true;
  std::string added_by;  // "jit", "admin", "sync"
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

class EnvironmentsRepository {
 public:
  virtual ~EnvironmentsRepository() = default;

  virtual Status InsertEnvironment(const EnvironmentRow& e) = 0;
  virtual Status UpdateEnvironment(const EnvironmentRow& e) = 0;  // NotFound when absent
  // Also deletes its roles, role assignments and user records.
  virtual Status DeleteEnvironment(const std::string& tenant_id, const std::string& id) = 0;
  virtual StatusOr<EnvironmentRow> GetEnvironment(const std::string& tenant_id, const std::string& id) = 0;
  virtual StatusOr<std::vector<EnvironmentRow>> ListEnvironments(const std::string& tenant_id) = 0;  // by created_at
  // The environment with this uniqueName, in whichever tenant (one index
  // probe: environment URLs name no tenant); NotFound when none.
  virtual StatusOr<EnvironmentRow> FindEnvironmentByUniqueName(const std::string& unique_name) = 0;

  virtual Status InsertSecurityRole(const SecurityRoleRow& r) = 0;
  virtual StatusOr<std::vector<SecurityRoleRow>> ListSecurityRoles(const std::string& tenant_id,
                                                                   const std::string& environment_id) = 0;

  virtual Status InsertRoleAssignment(const EnvRoleAssignmentRow& a) = 0;
  virtual Status DeleteRoleAssignment(const std::string& tenant_id, const std::string& id) = 0;  // NotFound
  // Empty principal_id = all of the environment; ordered by created_at, id.
  virtual StatusOr<std::vector<EnvRoleAssignmentRow>> ListRoleAssignments(const std::string& tenant_id,
                                                                          const std::string& environment_id,
                                                                          const std::string& principal_id = {}) = 0;

  virtual Status UpsertUser(const EnvUserRow& u) = 0;  // keeps created_at of an existing record
  virtual Status DeleteUser(const std::string& tenant_id, const std::string& environment_id,
                            const std::string& user_id) = 0;  // NotFound when absent
  virtual StatusOr<EnvUserRow> GetUser(const std::string& tenant_id, const std::string& environment_id,
                                       const std::string& user_id) = 0;
  virtual StatusOr<std::vector<EnvUserRow>> ListUsers(const std::string& tenant_id,
                                                      const std::string& environment_id) = 0;  // by user_id
};


}  // namespace gh::store
