// Graph licensing routes: subscribedSkus, users/{id}/assignLicense,
// users/{id}/licenseDetails, groups/{id}/assignLicense, and the organization's
// default usage location.
#include <algorithm>

#include "api/graph/collection.h"
#include "api/graph/license_wire.h"
#include "api/graph/routes.h"
#include "api/graph/wire.h"
#include "api/handler_util.h"
#include "wire/json_reader.h"
#include "api/permissions.h"
#include "core/clock.h"
#include "core/strings.h"

namespace gh::api::graph {
namespace json = boost::json;
using http::PropertyType;

namespace {

bool Wants(const std::vector<std::string>& select, std::string_view p) {
  return select.empty() || std::find(select.begin(), select.end(), p) != select.end();
}

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

const http::PropertySet& SkuSelectable() {
  static const http::PropertySet p = {
      {"id", PropertyType::kString},          {"accountId", PropertyType::kString},
      {"appliesTo", PropertyType::kString},   {"capabilityStatus", PropertyType::kString},
      {"consumedUnits", PropertyType::kString}, {"prepaidUnits", PropertyType::kString},
      {"servicePlans", PropertyType::kString}, {"skuId", PropertyType::kString},
      {"skuPartNumber", PropertyType::kString}, {"subscriptionIds", PropertyType::kString}};
  return p;
}

}  // namespace

json::object SubscribedSkuToJson(const licensing::Sku& s, const std::vector<std::string>& select) {
  json::object o;
  if (Wants(select, "id")) o["id"] = s.tenant_id + "_" + s.sku_id;
  if (Wants(select, "accountId")) o["accountId"] = s.tenant_id;
  if (Wants(select, "appliesTo")) o["appliesTo"] = "User";
  if (Wants(select, "capabilityStatus")) o["capabilityStatus"] = s.capability_status;
  if (Wants(select, "consumedUnits")) o["consumedUnits"] = s.consumed_units;
  if (Wants(select, "prepaidUnits"))
    o["prepaidUnits"] = json::object{{"enabled", s.prepaid_enabled},
                                     {"suspended", s.prepaid_suspended},
                                     {"warning", s.prepaid_warning},
                                     {"lockedOut", s.prepaid_locked_out}};
  if (Wants(select, "servicePlans")) {
    json::array plans;
    for (const auto& p : s.service_plans)
      plans.push_back(json::object{{"servicePlanId", p.id},
                                   {"servicePlanName", p.name},
                                   {"provisioningStatus", "Success"},
                                   {"appliesTo", p.applies_to}});
    o["servicePlans"] = std::move(plans);
  }
  if (Wants(select, "skuId")) o["skuId"] = s.sku_id;
  if (Wants(select, "skuPartNumber")) o["skuPartNumber"] = s.sku_part_number;
  if (Wants(select, "subscriptionIds")) o["subscriptionIds"] = json::array();
  return o;
}

json::object LicenseDetailToJson(const licensing::LicenseDetail& d) {
  json::array plans;
  for (const auto& [p, status] : d.plans)
    plans.push_back(json::object{{"servicePlanId", p.id},
                                 {"servicePlanName", p.name},
                                 {"provisioningStatus", status},
                                 {"appliesTo", p.applies_to}});
  return {{"id", d.id}, {"skuId", d.sku_id}, {"skuPartNumber", d.sku_part_number}, {"servicePlans", plans}};
}

json::array AssignedLicensesToJson(const licensing::UserLicenses& l) {
  json::array a;
  for (const auto& x : l.assigned)
    a.push_back(json::object{{"skuId", x.sku_id}, {"disabledPlans", Strings(x.disabled_plans)}});
  return a;
}

json::array AssignmentStatesToJson(const licensing::UserLicenses& l) {
  json::array a;
  for (const auto& s : l.states)
    a.push_back(json::object{
        {"skuId", s.sku_id},
        {"assignedByGroup", s.assigned_by_group ? json::value(*s.assigned_by_group) : json::value(nullptr)},
        {"disabledPlans", Strings(s.disabled_plans)},
        {"state", s.state},
        {"error", s.error},
        {"lastUpdatedDateTime", FormatIso8601(s.last_updated)}});
  return a;
}

bool WantsLicenseProperties(const std::vector<std::string>& select) {
  return std::any_of(select.begin(), select.end(),
                     [](const std::string& p) { return p == "assignedLicenses" || p == "licenseAssignmentStates"; });
}

void AddLicenseProperties(const licensing::UserLicenses& l, const std::vector<std::string>& select, json::object& user) {
  for (const auto& p : select) {
    if (p == "assignedLicenses") user[p] = AssignedLicensesToJson(l);
    else if (p == "licenseAssignmentStates") user[p] = AssignmentStatesToJson(l);
  }
}

StatusOr<licensing::LicenseChange> ParseLicenseChange(const json::object& body) {
  wire::FieldReader r(body, "microsoft.graph.assignLicense");
  r.Ignore({"addLicenses"});
  auto remove = r.StringArray("removeLicenses");
  GH_RETURN_IF_ERROR(r.Finish());
  const json::value* add = body.if_contains("addLicenses");
  if (!add) return BadRequest("Property 'addLicenses' is required; use [] when adding nothing.");
  if (!remove) return BadRequest("Property 'removeLicenses' is required; use [] when removing nothing.");
  if (!add->is_array()) return BadRequest("Property 'addLicenses' must be an array of assignedLicense objects.");
  licensing::LicenseChange change;
  for (const auto& item : add->as_array()) {
    if (!item.is_object()) return BadRequest("Each entry of 'addLicenses' must be an assignedLicense object.");
    wire::FieldReader ir(item.as_object(), "microsoft.graph.assignedLicense");
    auto sku = ir.String("skuId");
    auto disabled = ir.StringArray("disabledPlans");
    GH_RETURN_IF_ERROR(ir.Finish());
    if (!sku) return BadRequest("Property 'skuId' is required in each entry of 'addLicenses'.");
    if (!IsUuid(ToLower(*sku))) return BadRequest("Invalid value '" + *sku + "' for property 'skuId'.");
    licensing::AssignedLicense l{ToLower(*sku), {}};
    for (const auto& p : disabled.value_or(std::vector<std::string>{})) {
      if (!IsUuid(ToLower(p))) return BadRequest("Invalid value '" + p + "' in 'disabledPlans'.");
      l.disabled_plans.push_back(ToLower(p));
    }
    change.add.push_back(std::move(l));
  }
  for (const auto& s : *remove) {
    if (!IsUuid(ToLower(s))) return BadRequest("Invalid value '" + s + "' in 'removeLicenses'.");
    change.remove.push_back(ToLower(s));
  }
  return change;
}

namespace {

http::Response ListSubscribedSkus(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {"$select"}));
    std::vector<std::string> select;
    if (auto sel = ctx.request.Query("$select")) {
      GH_ASSIGN_OR_RETURN(select, http::ParseSelect(*sel, SkuSelectable(), "subscribedSku"));
    }
    GH_ASSIGN_OR_RETURN(auto skus, s.licensing.ListSkus(TenantOf(ctx)));
    json::array value;
    for (const auto& sku : skus) value.push_back(SubscribedSkuToJson(sku, select));
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base, "subscribedSkus", std::move(value), false, "",
                                            std::nullopt));
  });
}

