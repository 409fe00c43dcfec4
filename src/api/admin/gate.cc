// /api/v1/tenantSettings, /api/v1/environments/{id}/apps and
// /api/v1/access/check: the tenant settings document, apps (created and
// shared only when the gate agrees) and the "why" troubleshooter.
#include "api/admin/gate_wire.h"
#include "api/admin/routes.h"
#include "api/handler_util.h"
#include "api/json_body.h"
#include "api/permissions.h"
#include "core/clock.h"
#include "environments/app_service.h"
#include "environments/tenant_settings.h"
#include "gate/decision.h"

namespace gh::api::admin {
namespace {
namespace json = boost::json;
namespace env = gh::environments;

Status BadRequest(std::string m) { return InvalidArgument(std::move(m), "Request_BadRequest"); }

http::Permission AnyUser() { return {"authenticated", nullptr}; }

StatusOr<std::shared_ptr<const gate::Snapshot>> SnapshotOf(Services& s, const std::string& tenant) {
  if (!s.gate) return Internal("The access gate is not configured.");
  return s.gate->Get(tenant);
}

// ---- tenant settings

http::Response GetSettings(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto doc, env::TenantSettingsService(s.store, s.clock, s.random).Get(TenantOf(ctx)));
    return JsonResponse(200, doc);
  });
}

http::Response UpdateSettings(Services& s, http::RouteContext& ctx, bool replace) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto doc, env::TenantSettingsService(s.store, s.clock, s.random)
                                      .Update(ActorOf(ctx), TenantOf(ctx), body, replace));
    return JsonResponse(200, doc);
  });
}

// ---- apps

json::object AppToJson(const env::App& a) {
  json::array shared;
  for (const auto& p : a.shared_with) shared.emplace_back(p);
  return {{"id", a.id},
          {"environmentId", a.environment_id},
          {"displayName", a.display_name},
          {"type", a.type},
          {"dataverse", a.dataverse},
          {"ownerId", a.owner_id},
          {"sharedWithEveryone", a.shared_with_everyone},
          {"sharedWith", shared},
          {"createdDateTime", FormatIso8601(a.created_at)},
          {"lastModifiedDateTime", FormatIso8601(a.updated_at)}};
}

Status RequireUser(http::RouteContext& ctx) {
  if (ctx.principal->kind != identity::PrincipalKind::kUser)
    return PermissionDenied("Apps are created and shared by signed-in users; use a user token.",
                            "Authorization_RequestDenied");
  return OkStatus();
}

http::Response CreateApp(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(RequireUser(ctx));
    GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request.body));
    FieldReader r(body, "gatehouse.app");
    r.ReadOnly({"id", "ownerId", "createdDateTime", "lastModifiedDateTime", "sharedWith", "sharedWithEveryone"});
    auto display = r.String("displayName");
    auto type = r.String("type");
    auto dataverse = r.Bool("dataverse");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!display) return BadRequest("Property 'displayName' is required.");
    env::NewApp in{*display, type.value_or("canvas"), dataverse.value_or(false), ctx.principal->object_id};
    if (in.type != "canvas" && in.type != "modelDriven")
      return BadRequest("Invalid value '" + in.type + "' for property 'type': expected canvas or modelDriven.");
    GH_ASSIGN_OR_RETURN(auto snap, SnapshotOf(s, TenantOf(ctx)));
    gate::AccessRequest req;
    req.resource_tenant_id = TenantOf(ctx);
    req.user_id = ctx.principal->object_id;
    req.environment_id = ctx.params["id"];
    req.action = (in.dataverse || in.type == "modelDriven") ? gate::Action::kAppCreateDataverse
                                                             : gate::Action::kAppCreate;
    gate::Decision d = gate::Decide(*snap, req);
    if (!d.allowed) return GateRefusal(ctx, d);
    GH_ASSIGN_OR_RETURN(auto app, env::AppService(s.store, s.clock, s.random)
                                      .Create(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], in));
    return JsonResponse(201, AppToJson(app));
  });
}

http::Response ShareApp(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request.body));
    FieldReader r(body, "gatehouse.appShare");
    auto ids = r.StringArray("principalIds");
    auto everyone = r.Bool("everyone");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!ids && !everyone) return BadRequest("Give 'principalIds' or 'everyone'.");
    GH_ASSIGN_OR_RETURN(auto app, env::AppService(s.store, s.clock, s.random)
                                      .Get(TenantOf(ctx), ctx.params["id"], ctx.params["appId"]));
    GH_ASSIGN_OR_RETURN(auto snap, SnapshotOf(s, TenantOf(ctx)));
    const bool app_caller = ctx.principal->kind == identity::PrincipalKind::kApp;
    bool admin = app_caller;
    if (!app_caller) {
      uint32_t u = snap->FindUser(ctx.principal->object_id);
      admin = u != gate::kNoIndex && snap->user(u).IsAdmin();
      // Sharing is the owner's (or an administrator's) to do.
      if (!admin && app.owner_id != ctx.principal->object_id)
        return PermissionDenied("Only the app's owner or an administrator can share it.", "Authorization_RequestDenied");
    }
    if (everyone.value_or(false) && !admin && snap->settings().disable_share_with_everyone)
      return PermissionDenied("Sharing with everyone is turned off for non-administrators "
                              "(tenant setting powerPlatform.powerApps.disableShareWithEveryone).",
                              "Authorization_RequestDenied");
    GH_ASSIGN_OR_RETURN(auto shared, env::AppService(s.store, s.clock, s.random)
                                         .Share(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], ctx.params["appId"],
                                                ids.value_or(std::vector<std::string>{}), everyone.value_or(false)));
    return JsonResponse(200, AppToJson(shared));
  });
}

