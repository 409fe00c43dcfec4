#include "api/graph/collection.h"
#include "api/graph/routes.h"
#include "api/graph/wire.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"
#include "core/strings.h"

namespace gh::api::graph {
namespace {
namespace json = boost::json;
using http::PropertyType;

json::object Collection(const http::Request& req, const Services& s, std::string_view context, json::array value) {
  return CollectionBody(req, s.public_base, context, std::move(value), false, "", std::nullopt);
}

http::Response ListDirectoryRoles(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {}));
    json::array value;
    for (const auto& r : directory::BuiltInRoles()) value.push_back(DirectoryRoleToJson(r));
    return JsonResponse(200, Collection(ctx.request, s, "directoryRoles", std::move(value)));
  });
}

StatusOr<const directory::RoleTemplate*> FindRole(const std::string& id) {
  const auto* r = directory::FindRoleTemplate(ToLower(id));
  if (!r) return NotFound("Resource '" + id + "' does not exist or one of its queried reference-property objects "
                          "are not present.", "Request_ResourceNotFound");
  return r;
}

http::Response GetDirectoryRole(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto r, FindRole(ctx.params["id"]));
    return JsonResponse(200, DirectoryRoleToJson(*r));
  });
}

http::Response DirectoryRoleMembers(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto r, FindRole(ctx.params["id"]));
    GH_ASSIGN_OR_RETURN(auto as, s.directory.ListRoleAssignments(TenantOf(ctx), "", std::string(r->id)));
    json::array value;
    for (const auto& a : as) {
      if (auto u = s.directory.GetUser(TenantOf(ctx), a.principal_id); u.ok()) {
        auto o = UserToJson(*u, {});
        o.emplace("@odata.type", "#microsoft.graph.user");
        value.push_back(std::move(o));
      } else if (auto g = s.directory.GetGroup(TenantOf(ctx), a.principal_id); g.ok()) {
        auto o = GroupToJson(*g, {});
        o.emplace("@odata.type", "#microsoft.graph.group");
        value.push_back(std::move(o));
      }
    }
    return JsonResponse(200, Collection(ctx.request, s, "directoryObjects", std::move(value)));
  });
}

http::Response AddDirectoryRoleMember(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto r, FindRole(ctx.params["id"]));
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto member, ParseReference(body));
    GH_RETURN_IF_ERROR(s.directory.AssignRole(ActorOf(ctx), TenantOf(ctx), std::string(r->id), member).status());
    return http::Response::NoContent();
  });
}

http::Response RemoveDirectoryRoleMember(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto r, FindRole(ctx.params["id"]));
    GH_ASSIGN_OR_RETURN(auto as, s.directory.ListRoleAssignments(TenantOf(ctx), ToLower(ctx.params["member"]),
                                                                 std::string(r->id)));
    if (as.empty()) return NotFound("The principal is not a member of this role.", "Request_ResourceNotFound");
    GH_RETURN_IF_ERROR(s.directory.RemoveRoleAssignment(ActorOf(ctx), TenantOf(ctx), as.front().id));
    return http::Response::NoContent();
  });
}

http::Response ListRoleDefinitions(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {}));
    json::array value;
    for (const auto& r : directory::BuiltInRoles()) value.push_back(RoleDefinitionToJson(r));
    return JsonResponse(200, Collection(ctx.request, s, "roleManagement/directory/roleDefinitions", std::move(value)));
  });
}

// Supports $filter on principalId and roleDefinitionId (eq, and), as Graph does.
StatusOr<std::pair<std::string, std::string>> AssignmentFilter(const http::Request& req) {
  static const http::PropertySet props = {{"principalId", PropertyType::kGuid},
                                          {"roleDefinitionId", PropertyType::kGuid}};
  std::pair<std::string, std::string> out;
  auto f = req.Query("$filter");
  if (!f) return out;
  GH_ASSIGN_OR_RETURN(auto expr, http::ParseFilter(*f, props, "unifiedRoleAssignment"));
  std::vector<const FilterExpr*> terms;
  std::function<Status(const FilterExpr&)> walk = [&](const FilterExpr& e) -> Status {
    if (e.op == FilterOp::kAnd) {
      for (const auto& c : e.children) GH_RETURN_IF_ERROR(walk(*c));
      return OkStatus();
    }
    if (e.op != FilterOp::kEq || e.values.size() != 1 || !std::holds_alternative<std::string>(e.values[0]))
      return InvalidArgument("Only 'eq' comparisons joined by 'and' are supported in this $filter.",
                             "Request_UnsupportedQuery");
    (e.property == "principalId" ? out.first : out.second) = ToLower(std::get<std::string>(e.values[0]));
    return OkStatus();
  };
  GH_RETURN_IF_ERROR(walk(*expr));
  return out;
}

