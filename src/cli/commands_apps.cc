// App permission commands, beside `app add|list|remove` (commands_directory.cc):
// what an app may ask for and what it was given.
//   app permissions APP                       its declared permissions, application permissions and consent
//   app declare APP PERMISSION… [--role]      add to its requiredResourceAccess (delegated, or application)
//   app grant APP PERMISSION…                 grant application permissions (appRoleAssignments)
//   app revoke APP PERMISSION…                take them back
//   app consent APP SCOPE… [--user USER]      consent to delegated scopes for everyone (or one user)
// APP is an application's object id, appId or display name. All through Graph:
// /applications, /servicePrincipals/{id}/appRoleAssignments, /oauth2PermissionGrants.
#include <algorithm>
#include <cctype>

#include "cli/commands_internal.h"

namespace gh::cli::internal {
namespace json = boost::json;

namespace {

constexpr const char* kGraphAppId = "00000003-0000-0000-c000-000000000000";

// Ids compare case-insensitively (GUIDs come in either case).
bool SameId(const std::string& a, const std::string& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

struct AppOptions {
  std::string app, user;
  std::vector<std::string> permissions;
  bool role = false;
};

// The application given by object id, appId or display name (exactly one).
StatusOr<json::object> ResolveApp(ApiClient& api, const std::string& ref) {
  GH_ASSIGN_OR_RETURN(auto apps, api.List("/v1.0/applications", true));
  std::vector<json::object> named;
  for (const auto& a : apps) {
    const auto& o = a.as_object();
    if (SameId(Str(a, "id"), ref) || SameId(Str(a, "appId"), ref)) return o;
    if (Str(a, "displayName") == ref) named.push_back(o);
  }
  if (named.size() == 1) return named.front();
  if (named.size() > 1) return InvalidArgument("several apps are named '" + ref + "': give its appId");
  return NotFound("no app registration '" + ref + "' (give its id, appId or display name)");
}

// Graph's service principal in the tenant: its id and its permissions.
StatusOr<json::object> GraphServicePrincipal(ApiClient& api) {
  GH_ASSIGN_OR_RETURN(auto sps, api.List("/v1.0/servicePrincipals?$filter=" +
                                             Escape(std::string("appId eq '") + kGraphAppId + "'"),
                                         false));
  if (sps.empty()) return NotFound("the server has no Microsoft Graph service principal");
  return sps.front().as_object();
}

// The id of `name` among Graph's appRoles ("Role") or oauth2PermissionScopes ("Scope").
StatusOr<std::string> PermissionId(const json::object& graph, const std::string& name, bool role) {
  const char* list = role ? "appRoles" : "oauth2PermissionScopes";
  std::string known;
  for (const auto& p : graph.at(list).as_array()) {
    if (Str(p, "value") == name) return Str(p, "id");
    known += (known.empty() ? "" : ", ") + Str(p, "value");
  }
  return NotFound("Microsoft Graph has no " + std::string(role ? "application permission" : "delegated permission") +
                  " '" + name + "' (it has: " + known + ")");
}

std::string NameOf(const json::object& graph, const std::string& id) {
  for (const char* list : {"appRoles", "oauth2PermissionScopes"})
    for (const auto& p : graph.at(list).as_array())
      if (Str(p, "id") == id) return Str(p, "value");
  return id;
}

}  // namespace

void RegisterAppCommands(Registrar& r, CLI::App& app) {
  CommonFlags& f = r.flags;
  auto o = std::make_shared<AppOptions>();
  // The `app` group RegisterDirectoryCommands made.
  CLI::App* apps = app.get_subcommand("app");

  CLI::App* show = r.Command(apps, "permissions", "Show what an app declares, was granted and was consented to", true,
                             [&f, o]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto a, ResolveApp(*c.api, o->app));
    GH_ASSIGN_OR_RETURN(auto graph, GraphServicePrincipal(*c.api));
    json::array rows;
    for (const auto& rra : a.at("requiredResourceAccess").as_array())
      for (const auto& ra : rra.at("resourceAccess").as_array())
        rows.push_back(json::object{{"kind", Str(ra, "type") == "Role" ? "declared application" : "declared delegated"},
                                    {"permission", NameOf(graph, Str(ra, "id"))},
                                    {"who", ""}});
    GH_ASSIGN_OR_RETURN(auto granted,
                        c.api->List("/v1.0/servicePrincipals/" + Escape(Str(a, "id")) + "/appRoleAssignments", true));
    for (const auto& g : granted)
      rows.push_back(json::object{{"kind", "granted application"},
                                  {"permission", NameOf(graph, Str(g, "appRoleId"))},
                                  {"who", "the app itself"}});
    GH_ASSIGN_OR_RETURN(auto consents, c.api->List("/v1.0/oauth2PermissionGrants?$filter=" +
                                                       Escape("clientId eq '" + Str(a, "id") + "'"),
                                                   true));
    for (const auto& g : consents)
      rows.push_back(json::object{{"kind", "consented delegated"},
                                  {"permission", Str(g, "scope")},
                                  {"who", Str(g, "consentType") == "AllPrincipals" ? "everyone"
                                                                                   : "user " + Str(g, "principalId")}});
    Out(FormatRows(rows, {{"kind", "kind"}, {"permission", "permission"}, {"who", "who"}}, format));
    return OkStatus();
  });
  show->add_option("app", o->app, "Application (id, appId or display name)")->required();

