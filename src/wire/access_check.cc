#include "wire/access_check.h"

#include "wire/json_reader.h"

namespace gh::wire {
namespace json = boost::json;

namespace {

json::value OrNull(const std::string& s) { return s.empty() ? json::value(nullptr) : json::value(s); }

}  // namespace

json::object ToJson(const AccessCheckItem& c) {
  json::object o{{"id", c.id}, {"passed", c.passed}, {"sentence", c.sentence}};
  if (c.remedy)
    o["remedy"] = json::object{{"what", c.remedy->what}, {"api", c.remedy->api}, {"cli", c.remedy->cli}};
  else
    o["remedy"] = nullptr;
  return o;
}

json::object ToJson(const AccessCheck& a) {
  json::array checks, failed;
  for (const auto& c : a.checks) {
    checks.push_back(ToJson(c));
    if (!c.passed) failed.emplace_back(c.id);
  }
  json::object user{{"id", a.user.id}};
  if (!a.user.user_principal_name.empty()) {
    user["userPrincipalName"] = a.user.user_principal_name;
    user["displayName"] = a.user.display_name;
    user["userType"] = a.user.user_type;
  }
  return {{"allowed", a.allowed},
          {"action", a.action},
          {"tenantId", a.tenant_id},
          {"user", std::move(user)},
          {"environmentId", OrNull(a.environment_id)},
          {"appId", OrNull(a.app_id)},
          {"clientId", OrNull(a.client_id)},
          {"failedChecks", std::move(failed)},
          {"checks", std::move(checks)},
          {"adminContact", a.admin_contact},
          {"snapshotVersion", a.snapshot_version}};
}

namespace {

// A property the shape requires: its value, or an error naming it.
template <class T>
StatusOr<T> Required(std::optional<T> v, std::string_view where, std::string_view key) {
  if (!v) return InvalidArgument(std::string(where) + ": property '" + std::string(key) + "' is missing.");
  return std::move(*v);
}

StatusOr<AccessCheckItem> ItemFromJson(const json::value& v) {
  if (!v.is_object()) return InvalidArgument("accessCheck.checks: an object was expected.");
  FieldReader r(v.as_object(), "accessCheck.check");
  AccessCheckItem item;
  GH_ASSIGN_OR_RETURN(item.id, Required(r.String("id"), "accessCheck.check", "id"));
  GH_ASSIGN_OR_RETURN(item.passed, Required(r.Bool("passed"), "accessCheck.check", "passed"));
  GH_ASSIGN_OR_RETURN(item.sentence, Required(r.String("sentence"), "accessCheck.check", "sentence"));
  const json::value* remedy_value = v.as_object().if_contains("remedy");
  if (remedy_value && remedy_value->is_null()) {
    r.Ignore({"remedy"});  // a passed check has none
  } else if (const json::object* remedy = r.Object("remedy")) {
    FieldReader m(*remedy, "accessCheck.remedy");
    item.remedy = Remedy{m.String("what").value_or(""), m.String("api").value_or(""), m.String("cli").value_or("")};
    GH_RETURN_IF_ERROR(m.FinishAllowingUnknown());
  }
  GH_RETURN_IF_ERROR(r.FinishAllowingUnknown());
  return item;
}

}  // namespace

StatusOr<AccessCheck> AccessCheckFromJson(const json::value& v) {
  if (!v.is_object()) return InvalidArgument("accessCheck: an object was expected.");
  FieldReader r(v.as_object(), "accessCheck");
  AccessCheck a;
  GH_ASSIGN_OR_RETURN(a.allowed, Required(r.Bool("allowed"), "accessCheck", "allowed"));
  GH_ASSIGN_OR_RETURN(a.action, Required(r.String("action"), "accessCheck", "action"));
  a.tenant_id = r.String("tenantId").value_or("");
  if (const json::object* user = r.Object("user")) {
    FieldReader u(*user, "accessCheck.user");
    a.user = {u.String("id").value_or(""), u.String("userPrincipalName").value_or(""),
              u.String("displayName").value_or(""), u.String("userType").value_or("")};
    GH_RETURN_IF_ERROR(u.FinishAllowingUnknown());
  }
  a.environment_id = r.NullableString("environmentId").value_or(std::nullopt).value_or("");
  a.app_id = r.NullableString("appId").value_or(std::nullopt).value_or("");
  a.client_id = r.NullableString("clientId").value_or(std::nullopt).value_or("");
  const json::value* checks = v.as_object().if_contains("checks");
  r.Ignore({"checks", "failedChecks"});
  if (!checks || !checks->is_array()) return InvalidArgument("accessCheck: property 'checks' (an array) is missing.");
  for (const json::value& c : checks->as_array()) {
    GH_ASSIGN_OR_RETURN(auto item, ItemFromJson(c));
    a.checks.push_back(std::move(item));
  }
  a.admin_contact = r.String("adminContact").value_or("");
  a.snapshot_version = r.Int("snapshotVersion").value_or(0);
  GH_RETURN_IF_ERROR(r.FinishAllowingUnknown());
  return a;
}

}  // namespace gh::wire
