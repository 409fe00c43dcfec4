#pragma once
// Apps in environments: create (as the calling user, its owner), share with
// users, groups or everyone, list. Whether the caller may create or share is
// decided by the gate before these are called; this module checks the data
// (the environment exists, principals belong to the tenant) and audits each
// write ("AppManagement") in the same transaction.
#include <string>
#include <vector>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "store/store.h"

namespace gh::environments {

struct App {
  std::string id;
  std::string tenant_id;
  std::string environment_id;
  std::string display_name;
  std::string type = "canvas";  // "canvas" / "modelDriven"
  bool dataverse = false;
  std::string owner_id;
  bool shared_with_everyone = false;
  std::vector<std::string> shared_with;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

struct NewApp {
  std::string display_name;
  std::string type = "canvas";
  bool dataverse = false;
  std::string owner_id;
};

class AppService {
 public:
  AppService(store::Store& store, const Clock& clock, Random& random) : store_(store), clock_(clock), random_(random) {}

  StatusOr<App> Create(const directory::Actor& actor, const std::string& tenant_id, const std::string& env_id,
                       const NewApp& in);
  // Adds principals (user or group ids of the tenant) and/or everyone.
  StatusOr<App> Share(const directory::Actor& actor, const std::string& tenant_id, const std::string& env_id,
                      const std::string& app_id, const std::vector<std::string>& principal_ids, bool everyone);
  StatusOr<App> Get(const std::string& tenant_id, const std::string& env_id, const std::string& app_id);
  StatusOr<std::vector<App>> List(const std::string& tenant_id, const std::string& env_id);

 private:
  store::Store& store_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace gh::environments
