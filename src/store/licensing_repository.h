#pragma once
// Storage of the licensing module: the SKUs a tenant subscribes to (with their
// seats and service plans) and licence assignments to users and groups. Rows
// are storage-level structs; src/licensing maps them to its own types. No
// business rules here: seat counting, usage location and group inheritance
// live in the licensing module.
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace gh::store {

struct SkuRow {
  std::string tenant_id;
  std::string sku_id;  // GUID
  std::string sku_part_number;
  std::string capability_status = "Enabled";
  int64_t prepaid_enabled = 0;
  int64_t prepaid_suspended = 0;
  int64_t prepaid_warning = 0;
  int64_t prepaid_locked_out = 0;
  std::string service_plans_json = "[]";  // written and read by the licensing module only
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// One licence assigned to a principal; principal_kind "user" or "group".
struct LicenseAssignmentRow {
  std::string tenant_id;
  std::string principal_id;
  std::string principal_kind;
  std::string sku_id;
  std::vector<std::string> disabled_plans;
  int64_t created_at = 0;
};

class LicensingRepository {
 public:
  virtual ~LicensingRepository() = default;

  // SKUs. (tenant_id, sku_id) is unique: a second insert is AlreadyExists.
  virtual Status InsertSku(const SkuRow& s) = 0;
  virtual Status UpdateSku(const SkuRow& s) = 0;  // NotFound when absent
  virtual StatusOr<SkuRow> GetSku(const std::string& tenant_id, const std::string& sku_id) = 0;
  virtual StatusOr<std::vector<SkuRow>> ListSkus(const std::string& tenant_id) = 0;  // by sku_part_number

  // Assignments. (tenant_id, principal_id, sku_id) is unique; Upsert replaces
  // the disabled plans of an existing one and keeps its created_at.
  virtual Status UpsertAssignment(const LicenseAssignmentRow& a) = 0;
  virtual Status DeleteAssignment(const std::string& tenant_id, const std::string& principal_id,
                                  const std::string& sku_id) = 0;  // NotFound when absent
  // Empty principal_id = every assignment of the tenant; ordered by created_at, principal_id, sku_id.
  virtual StatusOr<std::vector<LicenseAssignmentRow>> ListAssignments(const std::string& tenant_id,
                                                                      const std::string& principal_id = {}) = 0;
  // Removes every assignment of a principal (used when it is deleted).
  virtual Status DeleteAssignmentsOf(const std::string& tenant_id, const std::string& principal_id) = 0;
};


}  // namespace gh::store
