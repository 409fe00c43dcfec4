#include "app/routes.h"

#include "app/metrics.h"

#include "api/admin/routes.h"
#include "api/graph/errors.h"
#include "api/graph/routes.h"
#include "api/oauth.h"
#include "api/permissions.h"
#include "web/environment_pages.h"
#include "web/errors.h"
#include "web/portal/portal.h"
#include "web/redeem_routes.h"
#include "web/signin_routes.h"
#include "web/front_door.h"
#include "web/static_files.h"

namespace gh::app {

namespace perm = api::perm;

namespace {

// The portal admits exactly whom the API admits.
web::PortalDeps PortalDepsOf(api::Services& s) {
  web::PortalPermissions can{
      .users_read = perm::UsersRead(),
      .users_write = perm::UsersWrite(),
      .groups_read = perm::GroupsRead(),
      .groups_write = perm::GroupsWrite(),
      .roles_read = perm::RolesRead(),
      .roles_write = perm::RolesWrite(),
      .licenses_read = perm::LicensesRead(),
      .licenses_write = perm::LicensesWrite(),
      .skus_write = perm::SkusWrite(),
      .environments_read = perm::EnvironmentsRead(),
      .environments_write = perm::EnvironmentsWrite(),
      .tenant_settings_read = perm::TenantSettingsRead(),
      .tenant_settings_write = perm::TenantSettingsWrite(),
      .policies_read = perm::PoliciesRead(),
      .authorization_policy_write = perm::AuthorizationPolicyWrite(),
      .cross_tenant_policy_write = perm::CrossTenantPolicyWrite(),
      .audit_read = perm::AuditRead(),
      .access_check = perm::AccessCheck(),
      .organization_write = perm::OrganizationWrite(),
  };
  return {s.clock,     s.random,       s.directory, s.policies,        s.signin, s.invitations, s.bulk,
          s.bulk_runner, s.licensing, s.environments, s.notifier, s.tenant_settings, s.gate, std::move(can)};
}

}  // namespace

std::vector<http::Route> AllRoutes(api::Services& s, const MetricsEndpoint& metrics) {
  std::vector<http::Route> all;
  namespace graph = api::graph;
  namespace admin = api::admin;
  for (auto part : {api::HealthRoutes(s), graph::UserRoutes(s), graph::GroupRoutes(s), graph::RoleRoutes(s),
                    graph::AuditRoutes(s), graph::ApplicationRoutes(s), graph::ServicePrincipalRoutes(s),
                    graph::InvitationRoutes(s), graph::PolicyRoutes(s), graph::BatchRoutes(), api::OAuthRoutes(s),
                    graph::LicenseRoutes(s),
                    admin::SkuRoutes(s), admin::EnvironmentRoutes(s), admin::NotifyRoutes(s), admin::GateRoutes(s),
                    admin::BulkInvitationRoutes(s),
                    web::EnvironmentPages({s.signin, s.directory, s.environments, s.gate}),
                    web::SigninRoutes({s.signin, s.directory, s.random, s.public_base, s.tokens}),
                    web::RedeemRoutes({s.invitations, s.signin, s.random}), web::StaticFiles(), web::FrontDoorPages(),
                    web::PortalPages(PortalDepsOf(s))})
    for (auto& r : part) all.push_back(std::move(r));
  if (metrics.registry != nullptr) all.push_back(MetricsRoute(*metrics.registry, metrics.scrape_token));
  // The gate's snapshots follow committed writes (the store's commit
  // listener, set by the composition root), not requests.
  return all;
}

http::Response RenderError(const http::Request& req, const Status& s) {
  const std::string& p = req.path;
  const bool is_api = p == "/v1.0" || p.starts_with("/v1.0/") || p == "/api" || p.starts_with("/api/") ||
             p.find("/oauth2/") != std::string::npos ||
             p.find("/discovery/") != std::string::npos || p.find("/oidc/") != std::string::npos;
  if (is_api) return api::GraphError(req, s);
  return web::ErrorPage(req, s, s.code() == Code::kNotFound ? "Page not found" : "Something went wrong", "Home", "/");
}

}  // namespace gh::app