http::Response AssignUserLicense(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto change, ParseLicenseChange(body));
    GH_ASSIGN_OR_RETURN(auto user, s.licensing.AssignUserLicenses(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], change));
    GH_ASSIGN_OR_RETURN(auto licences, s.licensing.UserLicensesOf(TenantOf(ctx), user.id));
    auto out = UserToJson(user, {});
    AddLicenseProperties(licences, {"assignedLicenses"}, out);
    out.emplace("@odata.context", ContextUrl(s.public_base, "users/$entity"));
    return JsonResponse(200, out);
  });
}

http::Response AssignGroupLicense(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    GH_ASSIGN_OR_RETURN(auto change, ParseLicenseChange(body));
    GH_ASSIGN_OR_RETURN(auto group,
                        s.licensing.AssignGroupLicenses(ActorOf(ctx), TenantOf(ctx), ctx.params["id"], change));
    GH_ASSIGN_OR_RETURN(auto licences, s.licensing.GroupLicenses(TenantOf(ctx), group.id));
    auto out = GroupToJson(group, {});
    json::array assigned;
    for (const auto& l : licences)
      assigned.push_back(json::object{{"skuId", l.sku_id}, {"disabledPlans", Strings(l.disabled_plans)}});
    out["assignedLicenses"] = std::move(assigned);
    out.emplace("@odata.context", ContextUrl(s.public_base, "groups/$entity"));
    // Graph processes group licensing asynchronously and answers 202.
    return JsonResponse(202, out);
  });
}

