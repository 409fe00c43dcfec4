// Licenses: the products the tenant subscribes to with their seats and
// service plans (Add a product), one product's page with who holds it and
// its seats, and the tenant's default usage location. Refusals are shown
// next to the field they are about.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <map>
#include <tuple>

#include "core/strings.h"
#include "web/portal/portal.h"
#include "web/templates.h"

namespace gh::web::portal {
namespace {

// A refusal shown on the re-rendered page: `section` is the template's error
// section next to the field it is about.

int64_t Available(const licensing::Sku& sku) { return std::max<int64_t>(0, sku.prepaid_enabled - sku.consumed_units); }

std::string PlanNames(const licensing::Sku& sku) {
  std::string out;
  for (const auto& plan : sku.service_plans) out += (out.empty() ? "" : ", ") + plan.name;
  return out;
}

// What the product opens in business-app environments, from its plans.
std::string EnvironmentAccess(const licensing::Sku& sku) {
  const auto& plans = sku.service_plans;
  bool environments = std::any_of(plans.begin(), plans.end(), [](const auto& p) { return p.grants_environment_access; });
  bool dataverse = std::any_of(plans.begin(), plans.end(), [](const auto& p) { return p.grants_dataverse; });
  if (!environments) return "No";
  return dataverse ? "Yes, with Dataverse" : "Yes, without Dataverse";
}

// A number of seats as typed: a whole number, 0 or more.
std::optional<int64_t> ParseSeats(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  int64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || n < 0) return std::nullopt;
  return n;
}
constexpr const char* kSeatsHint = "Enter the number of seats: a whole number, 0 or more.";

// The section next to the field a licensing refusal is about.
std::string SeatsOr(const Status& s, const std::string& otherwise) {
  return s.message().find("prepaidUnits") != std::string::npos ? "SEATS_ERROR" : otherwise;
}


// ---- the list --------------------------------------------------------------------

void AddSkuRow(Page& p, const licensing::Sku& sku) {
  auto* row = p.Section("SKU");
  row->SetValue("SKU_ID", sku.sku_id);
  row->SetValue("PRODUCT", ProductName(sku));
  row->SetValue("PART", sku.sku_part_number);
  row->SetValue("ENABLED", std::to_string(sku.prepaid_enabled));
  row->SetValue("CONSUMED", std::to_string(sku.consumed_units));
  row->SetValue("AVAILABLE", std::to_string(Available(sku)));
  row->SetValue("PLANS", PlanNames(sku));
  row->SetValue("ACCESS", EnvironmentAccess(sku));
}

// The catalogue's products the tenant doesn't subscribe to yet.
void FillAddProductForm(Page& p, const std::vector<licensing::Sku>& skus, const Form& posted) {
  p.Show("CAN_ADD");
  ctemplate::TemplateDictionary* form = nullptr;
  for (const auto& product : licensing::Catalog()) {
    auto subscribed = [&](const licensing::Sku& s) { return s.sku_id == product.sku_id; };
    if (std::any_of(skus.begin(), skus.end(), subscribed)) continue;
    if (!form) form = p.Section("ADD_FORM");
    auto* option = form->AddSectionDictionary("PRODUCT_OPTION");
    option->SetValue("SKU_ID", product.sku_id);
    option->SetValue("NAME", product.display_name);
    option->SetValue("PART", product.sku_part_number);
    if (posted.Get("product") == product.sku_id) option->SetValue("SELECTED", "selected");
  }
  if (!form) p.Show("ALL_ADDED");
  p.Set("SEATS", posted.Get("seats"));
}

void FillDefaultUsageLocation(Page& p, const PortalDeps& d, const Admin& a, const Form& posted) {
  const std::string& current = a.tenant.default_usage_location;
  p.Set("LOCATION", current).Set("LOCATION_TEXT", current.empty() ? "none" : current);
  if (!a.May(d.can.organization_write)) return;
  p.Show("CAN_SET_LOCATION");
  // What was typed stays when the form comes back with a refusal.
  bool typed = !posted.All("defaultUsageLocation").empty();
  p.Set("LOCATION_VALUE", typed ? posted.Get("defaultUsageLocation") : current);
}

http::Response LicensesList(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const MaybeRefusal& refusal) {
  auto skus = d.licensing.ListSkus(a.tenant.id);
  if (!skus.ok()) return ErrorPage(ctx.request, skus.status(), "Can't list licenses");
  FormPage p(d, ctx, "portal_licenses_list", "Licenses · " + a.tenant.name);
  Layout(p, d, a, "/licenses");
  for (const auto& sku : *skus) AddSkuRow(p, sku);
  if (skus->empty()) p.Show("NO_SKUS");
  const Form posted{http::ParseForm(ctx.request.body)};
  if (a.May(d.can.skus_write)) FillAddProductForm(p, *skus, posted);
  FillDefaultUsageLocation(p, d, a, posted);
  return RespondWith(p, refusal);
}

http::Response LicensesGet(PortalDeps& d, Visit& v) { return LicensesList(d, v.ctx, v.admin, std::nullopt); }

http::Response AddProductPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  const std::string product = form.Get("product");
  if (product.empty()) return LicensesList(d, ctx, a, Refusal{"PRODUCT_ERROR", "Choose a product."});
  auto seats = ParseSeats(form.Get("seats"));
  if (!seats) return LicensesList(d, ctx, a, Refusal{"SEATS_ERROR", kSeatsHint});
  auto added = d.licensing.AddSku(a.Actor(), a.tenant.id, product, *seats);
  if (!added.ok())
    return LicensesList(d, ctx, a,
                        Refusal{SeatsOr(added.status(), "PRODUCT_ERROR"), ShownMessage(ctx.request, added.status()),
                                PageStatusFor(added.status())});
  return Redirect(a.base + "/licenses", 303);
}

