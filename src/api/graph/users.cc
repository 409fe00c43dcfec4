#include "api/graph/collection.h"
#include "api/graph/license_wire.h"
#include "api/graph/routes.h"
#include "api/graph/wire.h"
#include "api/directory_reads.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"

namespace gh::api::graph {
namespace {
namespace json = boost::json;
using http::PropertyType;

const http::PropertySet& Selectable() {
  static const http::PropertySet p = [] {
    http::PropertySet s;
    for (const auto& name : UserProperties()) s.emplace(name, PropertyType::kString);
    return s;
  }();
  return p;
}

http::Response List(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(AuthorizeDirectoryRead(s, ctx, DirectoryRead::kListUsers));
    GH_ASSIGN_OR_RETURN(auto req, ParseCollectionRequest(ctx.request, TenantOf(ctx), UserFilterable(), Selectable(), "User"));
    GH_ASSIGN_OR_RETURN(auto page, s.directory.ListUsers(req.query));
    json::array value;
    for (const auto& u : page.items) value.push_back(UserToJson(u, req.select));
    std::string last = page.items.empty() ? "" : page.items.back().id;
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base, "users", std::move(value), page.more, last,
                                            page.count));
  });
}

// A user's JSON with the request's $select (and licence properties when selected).
StatusOr<http::Response> UserResponse(Services& s, http::RouteContext& ctx, const std::string& id_or_upn) {
  GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {"$select"}));
  std::vector<std::string> select;
  if (auto sel = ctx.request.Query("$select")) {
    GH_ASSIGN_OR_RETURN(select, http::ParseSelect(*sel, Selectable(), "User"));
  }
  GH_ASSIGN_OR_RETURN(auto u, s.directory.GetUser(TenantOf(ctx), id_or_upn));
  auto body = UserToJson(u, select);
  if (WantsLicenseProperties(select)) {
    GH_ASSIGN_OR_RETURN(auto licences, s.licensing.UserLicensesOf(TenantOf(ctx), u.id));
    AddLicenseProperties(licences, select, body);
  }
  body.emplace("@odata.context", ContextUrl(s.public_base, "users/$entity"));
  return JsonResponse(200, body);
}

http::Response Get(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(AuthorizeDirectoryRead(s, ctx, DirectoryRead::kGetUser, ctx.params["id"]));
    return UserResponse(s, ctx, ctx.params["id"]);
  });
}

// Graph's /me: the signed-in user (perm::Me admits user tokens only).
http::Response GetMe(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> { return UserResponse(s, ctx, ctx.principal->object_id); });
}

http::Response Create(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto in, ParseNewUser(body));
    GH_ASSIGN_OR_RETURN(auto u, s.directory.CreateUser(ActorOf(ctx), TenantOf(ctx), std::move(in)));
    auto out = UserToJson(u, {});
    out.emplace("@odata.context", ContextUrl(s.public_base, "users/$entity"));
    auto resp = JsonResponse(201, out);
    resp.SetHeader("Location", s.public_base + "/v1.0/users/" + u.id);
    return resp;
  });
}

http::Response Patch(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto patch, ParseUserPatch(body));
    GH_RETURN_IF_ERROR(s.directory.UpdateUser(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], patch).status());
    return http::Response::NoContent();
  });
}

http::Response Delete(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(s.directory.DeleteUser(ActorOf(ctx), TenantOf(ctx), ctx.params["id"]));
    return http::Response::NoContent();
  });
}

http::Response RevokeSignInSessions(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(s.directory.RevokeSignInSessions(ActorOf(ctx), TenantOf(ctx), ctx.params["id"]));
    return JsonResponse(200, json::object{{"@odata.context", s.public_base + "/v1.0/$metadata#Edm.Boolean"},
                                          {"value", true}});
  });
}

http::Response MemberOf(Services& s, http::RouteContext& ctx, bool transitive) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto u, s.directory.GetUser(TenantOf(ctx), ctx.params["id"]));
    std::vector<std::string> ids;
    if (transitive) {
      GH_ASSIGN_OR_RETURN(ids, s.directory.TransitiveGroupsOf(TenantOf(ctx), u.id));
    } else {
      GH_ASSIGN_OR_RETURN(ids, s.directory.GroupsOf(TenantOf(ctx), u.id));
    }
    json::array value;
    for (const auto& id : ids) {
      GH_ASSIGN_OR_RETURN(auto g, s.directory.GetGroup(TenantOf(ctx), id));
      auto o = GroupToJson(g, {});
      o.emplace("@odata.type", "#microsoft.graph.group");
      value.push_back(std::move(o));
    }
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base, "directoryObjects", std::move(value), false, "",
                                            std::nullopt));
  });
}

}  // namespace

std::vector<http::Route> UserRoutes(Services& s) {
  using http::Route;
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  return {
      Route{"GET", "/v1.0/users", h(List), perm::UsersReadDelegated(), "List users ($filter, $select, $top, $count)"},
      Route{"POST", "/v1.0/users", h(Create), perm::UsersWrite(), "Create a member user"},
      Route{"GET", "/v1.0/users/{id}", h(Get), perm::UsersReadDelegated(), "Get a user by id or userPrincipalName"},
      Route{"GET", "/v1.0/me", h(GetMe), perm::Me(), "The signed-in user (a user's token with User.Read)"},
      Route{"PATCH", "/v1.0/users/{id}", h(Patch), perm::UsersUpdate(), "Update a user's properties"},
      Route{"DELETE", "/v1.0/users/{id}", h(Delete), perm::UsersDelete(), "Delete a user"},
      Route{"POST", "/v1.0/users/{id}/revokeSignInSessions", h(RevokeSignInSessions), perm::UsersRevokeSessions(),
            "End every sign-in session and refresh token of a user"},
      Route{"GET", "/v1.0/users/{id}/memberOf",
            [&s](http::RouteContext& c) { return MemberOf(s, c, false); }, perm::GroupsRead(),
            "Groups the user is a direct member of"},
      Route{"GET", "/v1.0/users/{id}/transitiveMemberOf",
            [&s](http::RouteContext& c) { return MemberOf(s, c, true); }, perm::GroupsRead(),
            "Groups the user is a member of, directly or through nesting"},
  };
}

}  // namespace gh::api::graph
