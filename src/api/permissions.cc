#include "api/permissions.h"

#include <algorithm>

#include "directory/model.h"

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
}  // namespace

http::Permission RequireAny(std::string name, std::vector<std::string> app_permissions,
                            std::vector<std::string> admin_roles) {
  admin_roles.push_back(kGlobalAdmin);
  return {std::move(name), [app_permissions = std::move(app_permissions),
                            admin_roles = std::move(admin_roles)](const identity::Principal& p) {
            const auto& held = p.kind == identity::PrincipalKind::kApp ? p.roles : p.directory_roles;
            const auto& wanted = p.kind == identity::PrincipalKind::kApp ? app_permissions : admin_roles;
            return std::any_of(held.begin(), held.end(), [&](const std::string& h) {
              return std::find(wanted.begin(), wanted.end(), h) != wanted.end();
            });
          }};
}

bool HasDirectoryReadScope(const identity::Principal& p, bool groups) {
  if (p.kind != identity::PrincipalKind::kUser) return false;
  return p.HasScope("Directory.Read.All") || p.HasScope("Directory.AccessAsUser.All") ||
         p.HasScope(groups ? "Group.Read.All" : "User.Read.All");
}

namespace perm {
http::Permission UsersReadDelegated() {
  auto admin = UsersRead();
  return {admin.name, [allows = admin.allows](const identity::Principal& p) {
            return allows(p) || HasDirectoryReadScope(p, false);
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
// only; the directory's rules (directory/privileges.h) refuse them the rest.
http::Permission GroupsWrite() {
  return RequireAny("Group.ReadWrite.All", {"Group.ReadWrite.All", "Directory.ReadWrite.All"},
                    {kUserAdmin, kPrivilegedRoleAdmin});
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
http::Permission LicensesWrite() {
  return RequireAny("LicenseAssignment.ReadWrite.All",
                    {"LicenseAssignment.ReadWrite.All", "User.ReadWrite.All", "Directory.ReadWrite.All"},
                    {kLicenseAdmin, kUserAdmin});
}
http::Permission SkusWrite() {
  return RequireAny("Organization.ReadWrite.All", {"Organization.ReadWrite.All"}, {kLicenseAdmin});
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
  return RequireAny("TenantSettings.ReadWrite.All", {"TenantSettings.ReadWrite.All", "Directory.ReadWrite.All"},
                    {kPowerPlatformAdmin});
}
http::Permission TenantSettingsWrite() {
  return RequireAny("TenantSettings.ReadWrite.All", {"TenantSettings.ReadWrite.All"}, {kPowerPlatformAdmin});
}
http::Permission PoliciesRead() {
  return RequireAny("Policy.Read.All",
                    {"Policy.Read.All", "Policy.ReadWrite.Authorization", "Policy.ReadWrite.CrossTenantAccess",
                     "Directory.Read.All", "Directory.ReadWrite.All"},
                    {kUserAdmin});
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
}  // namespace perm

}  // namespace gh::api
