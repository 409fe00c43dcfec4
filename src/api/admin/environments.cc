// /api/v1/environments: environments, security roles, role assignments (with
// the access review and bulk removal) and environment users.
#include "api/admin/routes.h"
#include "api/graph/wire.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"
#include "core/clock.h"
#include "http/odata.h"

namespace gh::api::admin {
namespace {
namespace json = boost::json;
namespace env = gh::environments;

json::value Opt(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::object EnvironmentToJson(const env::Environment& e) {
  return {{"id", e.id},
          {"displayName", e.display_name},
          {"uniqueName", e.unique_name},
          {"url", e.url},
          {"type", env::TypeName(e.type)},
          {"dataverse", e.dataverse},
          {"securityGroupId", Opt(e.security_group_id)},
          {"state", env::StateName(e.state)},
          {"createdDateTime", FormatIso8601(e.created_at)},
          {"lastModifiedDateTime", FormatIso8601(e.updated_at)}};
}

json::object RoleToJson(const env::SecurityRole& r) {
  json::array privileges;
  for (const auto& p : r.privileges) privileges.emplace_back(p);
  return {{"id", r.id}, {"environmentId", r.environment_id}, {"name", r.name},
          {"privileges", privileges}, {"isPredefined", r.predefined}, {"createdDateTime", FormatIso8601(r.created_at)}};
}

json::object AssignmentToJson(const env::RoleAssignment& a) {
  return {{"id", a.id},
          {"environmentId", a.environment_id},
          {"principalId", a.principal_id},
          {"principalType", a.principal_kind == env::PrincipalKind::kGroup ? "Group" : "User"},
          {"roleId", a.role_id},
          {"createdDateTime", FormatIso8601(a.created_at)}};
}

json::object HolderToJson(const env::RoleHolder& h) {
  json::object o{{"id", h.id},
                 {"assignmentId", h.assignment_id},
                 {"roleId", h.role_id},
                 {"roleName", h.role_name},
                 {"userId", h.user.id},
                 {"userPrincipalName", h.user.user_principal_name},
                 {"displayName", h.user.display_name},
                 {"userType", directory::UserTypeName(h.user.user_type)},
                 {"assignedVia", h.via_group ? "group" : "direct"},
                 {"groupId", h.via_group ? json::value(h.via_group->id) : json::value(nullptr)},
                 {"groupDisplayName", h.via_group ? json::value(h.via_group->display_name) : json::value(nullptr)},
                 {"assignedDateTime", FormatIso8601(h.since)}};
  return o;
}

json::object EnvUserToJson(const env::EnvironmentUser& u) {
  return {{"userId", u.user_id},
          {"environmentId", u.environment_id},
          {"enabled", u.enabled},
          {"addedBy", u.added_by},
          {"createdDateTime", FormatIso8601(u.created_at)},
          {"lastModifiedDateTime", FormatIso8601(u.updated_at)}};
}

json::object Collection(json::array value) { return {{"value", std::move(value)}}; }

const std::string& EnvId(http::RouteContext& ctx) { return ctx.params["id"]; }

// ---- environments

http::Response List(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {}));
    GH_ASSIGN_OR_RETURN(auto all, s.environments.List(TenantOf(ctx)));
    json::array value;
    for (const auto& e : all) value.push_back(EnvironmentToJson(e));
    return JsonResponse(200, Collection(std::move(value)));
  });
}

http::Response Get(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto e, s.environments.Get(TenantOf(ctx), EnvId(ctx)));
    return JsonResponse(200, EnvironmentToJson(e));
  });
}

http::Response Create(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.environment");
    r.ReadOnly({"id", "url", "createdDateTime", "lastModifiedDateTime"});
    env::NewEnvironment in;
    auto display = r.String("displayName");
    in.unique_name = r.String("uniqueName");
    auto type = r.String("type");
    auto dataverse = r.Bool("dataverse");
    auto group = r.NullableString("securityGroupId");
    auto state = r.String("state");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!display) return BadRequest("Property 'displayName' is required.");
    in.display_name = *display;
    if (type) {
      auto t = env::ParseType(*type);
      if (!t) return BadRequest("Invalid value '" + *type + "' for property 'type': expected Production, Sandbox, "
                                "Developer or Trial.");
      in.type = *t;
    }
    if (dataverse) in.dataverse = *dataverse;
    if (group && *group) in.security_group_id = **group;
    if (state) {
      auto st = env::ParseState(*state);
      if (!st) return BadRequest("Invalid value '" + *state + "' for property 'state'.");
      in.state = *st;
    }
    GH_ASSIGN_OR_RETURN(auto e, s.environments.Create(ActorOf(ctx), TenantOf(ctx), std::move(in)));
    auto resp = JsonResponse(201, EnvironmentToJson(e));
    resp.SetHeader("Location", s.public_base + "/api/v1/environments/" + e.id);
    return resp;
  });
}

