#pragma once
// Storage of business apps (canvas and model-driven) in environments, with
// whom each is shared. Rows are storage-level structs; the environments module
// maps them and owns the rules (who may create and share is the gate's).
#include <cstdint>
#include <string>
#include <vector>

#include "core/status.h"

namespace gh::store {

struct AppRow {
  std::string tenant_id;
  std::string id;
  std::string environment_id;
  std::string display_name;
  std::string app_type;  // "canvas" / "modelDriven"
  bool dataverse = false;
  std::string owner_id;
  bool shared_with_everyone = false;
  std::vector<std::string> shared_with;  // user and group ids
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

class AppsRepository {
 public:
  virtual ~AppsRepository() = default;
  virtual Status InsertApp(const AppRow& a) = 0;
  virtual Status UpdateApp(const AppRow& a) = 0;  // NotFound when absent
  virtual StatusOr<AppRow> GetApp(const std::string& tenant_id, const std::string& id) = 0;
  // Empty environment_id = every app of the tenant; ordered by created_at, id.
  virtual StatusOr<std::vector<AppRow>> ListApps(const std::string& tenant_id, const std::string& environment_id = {}) = 0;
};

}  // namespace gh::store