http::Response LicenseDetails(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {}));
    GH_ASSIGN_OR_RETURN(auto details, s.licensing.LicenseDetails(TenantOf(ctx), ctx.params["id"]));
    json::array value;
    for (const auto& d : details) value.push_back(LicenseDetailToJson(d));
    return JsonResponse(200, CollectionBody(ctx.request, s.public_base,
                                            "users('" + ctx.params["id"] + "')/licenseDetails", std::move(value),
                                            false, "", std::nullopt));
  });
}

// PATCH /v1.0/organization/{id} {"defaultUsageLocation": "NO" | null}: the
// location group-licensed members without one inherit. (Graph's organization
// has no such property; Entra keeps it as the directory's country.)
http::Response PatchOrganization(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    if (ToLower(ctx.params["id"]) != TenantOf(ctx))
      return NotFound("Organization '" + ctx.params["id"] + "' not found.", "Request_ResourceNotFound");
    GH_ASSIGN_OR_RETURN(auto body, wire::ParseJsonObject(ctx.request.body));
    wire::FieldReader r(body, "microsoft.graph.organization");
    r.Ignore({"@odata.type"});
    auto loc = r.NullableString("defaultUsageLocation");
    GH_RETURN_IF_ERROR(r.Finish());
    if (!loc) return BadRequest("Nothing to update: only 'defaultUsageLocation' can be changed here.");
    GH_RETURN_IF_ERROR(
        s.licensing.SetDefaultUsageLocation(ActorOf(ctx), TenantOf(ctx), loc->value_or("")).status());
    return http::Response::NoContent();
  });
}

}  // namespace

std::vector<http::Route> LicenseRoutes(Services& s) {
  using http::Route;
  auto h = [&s](auto fn) { return [&s, fn](http::RouteContext& c) { return fn(s, c); }; };
  return {
      Route{"GET", "/v1.0/subscribedSkus", h(ListSubscribedSkus), perm::LicensesRead(),
            "The tenant's subscriptions with seats and service plans ($select)"},
      Route{"POST", "/v1.0/users/{id}/assignLicense", h(AssignUserLicense), perm::LicensesWrite(),
            "Add and remove a user's licences"},
      Route{"GET", "/v1.0/users/{id}/licenseDetails", h(LicenseDetails), perm::UsersRead(),
            "Licences a user holds, with their service plans"},
      Route{"POST", "/v1.0/groups/{id}/assignLicense", h(AssignGroupLicense), perm::GroupLicensesWrite(),
            "Add and remove a group's licences (inherited by its transitive members)"},
      Route{"PATCH", "/v1.0/organization/{id}", h(PatchOrganization), perm::OrganizationWrite(),
            "Set the tenant's defaultUsageLocation (inherited under group licensing)"},
  };
}

}  // namespace gh::api::graph
