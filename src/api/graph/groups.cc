#include <algorithm>

#include "api/graph/collection.h"
#include "api/graph/routes.h"
#include "api/graph/wire.h"
#include "api/directory_reads.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"
#include "core/strings.h"

namespace gh::api::graph {
namespace {
namespace json = boost::json;
using http::PropertyType;

const http::PropertySet& Selectable() {
  static const http::PropertySet p = [] {
    http::PropertySet s;
    for (const auto& name : GroupProperties()) s.emplace(name, PropertyType::kString);
    return s;
  }();
  return p;
}

http::Response List(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(AuthorizeDirectoryRead(s, ctx, DirectoryRead::kListGroups));
    GH_ASSIGN_OR_RETURN(auto req,
                        ParseCollectionRequest(ctx.request, TenantOf(ctx), GroupFilterable(), Selectable(), "Group"));
    GH_ASSIGN_OR_RETURN(auto page, s.directory.ListGroups(req.query));
    json::array value;
    for (const auto& g : page.items) value.push_back(GroupToJson(g, req.select));
    std::string last = page.items.empty() ? "" : page.items.back().id;
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base, "groups", std::move(value), page.more, last,
                                            page.count));
  });
}

StatusOr<std::string> GroupId(http::RouteContext& ctx) {
  std::string id = ToLower(ctx.params["id"]);
  if (!IsUuid(id)) return InvalidArgument("Invalid object identifier '" + ctx.params["id"] + "'.", "Request_BadRequest");
  return id;
}

http::Response Get(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(AuthorizeDirectoryRead(s, ctx, DirectoryRead::kGetGroup, ctx.params["id"]));
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {"$select"}));
    std::vector<std::string> select;
    if (auto sel = ctx.request.Query("$select")) {
      GH_ASSIGN_OR_RETURN(select, http::ParseSelect(*sel, Selectable(), "Group"));
    }
    GH_ASSIGN_OR_RETURN(auto id, GroupId(ctx));
    GH_ASSIGN_OR_RETURN(auto g, s.directory.GetGroup(TenantOf(ctx), id));
    auto body = GroupToJson(g, select);
    body.emplace("@odata.context", ContextUrl(s.public_base, "groups/$entity"));
    return JsonResponse(200, body);
  });
}

// A Microsoft 365 group created by a user: the gate's `group.create` rule
// decides (guests can't create them in the inviting tenant, whatever role
// they hold). Security groups and apps are the route's permission alone.
Status AuthorizeMicrosoft365GroupCreate(Services& s, const http::RouteContext& ctx, const directory::NewGroup& in) {
  const identity::Principal* p = ctx.principal;
  const bool unified = std::find(in.group_types.begin(), in.group_types.end(), "Unified") != in.group_types.end();
  if (!unified || p == nullptr || p->kind != identity::PrincipalKind::kUser) return OkStatus();
  GH_ASSIGN_OR_RETURN(CallerDecision create, DecideForCaller(s, ctx, gate::Action::kGroupCreate));
  if (create.decision.allowed) return OkStatus();
  const gate::Check* failed = create.decision.FirstFailure();  // its text may read create.snapshot
  return PermissionDenied(
      failed != nullptr ? failed->sentence.str() : "Insufficient privileges to complete the operation.",
      "Authorization_RequestDenied");
}

http::Response Create(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto in, ParseNewGroup(body));
    GH_RETURN_IF_ERROR(AuthorizeMicrosoft365GroupCreate(s, ctx, in));
    GH_ASSIGN_OR_RETURN(auto g, s.directory.CreateGroup(ActorOf(ctx), TenantOf(ctx), std::move(in)));
    auto out = GroupToJson(g, {});
    out.emplace("@odata.context", ContextUrl(s.public_base, "groups/$entity"));
    auto resp = JsonResponse(201, out);
    resp.SetHeader("Location", s.public_base + "/v1.0/groups/" + g.id);
    return resp;
  });
}

http::Response Patch(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto id, GroupId(ctx));
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto patch, ParseGroupPatch(body));
    GH_RETURN_IF_ERROR(s.directory.UpdateGroup(ActorOf(ctx), TenantOf(ctx), id, patch).status());
    return http::Response::NoContent();
  });
}

http::Response Delete(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto id, GroupId(ctx));
    GH_RETURN_IF_ERROR(s.directory.DeleteGroup(ActorOf(ctx), TenantOf(ctx), id));
    return http::Response::NoContent();
  });
}

http::Response Members(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {}));
    GH_ASSIGN_OR_RETURN(auto id, GroupId(ctx));
    GH_ASSIGN_OR_RETURN(auto members, s.directory.ListMembers(TenantOf(ctx), id));
    json::array value;
    for (const auto& m : members) {
      json::object o = m.user ? UserToJson(*m.user, {}) : GroupToJson(*m.group, {});
      o.emplace("@odata.type", m.user ? "#microsoft.graph.user" : "#microsoft.graph.group");
      value.push_back(std::move(o));
    }
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base, "directoryObjects", std::move(value), false,
                                            "", std::nullopt));
  });
}

http::Response AddMember(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto id, GroupId(ctx));
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto member, ParseReference(body));
    GH_RETURN_IF_ERROR(s.directory.AddMember(ActorOf(ctx), TenantOf(ctx), id, member));
    return http::Response::NoContent();
  });
}

http::Response RemoveMember(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto id, GroupId(ctx));
    std::string member = ToLower(ctx.params["member"]);
    if (!IsUuid(member)) return InvalidArgument("Invalid object identifier '" + member + "'.", "Request_BadRequest");
    GH_RETURN_IF_ERROR(s.directory.RemoveMember(ActorOf(ctx), TenantOf(ctx), id, member));
    return http::Response::NoContent();
  });
}

}  // namespace

std::vector<http::Route> GroupRoutes(Services& s) {
  using http::Route;
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  return {
      Route{"GET", "/v1.0/groups", h(List), perm::GroupsReadDelegated(), "List groups ($filter, $select, $top, $count)"},
      Route{"POST", "/v1.0/groups", h(Create), perm::GroupsWrite(), "Create a security or Microsoft 365 group"},
      Route{"GET", "/v1.0/groups/{id}", h(Get), perm::GroupsReadDelegated(), "Get a group"},
      Route{"PATCH", "/v1.0/groups/{id}", h(Patch), perm::GroupsWrite(), "Update a group"},
      Route{"DELETE", "/v1.0/groups/{id}", h(Delete), perm::GroupsDelete(), "Delete a group"},
      Route{"GET", "/v1.0/groups/{id}/members", h(Members), perm::GroupsRead(), "List a group's direct members"},
      Route{"POST", "/v1.0/groups/{id}/members/$ref", h(AddMember), perm::GroupMembersWrite(),
            "Add a user or group as a member"},
      Route{"DELETE", "/v1.0/groups/{id}/members/{member}/$ref", h(RemoveMember), perm::GroupMembersWrite(),
            "Remove a member"},
  };
}

}  // namespace gh::api::graph