  CLI::App* declare = r.Command(apps, "declare", "Declare permissions the app may ask for (requiredResourceAccess)",
                                false, [&f, o]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto a, ResolveApp(*c.api, o->app));
    GH_ASSIGN_OR_RETURN(auto graph, GraphServicePrincipal(*c.api));
    json::array all = a.at("requiredResourceAccess").as_array();
    json::object* entry = nullptr;
    for (auto& rra : all)
      if (SameId(Str(rra, "resourceAppId"), kGraphAppId)) entry = &rra.as_object();
    if (entry == nullptr) {
      all.push_back(json::object{{"resourceAppId", kGraphAppId}, {"resourceAccess", json::array{}}});
      entry = &all.back().as_object();
    }
    for (const auto& name : o->permissions) {
      GH_ASSIGN_OR_RETURN(auto id, PermissionId(graph, name, o->role));
      json::object access{{"id", id}, {"type", o->role ? "Role" : "Scope"}};
      auto& list = (*entry)["resourceAccess"].as_array();
      if (std::find(list.begin(), list.end(), json::value(access)) == list.end()) list.push_back(access);
    }
    GH_RETURN_IF_ERROR(
        c.api->Patch("/v1.0/applications/" + Escape(Str(a, "id")), json::object{{"requiredResourceAccess", all}})
            .status());
    Err("Declared for " + Str(a, "displayName") + ". Nothing is granted yet: users consent to delegated "
        "permissions, `gatehouse apps grant` grants application permissions.");
    return OkStatus();
  });
  declare->add_option("app", o->app, "Application (id, appId or display name)")->required();
  declare->add_option("permissions", o->permissions, "Graph permission names, e.g. User.Read")->required();
  declare->add_flag("--role", o->role, "Application permissions (app-only) instead of delegated scopes");

  CLI::App* grant = r.Command(apps, "grant", "Grant the app application permissions (admin)", false, [&f, o]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto a, ResolveApp(*c.api, o->app));
    GH_ASSIGN_OR_RETURN(auto graph, GraphServicePrincipal(*c.api));
    for (const auto& name : o->permissions) {
      GH_ASSIGN_OR_RETURN(auto role_id, PermissionId(graph, name, true));
      GH_RETURN_IF_ERROR(c.api->Post("/v1.0/servicePrincipals/" + Escape(Str(a, "id")) + "/appRoleAssignments",
                                     json::object{{"principalId", Str(a, "id")},
                                                  {"resourceId", Str(graph, "id")},
                                                  {"appRoleId", role_id}})
                             .status());
      Err("Granted " + name + " to " + Str(a, "displayName") + " (its next token carries it)");
    }
    return OkStatus();
  });
  grant->add_option("app", o->app, "Application (id, appId or display name)")->required();
  grant->add_option("permissions", o->permissions, "Application permission names, e.g. User.Read.All")->required();

  CLI::App* revoke = r.Command(apps, "revoke", "Take application permissions back from the app (admin)", false,
                               [&f, o]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto a, ResolveApp(*c.api, o->app));
    GH_ASSIGN_OR_RETURN(auto graph, GraphServicePrincipal(*c.api));
    const std::string base = "/v1.0/servicePrincipals/" + Escape(Str(a, "id")) + "/appRoleAssignments";
    GH_ASSIGN_OR_RETURN(auto granted, c.api->List(base, true));
    for (const auto& name : o->permissions) {
      GH_ASSIGN_OR_RETURN(auto role_id, PermissionId(graph, name, true));
      std::string assignment;
      for (const auto& g : granted)
        if (SameId(Str(g, "appRoleId"), role_id)) assignment = Str(g, "id");
      if (assignment.empty()) return NotFound(Str(a, "displayName") + " doesn't have " + name);
      GH_RETURN_IF_ERROR(c.api->Delete(base + "/" + Escape(assignment)).status());
      Err("Revoked " + name + " from " + Str(a, "displayName") + " (tokens already issued keep it until they expire)");
    }
    return OkStatus();
  });
  revoke->add_option("app", o->app, "Application (id, appId or display name)")->required();
  revoke->add_option("permissions", o->permissions, "Application permission names")->required();

  CLI::App* consent = r.Command(apps, "consent", "Consent to delegated scopes for everyone, or one user (admin)", false,
                                [&f, o]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto a, ResolveApp(*c.api, o->app));
    GH_ASSIGN_OR_RETURN(auto graph, GraphServicePrincipal(*c.api));
    std::string principal;
    if (!o->user.empty()) {
      GH_ASSIGN_OR_RETURN(principal, ResolveUserId(*c.api, o->user));
    }
    const std::string type = principal.empty() ? "AllPrincipals" : "Principal";
    GH_ASSIGN_OR_RETURN(auto grants, c.api->List("/v1.0/oauth2PermissionGrants?$filter=" +
                                                     Escape("clientId eq '" + Str(a, "id") + "'"),
                                                 true));
    for (const auto& g : grants) {
      if (Str(g, "consentType") != type || (!principal.empty() && !SameId(Str(g, "principalId"), principal)))
        continue;
      std::string scope = Str(g, "scope");
      for (const auto& s : o->permissions)
        if ((" " + scope + " ").find(" " + s + " ") == std::string::npos) scope += (scope.empty() ? "" : " ") + s;
      GH_RETURN_IF_ERROR(c.api->Patch("/v1.0/oauth2PermissionGrants/" + Escape(Str(g, "id")),
                                      json::object{{"scope", scope}})
                             .status());
      Err("Consent for " + Str(a, "displayName") + " is now: " + scope);
      return OkStatus();
    }
    std::string scope;
    for (const auto& s : o->permissions) scope += (scope.empty() ? "" : " ") + s;
    json::object body{{"clientId", Str(a, "id")}, {"consentType", type}, {"resourceId", Str(graph, "id")},
                      {"scope", scope}};
    body["principalId"] = principal.empty() ? json::value(nullptr) : json::value(principal);
    GH_RETURN_IF_ERROR(c.api->Post("/v1.0/oauth2PermissionGrants", body).status());
    Err("Consented to " + scope + " for " + Str(a, "displayName") + (principal.empty() ? " for everyone" : " for " + o->user));
    return OkStatus();
  });
  consent->add_option("app", o->app, "Application (id, appId or display name)")->required();
  consent->add_option("scopes", o->permissions, "Delegated scopes, e.g. openid User.Read")->required();
  consent->add_option("--user", o->user, "Only for this user (id, UPN or mail); default: everyone");
}

}  // namespace gh::cli::internal
