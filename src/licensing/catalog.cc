#include <algorithm>

#include "core/strings.h"
#include "licensing/model.h"

namespace gh::licensing {
namespace {

// Service plans, by their public identifiers.
ServicePlan Plan(std::string id, std::string name, bool env, bool dataverse, std::vector<std::string> families) {
  return {std::move(id), std::move(name), "User", env, dataverse, std::move(families)};
}

const ServicePlan kExchange = Plan("efb87545-963c-4e0d-99df-69c6916d9eb0", "EXCHANGE_S_ENTERPRISE", false, false,
                                   {std::string(kFamilyExchange)});
const ServicePlan kPowerAppsDynApps = Plan("874fc546-6efe-4d22-90b8-5c4e7aa59f4b", "POWERAPPS_DYN_APPS", true, false,
                                           {std::string(kFamilyPowerApps)});
const ServicePlan kCdsDynApps = Plan("2d925ad8-2479-4bd8-bb76-5b80f1d48935", "CDS_DYN_APPS", true, true,
                                     {std::string(kFamilyDataverse)});
const ServicePlan kFlowDynApps = Plan("7e6d7d78-73de-46ba-83b1-6d25117334ba", "FLOW_DYN_APPS", false, false,
                                      {std::string(kFamilyPowerAutomate)});

const std::vector<Product>& Products() {
  static const std::vector<Product> p = {
      {"1e1a282c-9c54-43a2-9310-98ef728faace",
       "DYN365_ENTERPRISE_SALES",
       "Dynamics 365 Sales Enterprise Edition",
       {Plan("2da8e897-7791-486b-b08f-cc63c8129df7", "DYN365_ENTERPRISE_SALES", true, true,
             {std::string(kFamilySales)}),
        kPowerAppsDynApps, kCdsDynApps, kFlowDynApps}},
      {"749742bf-0d37-4158-a120-33567104deeb",
       "DYN365_ENTERPRISE_CUSTOMER_SERVICE",
       "Dynamics 365 for Customer Service Enterprise Edition",
       {Plan("99340b49-fb81-4b1e-976b-8f2ae8e9394f", "DYN365_ENTERPRISE_CUSTOMER_SERVICE", true, true,
             {std::string(kFamilyCustomerService)}),
        kPowerAppsDynApps, kCdsDynApps, kFlowDynApps}},
      {"c7d15985-e746-4f01-b113-20b575898250",
       "DYN365_ENTERPRISE_FIELD_SERVICE",
       "Dynamics 365 Field Service",
       {Plan("8c66ef8a-177f-4c0d-853c-d4f219331d09", "DYN365_ENTERPRISE_FIELD_SERVICE", true, true,
             {std::string(kFamilyFieldService)}),
        kPowerAppsDynApps, kCdsDynApps, kFlowDynApps}},
      {"b30411f5-fea1-4a59-9ad9-3db7c7ead579",
       "POWERAPPS_PER_USER",
       "Power Apps per user plan",
       {Plan("ea2cf03b-ac60-46ae-9c1d-eeaeb63cec86", "POWERAPPS_PER_USER", true, false,
             {std::string(kFamilyPowerApps)}),
        Plan("6ea4c1ef-c259-46df-bce2-943342cd3cb2", "DYN365_CDS_P2", true, true, {std::string(kFamilyDataverse)}),
        Plan("dc789ed8-0170-4b65-a415-eb77d5bb350a", "Flow_PowerApps_PU", false, false,
             {std::string(kFamilyPowerAutomate)})}},
      // Microsoft 365 E3: Power Apps / Power Automate for Office 365 and the
      // limited Dataverse plan — no environment access, no Dataverse use rights.
      {"05e9a617-0261-4cee-bb44-138d3ef5d965",
       "SPE_E3",
       "Microsoft 365 E3",
       {kExchange,
        Plan("c68f8d98-5534-41c8-bf36-22fa496fa792", "POWERAPPS_O365_P2", false, false,
             {std::string(kFamilyPowerApps)}),
        Plan("76846ad7-7776-4c40-a281-a386362dd1b9", "FLOW_O365_P2", false, false,
             {std::string(kFamilyPowerAutomate)}),
        Plan("4ff01e01-1ba7-4d71-8cf8-ce96c3bbcf14", "DYN365_CDS_O365_P2", false, false, {})}},
  };
  return p;
}

}  // namespace

const std::vector<Product>& Catalog() { return Products(); }

const Product* FindProduct(std::string_view key) {
  std::string k = ToLower(key);
  for (const auto& p : Products())
    if (p.sku_id == k || ToLower(p.sku_part_number) == k) return &p;
  return nullptr;
}

const ServicePlan* Sku::FindPlan(std::string_view plan_id) const {
  std::string id = ToLower(plan_id);
  auto it = std::find_if(service_plans.begin(), service_plans.end(), [&](const ServicePlan& p) { return p.id == id; });
  return it == service_plans.end() ? nullptr : &*it;
}

std::vector<ServicePlan> UserLicenses::EffectivePlans(const std::vector<Sku>& skus) const {
  std::vector<ServicePlan> out;
  for (const auto& a : assigned) {
    auto sku = std::find_if(skus.begin(), skus.end(), [&](const Sku& s) { return s.sku_id == a.sku_id; });
    if (sku == skus.end()) continue;
    for (const auto& p : sku->service_plans)
      if (std::find(a.disabled_plans.begin(), a.disabled_plans.end(), p.id) == a.disabled_plans.end())
        out.push_back(p);
  }
  return out;
}

}  // namespace gh::licensing