http::Response DefaultUsageLocationPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  // Country codes are upper case; accept "no" for "NO" as a person would type it.
  std::string location = form.Get("defaultUsageLocation");
  std::transform(location.begin(), location.end(), location.begin(), [](unsigned char c) { return std::toupper(c); });
  auto saved = d.licensing.SetDefaultUsageLocation(a.Actor(), a.tenant.id, location);
  if (!saved.ok())
    return LicensesList(d, ctx, a, Refusal{"LOCATION_ERROR", ShownMessage(ctx.request, saved.status()), PageStatusFor(saved.status())});
  return Redirect(a.base + "/licenses", 303);
}

// ---- one product -----------------------------------------------------------------

// A user assigned the product: how (direct or through which groups) and
// whether it is in effect.
struct Holder {
  directory::User user;
  std::vector<std::optional<std::string>> via_groups;  // nullopt = direct
  std::string status;
};

std::string HolderStatus(const licensing::UserLicenses& held, const std::string& sku_id) {
  auto in_effect = [&](const licensing::AssignedLicense& l) { return l.sku_id == sku_id; };
  if (std::any_of(held.assigned.begin(), held.assigned.end(), in_effect)) return "Active";
  for (const auto& st : held.states)
    if (st.sku_id == sku_id && st.state != "Active") return "Error (" + st.error + ")";
  return "Inactive";
}

StatusOr<std::vector<Holder>> HoldersOf(PortalDeps& d, const Admin& a, const licensing::Resolution& res,
                                        const std::string& sku_id) {
  std::vector<Holder> out;
  for (const auto& [user_id, held] : res.by_user) {
    Holder h;
    for (const auto& st : held.states)
      if (st.sku_id == sku_id) h.via_groups.push_back(st.assigned_by_group);
    if (h.via_groups.empty()) continue;
    auto user = d.directory.GetUser(a.tenant.id, user_id);
    if (!user.ok() && user.status().code() == Code::kNotFound) continue;  // deleted since resolving
    if (!user.ok()) return user.status();
    h.user = std::move(*user);
    h.status = HolderStatus(held, sku_id);
    out.push_back(std::move(h));
  }
  std::sort(out.begin(), out.end(), [](const Holder& x, const Holder& y) {
    return std::tie(x.user.display_name, x.user.id) < std::tie(y.user.display_name, y.user.id);
  });
  return out;
}

// Group names by id, each read once; a group deleted meanwhile shows its id.
class GroupNames {
 public:
  GroupNames(PortalDeps& d, const Admin& a) : d_(d), a_(a) {}
  const std::string& Of(const std::string& id) {
    auto it = names_.find(id);
    if (it != names_.end()) return it->second;
    auto g = d_.directory.GetGroup(a_.tenant.id, id);
    return names_[id] = g.ok() ? g->display_name : id;
  }

 private:
  PortalDeps& d_;
  const Admin& a_;
  std::map<std::string, std::string> names_;
};

void AddHolderRow(Page& p, const Holder& h, GroupNames& groups) {
  auto* row = p.Section("HOLDER");
  row->SetValue("ID", h.user.id);
  row->SetValue("NAME", h.user.display_name);
  row->SetValue("UPN", h.user.user_principal_name);
  row->SetValue("TYPE", std::string(directory::UserTypeName(h.user.user_type)));
  row->SetValue("STATUS", h.status);
  for (const auto& via : h.via_groups) {
    auto* path = row->AddSectionDictionary("PATH");
    if (!via) {
      path->ShowSection("DIRECT");
      continue;
    }
    auto* group = path->AddSectionDictionary("GROUP");
    group->SetValue("GROUP_ID", *via);
    group->SetValue("GROUP_NAME", groups.Of(*via));
  }
}

