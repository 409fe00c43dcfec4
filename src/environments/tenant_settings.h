#pragma once
// Tenant settings: the JSON document behind Power Platform's
// Get-TenantSettings / Set-TenantSettings (reference §7), with its defaults.
// Reads always return the whole document (stored values over defaults, as the
// real service always returns every property). Updates merge a partial
// document (PATCH) or start from the defaults (POST, Set-TenantSettings with a
// whole document); unknown keys and wrong types are refused before anything
// changes. Stored with Transaction::PutDocument(tenant, "tenantSettings", …)
// and audited ("TenantSettings") in the same transaction.
#include <boost/json.hpp>
#include <string>

#include "core/clock.h"
#include "core/random.h"
#include "core/status.h"
#include "directory/directory_service.h"
#include "store/store.h"

namespace gh::environments {

inline constexpr std::string_view kTenantSettingsDocument = "tenantSettings";

// The whole document with every default.
const boost::json::object& DefaultTenantSettings();
// Merges `patch` into `doc`; keys and types must be those of the defaults.
// InvalidArgument (Request_BadRequest) names the offending path.
Status MergeTenantSettings(boost::json::object& doc, const boost::json::object& patch);
// The stored document over the defaults (NotFound document → defaults).
StatusOr<boost::json::object> TenantSettingsIn(store::Transaction& tx, const std::string& tenant_id);
// A boolean at a dotted path ("powerPlatform.powerApps.enableGuestsToMake"); false when absent.
bool SettingFlag(const boost::json::object& doc, std::string_view dotted_path);

class TenantSettingsService {
 public:
  TenantSettingsService(store::Store& store, const Clock& clock, Random& random)
      : store_(store), clock_(clock), random_(random) {}

  StatusOr<boost::json::object> Get(const std::string& tenant_id);
  // `replace`: start from the defaults (POST) instead of the current document (PATCH).
  StatusOr<boost::json::object> Update(const directory::Actor& actor, const std::string& tenant_id,
                                       const boost::json::object& body, bool replace);

 private:
  store::Store& store_;
  const Clock& clock_;
  Random& random_;
};

}  // namespace gh::environments
