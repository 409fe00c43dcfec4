#pragma once
// Which callers a route admits, as Graph decides it.
//
// An app token qualifies through the application permissions an administrator
// granted it (its `roles`, Graph's names, e.g. "User.ReadWrite.All").
//
// A user's token qualifies only with BOTH a delegated scope the route accepts
// (its `scp`: what the user consented to let this app do) AND a directory role
// the route accepts (what the user may do at all; Global Administrator
// qualifies for all). Directory.AccessAsUser.All stands for every Graph
// scope, but not for Gatehouse's own (Environment.*, TenantSettings.*). So a
// Global Administrator signed in to a sign-in-only app (openid User.Read) gets
// a token that reads their own profile and nothing more.
//
// Scope and permission names are those of the catalogue
// (identity/graph_permissions.h).
#include <optional>
#include <string>
#include <vector>

#include "http/router.h"

namespace gh::api {

// `delegated_scopes` defaults to the names in `app_permissions` that have a
// delegated form (Graph mostly names both forms alike).
http::Permission RequireAny(std::string name, std::vector<std::string> app_permissions,
                            std::vector<std::string> admin_roles,
                            std::optional<std::vector<std::string>> delegated_scopes = std::nullopt);

// True when a user's token carries one of `scopes` (or, for Graph scopes,
// Directory.AccessAsUser.All). False for app tokens.
bool HasDelegatedScope(const identity::Principal& p, const std::vector<std::string>& scopes);
// For routes any user may call (the gate or the handler decides who may do
// what): apps need one of `app_permissions`, users one of `delegated_scopes`.
http::Permission RequireScope(std::string name, std::vector<std::string> app_permissions,
                              std::vector<std::string> delegated_scopes);

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
// Graph's /me: a user's token with User.Read or any scope that reads users;
// an app's token has no "me".
http::Permission Me();
// GET /groups and /groups/{id}: as UsersReadDelegated() for groups.
http::Permission GroupsReadDelegated();
http::Permission UsersWrite();
http::Permission UsersUpdate();
// DELETE /users/{id}, /groups/{id}: as the write, but Directory.ReadWrite.All deletes nothing.
http::Permission UsersDelete();
http::Permission UsersRevokeSessions();
http::Permission GroupsRead();
http::Permission GroupsWrite();
http::Permission GroupsDelete();
http::Permission GroupMembersWrite();
http::Permission RolesRead();
http::Permission RolesWrite();
http::Permission AuditRead();
http::Permission ApplicationsRead();
http::Permission ApplicationsWrite();
// Licensing: subscribedSkus, assignLicense, and the SKU admin routes.
http::Permission LicensesRead();
http::Permission LicensesWrite();       // users/{id}/assignLicense
http::Permission GroupLicensesWrite();  // groups/{id}/assignLicense
http::Permission SkusWrite();
http::Permission OrganizationWrite();
// Environments (Global and Power Platform Administrators).
http::Permission EnvironmentsRead();
http::Permission EnvironmentsWrite();
// Tenant settings (Get-/Set-TenantSettings): Power Platform Administrators.
http::Permission TenantSettingsRead();
http::Permission TenantSettingsWrite();
// The authorization policy, collaboration restrictions and cross-tenant access.
// PoliciesRead (Policy.Read.All) is the portal's, whose pages show both.
http::Permission PoliciesRead();
http::Permission AuthorizationPolicyRead();
http::Permission CrossTenantPolicyRead();
http::Permission AuthorizationPolicyWrite();
http::Permission CrossTenantPolicyWrite();
// "Why can't this user…": the gate's explained decision about another user.
http::Permission AccessCheck();
// Environments' apps: listing, creating (users only: the maker) and sharing.
http::Permission AppsRead();
http::Permission AppsWrite();
// Graph's service principals, their application permissions (appRoleAssignments)
// and delegated permission grants (oauth2PermissionGrants): reading them, and
// granting or revoking (Global and Privileged Role Administrators, or an app
// with AppRoleAssignment.ReadWrite.All / DelegatedPermissionGrant.ReadWrite.All).
http::Permission ServicePrincipalsRead();
http::Permission AppRoleAssignmentsRead();
http::Permission AppRoleAssignmentsWrite();
http::Permission PermissionGrantsRead();
http::Permission PermissionGrantsWrite();
}  // namespace perm

}  // namespace gh::api
