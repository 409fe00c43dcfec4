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

namespace perm {
http::Permission UsersRead();
http::Permission UsersWrite();
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
}  // namespace perm

}  // namespace gh::api
