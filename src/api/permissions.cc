#include "api/permissions.h"

#include <algorithm>

#include "directory/model/types.h"
#include "identity/graph_permissions.h"

namespace gh::api {
namespace {
namespace d = gh::directory;
const std::string kGlobalAdmin(d::kGlobalAdministratorRole);
const std::string kUserAdmin(d::kUserAdministratorRole);
const std::string kHelpdesk(d::kHelpdeskAdministratorRole);
const std::string kLicenseAdmin(d::kLicenseAdministratorRole);
const std::string kPowerPlatformAdmin(d::kPowerPlatformAdministratorRole);
const std::string kGuestInviter(d::kGuestInviterRole);
const std::string kPrivilegedRoleAdmin(d::kPrivilegedRoleAdministratorRole);

bool HoldsAny(const std::vector<std::string>& held, const std::vector<std::string>& wanted) {
  return std::any_of(held.begin(), held.end(), [&](const std::string& h) {
    return std::find(wanted.begin(), wanted.end(), h) != wanted.end();
  });
}

// The names of `permissions` that exist as delegated scopes.
std::vector<std::string> DelegatedForms(const std::vector<std::string>& permissions) {
  std::vector<std::string> out;
  for (const auto& name : permissions)
    if (const auto* p = identity::FindPermission(name); p != nullptr && !p->scope_id.empty()) out.push_back(name);
  return out;
}
}  // namespace

bool HasDelegatedScope(const identity::Principal& p, const std::vector<std::string>& scopes) {
  if (p.kind != identity::PrincipalKind::kUser) return false;
  for (const auto& s : scopes) {
    if (p.HasScope(s)) return true;
    // Directory.AccessAsUser.All: the app may do what the user may, in Graph.
    const auto* perm = identity::FindPermission(s);
    if (perm != nullptr && !perm->gatehouse && p.HasScope(identity::kAccessAsUserScope)) return true;
  }
  return false;
}

http::Permission RequireAny(std::string name, std::vector<std::string> app_permissions,
                            std::vector<std::string> admin_roles,
                            std::optional<std::vector<std::string>> delegated_scopes) {
  admin_roles.push_back(kGlobalAdmin);
  std::vector<std::string> delegated = delegated_scopes ? *delegated_scopes : DelegatedForms(app_permissions);
  return {std::move(name), [app_permissions = std::move(app_permissions), admin_roles = std::move(admin_roles),
                            delegated = std::move(delegated)](const identity::Principal& p) {
            if (p.kind == identity::PrincipalKind::kApp) return HoldsAny(p.roles, app_permissions);
            return HasDelegatedScope(p, delegated) && HoldsAny(p.directory_roles, admin_roles);
          }};
}

http::Permission RequireScope(std::string name, std::vector<std::string> app_permissions,
                              std::vector<std::string> delegated_scopes) {
  return {std::move(name), [app_permissions = std::move(app_permissions),
                            delegated = std::move(delegated_scopes)](const identity::Principal& p) {
            if (p.kind == identity::PrincipalKind::kApp) return HoldsAny(p.roles, app_permissions);
            return HasDelegatedScope(p, delegated);
          }};
}

bool HasDirectoryReadScope(const identity::Principal& p, bool groups) {
  return HasDelegatedScope(p, groups ? std::vector<std::string>{"Group.Read.All", "Group.ReadWrite.All",
                                                                "Directory.Read.All", "Directory.ReadWrite.All"}
                                     : std::vector<std::string>{"User.Read.All", "User.ReadWrite.All",
                                                                "Directory.Read.All", "Directory.ReadWrite.All"});
}

namespace perm {
http::Permission UsersReadDelegated() {
  auto admin = UsersRead();
  return {admin.name, [allows = admin.allows](const identity::Principal& p) {
            return allows(p) || HasDirectoryReadScope(p, false);
          }};
}
http::Permission Me() {
  return {"User.Read (signed-in user)", [](const identity::Principal& p) {
            return HasDelegatedScope(p, {"User.Read", "User.ReadWrite", "User.ReadBasic.All"}) ||
                   HasDirectoryReadScope(p, false);
          }};
}
http::Permission GroupsReadDelegated() {
  auto admin = GroupsRead();
  return {admin.name, [allows = admin.allows](const identity::Principal& p) {
            return allows(p) || HasDirectoryReadScope(p, true);
          }};
}
http::Permission UsersRead() {
  return RequireAny("User.Read.All",
                    {"User.Read.All", "User.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
                    {kUserAdmin, kHelpdesk, kLicenseAdmin, kPowerPlatformAdmin, kGuestInviter, kPrivilegedRoleAdmin});
}
http::Permission UsersWrite() {
  return RequireAny("User.ReadWrite.All", {"User.ReadWrite.All", "Directory.ReadWrite.All"}, {kUserAdmin});
}
// PATCH /users/{id}: UsersWrite()'s callers, and Helpdesk Administrators, who
// may only reset passwords (directory::MayEditUserProperties decides the rest).
http::Permission UsersUpdate() {
  return RequireAny("User.ReadWrite.All", {"User.ReadWrite.All", "Directory.ReadWrite.All"}, {kUserAdmin, kHelpdesk});
}
// Graph's user-delete takes User.ReadWrite.All only: Directory.ReadWrite.All
// "does not allow user or group deletion".
http::Permission UsersDelete() {
  return RequireAny("User.ReadWrite.All", {"User.ReadWrite.All"}, {kUserAdmin});
}
http::Permission UsersRevokeSessions() {
  return RequireAny("User.RevokeSessions.All",
                    {"User.RevokeSessions.All", "User.ReadWrite.All", "Directory.ReadWrite.All"}, {kUserAdmin, kHelpdesk});
}
http::Permission GroupsRead() {
  return RequireAny("Group.Read.All",
                    {"Group.Read.All", "Group.ReadWrite.All", "GroupMember.Read.All", "GroupMember.ReadWrite.All",
                     "Directory.Read.All", "Directory.ReadWrite.All"},
                    {kUserAdmin, kHelpdesk, kLicenseAdmin, kPowerPlatformAdmin, kPrivilegedRoleAdmin});
}
// Privileged Role Administrators are admitted for role-assignable groups
// only; the directory's rules (directory/model/privileges.h) refuse them the rest.
http::Permission GroupsWrite() {
  return RequireAny("Group.ReadWrite.All", {"Group.ReadWrite.All", "Directory.ReadWrite.All"},
                    {kUserAdmin, kPrivilegedRoleAdmin});
}
// As UsersDelete: Directory.ReadWrite.All doesn't delete groups.
http::Permission GroupsDelete() {
  return RequireAny("Group.ReadWrite.All", {"Group.ReadWrite.All"}, {kUserAdmin, kPrivilegedRoleAdmin});
}
http::Permission GroupMembersWrite() {
  return RequireAny("GroupMember.ReadWrite.All",
                    {"GroupMember.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
                    {kUserAdmin, kPrivilegedRoleAdmin});
}
http::Permission RolesRead() {
  return RequireAny("RoleManagement.Read.Directory",
                    {"RoleManagement.Read.Directory", "RoleManagement.ReadWrite.Directory", "Directory.Read.All",
                     "Directory.ReadWrite.All"},
                    {kUserAdmin, kPowerPlatformAdmin, kPrivilegedRoleAdmin});
}
http::Permission RolesWrite() {
  return RequireAny("RoleManagement.ReadWrite.Directory", {"RoleManagement.ReadWrite.Directory"},
                    {kPrivilegedRoleAdmin});
}
http::Permission ApplicationsRead() {
  return RequireAny("Application.Read.All",
                    {"Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
                    {});
}
http::Permission ApplicationsWrite() {
  return RequireAny("Application.ReadWrite.All", {"Application.ReadWrite.All"}, {});
}
http::Permission AuditRead() {
  return RequireAny("AuditLog.Read.All", {"AuditLog.Read.All"}, {});
}
http::Permission LicensesRead() {
  return RequireAny("Organization.Read.All",
                    {"Organization.Read.All", "Organization.ReadWrite.All", "Directory.Read.All",
                     "Directory.ReadWrite.All", "LicenseAssignment.ReadWrite.All"},
                    {kLicenseAdmin, kUserAdmin, kPowerPlatformAdmin});
}
// groups/{id}/assignLicense is a group write in Graph: Group.ReadWrite.All or
// Directory.ReadWrite.All (or LicenseAssignment.ReadWrite.All), not User.ReadWrite.All.
http::Permission GroupLicensesWrite() {
  return RequireAny("LicenseAssignment.ReadWrite.All",
                    {"LicenseAssignment.ReadWrite.All", "Group.ReadWrite.All", "Directory.ReadWrite.All"},
                    {kLicenseAdmin, kUserAdmin});
}
http::Permission LicensesWrite() {
  // assignLicense: Graph's delegated permissions are User.ReadWrite.All and
  // Directory.ReadWrite.All (LicenseAssignment.ReadWrite.All is application-only here).
  return RequireAny("LicenseAssignment.ReadWrite.All",
                    {"LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
                    {kLicenseAdmin, kUserAdmin});
}
// Buying products and seats: a Billing Administrator's task in Entra (not
// modelled), so Global Administrators only; License Administrators assign
// what was bought.
http::Permission SkusWrite() {
  return RequireAny("Organization.ReadWrite.All", {"Organization.ReadWrite.All"}, {});
}
http::Permission OrganizationWrite() {
  return RequireAny("Organization.ReadWrite.All", {"Organization.ReadWrite.All"}, {});
}
http::Permission EnvironmentsRead() {
  return RequireAny("Environment.Read.All", {"Environment.Read.All", "Environment.ReadWrite.All"},
                    {kPowerPlatformAdmin});
}
http::Permission EnvironmentsWrite() {
  return RequireAny("Environment.ReadWrite.All", {"Environment.ReadWrite.All"}, {kPowerPlatformAdmin});
}
http::Permission TenantSettingsRead() {
  // Gatehouse's own resource: no Graph permission reaches it, delegated
  // (Directory.AccessAsUser.All) or application (Directory.ReadWrite.All).
  return RequireAny("TenantSettings.ReadWrite.All", {"TenantSettings.ReadWrite.All"}, {kPowerPlatformAdmin});
}
http::Permission TenantSettingsWrite() {
  return RequireAny("TenantSettings.ReadWrite.All", {"TenantSettings.ReadWrite.All"}, {kPowerPlatformAdmin});
}
// Graph's authorizationpolicy-get takes Policy.Read.All or
// Policy.ReadWrite.Authorization, crosstenantaccesspolicy-get Policy.Read.All
// or Policy.ReadWrite.CrossTenantAccess; Directory.Read.All reads neither.
http::Permission PoliciesRead() {
  return RequireAny("Policy.Read.All", {"Policy.Read.All"}, {kUserAdmin});
}
http::Permission AuthorizationPolicyRead() {
  return RequireAny("Policy.Read.All", {"Policy.Read.All", "Policy.ReadWrite.Authorization"}, {kUserAdmin});
}
http::Permission CrossTenantPolicyRead() {
  return RequireAny("Policy.Read.All", {"Policy.Read.All", "Policy.ReadWrite.CrossTenantAccess"}, {kUserAdmin});
}
http::Permission AuthorizationPolicyWrite() {
  return RequireAny("Policy.ReadWrite.Authorization", {"Policy.ReadWrite.Authorization"}, {});
}
http::Permission CrossTenantPolicyWrite() {
  return RequireAny("Policy.ReadWrite.CrossTenantAccess", {"Policy.ReadWrite.CrossTenantAccess"}, {});
}
http::Permission AccessCheck() {
  return RequireAny("Directory.Read.All",
                    {"Directory.Read.All", "Directory.ReadWrite.All", "User.Read.All", "User.ReadWrite.All"},
                    {kPowerPlatformAdmin, kUserAdmin});
}
http::Permission AppsRead() {
  return RequireScope("Environment.Read.All", {"Environment.Read.All", "Environment.ReadWrite.All"},
                      {"Environment.Read.All", "Environment.ReadWrite.All"});
}
http::Permission AppsWrite() {
  return RequireScope("Environment.ReadWrite.All", {"Environment.ReadWrite.All"}, {"Environment.ReadWrite.All"});
}
// Graph's serviceprincipal-list/get: Application.Read.All and up, not
// AppRoleAssignment.ReadWrite.All (which lists an app's grants, below).
http::Permission ServicePrincipalsRead() {
  return RequireAny("Application.Read.All",
                    {"Application.Read.All", "Application.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
                    {kPrivilegedRoleAdmin});
}
http::Permission AppRoleAssignmentsRead() {
  return RequireAny("Application.Read.All",
                    {"Application.Read.All", "Application.ReadWrite.All", "AppRoleAssignment.ReadWrite.All",
                     "Directory.Read.All", "Directory.ReadWrite.All"},
                    {kPrivilegedRoleAdmin});
}
http::Permission AppRoleAssignmentsWrite() {
  return RequireAny("AppRoleAssignment.ReadWrite.All", {"AppRoleAssignment.ReadWrite.All"}, {kPrivilegedRoleAdmin});
}
http::Permission PermissionGrantsRead() {
  return RequireAny("DelegatedPermissionGrant.ReadWrite.All",
                    {"DelegatedPermissionGrant.ReadWrite.All", "Directory.Read.All", "Directory.ReadWrite.All"},
                    {kPrivilegedRoleAdmin});
}
http::Permission PermissionGrantsWrite() {
  return RequireAny("DelegatedPermissionGrant.ReadWrite.All", {"DelegatedPermissionGrant.ReadWrite.All"},
                    {kPrivilegedRoleAdmin});
}
}  // namespace perm

}  // namespace gh::api
