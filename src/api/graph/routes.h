#pragma once
// Graph v1.0 directory routes (users, groups, memberships, directory roles,
// role assignments, audit log). Each handler: decode → one domain call → encode.
#include <vector>

#include "api/services.h"
#include "http/router.h"

namespace gh::api::graph {

std::vector<http::Route> UserRoutes(Services& s);
std::vector<http::Route> GroupRoutes(Services& s);
std::vector<http::Route> RoleRoutes(Services& s);
std::vector<http::Route> AuditRoutes(Services& s);
std::vector<http::Route> ApplicationRoutes(Services& s);
std::vector<http::Route> InvitationRoutes(Services& s);
std::vector<http::Route> PolicyRoutes(Services& s);
// subscribedSkus, assignLicense, licenseDetails (licenses.cc).
std::vector<http::Route> LicenseRoutes(Services& s);
// servicePrincipals, their appRoleAssignments, oauth2PermissionGrants (service_principals.cc).
std::vector<http::Route> ServicePrincipalRoutes(Services& s);

}  // namespace gh::api::graph