// An environment's apps as the caller may see them: all of them for an
// environment administrator (or an app with Environment.Read.All); for anyone
// else only the apps they own or the gate lets them run (app.run), so the
// list reveals nothing of environments or apps they can't open.
http::Response ListApps(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    const identity::Principal& p = *ctx.principal;
    static const http::Permission kEnvironmentsRead = perm::EnvironmentsRead();
    const bool app_caller = p.kind == identity::PrincipalKind::kApp;
    if (app_caller && !kEnvironmentsRead.allows(p))
      return PermissionDenied("Listing an environment's apps needs the Environment.Read.All permission.",
                              "Authorization_RequestDenied");
    GH_ASSIGN_OR_RETURN(auto apps, env::AppService(s.store, s.clock, s.random).List(TenantOf(ctx), ctx.params["id"]));
    if (!app_caller) {
      GH_ASSIGN_OR_RETURN(auto snap, SnapshotOf(s, TenantOf(ctx)));
      uint32_t u = snap->FindUser(p.object_id);
      if (u == gate::kNoIndex) return NotFound("Environment '" + ctx.params["id"] + "' not found.", "Request_ResourceNotFound");
      if (!snap->user(u).IsAdmin()) {
        std::erase_if(apps, [&](const env::App& a) {
          gate::AccessRequest run{TenantOf(ctx), p.object_id, gate::Action::kAppRun, a.environment_id, a.id, "", ""};
          return a.owner_id != p.object_id && !gate::Decide(*snap, run).allowed;
        });
      }
    }
    json::array value;
    for (const auto& a : apps) value.push_back(AppToJson(a));
    return JsonResponse(200, json::object{{"value", std::move(value)}});
  });
}

// ---- access check

http::Response Check(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request.body));
    FieldReader r(body, "gatehouse.accessCheck");
    auto user_id = r.String("userId");
    auto upn = r.String("userPrincipalName");
    auto mail = r.String("mail");
    auto action = r.String("action");
    auto env_id = r.String("environmentId");
    auto app_id = r.String("appId");
    auto client_id = r.String("clientId");
    auto target = r.String("targetId");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!action) return BadRequest("Property 'action' is required.");
    auto parsed = gate::ParseAction(*action);
    if (!parsed) {
      std::string names;
      for (auto a : gate::AllActions()) names += (names.empty() ? "" : ", ") + std::string(gate::ActionName(a));
      return BadRequest("Unknown action '" + *action + "'. Expected one of: " + names + ".");
    }
    std::string who = user_id.value_or(upn.value_or(mail.value_or("")));
    if (who.empty()) return BadRequest("Give one of 'userId', 'userPrincipalName' or 'mail'.");
    GH_ASSIGN_OR_RETURN(auto snap, SnapshotOf(s, TenantOf(ctx)));
    uint32_t u = snap->FindUserByAnyName(who);
    if (u == gate::kNoIndex) return NotFound("User '" + who + "' not found.", "Request_ResourceNotFound");
    gate::AccessRequest req{TenantOf(ctx), snap->user(u).id, *parsed, env_id.value_or(""), app_id.value_or(""),
                            client_id.value_or(""), target.value_or("")};
    gate::Decision d = gate::Decide(*snap, req);
    return JsonResponse(200, DecisionToJson(*snap, req, d));
  });
}

}  // namespace

std::vector<http::Route> GateRoutes(Services& s) {
  return {
      {"GET", "/api/v1/tenantSettings", [&s](auto& c) { return GetSettings(s, c); }, perm::TenantSettingsRead(),
       "The tenant settings document (Get-TenantSettings)", false},
      {"POST", "/api/v1/tenantSettings", [&s](auto& c) { return UpdateSettings(s, c, true); }, perm::TenantSettingsWrite(),
       "Replace the tenant settings (Set-TenantSettings; absent keys get defaults)", true},
      {"PATCH", "/api/v1/tenantSettings", [&s](auto& c) { return UpdateSettings(s, c, false); }, perm::TenantSettingsWrite(),
       "Merge a partial tenant settings document", true},
      {"GET", "/api/v1/environments/{id}/apps", [&s](auto& c) { return ListApps(s, c); }, AnyUser(),
       "Apps of an environment", false},
      {"POST", "/api/v1/environments/{id}/apps", [&s](auto& c) { return CreateApp(s, c); }, AnyUser(),
       "Create an app as the calling user (the gate decides)", true},
      {"POST", "/api/v1/environments/{id}/apps/{appId}/share", [&s](auto& c) { return ShareApp(s, c); }, AnyUser(),
       "Share an app with users, groups or everyone", true},
      {"POST", "/api/v1/access/check", [&s](auto& c) { return Check(s, c); }, perm::AccessCheck(),
       "Explain an access decision: every check with its remedy", false},
  };
}

}  // namespace gh::api::admin
