#include "api/handler_util.h"

#include "identity/principal.h"

namespace gh::api {

http::Response Guard(http::RouteContext& ctx, const std::function<StatusOr<http::Response>()>& body) {
  auto r = body();
  if (!r.ok()) return GraphError(ctx.request, r.status());
  return std::move(r).value();
}

http::Response JsonResponse(int status, const boost::json::object& body) {
  return http::Response::Json(status, boost::json::serialize(body));
}

directory::Actor ActorOf(const http::RouteContext& ctx) {
  if (!ctx.principal) return directory::Actor::System();
  return identity::ActorFor(*ctx.principal);
}

const std::string& TenantOf(const http::RouteContext& ctx) { return ctx.principal->tenant_id; }

}  // namespace gh::api
