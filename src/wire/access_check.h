#pragma once
// The answer of POST /api/v1/access/check, defined once: the server writes it
// (api/admin/gate_wire.cc, from the gate's decision) and the CLI's `why`
// reads it, so neither guesses at the other's field names.
//
//   {"allowed": bool, "action": "environment.access", "tenantId": "…",
//    "user": {"id", "userPrincipalName", "displayName", "userType"},
//    "environmentId"|"appId"|"clientId": "…" or null,
//    "failedChecks": ["id", …],
//    "checks": [{"id", "passed", "sentence",
//                "remedy": {"what", "api", "cli"} or null (when passed)}],
//    "adminContact": "…", "snapshotVersion": n}
#include <boost/json.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"

namespace gh::wire {

struct Remedy {
  std::string what;  // a sentence for people
  std::string api;   // the API call that does it
  std::string cli;   // the gatehouse command that does it
};

struct AccessCheckItem {
  std::string id;  // stable, e.g. "license.environmentAccess"
  bool passed = false;
  std::string sentence;
  std::optional<Remedy> remedy;  // only on a failed check
};

struct AccessCheckUser {
  std::string id;
  std::string user_principal_name;  // empty when the user isn't in the tenant
  std::string display_name;
  std::string user_type;  // "Member" / "Guest"
};

struct AccessCheck {
  bool allowed = false;
  std::string action;
  std::string tenant_id;
  AccessCheckUser user;
  std::string environment_id;  // "" = null
  std::string app_id;
  std::string client_id;
  std::vector<AccessCheckItem> checks;
  std::string admin_contact;
  int64_t snapshot_version = 0;
};

boost::json::object ToJson(const AccessCheckItem& c);
boost::json::object ToJson(const AccessCheck& a);
// InvalidArgument when `v` is not this shape (a missing or mistyped field).
StatusOr<AccessCheck> AccessCheckFromJson(const boost::json::value& v);

}  // namespace gh::wire
