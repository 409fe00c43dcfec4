// Graph's /servicePrincipals (the registered apps of the tenant and the
// Microsoft Graph resource itself, with the permissions it exposes), their
// application permissions (/servicePrincipals/{id}/appRoleAssignments) and
// delegated permission grants (/oauth2PermissionGrants). Granting is an
// administrator's act: the route permissions (api/permissions.h) admit only
// Global and Privileged Role Administrators, or apps granted
// AppRoleAssignment.ReadWrite.All / DelegatedPermissionGrant.ReadWrite.All.
#include <functional>
#include <sstream>

#include "api/graph/collection.h"
#include "api/graph/routes.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"
#include "core/clock.h"
#include "core/strings.h"
#include "identity/consent.h"
#include "identity/graph_permissions.h"

namespace gh::api::graph {
namespace {
namespace json = boost::json;
using http::PropertyType;

// The tenant id of Microsoft's own services (appOwnerOrganizationId of the
// Graph service principal in every Entra tenant).
constexpr std::string_view kMicrosoftServicesTenantId = "f8cdef31-a31e-4b4a-93e4-5f571e91255a";

Status NotFoundId(const std::string& id) {
  return NotFound("Resource '" + id + "' does not exist or one of its queried reference-property objects are not "
                  "present.", "Request_ResourceNotFound");
}

json::object GraphResourceToJson(const std::string& tenant_id) {
  json::array roles, scopes;
  for (const auto& p : identity::GraphPermissions()) {
    if (!p.role_id.empty())
      roles.push_back(json::object{{"allowedMemberTypes", json::array{"Application"}},
                                   {"description", std::string(p.role_name) + " (without a signed-in user)."},
                                   {"displayName", p.role_name},
                                   {"id", p.role_id},
                                   {"isEnabled", true},
                                   {"origin", "Application"},
                                   {"value", p.name}});
    if (!p.scope_id.empty())
      scopes.push_back(json::object{{"adminConsentDescription", p.consent_text},
                                    {"adminConsentDisplayName", p.consent_name},
                                    {"id", p.scope_id},
                                    {"isEnabled", true},
                                    {"type", p.admin_consent ? "Admin" : "User"},
                                    {"userConsentDescription", p.consent_text},
                                    {"userConsentDisplayName", p.consent_name},
                                    {"value", p.name}});
  }
  return {{"id", identity::GraphServicePrincipalId(tenant_id)},
          {"appId", identity::kGraphAppId},
          {"displayName", identity::kGraphDisplayName},
          {"appDisplayName", identity::kGraphDisplayName},
          {"appOwnerOrganizationId", kMicrosoftServicesTenantId},
          {"accountEnabled", true},
          {"servicePrincipalType", "Application"},
          {"servicePrincipalNames", json::array{identity::kGraphAppId, identity::kGraphResource}},
          {"appRoles", std::move(roles)},
          {"oauth2PermissionScopes", std::move(scopes)}};
}

json::object ClientToJson(const directory::Client& c) {
  return {{"id", c.id},
          {"appId", c.app_id},
          {"displayName", c.display_name},
          {"appDisplayName", c.display_name},
          {"appOwnerOrganizationId", c.tenant_id},
          {"accountEnabled", true},
          {"servicePrincipalType", "Application"},
          {"servicePrincipalNames", json::array{c.app_id}},
          {"appRoles", json::array{}},
          {"oauth2PermissionScopes", json::array{}}};
}

// Graph and every registered app, as service principals.
StatusOr<std::vector<json::object>> AllServicePrincipals(Services& s, const std::string& tenant_id) {
  std::vector<json::object> out{GraphResourceToJson(tenant_id)};
  GH_ASSIGN_OR_RETURN(auto apps, s.clients.ListApplications(tenant_id));
  for (const auto& a : apps) out.push_back(ClientToJson(a));
  return out;
}

// $filter on appId, id or displayName (eq, and): what clients use to find
// Graph's service principal ("appId eq '00000003-…'") or their own.
StatusOr<std::function<bool(const json::object&)>> ServicePrincipalFilter(const http::Request& req) {
  static const http::PropertySet props = {
      {"appId", PropertyType::kGuid}, {"id", PropertyType::kGuid}, {"displayName", PropertyType::kString}};
  std::vector<std::pair<std::string, std::string>> terms;
  if (auto f = req.Query("$filter")) {
    GH_ASSIGN_OR_RETURN(auto expr, http::ParseFilter(*f, props, "servicePrincipal"));
    std::function<Status(const FilterExpr&)> walk = [&](const FilterExpr& e) -> Status {
      if (e.op == FilterOp::kAnd) {
        for (const auto& c : e.children) GH_RETURN_IF_ERROR(walk(*c));
        return OkStatus();
      }
      if (e.op != FilterOp::kEq || e.values.size() != 1 ||
          !std::holds_alternative<std::string>(e.values[0]))
        return InvalidArgument("Only 'eq' comparisons joined by 'and' are supported in this $filter.",
                               "Request_UnsupportedQuery");
      terms.emplace_back(e.property, std::get<std::string>(e.values[0]));
      return OkStatus();
    };
    GH_RETURN_IF_ERROR(walk(*expr));
  }
  return std::function<bool(const json::object&)>([terms](const json::object& sp) {
    for (const auto& [prop, value] : terms) {
      std::string have(sp.at(prop).as_string());
      if (prop == "displayName" ? have != value : ToLower(have) != ToLower(value)) return false;
    }
    return true;
  });
}

http::Response ListServicePrincipals(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {"$filter"}));
    GH_ASSIGN_OR_RETURN(auto keep, ServicePrincipalFilter(ctx.request));
    GH_ASSIGN_OR_RETURN(auto all, AllServicePrincipals(s, TenantOf(ctx)));
    json::array value;
    for (auto& sp : all)
      if (keep(sp)) value.push_back(std::move(sp));
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base, "servicePrincipals", std::move(value), false,
                                            "", std::nullopt));
  });
}

