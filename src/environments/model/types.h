#pragma once
// The environments module's value types: business-app environments (as in the
// Power Platform admin center), their security roles (sets of privileges the
// gate checks), role assignments to users and groups, and the environment's
// user records (Dataverse's SystemUser rows: enabled or disabled, never
// deleted by sync). Plain values; no I/O.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gh::environments {

enum class EnvironmentType { kDefault, kProduction, kSandbox, kDeveloper, kTrial };
std::string_view TypeName(EnvironmentType t);  // "Default", "Production", ...
std::optional<EnvironmentType> ParseType(std::string_view s);

enum class EnvironmentState { kEnabled, kDisabled, kAdminMode };
std::string_view StateName(EnvironmentState s);  // "enabled", "disabled", "adminMode"
std::optional<EnvironmentState> ParseState(std::string_view s);

struct Environment {
  std::string id;  // GUID
  std::string tenant_id;
  std::string display_name;
  std::string unique_name;  // lower-case slug, unique per tenant
  std::string url;          // "{public_base}/env/{unique_name}"
  EnvironmentType type = EnvironmentType::kProduction;
  bool dataverse = false;
  std::optional<std::string> security_group_id;
  EnvironmentState state = EnvironmentState::kEnabled;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// Privileges a security role grants (what the gate asks for).
inline constexpr std::string_view kCreateCanvasApp = "createCanvasApp";
inline constexpr std::string_view kCreateModelDrivenApp = "createModelDrivenApp";
inline constexpr std::string_view kImportSolution = "importSolution";
inline constexpr std::string_view kExportSolution = "exportSolution";
inline constexpr std::string_view kReadData = "readData";
inline constexpr std::string_view kWriteData = "writeData";
inline constexpr std::string_view kShareApps = "shareApps";
inline constexpr std::string_view kCustomize = "customize";
inline constexpr std::string_view kAdminister = "administer";
const std::vector<std::string_view>& AllPrivileges();

struct SecurityRole {
  std::string id;
  std::string environment_id;
  std::string name;
  std::vector<std::string> privileges;
  bool predefined = false;
  int64_t created_at = 0;

  bool Grants(std::string_view privilege) const;
};

// The roles every environment starts with: the Dataverse set (System
// Administrator, System Customizer, Environment Maker, Basic User, Service
// Reader, Service Writer, Delegate, Support User, Office Collaborator) or,
// without Dataverse, Environment Admin and Environment Maker.
struct RoleTemplate {
  std::string_view name;
  std::vector<std::string_view> privileges;
};
const std::vector<RoleTemplate>& PredefinedRoles(bool dataverse);

inline constexpr std::string_view kSystemAdministrator = "System Administrator";
inline constexpr std::string_view kEnvironmentAdmin = "Environment Admin";
inline constexpr std::string_view kEnvironmentMaker = "Environment Maker";

enum class PrincipalKind { kUser, kGroup };

struct RoleAssignment {
  std::string id;
  std::string environment_id;
  std::string principal_id;
  PrincipalKind principal_kind = PrincipalKind::kUser;
  std::string role_id;
  int64_t created_at = 0;
};

// How a user came into the environment.
inline constexpr std::string_view kAddedJit = "jit";
inline constexpr std::string_view kAddedAdmin = "admin";
inline constexpr std::string_view kAddedSync = "sync";

struct EnvironmentUser {
  std::string environment_id;
  std::string user_id;
  bool enabled = true;
  std::string added_by;  // kAddedJit / kAddedAdmin / kAddedSync
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

}  // namespace gh::environments
