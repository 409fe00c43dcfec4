// Graph's policy singletons: authorizationPolicy and crossTenantAccessPolicy
// (default and partners), plus Gatehouse's collaboration domain restrictions.
// Each handler decodes, calls one PolicyService operation (which holds the
// rules) and encodes.
#include "api/graph/collection.h"
#include "api/graph/routes.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"
#include "wire/policies.h"

namespace gh::api::graph {
namespace {
namespace json = boost::json;
using directory::Policies;
template <class T>
using Edit = directory::PolicyService::Edit<T>;

// A PATCH body applied by `patch` (wire/policies.h) as the edit of one operation.
template <class T>
Edit<T> PatchWith(const json::object& body, Status (*patch)(T&, const json::object&)) {
  return [&body, patch](T& value) { return patch(value, body); };
}

json::object AuthorizationPolicyView(Services& s, const directory::AuthorizationPolicy& p) {
  auto o = wire::AuthorizationPolicyToJson(p);
  o.emplace("@odata.context", ContextUrl(s.public_base, "policies/authorizationPolicy/$entity"));
  return o;
}

json::object PartnersView(Services& s, const Policies& p) {
  json::array value;
  for (const auto& x : p.cross_tenant.partners) value.push_back(wire::PartnerToJson(x));
  return {{"@odata.context", ContextUrl(s.public_base, "policies/crossTenantAccessPolicy/partners")},
          {"value", std::move(value)}};
}

http::Response Read(Services& s, http::RouteContext& ctx, const std::function<json::object(const Policies&)>& view) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto p, s.policies.Get(TenantOf(ctx)));
    return JsonResponse(200, view(p));
  });
}

http::Response HandlePatchAuthorizationPolicy(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_RETURN_IF_ERROR(s.policies
                           .UpdateAuthorizationPolicy(ActorOf(ctx), TenantOf(ctx),
                                                      PatchWith(body, &wire::PatchAuthorizationPolicy))
                           .status());
    return http::Response::NoContent();
  });
}

http::Response HandlePatchDomainRestrictions(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto d, s.policies.UpdateDomainRestrictions(
                                    ActorOf(ctx), TenantOf(ctx), PatchWith(body, &wire::PatchDomainRestrictions)));
    return JsonResponse(200, wire::DomainRestrictionsToJson(d));
  });
}

http::Response HandlePatchCrossTenantPolicy(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_RETURN_IF_ERROR(s.policies
                           .UpdateCrossTenantPolicy(ActorOf(ctx), TenantOf(ctx),
                                                    PatchWith(body, &wire::PatchCrossTenantPolicy))
                           .status());
    return http::Response::NoContent();
  });
}

http::Response HandlePatchCrossTenantDefault(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_RETURN_IF_ERROR(s.policies
                           .UpdateCrossTenantDefault(ActorOf(ctx), TenantOf(ctx),
                                                     PatchWith(body, &wire::PatchCrossTenantDefault))
                           .status());
    return http::Response::NoContent();
  });
}

http::Response AddPartner(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    const auto* id = body.if_contains("tenantId");
    if (!id || !id->is_string())
      return InvalidArgument("Property 'tenantId' (a tenant GUID) is required.", "Request_BadRequest");
    GH_ASSIGN_OR_RETURN(auto partner, s.policies.AddPartner(ActorOf(ctx), TenantOf(ctx), std::string(id->as_string()),
                                                            PatchWith(body, &wire::PatchPartner)));
    return JsonResponse(201, wire::PartnerToJson(partner));
  });
}

http::Response GetPartner(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto id, directory::PolicyService::PartnerIdFrom(ctx.params["tenantId"]));
    GH_ASSIGN_OR_RETURN(auto p, s.policies.Get(TenantOf(ctx)));
    const auto* partner = p.cross_tenant.Partner(id);
    if (!partner) return NotFound("No configuration for partner '" + id + "'.", "Request_ResourceNotFound");
    return JsonResponse(200, wire::PartnerToJson(*partner));
  });
}

http::Response HandlePatchPartner(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto id, directory::PolicyService::PartnerIdFrom(ctx.params["tenantId"]));
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_RETURN_IF_ERROR(
        s.policies.UpdatePartner(ActorOf(ctx), TenantOf(ctx), id, PatchWith(body, &wire::PatchPartner)).status());
    return http::Response::NoContent();
  });
}

http::Response RemovePartner(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto id, directory::PolicyService::PartnerIdFrom(ctx.params["tenantId"]));
    GH_RETURN_IF_ERROR(s.policies.RemovePartner(ActorOf(ctx), TenantOf(ctx), id));
    return http::Response::NoContent();
  });
}

}  // namespace

std::vector<http::Route> PolicyRoutes(Services& s) {
  using http::Route;
  const std::string cta = "/v1.0/policies/crossTenantAccessPolicy";
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  auto read = [&s](std::function<json::object(const Policies&)> view) {
    return [&s, view](http::RouteContext& c) { return Read(s, c, view); };
  };
  const auto authz_read = perm::AuthorizationPolicyRead();
  const auto cta_read = perm::CrossTenantPolicyRead();
  const auto authz_write = perm::AuthorizationPolicyWrite();
  const auto cta_write = perm::CrossTenantPolicyWrite();
  return {
      Route{"GET", "/v1.0/policies/authorizationPolicy",
            read([&s](const Policies& p) { return AuthorizationPolicyView(s, p.authorization); }), authz_read,
            "Who may invite guests, and the guest access level"},
      Route{"PATCH", "/v1.0/policies/authorizationPolicy", h(HandlePatchAuthorizationPolicy), authz_write,
            "Change allowInvitesFrom, guestUserRoleId"},
      Route{"GET", "/api/v1/collaborationRestrictions",
            read([](const Policies& p) { return wire::DomainRestrictionsToJson(p.domains); }), authz_read,
            "The collaboration domain allow-list or deny-list"},
      Route{"PATCH", "/api/v1/collaborationRestrictions", h(HandlePatchDomainRestrictions), authz_write,
            "Set {mode: allowAll|denyList|allowList, domains: [...]}"},
      Route{"GET", cta, read([](const Policies& p) { return wire::CrossTenantPolicyToJson(p.cross_tenant); }),
            cta_read, "Cross-tenant access policy (Microsoft cloud settings)"},
      Route{"PATCH", cta, h(HandlePatchCrossTenantPolicy), cta_write, "Set allowedCloudEndpoints"},
      Route{"GET", cta + "/default",
            read([](const Policies& p) { return wire::CrossTenantDefaultToJson(p.cross_tenant); }), cta_read,
            "Default inbound/outbound B2B collaboration settings"},
      Route{"PATCH", cta + "/default", h(HandlePatchCrossTenantDefault), cta_write,
            "Change the default B2B collaboration settings"},
      Route{"GET", cta + "/partners", read([&s](const Policies& p) { return PartnersView(s, p); }), cta_read,
            "Partner-specific cross-tenant settings"},
      Route{"POST", cta + "/partners", h(AddPartner), cta_write, "Add a partner configuration"},
      Route{"GET", cta + "/partners/{tenantId}", h(GetPartner), cta_read, "One partner's settings"},
      Route{"PATCH", cta + "/partners/{tenantId}", h(HandlePatchPartner), cta_write,
            "Change a partner's settings (null inherits the default)"},
      Route{"DELETE", cta + "/partners/{tenantId}", h(RemovePartner), cta_write, "Remove a partner configuration"},
  };
}

}  // namespace gh::api::graph
