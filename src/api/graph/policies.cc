// Graph's policy singletons: authorizationPolicy and crossTenantAccessPolicy
// (default and partners), plus Gatehouse's collaboration domain restrictions.
#include "api/graph/collection.h"
#include "api/graph/routes.h"
#include "api/handler_util.h"
#include "api/json_body.h"
#include "api/permissions.h"

namespace gh::api::graph {
namespace {
namespace json = boost::json;
using directory::Policies;

http::Response Read(Services& s, http::RouteContext& ctx, const std::function<json::object(const Policies&)>& view) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto p, s.policies.Get(TenantOf(ctx)));
    return JsonResponse(200, view(p));
  });
}

http::Response Change(Services& s, http::RouteContext& ctx, const std::string& activity,
                      const std::function<Status(Policies&, const json::object&)>& apply, int status = 204,
                      const std::function<json::object(const Policies&)>& view = nullptr) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto p, s.policies.Update(ActorOf(ctx), TenantOf(ctx), activity,
                                                  [&](Policies& p) { return apply(p, body); }));
    if (view) return JsonResponse(status, view(p));
    return http::Response::NoContent();
  });
}

StatusOr<std::string> PartnerId(http::RouteContext& ctx) {
  std::string id = ToLower(ctx.params["tenantId"]);
  if (!IsUuid(id)) return InvalidArgument("Invalid tenant id '" + ctx.params["tenantId"] + "'.", "Request_BadRequest");
  return id;
}

}  // namespace