// The service principal named by id (or, as Graph also allows, appId).
StatusOr<json::object> FindServicePrincipal(Services& s, const std::string& tenant_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto all, AllServicePrincipals(s, tenant_id));
  const std::string key = ToLower(id);
  for (auto& sp : all)
    if (sp.at("id").as_string() == key || sp.at("appId").as_string() == key) return std::move(sp);
  return NotFoundId(id);
}

http::Response GetServicePrincipal(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto sp, FindServicePrincipal(s, TenantOf(ctx), ctx.params["id"]));
    sp.emplace("@odata.context", ContextUrl(s.public_base, "servicePrincipals/$entity"));
    return JsonResponse(200, sp);
  });
}

// ---- application permissions (appRoleAssignments)

json::object AssignmentToJson(const identity::Consent::AppRoleAssignment& a) {
  return {{"id", a.id},
          {"appRoleId", a.app_role_id},
          {"principalId", a.principal_id},
          {"principalDisplayName", a.principal_display_name},
          {"principalType", "ServicePrincipal"},
          {"resourceId", a.resource_id},
          {"resourceDisplayName", identity::kGraphDisplayName},
          {"createdDateTime", nullptr},
          {"deletedDateTime", nullptr}};
}

// The registered client a /servicePrincipals/{id}/… path names. Graph's own
// service principal holds no application permissions.
StatusOr<std::string> ClientSpId(Services& s, http::RouteContext& ctx) {
  GH_ASSIGN_OR_RETURN(auto sp, FindServicePrincipal(s, TenantOf(ctx), ctx.params["id"]));
  if (sp.at("appId").as_string() == identity::kGraphAppId)
    return InvalidArgument("Microsoft Graph's service principal can't be granted permissions.", "Request_BadRequest");
  return std::string(sp.at("id").as_string());
}

http::Response ListAssignments(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {}));
    GH_ASSIGN_OR_RETURN(auto sp, FindServicePrincipal(s, TenantOf(ctx), ctx.params["id"]));
    json::array value;
    if (sp.at("appId").as_string() != identity::kGraphAppId) {
      GH_ASSIGN_OR_RETURN(auto as, s.consent.ListAppRoleAssignments(TenantOf(ctx), std::string(sp.at("id").as_string())));
      for (const auto& a : as) value.push_back(AssignmentToJson(a));
    }
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base,
                                            "servicePrincipals('" + std::string(sp.at("id").as_string()) +
                                                "')/appRoleAssignments",
                                            std::move(value), false, "", std::nullopt));
  });
}

