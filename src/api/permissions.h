#pragma once
// Which callers a route admits. An app token qualifies through its application
// permissions (Graph's names, e.g. "User.ReadWrite.All"); a user's token through
// the directory roles the user holds (Global Administrator qualifies for all).
#include <string>
#include <vector>

#include "http/router.h"

namespace gh::api {

http::Permission RequireAny(std::string name, std::vector<std::string> app_permissions,
                            std::vector<std::string> admin_roles);

// True when a user's token carries a delegated scope that reads the
// directory: User.Read.All (users) or Group.Read.All (groups),
// Directory.Read.All, or Directory.AccessAsUser.All (what ".default" grants).
bool HasDirectoryReadScope(const identity::Principal& p, bool groups);

namespace perm {
http::Permission UsersRead();
// GET /users and /users/{id}: UsersRead()'s callers, plus users whose token
// has a directory-read scope. The route predicate can't see userType or the
// tenant's guest access level, so handlers admitted this way must also pass
// AuthorizeDirectoryRead (api/directory_reads.h).
http::Permission UsersReadDelegated();
// GET /groups and /groups/{id}: as UsersReadDelegated() for groups.
http::Permission GroupsReadDelegated();
http::Permission UsersWrite();
http::Permission UsersRevokeSessions();
http::Permission GroupsRead();
http::Permission GroupsWrite();
http::Permission GroupMembersWrite();
http::Permission RolesRead();
http::Permission RolesWrite();
http::Permission AuditRead();
http::Permission ApplicationsRead();
http::Permission ApplicationsWrite();
// Licensing: subscribedSkus, assignLicense, and the SKU admin routes.
http::Permission LicensesRead();
http::Permission LicensesWrite();
http::Permission SkusWrite();
http::Permission OrganizationWrite();
// Environments (Global and Power Platform Administrators).
http::Permission EnvironmentsRead();
http::Permission EnvironmentsWrite();
// Tenant settings (Get-/Set-TenantSettings): Power Platform Administrators.
http::Permission TenantSettingsRead();
http::Permission TenantSettingsWrite();
// The authorization policy, collaboration restrictions and cross-tenant access.
http::Permission PoliciesRead();
http::Permission AuthorizationPolicyWrite();
http::Permission CrossTenantPolicyWrite();
// "Why can't this user…": the gate's explained decision about another user.
http::Permission AccessCheck();
}  // namespace perm

}  // namespace gh::api
