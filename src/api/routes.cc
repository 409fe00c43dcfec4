#include "api/routes.h"

#include "api/graph/errors.h"
#include "api/graph/routes.h"
#include "api/oauth.h"

namespace gh::api {

std::vector<http::Route> AllRoutes(Services& s) {
  std::vector<http::Route> all;
  for (auto part : {HealthRoutes(s), graph::UserRoutes(s), graph::GroupRoutes(s), graph::RoleRoutes(s),
                    graph::AuditRoutes(s), OAuthRoutes(s)})
    for (auto& r : part) all.push_back(std::move(r));
  return all;
}

http::Response RenderError(const http::Request& req, const Status& s) { return GraphError(req, s); }

}  // namespace gh::api
