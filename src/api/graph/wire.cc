#include "api/graph/wire.h"

#include <algorithm>

#include "wire/json_reader.h"
#include "core/clock.h"
#include "core/strings.h"

namespace gh::api::graph {
namespace json = boost::json;
namespace {

json::value Opt(const std::optional<std::string>& v) { return v ? json::value(*v) : json::value(nullptr); }

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

StatusOr<directory::UserType> ParseUserType(const std::string& s) {
  if (auto type = directory::ParseUserType(s)) return *type;
  return InvalidArgument("Invalid value for property 'userType': expected 'Member' or 'Guest'.", "Request_BadRequest");
}

}  // namespace

const std::vector<std::string>& UserProperties() {
  static const std::vector<std::string> p = {
      "id", "accountEnabled", "businessPhones", "companyName", "createdDateTime", "creationType", "displayName",
      "externalUserState", "externalUserStateChangeDateTime", "givenName", "identities", "jobTitle", "mail",
      "mailNickname", "mobilePhone", "officeLocation", "otherMails", "preferredLanguage", "surname",
      "usageLocation", "userPrincipalName", "userType",
      // Derived by the licensing module; filled in by the users handler.
      "assignedLicenses", "licenseAssignmentStates"};
  return p;
}

const std::vector<std::string>& UserDefaultProperties() {
  static const std::vector<std::string> p = {"businessPhones", "displayName", "givenName", "jobTitle", "mail",
                                             "mobilePhone", "officeLocation", "preferredLanguage", "surname",
                                             "userPrincipalName", "id"};
  return p;
}

const std::vector<std::string>& GroupProperties() {
  static const std::vector<std::string> p = {"id",           "createdDateTime", "description",
                                             "displayName",  "groupTypes",      "isAssignableToRole",
                                             "mail",         "mailEnabled",     "mailNickname",
                                             "securityEnabled"};
  return p;
}

const http::PropertySet& UserFilterable() {
  using http::PropertyType;
  static const http::PropertySet p = {
      {"id", PropertyType::kGuid},          {"displayName", PropertyType::kString},
      {"mail", PropertyType::kString},      {"userPrincipalName", PropertyType::kString},
      {"userType", PropertyType::kString},  {"externalUserState", PropertyType::kString},
      {"accountEnabled", PropertyType::kBool}, {"givenName", PropertyType::kString},
      {"surname", PropertyType::kString},   {"usageLocation", PropertyType::kString},
      {"companyName", PropertyType::kString}, {"creationType", PropertyType::kString}};
  return p;
}

const http::PropertySet& GroupFilterable() {
  using http::PropertyType;
  static const http::PropertySet p = {{"id", PropertyType::kGuid},
                                      {"displayName", PropertyType::kString},
                                      {"mail", PropertyType::kString},
                                      {"mailNickname", PropertyType::kString},
                                      {"securityEnabled", PropertyType::kBool},
                                      {"mailEnabled", PropertyType::kBool}};
  return p;
}

json::object UserToJson(const directory::User& u, const std::vector<std::string>& select) {
  const auto& props = select.empty() ? UserDefaultProperties() : select;
  json::object o;
  for (const auto& p : props) {
    if (p == "id") o["id"] = u.id;
    else if (p == "accountEnabled") o[p] = u.account_enabled;
    else if (p == "businessPhones") o[p] = json::array();
    else if (p == "companyName") o[p] = Opt(u.company_name);
    else if (p == "createdDateTime") o[p] = FormatIso8601(u.created_at);
    else if (p == "creationType") o[p] = Opt(u.creation_type);
    else if (p == "displayName") o[p] = u.display_name;
    else if (p == "externalUserState") o[p] = Opt(u.external_user_state);
    else if (p == "externalUserStateChangeDateTime")
      o[p] = u.external_user_state_changed_at ? json::value(FormatIso8601(*u.external_user_state_changed_at))
                                              : json::value(nullptr);
    else if (p == "givenName") o[p] = Opt(u.given_name);
    else if (p == "identities") {
      json::array ids;
      for (const auto& i : u.identities)
        ids.push_back(json::object{{"signInType", i.sign_in_type}, {"issuer", i.issuer},
                                   {"issuerAssignedId", i.issuer_assigned_id}});
      o[p] = std::move(ids);
    } else if (p == "jobTitle") o[p] = Opt(u.job_title);
    else if (p == "mail") o[p] = Opt(u.mail);
    else if (p == "mailNickname") o[p] = Opt(u.mail_nickname);
    else if (p == "mobilePhone" || p == "officeLocation") o[p] = nullptr;
    else if (p == "otherMails") o[p] = Strings(u.other_mails);
    else if (p == "preferredLanguage") o[p] = Opt(u.preferred_language);
    else if (p == "surname") o[p] = Opt(u.surname);
    else if (p == "usageLocation") o[p] = Opt(u.usage_location);
    else if (p == "userPrincipalName") o[p] = u.user_principal_name;
    else if (p == "userType") o[p] = std::string(directory::UserTypeName(u.user_type));
  }
  return o;
}

json::object GroupToJson(const directory::Group& g, const std::vector<std::string>& select) {
  const auto& props = select.empty() ? GroupProperties() : select;
  json::object o;
  for (const auto& p : props) {
    if (p == "id") o[p] = g.id;
    else if (p == "createdDateTime") o[p] = FormatIso8601(g.created_at);
    else if (p == "description") o[p] = Opt(g.description);
    else if (p == "displayName") o[p] = g.display_name;
    else if (p == "groupTypes") o[p] = Strings(g.group_types);
    else if (p == "mail") o[p] = Opt(g.mail);
    else if (p == "mailEnabled") o[p] = g.mail_enabled;
    else if (p == "mailNickname") o[p] = g.mail_nickname;
    else if (p == "securityEnabled") o[p] = g.security_enabled;
    else if (p == "isAssignableToRole") o[p] = g.is_assignable_to_role;
  }
  return o;
}

json::object RoleAssignmentToJson(const directory::RoleAssignment& a) {
  return {{"id", a.id},
          {"principalId", a.principal_id},
          {"roleDefinitionId", a.role_definition_id},
          {"directoryScopeId", a.directory_scope_id},
          {"createdDateTime", FormatIso8601(a.created_at)}};
}

json::object DirectoryRoleToJson(const directory::RoleTemplate& r) {
  return {{"id", r.id}, {"displayName", r.display_name}, {"description", r.description}, {"roleTemplateId", r.id}};
}

json::object RoleDefinitionToJson(const directory::RoleTemplate& r) {
  return {{"id", r.id},          {"displayName", r.display_name}, {"description", r.description},
          {"isBuiltIn", true},   {"isEnabled", true},             {"templateId", r.id},
          {"isPrivileged", r.privileged}};
}

json::object AuditEntryToJson(const directory::AuditEntry& e) {
  json::object initiated;
  if (e.actor_type == "user")
    initiated["user"] = json::object{{"id", e.actor_id}, {"userPrincipalName", e.actor_name}};
  else if (e.actor_type == "app")
    initiated["app"] = json::object{{"servicePrincipalId", e.actor_id}, {"displayName", e.actor_name}};
  else
    initiated["app"] = json::object{{"displayName", e.actor_name}};
  json::value details;
  boost::system::error_code ec;
  details = json::parse(e.details_json.empty() ? "{}" : e.details_json, ec);
  if (ec) details = json::object();
  json::array modified;
  if (details.is_object())
    if (auto* m = details.as_object().if_contains("modifiedProperties"); m && m->is_array()) modified = m->as_array();
  json::object target{{"id", e.target_id}, {"displayName", e.target_name}, {"type", e.target_type},
                      {"modifiedProperties", modified}};
  return {{"id", e.id},
          {"category", e.category},
          {"activityDisplayName", e.activity},
          {"activityDateTime", FormatIso8601(e.time)},
          {"loggedByService", "Core Directory"},
          {"operationType", e.activity.starts_with("Add") ? "Add" : e.activity.starts_with("Delete") ? "Delete" : "Update"},
          {"result", e.result},
          {"resultReason", e.result_reason},
          {"initiatedBy", initiated},
          {"targetResources", json::array{target}},
          {"additionalDetails", details}};
}

StatusOr<directory::NewUser> ParseNewUser(const json::object& body) {
  wire::FieldReader r(body, "microsoft.graph.user");
  r.ReadOnly({"id", "createdDateTime", "creationType", "externalUserState", "externalUserStateChangeDateTime",
              "identities"});
  r.Ignore({"@odata.type", "businessPhones", "mobilePhone", "officeLocation"});
  directory::NewUser u;
  auto enabled = r.Bool("accountEnabled");
  auto display = r.String("displayName");
  auto nick = r.String("mailNickname");
  auto upn = r.String("userPrincipalName");
  const json::object* pw = r.Object("passwordProfile");
  u.mail = r.String("mail");
  u.given_name = r.String("givenName");
  u.surname = r.String("surname");
  u.job_title = r.String("jobTitle");
  u.company_name = r.String("companyName");
  u.usage_location = r.String("usageLocation");
  u.preferred_language = r.String("preferredLanguage");
  auto other = r.StringArray("otherMails");
  auto type = r.String("userType");
  GH_RETURN_IF_ERROR(r.Finish());
  for (auto [name, present] : {std::pair{"accountEnabled", enabled.has_value()}, {"displayName", display.has_value()},
                               {"mailNickname", nick.has_value()}, {"userPrincipalName", upn.has_value()},
                               {"passwordProfile", pw != nullptr}})
    if (!present)
      return InvalidArgument(std::string("Property '") + name + "' is required when creating the entity.",
                             "Request_BadRequest");
  wire::FieldReader pr(*pw, "microsoft.graph.passwordProfile");
  auto password = pr.String("password");
  pr.Bool("forceChangePasswordNextSignIn");
  pr.Bool("forceChangePasswordNextSignInWithMfa");
  GH_RETURN_IF_ERROR(pr.Finish());
  if (!password) return InvalidArgument("Property 'passwordProfile.password' is required.", "Request_BadRequest");
  u.account_enabled = *enabled;
  u.display_name = *display;
  u.mail_nickname = *nick;
  u.user_principal_name = *upn;
  u.password = *password;
  if (other) u.other_mails = *other;
  if (type) {
      GH_ASSIGN_OR_RETURN(u.user_type, ParseUserType(*type));
    }
  return u;
}

StatusOr<directory::UserPatch> ParseUserPatch(const json::object& body) {
  wire::FieldReader r(body, "microsoft.graph.user");
  r.ReadOnly({"id", "createdDateTime", "creationType", "externalUserState", "externalUserStateChangeDateTime",
              "identities"});
  r.Ignore({"@odata.type"});
  directory::UserPatch p;
  p.display_name = r.String("displayName");
  p.user_principal_name = r.String("userPrincipalName");
  p.mail_nickname = r.String("mailNickname");
  p.account_enabled = r.Bool("accountEnabled");
  p.mail = r.NullableString("mail");
  p.given_name = r.NullableString("givenName");
  p.surname = r.NullableString("surname");
  p.job_title = r.NullableString("jobTitle");
  p.company_name = r.NullableString("companyName");
  p.usage_location = r.NullableString("usageLocation");
  p.preferred_language = r.NullableString("preferredLanguage");
  p.other_mails = r.StringArray("otherMails");
  auto type = r.String("userType");
  if (const json::object* pw = r.Object("passwordProfile")) {
    wire::FieldReader pr(*pw, "microsoft.graph.passwordProfile");
    p.password = pr.String("password");
    pr.Bool("forceChangePasswordNextSignIn");
    pr.Bool("forceChangePasswordNextSignInWithMfa");
    GH_RETURN_IF_ERROR(pr.Finish());
  }
  GH_RETURN_IF_ERROR(r.Finish());
  if (type) {
      GH_ASSIGN_OR_RETURN(p.user_type, ParseUserType(*type));
    }
  return p;
}

StatusOr<directory::NewGroup> ParseNewGroup(const json::object& body) {
  wire::FieldReader r(body, "microsoft.graph.group");
  r.ReadOnly({"id", "createdDateTime", "mail"});
  r.Ignore({"@odata.type", "visibility"});
  directory::NewGroup g;
  auto display = r.String("displayName");
  auto nick = r.String("mailNickname");
  auto mail_enabled = r.Bool("mailEnabled");
  auto security_enabled = r.Bool("securityEnabled");
  g.description = r.String("description");
  auto types = r.StringArray("groupTypes");
  g.is_assignable_to_role = r.Bool("isAssignableToRole").value_or(false);
  GH_RETURN_IF_ERROR(r.Finish());
  for (auto [name, present] : {std::pair{"displayName", display.has_value()}, {"mailNickname", nick.has_value()},
                               {"mailEnabled", mail_enabled.has_value()},
                               {"securityEnabled", security_enabled.has_value()}})
    if (!present)
      return InvalidArgument(std::string("Property '") + name + "' is required when creating the entity.",
                             "Request_BadRequest");
  g.display_name = *display;
  g.mail_nickname = *nick;
  g.mail_enabled = *mail_enabled;
  g.security_enabled = *security_enabled;
  if (types) g.group_types = *types;
  return g;
}

StatusOr<directory::GroupPatch> ParseGroupPatch(const json::object& body) {
  wire::FieldReader r(body, "microsoft.graph.group");
  r.ReadOnly({"id", "createdDateTime", "mail", "groupTypes", "isAssignableToRole"});
  r.Ignore({"@odata.type"});
  directory::GroupPatch p;
  p.display_name = r.String("displayName");
  p.mail_nickname = r.String("mailNickname");
  p.description = r.NullableString("description");
  p.security_enabled = r.Bool("securityEnabled");
  p.mail_enabled = r.Bool("mailEnabled");
  GH_RETURN_IF_ERROR(r.Finish());
  return p;
}

StatusOr<std::string> ParseReference(const json::object& body) {
  wire::FieldReader r(body, "microsoft.graph.directoryObject");
  auto ref = r.String("@odata.id");
  GH_RETURN_IF_ERROR(r.Finish());
  if (!ref) return InvalidArgument("Property '@odata.id' is required.", "Request_BadRequest");
  auto slash = ref->find_last_of('/');
  std::string id = ToLower(slash == std::string::npos ? *ref : ref->substr(slash + 1));
  if (!IsUuid(id))
    return InvalidArgument("Invalid object identifier '" + id + "' in '@odata.id'.", "Request_BadRequest");
  return id;
}

}  // namespace gh::api::graph
