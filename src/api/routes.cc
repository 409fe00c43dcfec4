#include "api/routes.h"

#include "api/admin/routes.h"
#include "api/graph/errors.h"
#include "api/graph/routes.h"
#include "api/oauth.h"
#include "web/page.h"
#include "web/signin_routes.h"

namespace gh::api {

std::vector<http::Route> AllRoutes(Services& s) {
  std::vector<http::Route> all;
  for (auto part : {HealthRoutes(s), graph::UserRoutes(s), graph::GroupRoutes(s), graph::RoleRoutes(s),
                    graph::AuditRoutes(s), graph::ApplicationRoutes(s), OAuthRoutes(s),
                    graph::LicenseRoutes(s), admin::SkuRoutes(s), admin::EnvironmentRoutes(s),
                    web::SigninRoutes({s.signin, s.directory, s.random, s.public_base})})
    for (auto& r : part) all.push_back(std::move(r));
  return all;
}

http::Response RenderError(const http::Request& req, const Status& s) {
  const std::string& p = req.path;
  bool api = p.starts_with("/v1.0/") || p.starts_with("/api/") || p.find("/oauth2/") != std::string::npos ||
             p.find("/discovery/") != std::string::npos || p.find("/oidc/") != std::string::npos;
  if (api) return GraphError(req, s);
  int status = HttpStatusFor(s);
  return web::MessagePage(status, status == 404 ? "Page not found" : "Something went wrong", s.message(), "Home", "/");
}

}  // namespace gh::api