std::vector<http::Route> PolicyRoutes(Services& s) {
  using http::Route;
  const std::string cta = "/v1.0/policies/crossTenantAccessPolicy";
  auto authz_read = perm::AuthorizationPolicyRead();
  auto cta_read = perm::CrossTenantPolicyRead();
  auto authz_write = perm::AuthorizationPolicyWrite();
  auto cta_write = perm::CrossTenantPolicyWrite();
  auto authz_view = [&s](const Policies& p) {
    auto o = directory::AuthorizationPolicyToJson(p.authorization);
    o.emplace("@odata.context", ContextUrl(s.public_base, "policies/authorizationPolicy/$entity"));
    return o;
  };
  return {
      Route{"GET", "/v1.0/policies/authorizationPolicy",
            [&s, authz_view](http::RouteContext& c) { return Read(s, c, authz_view); }, authz_read,
            "Who may invite guests, and the guest access level", false},
      Route{"PATCH", "/v1.0/policies/authorizationPolicy",
            [&s](http::RouteContext& c) {
              return Change(s, c, "Update authorization policy", [](Policies& p, const json::object& b) {
                return directory::PatchAuthorizationPolicy(p.authorization, b);
              });
            },
            authz_write, "Change allowInvitesFrom, guestUserRoleId", true},
      Route{"GET", "/api/v1/collaborationRestrictions",
            [&s](http::RouteContext& c) {
              return Read(s, c, [](const Policies& p) { return directory::DomainRestrictionsToJson(p.domains); });
            },
            authz_read, "The collaboration domain allow-list or deny-list", false},
      Route{"PATCH", "/api/v1/collaborationRestrictions",
            [&s](http::RouteContext& c) {
              return Change(
                  s, c, "Update collaboration restrictions",
                  [](Policies& p, const json::object& b) { return directory::PatchDomainRestrictions(p.domains, b); },
                  200, [](const Policies& p) { return directory::DomainRestrictionsToJson(p.domains); });
            },
            authz_write, "Set {mode: allowAll|denyList|allowList, domains: [...]}", true},
      Route{"GET", cta,
            [&s](http::RouteContext& c) {
              return Read(s, c, [](const Policies& p) { return directory::CrossTenantPolicyToJson(p.cross_tenant); });
            },
            cta_read, "Cross-tenant access policy (Microsoft cloud settings)", false},
      Route{"PATCH", cta,
            [&s](http::RouteContext& c) {
              return Change(s, c, "Update cross-tenant access policy", [](Policies& p, const json::object& b) {
                return directory::PatchCrossTenantPolicy(p.cross_tenant, b);
              });
            },
            cta_write, "Set allowedCloudEndpoints", true},
      Route{"GET", cta + "/default",
            [&s](http::RouteContext& c) {
              return Read(s, c, [](const Policies& p) { return directory::CrossTenantDefaultToJson(p.cross_tenant); });
            },
            cta_read, "Default inbound/outbound B2B collaboration settings", false},
      Route{"PATCH", cta + "/default",
            [&s](http::RouteContext& c) {
              return Change(s, c, "Update cross-tenant access default", [](Policies& p, const json::object& b) {
                return directory::PatchCrossTenantDefault(p.cross_tenant, b);
              });
            },
            cta_write, "Change the default B2B collaboration settings", true},
      Route{"GET", cta + "/partners",
            [&s](http::RouteContext& c) {
              return Read(s, c, [&s](const Policies& p) {
                json::array value;
                for (const auto& x : p.cross_tenant.partners) value.push_back(directory::PartnerToJson(x));
                return json::object{{"@odata.context", ContextUrl(s.public_base, "policies/crossTenantAccessPolicy/partners")},
                                    {"value", value}};
              });
            },
            cta_read, "Partner-specific cross-tenant settings", false},
      Route{"POST", cta + "/partners",
            [&s](http::RouteContext& c) {
              std::string created;
              return Change(
                  s, c, "Add cross-tenant access partner",
                  [&created](Policies& p, const json::object& b) -> Status {
                    const auto* id = b.if_contains("tenantId");
                    if (!id || !id->is_string() || !IsUuid(id->as_string()))
                      return InvalidArgument("Property 'tenantId' (a tenant GUID) is required.", "Request_BadRequest");
                    created = ToLower(std::string(id->as_string()));
                    if (p.cross_tenant.Partner(created))
                      return AlreadyExists("A configuration for partner '" + created + "' already exists.",
                                           "Request_Conflict");
                    directory::PartnerConfiguration partner{created, std::nullopt, std::nullopt};
                    GH_RETURN_IF_ERROR(directory::PatchPartner(partner, b));
                    p.cross_tenant.partners.push_back(partner);
                    return OkStatus();
                  },
                  201, [&created](const Policies& p) { return directory::PartnerToJson(*p.cross_tenant.Partner(created)); });
            },
            cta_write, "Add a partner configuration", true},
      Route{"GET", cta + "/partners/{tenantId}",
            [&s](http::RouteContext& c) {
              return Guard(c, [&]() -> StatusOr<http::Response> {
                GH_ASSIGN_OR_RETURN(auto id, PartnerId(c));
                GH_ASSIGN_OR_RETURN(auto p, s.policies.Get(TenantOf(c)));
                const auto* partner = p.cross_tenant.Partner(id);
                if (!partner) return NotFound("No configuration for partner '" + id + "'.", "Request_ResourceNotFound");
                return JsonResponse(200, directory::PartnerToJson(*partner));
              });
            },
            cta_read, "One partner's settings", false},
      Route{"PATCH", cta + "/partners/{tenantId}",
            [&s](http::RouteContext& c) {
              auto id = PartnerId(c);
              if (!id.ok()) return GraphError(c.request, id.status());
              return Change(s, c, "Update cross-tenant access partner", [&](Policies& p, const json::object& b) -> Status {
                for (auto& x : p.cross_tenant.partners)
                  if (x.tenant_id == *id) return directory::PatchPartner(x, b);
                return NotFound("No configuration for partner '" + *id + "'.", "Request_ResourceNotFound");
              });
            },
            cta_write, "Change a partner's settings (null inherits the default)", true},
      Route{"DELETE", cta + "/partners/{tenantId}",
            [&s](http::RouteContext& c) {
              return Guard(c, [&]() -> StatusOr<http::Response> {
                GH_ASSIGN_OR_RETURN(auto id, PartnerId(c));
                GH_RETURN_IF_ERROR(s.policies
                                       .Update(ActorOf(c), TenantOf(c), "Delete cross-tenant access partner",
                                               [&](Policies& p) -> Status {
                                                 auto& v = p.cross_tenant.partners;
                                                 auto it = std::find_if(v.begin(), v.end(), [&](const auto& x) {
                                                   return x.tenant_id == id;
                                                 });
                                                 if (it == v.end())
                                                   return NotFound("No configuration for partner '" + id + "'.",
                                                                   "Request_ResourceNotFound");
                                                 v.erase(it);
                                                 return OkStatus();
                                               })
                                       .status());
                return http::Response::NoContent();
              });
            },
            cta_write, "Remove a partner configuration", true},
  };
}

}  // namespace gh::api::graph
