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
// JSON batching (batch.cc): POST /v1.0/$batch with up to 20 requests, each
// run through the router as if it came alone — with the batch's bearer token,
// so each is authenticated and authorised on its own — and answered in one
// body; `dependsOn` orders them, and a request whose dependency failed
// answers 424 without running.
std::vector<http::Route> BatchRoutes();

}  // namespace gh::api::graph
