// /api/v1/skus: the tenant's subscriptions and their seats.
#include "api/admin/routes.h"
#include "api/graph/license_wire.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"
#include "core/strings.h"
#include "http/odata.h"

namespace gh::api::admin {
namespace {
namespace json = boost::json;

http::Response List(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {}));
    GH_ASSIGN_OR_RETURN(auto skus, s.licensing.ListSkus(TenantOf(ctx)));
    json::array value;
    for (const auto& sku : skus) value.push_back(graph::SubscribedSkuToJson(sku, {}));
    return JsonResponse(200, json::object{{"value", std::move(value)}});
  });
}

// {"skuPartNumber": "DYN365_ENTERPRISE_SALES" | "skuId": "<guid>", "prepaidUnits": 25}
http::Response Create(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.sku");
    auto part = r.String("skuPartNumber");
    auto id = r.String("skuId");
    auto units = r.Int("prepaidUnits");
    GH_RETURN_IF_ERROR(r.Finish());
    if (part.has_value() == id.has_value()) return BadRequest("Give exactly one of 'skuPartNumber' and 'skuId'.");
    if (!units) return BadRequest("Property 'prepaidUnits' is required.");
    GH_ASSIGN_OR_RETURN(auto sku, s.licensing.AddSku(ActorOf(ctx), TenantOf(ctx), part ? *part : *id, *units));
    return JsonResponse(201, graph::SubscribedSkuToJson(sku, {}));
  });
}

// {"prepaidUnits": n}
http::Response Patch(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    if (!IsUuid(ToLower(ctx.params["skuId"])))
      return NotFound("SKU '" + ctx.params["skuId"] + "' not found.", "Request_ResourceNotFound");
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "gatehouse.sku");
    auto units = r.Int("prepaidUnits");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!units) return BadRequest("Property 'prepaidUnits' is required.");
    GH_ASSIGN_OR_RETURN(auto sku, s.licensing.SetPrepaidUnits(ActorOf(ctx), TenantOf(ctx), ctx.params["skuId"], *units));
    return JsonResponse(200, graph::SubscribedSkuToJson(sku, {}));
  });
}

}  // namespace

std::vector<http::Route> SkuRoutes(Services& s) {
  using http::Route;
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  return {
      Route{"GET", "/api/v1/skus", h(List), perm::LicensesRead(), "The tenant's subscriptions with seats"},
      Route{"POST", "/api/v1/skus", h(Create), perm::SkusWrite(), "Subscribe to a catalogue product with seats"},
      Route{"PATCH", "/api/v1/skus/{skuId}", h(Patch), perm::SkusWrite(), "Set a subscription's prepaid seats"},
  };
}

}  // namespace gh::api::admin