http::Response Patch(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.environment");
    r.ReadOnly({"id", "url", "uniqueName", "type", "dataverse", "createdDateTime", "lastModifiedDateTime"});
    env::EnvironmentPatch p;
    p.display_name = r.String("displayName");
    p.security_group_id = r.NullableString("securityGroupId");
    auto state = r.String("state");
    GH_RETURN_IF_ERROR(r.Finish());
    if (state) {
      auto st = env::ParseState(*state);
      if (!st) return BadRequest("Invalid value '" + *state + "' for property 'state'.");
      p.state = *st;
    }
    GH_ASSIGN_OR_RETURN(auto e, s.environments.Update(ActorOf(ctx), TenantOf(ctx), EnvId(ctx), p));
    return JsonResponse(200, EnvironmentToJson(e));
  });
}

http::Response Delete(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(s.environments.Delete(ActorOf(ctx), TenantOf(ctx), EnvId(ctx)));
    return http::Response::NoContent();
  });
}

// ---- security roles

http::Response ListRoles(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto roles, s.environments.ListRoles(TenantOf(ctx), EnvId(ctx)));
    json::array value;
    for (const auto& r : roles) value.push_back(RoleToJson(r));
    return JsonResponse(200, Collection(std::move(value)));
  });
}

http::Response CreateRole(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.securityRole");
    r.ReadOnly({"id", "environmentId", "isPredefined", "createdDateTime"});
    auto name = r.String("name");
    auto privileges = r.StringArray("privileges");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!name) return BadRequest("Property 'name' is required.");
    if (!privileges) return BadRequest("Property 'privileges' is required.");
    GH_ASSIGN_OR_RETURN(auto role,
                        s.environments.CreateRole(ActorOf(ctx), TenantOf(ctx), EnvId(ctx), *name, *privileges));
    return JsonResponse(201, RoleToJson(role));
  });
}

// ---- role assignments and the access review

// ?role=<name or id>&userType=Guest|Member: who holds the role, and how.
http::Response Review(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {}));
    env::ReviewQuery q;
    for (const auto& [k, v] : ctx.request.query) {
      if (k == "role") q.role = v;
      else if (k == "userType") {
        if (v == "Guest") q.user_type = directory::UserType::kGuest;
        else if (v == "Member") q.user_type = directory::UserType::kMember;
        else return BadRequest("Invalid value '" + v + "' for 'userType': expected Guest or Member.");
      } else {
        return BadRequest("Unknown query parameter '" + k + "': expected role or userType.");
      }
    }
    GH_ASSIGN_OR_RETURN(auto holders, s.environments.Review(TenantOf(ctx), EnvId(ctx), q));
    json::array value;
    for (const auto& h : holders) value.push_back(HolderToJson(h));
    return JsonResponse(200, Collection(std::move(value)));
  });
}

http::Response Assign(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.roleAssignment");
    auto principal = r.String("principalId");
    auto role = r.String("roleId");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!principal) return BadRequest("Property 'principalId' is required.");
    if (!role) return BadRequest("Property 'roleId' is required.");
    GH_ASSIGN_OR_RETURN(auto a, s.environments.AssignRole(ActorOf(ctx), TenantOf(ctx), EnvId(ctx), *principal, *role));
    return JsonResponse(201, AssignmentToJson(a));
  });
}

http::Response Unassign(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(
        s.environments.RemoveRoleAssignment(ActorOf(ctx), TenantOf(ctx), EnvId(ctx), ctx.params["assignmentId"]));
    return http::Response::NoContent();
  });
}