http::Response CreateAssignment(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "microsoft.graph.appRoleAssignment");
    auto principal = r.String("principalId");
    auto resource = r.String("resourceId");
    auto role = r.String("appRoleId");
    r.Ignore({"@odata.type", "principalType"});
    r.ReadOnly({"id", "createdDateTime", "deletedDateTime", "principalDisplayName", "resourceDisplayName"});
    GH_RETURN_IF_ERROR(r.Finish());
    if (!principal || !resource || !role)
      return InvalidArgument("Properties 'principalId', 'resourceId' and 'appRoleId' are required.",
                             "Request_BadRequest");
    GH_ASSIGN_OR_RETURN(auto sp_id, ClientSpId(s, ctx));
    if (ToLower(*principal) != sp_id)
      return InvalidArgument("Property 'principalId' must be the service principal in the request path (" + sp_id +
                                 ").", "Request_BadRequest");
    GH_ASSIGN_OR_RETURN(auto a, s.consent.GrantAppRole(ActorOf(ctx), TenantOf(ctx), sp_id, *resource, *role));
    auto out = AssignmentToJson(a);
    out.emplace("@odata.context", ContextUrl(s.public_base, "servicePrincipals('" + sp_id + "')/appRoleAssignments/$entity"));
    return JsonResponse(201, out);
  });
}

http::Response DeleteAssignment(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto sp_id, ClientSpId(s, ctx));
    GH_RETURN_IF_ERROR(s.consent.RevokeAppRole(ActorOf(ctx), TenantOf(ctx), sp_id, ctx.params["assignmentId"]));
    return http::Response::NoContent();
  });
}

// ---- delegated permission grants (oauth2PermissionGrants)

json::object GrantToJson(const store::PermissionGrantRow& g) {
  return {{"id", g.id},
          {"clientId", g.client_id},
          {"consentType", g.consent_type},
          {"principalId", g.principal_id.empty() ? json::value(nullptr) : json::value(g.principal_id)},
          {"resourceId", g.resource_id},
          {"scope", identity::JoinScopes(g.scopes)}};
}

// $filter on clientId (eq): Graph's usual look-up of an app's grants.
StatusOr<std::string> GrantFilter(const http::Request& req) {
  static const http::PropertySet props = {{"clientId", PropertyType::kGuid}};
  auto f = req.Query("$filter");
  if (!f) return std::string();
  GH_ASSIGN_OR_RETURN(auto expr, http::ParseFilter(*f, props, "oAuth2PermissionGrant"));
  if (expr->op != FilterOp::kEq || expr->values.size() != 1 ||
      !std::holds_alternative<std::string>(expr->values[0]))
    return InvalidArgument("Only \"clientId eq '…'\" is supported in this $filter.", "Request_UnsupportedQuery");
  return ToLower(std::get<std::string>(expr->values[0]));
}

http::Response ListGrants(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {"$filter"}));
    GH_ASSIGN_OR_RETURN(auto client, GrantFilter(ctx.request));
    GH_ASSIGN_OR_RETURN(auto grants, s.consent.ListGrants(TenantOf(ctx), client));
    json::array value;
    for (const auto& g : grants) value.push_back(GrantToJson(g));
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base, "oauth2PermissionGrants", std::move(value),
                                            false, "", std::nullopt));
  });
}

http::Response GetGrant(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto g, s.consent.GetGrant(TenantOf(ctx), ctx.params["id"]));
    auto out = GrantToJson(g);
    out.emplace("@odata.context", ContextUrl(s.public_base, "oauth2PermissionGrants/$entity"));
    return JsonResponse(200, out);
  });
}