void FillSku(Page& p, const licensing::Sku& sku) {
  p.Set("SKU_ID", sku.sku_id).Set("PRODUCT", ProductName(sku)).Set("PART", sku.sku_part_number);
  p.Set("CAPABILITY", sku.capability_status).Set("ENABLED", std::to_string(sku.prepaid_enabled));
  p.Set("CONSUMED", std::to_string(sku.consumed_units)).Set("AVAILABLE", std::to_string(Available(sku)));
  if (sku.consumed_units > sku.prepaid_enabled) p.Show("OVERCOMMITTED");
  for (const auto& plan : sku.service_plans) {
    auto* row = p.Section("PLAN");
    row->SetValue("NAME", plan.name);
    row->SetValue("ID", plan.id);
    row->SetValue("ENVIRONMENTS", plan.grants_environment_access ? "Yes" : "No");
    row->SetValue("DATAVERSE", plan.grants_dataverse ? "Yes" : "No");
  }
}

http::Response SkuNotFound(const Admin& a) {
  return MessagePage(404, "Product not found", "The organization doesn't subscribe to it.", "All licenses",
                     a.base + "/licenses");
}

http::Response SkuView(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const MaybeRefusal& refusal) {
  auto res = d.licensing.Resolve(a.tenant.id);
  if (!res.ok()) return ErrorPage(ctx.request, res.status(), "Something went wrong");
  const std::string sku_id = ToLower(ctx.params["skuId"]);
  auto sku = std::find_if(res->skus.begin(), res->skus.end(), [&](const auto& s) { return s.sku_id == sku_id; });
  if (sku == res->skus.end()) return SkuNotFound(a);
  auto holders = HoldersOf(d, a, *res, sku_id);
  if (!holders.ok()) return ErrorPage(ctx.request, holders.status(), "Something went wrong");
  FormPage p(d, ctx, "portal_licenses_sku", ProductName(*sku) + " · Licenses");
  Layout(p, d, a, "/licenses");
  FillSku(p, *sku);
  GroupNames groups(d, a);
  for (const auto& h : *holders) AddHolderRow(p, h, groups);
  if (holders->empty()) p.Show("NO_HOLDERS");
  if (a.May(d.can.skus_write)) p.Show("CAN_EDIT");
  std::string typed = http::FormValue(http::ParseForm(ctx.request.body), "seats");
  p.Set("SEATS", refusal ? typed : std::to_string(sku->prepaid_enabled));
  return RespondWith(p, refusal);
}

http::Response SkuGet(PortalDeps& d, Visit& v) { return SkuView(d, v.ctx, v.admin, std::nullopt); }

http::Response SeatsPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  auto seats = ParseSeats(form.Get("seats"));
  if (!seats) return SkuView(d, ctx, a, Refusal{"SEATS_ERROR", kSeatsHint});
  auto saved = d.licensing.SetPrepaidUnits(a.Actor(), a.tenant.id, ctx.params["skuId"], *seats);
  if (!saved.ok() && saved.status().code() == Code::kNotFound) return SkuNotFound(a);
  if (!saved.ok()) return SkuView(d, ctx, a, Refusal{"SEATS_ERROR", ShownMessage(ctx.request, saved.status()), PageStatusFor(saved.status())});
  return Redirect(a.base + "/licenses/" + saved->sku_id, 303);
}

}  // namespace

std::vector<http::Route> LicensesPages(const Deps& d) {
  AddTemplates({"portal_licenses_list", "portal_licenses_sku"});
  const Need read = &PortalPermissions::licenses_read, skus = &PortalPermissions::skus_write;
  return {
      PortalRoute(d, "GET", "/portal/{tenant}/licenses", read, LicensesGet, "Licenses: products, seats, service plans"),
      PortalRoute(d, "POST", "/portal/{tenant}/licenses", skus, AddProductPost, "Licenses: add a product"),
      PortalRoute(d, "POST", "/portal/{tenant}/licenses/default-usage-location", &PortalPermissions::organization_write,
                  DefaultUsageLocationPost, "Licenses: set the default usage location"),
      PortalRoute(d, "GET", "/portal/{tenant}/licenses/{skuId}", read, SkuGet, "Licenses: one product and who holds it"),
      PortalRoute(d, "POST", "/portal/{tenant}/licenses/{skuId}/seats", skus, SeatsPost,
                  "Licenses: set a product's seats"),
  };
}

}  // namespace gh::web::portal
