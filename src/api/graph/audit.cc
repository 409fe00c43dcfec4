#include "api/graph/collection.h"
#include "api/graph/routes.h"
#include "api/graph/wire.h"
#include "api/handler_util.h"
#include "api/permissions.h"
#include "core/encoding.h"
#include "core/strings.h"

namespace gh::api::graph {
namespace {
namespace json = boost::json;

// $filter supports category, activityDisplayName, initiatedBy/… ids are not
// modelled: category eq, activityDisplayName eq, targetResources are matched by id.
http::Response List(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {"$filter", "$top", "$skiptoken"}));
    store::AuditQuery q;
    q.tenant_id = TenantOf(ctx);
    if (auto t = ctx.request.Query("$top")) {
      GH_ASSIGN_OR_RETURN(q.top, http::ParseTop(*t));
    }
    if (auto f = ctx.request.Query("$filter")) {
      static const http::PropertySet props = {{"category", http::PropertyType::kString},
                                              {"activityDisplayName", http::PropertyType::kString}};
      GH_ASSIGN_OR_RETURN(auto expr, http::ParseFilter(*f, props, "directoryAudit"));
      std::function<Status(const FilterExpr&)> walk = [&](const FilterExpr& e) -> Status {
        if (e.op == FilterOp::kAnd) {
          for (const auto& c : e.children) GH_RETURN_IF_ERROR(walk(*c));
          return OkStatus();
        }
        if (e.op != FilterOp::kEq || !std::holds_alternative<std::string>(e.values.at(0)))
          return InvalidArgument("Only 'eq' comparisons joined by 'and' are supported in this $filter.",
                                 "Request_UnsupportedQuery");
        (e.property == "category" ? q.category : q.activity) = std::get<std::string>(e.values[0]);
        return OkStatus();
      };
      GH_RETURN_IF_ERROR(walk(*expr));
    }
    if (auto token = ctx.request.Query("$skiptoken")) {
      auto decoded = Base64UrlDecode(*token);
      if (!decoded.ok() || !IsUuid(*decoded))
        return InvalidArgument("The $skiptoken value is invalid or has expired.", "Request_BadRequest");
      q.after = *decoded;
    }
    GH_ASSIGN_OR_RETURN(auto page, s.directory.ListAudit(q));
    json::array value;
    for (const auto& e : page.items) value.push_back(AuditEntryToJson(e));
    std::string last = page.items.empty() ? "" : page.items.back().id;
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base, "auditLogs/directoryAudits", std::move(value),
                                            page.more, last, std::nullopt));
  });
}

}  // namespace

std::vector<http::Route> AuditRoutes(Services& s) {
  return {http::Route{"GET", "/v1.0/auditLogs/directoryAudits",
                      [&s](http::RouteContext& c) { return List(s, c); }, perm::AuditRead(),
                      "List the directory audit log, newest first"}};
}

}  // namespace gh::api::graph