// {"assignmentIds": [...]} → per id: removed / notFound / inheritedFromGroup.
http::Response BulkRemove(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.roleAssignmentRemoval");
    auto ids = r.StringArray("assignmentIds");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!ids) return BadRequest("Property 'assignmentIds' is required.");
    GH_ASSIGN_OR_RETURN(auto results, s.environments.BulkRemove(ActorOf(ctx), TenantOf(ctx), EnvId(ctx), *ids));
    json::array value;
    for (const auto& x : results)
      value.push_back(json::object{{"id", x.id}, {"result", x.result}, {"message", x.message}});
    return JsonResponse(200, Collection(std::move(value)));
  });
}

// ---- environment users

http::Response ListUsers(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto users, s.environments.ListUsers(TenantOf(ctx), EnvId(ctx)));
    json::array value;
    for (const auto& u : users) value.push_back(EnvUserToJson(u));
    return JsonResponse(200, Collection(std::move(value)));
  });
}

http::Response AddUser(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.environmentUser");
    auto user = r.String("userId");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!user) return BadRequest("Property 'userId' is required.");
    GH_ASSIGN_OR_RETURN(auto rec, s.environments.AddUser(ActorOf(ctx), TenantOf(ctx), EnvId(ctx), *user));
    return JsonResponse(201, EnvUserToJson(rec));
  });
}

http::Response RemoveUser(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(s.environments.RemoveUser(ActorOf(ctx), TenantOf(ctx), EnvId(ctx), ctx.params["userId"]));
    return http::Response::NoContent();
  });
}

// Runs the just-in-time sync for one user (what a first visit would do).
http::Response SyncUser(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto res, s.environments.SyncUser(TenantOf(ctx), EnvId(ctx), ctx.params["userId"]));
    json::object o{{"entitled", res.entitlement.entitled},
                   {"reason", res.entitlement.reason},
                   {"record", res.record ? json::value(EnvUserToJson(*res.record)) : json::value(nullptr)}};
    return JsonResponse(200, o);
  });
}

}  // namespace

std::vector<http::Route> EnvironmentRoutes(Services& s) {
  using http::Route;
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  const std::string base = "/api/v1/environments";
  return {
      Route{"GET", base, h(List), perm::EnvironmentsRead(), "List environments (creates the Default one if missing)"},
      Route{"POST", base, h(Create), perm::EnvironmentsWrite(), "Create an environment"},
      Route{"GET", base + "/{id}", h(Get), perm::EnvironmentsRead(), "Get an environment"},
      Route{"PATCH", base + "/{id}", h(Patch), perm::EnvironmentsWrite(),
            "Update displayName, state or securityGroupId (re-evaluates the environment's users)"},
      Route{"DELETE", base + "/{id}", h(Delete), perm::EnvironmentsWrite(), "Delete a non-Default environment"},
      Route{"GET", base + "/{id}/securityRoles", h(ListRoles), perm::EnvironmentsRead(),
            "Security roles of an environment"},
      Route{"POST", base + "/{id}/securityRoles", h(CreateRole), perm::EnvironmentsWrite(), "Add a custom security role"},
      Route{"GET", base + "/{id}/roleAssignments", h(Review), perm::EnvironmentsRead(),
            "Access review: who holds which role, directly or through a group (?role=, ?userType=)"},
      Route{"POST", base + "/{id}/roleAssignments", h(Assign), perm::EnvironmentsWrite(),
            "Assign a security role to a user or group"},
      Route{"DELETE", base + "/{id}/roleAssignments/{assignmentId}", h(Unassign), perm::EnvironmentsWrite(),
            "Remove a role assignment"},
      Route{"POST", base + "/{id}/roleAssignments/remove", h(BulkRemove), perm::EnvironmentsWrite(),
            "Remove several role assignments at once"},
      Route{"GET", base + "/{id}/users", h(ListUsers), perm::EnvironmentsRead(), "Environment user records"},
      Route{"POST", base + "/{id}/users", h(AddUser), perm::EnvironmentsWrite(),
            "Add an entitled user to the environment"},
      Route{"DELETE", base + "/{id}/users/{userId}", h(RemoveUser), perm::EnvironmentsWrite(),
            "Remove a user record from the environment"},
      Route{"POST", base + "/{id}/users/{userId}/sync", h(SyncUser), perm::EnvironmentsWrite(),
            "Just-in-time sync of one user (create, re-enable or disable its record)"},
  };
}

}  // namespace gh::api::admin
