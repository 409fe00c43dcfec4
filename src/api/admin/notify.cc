// POST /api/v1/environments/{id}/notify: email the environment's URL to users.
#include "api/admin/routes.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"

namespace gh::api::admin {
namespace {
namespace json = boost::json;

http::Response Notify(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.environmentNotification");
    auto ids = r.StringArray("userIds");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!ids) return InvalidArgument("Property 'userIds' is required.", "Request_BadRequest");
    GH_ASSIGN_OR_RETURN(auto results, s.notifier.Notify(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], *ids));
    json::array value;
    for (const auto& x : results)
      value.push_back(json::object{{"userId", x.user_id}, {"outcome", x.outcome}, {"email", x.email}});
    return JsonResponse(200, json::object{{"value", value}});
  });
}

}  // namespace

std::vector<http::Route> NotifyRoutes(Services& s) {
  return {http::Route{"POST", "/api/v1/environments/{id}/notify",
                      [&s](http::RouteContext& c) { return Notify(s, c); }, perm::EnvironmentsWrite(),
                      "Email the environment URL to users (userIds)"}};
}

}  // namespace gh::api::admin