http::Response ListAssignments(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {"$filter"}));
    GH_ASSIGN_OR_RETURN(auto filter, AssignmentFilter(ctx.request));
    GH_ASSIGN_OR_RETURN(auto as, s.directory.ListRoleAssignments(TenantOf(ctx), filter.first, filter.second));
    json::array value;
    for (const auto& a : as) value.push_back(RoleAssignmentToJson(a));
    return JsonResponse(200, Collection(ctx.request, s, "roleManagement/directory/roleAssignments", std::move(value)));
  });
}

http::Response CreateAssignment(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "microsoft.graph.unifiedRoleAssignment");
    r.Ignore({"@odata.type"});
    auto principal = r.String("principalId");
    auto role = r.String("roleDefinitionId");
    auto scope = r.String("directoryScopeId");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!principal || !role)
      return InvalidArgument("Properties 'principalId' and 'roleDefinitionId' are required.", "Request_BadRequest");
    if (!IsUuid(*principal)) return InvalidArgument("Invalid value for property 'principalId'.", "Request_BadRequest");
    if (scope && *scope != "/")
      return InvalidArgument("Only the tenant-wide directoryScopeId '/' is supported.", "Request_BadRequest");
    GH_ASSIGN_OR_RETURN(auto a, s.directory.AssignRole(ActorOf(ctx), TenantOf(ctx), *role, *principal));
    auto out = RoleAssignmentToJson(a);
    out.emplace("@odata.context", ContextUrl(s.public_base, "roleManagement/directory/roleAssignments/$entity"));
    return JsonResponse(201, out);
  });
}

http::Response GetAssignment(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto a, s.directory.GetRoleAssignment(TenantOf(ctx), ctx.params["id"]));
    return JsonResponse(200, RoleAssignmentToJson(a));
  });
}

http::Response DeleteAssignment(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(s.directory.RemoveRoleAssignment(ActorOf(ctx), TenantOf(ctx), ctx.params["id"]));
    return http::Response::NoContent();
  });
}

}  // namespace

std::vector<http::Route> RoleRoutes(Services& s) {
  using http::Route;
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  const std::string ra = "/v1.0/roleManagement/directory/roleAssignments";
  return {
      Route{"GET", "/v1.0/directoryRoles", h(ListDirectoryRoles), perm::RolesRead(), "List directory roles"},
      Route{"GET", "/v1.0/directoryRoles/{id}", h(GetDirectoryRole), perm::RolesRead(), "Get a directory role"},
      Route{"GET", "/v1.0/directoryRoles/{id}/members", h(DirectoryRoleMembers), perm::RolesRead(),
            "List a directory role's members"},
      Route{"POST", "/v1.0/directoryRoles/{id}/members/$ref", h(AddDirectoryRoleMember), perm::RolesWrite(),
            "Assign a directory role to a user or group"},
      Route{"DELETE", "/v1.0/directoryRoles/{id}/members/{member}/$ref", h(RemoveDirectoryRoleMember),
            perm::RolesWrite(), "Remove a directory role from a principal"},
      Route{"GET", "/v1.0/roleManagement/directory/roleDefinitions", h(ListRoleDefinitions), perm::RolesRead(),
            "List directory role definitions"},
      Route{"GET", ra, h(ListAssignments), perm::RolesRead(), "List role assignments ($filter principalId, roleDefinitionId)"},
      Route{"POST", ra, h(CreateAssignment), perm::RolesWrite(), "Assign a directory role"},
      Route{"GET", ra + "/{id}", h(GetAssignment), perm::RolesRead(), "Get a role assignment"},
      Route{"DELETE", ra + "/{id}", h(DeleteAssignment), perm::RolesWrite(), "Remove a role assignment"},
  };
}

}  // namespace gh::api::graph