http::Response CreateGrant(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "microsoft.graph.oAuth2PermissionGrant");
    store::PermissionGrantRow g;
    g.client_id = r.String("clientId").value_or("");
    g.consent_type = r.String("consentType").value_or("");
    auto principal = r.NullableString("principalId");
    g.resource_id = r.String("resourceId").value_or("");
    g.scopes = identity::SplitScopes(r.String("scope").value_or(""));
    r.Ignore({"@odata.type", "startTime", "expiryTime"});
    r.ReadOnly({"id"});
    GH_RETURN_IF_ERROR(r.Finish());
    if (principal && *principal) g.principal_id = **principal;
    if (g.client_id.empty() || g.consent_type.empty() || g.resource_id.empty())
      return InvalidArgument("Properties 'clientId', 'consentType', 'resourceId' and 'scope' are required.",
                             "Request_BadRequest");
    GH_ASSIGN_OR_RETURN(auto created, s.consent.CreateGrant(ActorOf(ctx), TenantOf(ctx), g));
    auto out = GrantToJson(created);
    out.emplace("@odata.context", ContextUrl(s.public_base, "oauth2PermissionGrants/$entity"));
    auto resp = JsonResponse(201, out);
    resp.SetHeader("Location", s.public_base + "/v1.0/oauth2PermissionGrants/" + created.id);
    return resp;
  });
}

http::Response PatchGrant(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "microsoft.graph.oAuth2PermissionGrant");
    auto scope = r.String("scope");
    r.Ignore({"@odata.type"});
    r.ReadOnly({"id", "clientId", "consentType", "principalId", "resourceId"});
    GH_RETURN_IF_ERROR(r.Finish());
    if (!scope) return InvalidArgument("Property 'scope' is the one that can be updated.", "Request_BadRequest");
    GH_RETURN_IF_ERROR(
        s.consent.UpdateGrantScopes(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], identity::SplitScopes(*scope)).status());
    return http::Response::NoContent();
  });
}

http::Response DeleteGrant(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(s.consent.DeleteGrant(ActorOf(ctx), TenantOf(ctx), ctx.params["id"]));
    return http::Response::NoContent();
  });
}

}  // namespace

std::vector<http::Route> ServicePrincipalRoutes(Services& s) {
  using http::Route;
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  const std::string sp = "/v1.0/servicePrincipals";
  return {
      Route{"GET", sp, h(ListServicePrincipals), perm::ServicePrincipalsRead(),
            "Service principals: Microsoft Graph (its permissions) and the registered apps ($filter appId)"},
      Route{"GET", sp + "/{id}", h(GetServicePrincipal), perm::ServicePrincipalsRead(),
            "A service principal (id or appId)"},
      Route{"GET", sp + "/{id}/appRoleAssignments", h(ListAssignments), perm::AppRoleAssignmentsRead(),
            "The application permissions granted to an app"},
      Route{"POST", sp + "/{id}/appRoleAssignments", h(CreateAssignment), perm::AppRoleAssignmentsWrite(),
            "Grant an app an application permission of Graph (admin)"},
      Route{"DELETE", sp + "/{id}/appRoleAssignments/{assignmentId}", h(DeleteAssignment),
            perm::AppRoleAssignmentsWrite(), "Revoke an application permission (admin)"},
      Route{"GET", "/v1.0/oauth2PermissionGrants", h(ListGrants), perm::PermissionGrantsRead(),
            "Delegated permission grants (consent), $filter clientId"},
      Route{"POST", "/v1.0/oauth2PermissionGrants", h(CreateGrant), perm::PermissionGrantsWrite(),
            "Consent for an app: for everyone (AllPrincipals) or one user (Principal) (admin)"},
      Route{"GET", "/v1.0/oauth2PermissionGrants/{id}", h(GetGrant), perm::PermissionGrantsRead(),
            "A delegated permission grant"},
      Route{"PATCH", "/v1.0/oauth2PermissionGrants/{id}", h(PatchGrant), perm::PermissionGrantsWrite(),
            "Change a grant's scopes (admin)"},
      Route{"DELETE", "/v1.0/oauth2PermissionGrants/{id}", h(DeleteGrant), perm::PermissionGrantsWrite(),
            "Withdraw consent (admin)"},
  };
}

}  // namespace gh::api::graph
