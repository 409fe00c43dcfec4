#pragma once
// The licensing module's value types: products (SKUs) with their service
// plans, a tenant's subscriptions with seats, and what a user effectively
// holds (Graph's assignedLicenses and licenseAssignmentStates). Plain values;
// no I/O. The demo catalogue models real Microsoft products by their public
// skuPartNumber / skuId / servicePlanId (Microsoft's "Product names and service
// plan identifiers for licensing" reference).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace gh::licensing {

// Application families a service plan covers (what the gate asks for).
inline constexpr std::string_view kFamilySales = "sales";
inline constexpr std::string_view kFamilyCustomerService = "customerService";
inline constexpr std::string_view kFamilyFieldService = "fieldService";
inline constexpr std::string_view kFamilyPowerApps = "powerApps";
inline constexpr std::string_view kFamilyPowerAutomate = "powerAutomate";
inline constexpr std::string_view kFamilyDataverse = "dataverse";
inline constexpr std::string_view kFamilyExchange = "exchange";

struct ServicePlan {
  std::string id;    // servicePlanId (GUID)
  std::string name;  // servicePlanName, e.g. "DYN365_ENTERPRISE_SALES"
  std::string applies_to = "User";
  // Entitles its holder to be a user of business-app (customer engagement /
  // Dataverse) environments.
  bool grants_environment_access = false;
  // Full Dataverse use rights (the limited Microsoft 365 plan has none).
  bool grants_dataverse = false;
  std::vector<std::string> app_families;
};

// A product as sold: what a tenant subscribes to.
struct Product {
  std::string sku_id;  // GUID
  std::string sku_part_number;
  std::string display_name;
  std::vector<ServicePlan> plans;
};

// The products Gatehouse knows (the demo catalogue), and lookup by skuId or
// skuPartNumber (case-insensitive); null when unknown.
const std::vector<Product>& Catalog();
const Product* FindProduct(std::string_view sku_id_or_part_number);

// A tenant's subscription to a product.
struct Sku {
  std::string tenant_id;
  std::string sku_id;
  std::string sku_part_number;
  std::string capability_status = "Enabled";
  int64_t prepaid_enabled = 0;
  int64_t prepaid_suspended = 0;
  int64_t prepaid_warning = 0;
  int64_t prepaid_locked_out = 0;
  int64_t consumed_units = 0;  // derived from assignments, never stored
  std::vector<ServicePlan> service_plans;
  int64_t created_at = 0;

  const ServicePlan* FindPlan(std::string_view plan_id) const;
};

struct AssignedLicense {
  std::string sku_id;
  std::vector<std::string> disabled_plans;
};

// Graph's licenseAssignmentState.
struct AssignmentState {
  std::string sku_id;
  std::optional<std::string> assigned_by_group;  // null = direct
  std::vector<std::string> disabled_plans;
  std::string state = "Active";  // "Active" / "Error"
  std::string error = "None";    // "None" / "CountViolation" / "ProhibitedInUsageLocationViolation"
  int64_t last_updated = 0;
};

// What one user holds, directly and through groups.
struct UserLicenses {
  std::vector<AssignedLicense> assigned;  // licences in effect (one per SKU)
  std::vector<AssignmentState> states;    // every direct and inherited assignment, with errors

  // The plans in effect (assigned SKUs minus disabled plans).
  std::vector<ServicePlan> EffectivePlans(const std::vector<Sku>& skus) const;
};

}  // namespace gh::licensing
