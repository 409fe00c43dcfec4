#pragma once
// Gatehouse's own admin routes under /api/v1 (Graph error shape): SKUs and
// seats (skus.cc), environments, security roles, role assignments, the access
// review and environment users (environments.cc). Handlers are thin: decode →
// one domain call → encode.
#include <vector>

#include "api/services.h"
#include "http/router.h"

namespace gh::api::admin {

std::vector<http::Route> SkuRoutes(Services& s);
std::vector<http::Route> EnvironmentRoutes(Services& s);
std::vector<http::Route> NotifyRoutes(Services& s);
// Tenant settings, apps and the access check (gate.cc).
std::vector<http::Route> GateRoutes(Services& s);
// Bulk invitations from CSV files (bulk_invitations.cc).
std::vector<http::Route> BulkInvitationRoutes(Services& s);

}  // namespace gh::api::admin
