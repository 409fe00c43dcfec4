// /api/v1/tenantSettings, /api/v1/environments/{id}/apps and
// /api/v1/access/check: the tenant settings document, apps (created and
// shared only when the gate agrees) and the "why" troubleshooter.
#include "api/admin/gate_wire.h"
#include "api/admin/routes.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"
#include "core/clock.h"
#include "environments/app_service.h"
#include "environments/tenant_settings.h"
#include "gate/decision.h"

namespace gh::api::admin {
namespace {
namespace json = boost::json;
namespace env = gh::environments;

StatusOr<std::shared_ptr<const gate::Snapshot>> SnapshotOf(Services& s, const std::string& tenant) {
  if (!s.gate) return Internal("The access gate is not configured.");
  return s.gate->Get(tenant);
}

// ---- tenant settings

http::Response GetSettings(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto doc, s.tenant_settings.Get(TenantOf(ctx)));
    return JsonResponse(200, doc);
  });
}

http::Response UpdateSettings(Services& s, http::RouteContext& ctx, bool replace) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto doc, s.tenant_settings.Update(ActorOf(ctx), TenantOf(ctx), body, replace));
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

http::Response CreateApp(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.app");
    r.ReadOnly({"id", "ownerId", "createdDateTime", "lastModifiedDateTime", "sharedWith", "sharedWithEveryone"});
    auto display = r.String("displayName");
    auto type = r.String("type");
    auto dataverse = r.Bool("dataverse");
    GH_RETURN_IF_ERROR(r.Finish());
    env::NewApp in{display.value_or(""), type.value_or("canvas"), dataverse.value_or(false), ctx.principal->object_id};
    env::GateRefusal refusal;
    auto app = s.apps.Create(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], in, &refusal);
    if (refusal.snapshot) return GateRefusal(ctx, refusal.decision);
    if (!app.ok()) return app.status();
    return JsonResponse(201, AppToJson(*app));
  });
}

http::Response ShareApp(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.appShare");
    auto ids = r.StringArray("principalIds");
    auto everyone = r.Bool("everyone");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!ids && !everyone) return BadRequest("Give 'principalIds' or 'everyone'.");
    GH_ASSIGN_OR_RETURN(auto shared, s.apps.Share(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], ctx.params["appId"],
                                                  ids.value_or(std::vector<std::string>{}), everyone.value_or(false)));
    return JsonResponse(200, AppToJson(shared));
  });
}

http::Response ListApps(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto apps, s.apps.ListVisibleTo(ActorOf(ctx), TenantOf(ctx), ctx.params["id"]));
    json::array value;
    for (const auto& a : apps) value.push_back(AppToJson(a));
    return JsonResponse(200, json::object{{"value", std::move(value)}});
  });
}

// ---- access check

http::Response Check(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.accessCheck");
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
    if (s.on_decision) s.on_decision(d);
    return JsonResponse(200, DecisionToJson(*snap, req, d));
  });
}

}  // namespace

std::vector<http::Route> GateRoutes(Services& s) {
  return {
      {"GET", "/api/v1/tenantSettings", [&s](auto& c) { return GetSettings(s, c); }, perm::TenantSettingsRead(),
       "The tenant settings document (Get-TenantSettings)"},
      {"POST", "/api/v1/tenantSettings", [&s](auto& c) { return UpdateSettings(s, c, true); }, perm::TenantSettingsWrite(),
       "Replace the tenant settings (Set-TenantSettings; absent keys get defaults)"},
      {"PATCH", "/api/v1/tenantSettings", [&s](auto& c) { return UpdateSettings(s, c, false); }, perm::TenantSettingsWrite(),
       "Merge a partial tenant settings document"},
      {"GET", "/api/v1/environments/{id}/apps", [&s](auto& c) { return ListApps(s, c); }, perm::AppsRead(),
       "Apps of an environment"},
      {"POST", "/api/v1/environments/{id}/apps", [&s](auto& c) { return CreateApp(s, c); }, perm::AppsWrite(),
       "Create an app as the calling user (the gate decides)"},
      {"POST", "/api/v1/environments/{id}/apps/{appId}/share", [&s](auto& c) { return ShareApp(s, c); },
       perm::AppsWrite(), "Share an app with users, groups or everyone"},
      {"POST", "/api/v1/access/check", [&s](auto& c) { return Check(s, c); }, perm::AccessCheck(),
       "Explain an access decision: every check with its remedy"},
  };
}

}  // namespace gh::api::admin
