// Admin commands: environments, the role access review, tenant settings, and
// `why` (the access troubleshooter).
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/access_check.h"
#include "cli/commands_internal.h"
#include "cli/settings_patch.h"
#include "core/strings.h"
#include "http/message.h"

namespace gh::cli::internal {
namespace json = boost::json;

namespace {

struct EnvOptions {
  std::string env, name, type = "Production", security_group, user, role, state, app;
  bool dataverse = false;
};

struct ReviewOptions {
  std::string env, role;
  bool guests = false, remove = false;
};

struct SettingsOptions {
  std::vector<std::string> assignments;
  std::string file;
};

struct WhyOptions {
  std::string user, env, action = "environment.access";
};

// The role's id in the environment, by name (case-insensitive) or id.
StatusOr<std::string> ResolveRoleId(ApiClient& api, const std::string& env_id, const std::string& ref) {
  GH_ASSIGN_OR_RETURN(auto roles, api.List("/api/v1/environments/" + Escape(env_id) + "/securityRoles", true));
  std::string names;
  for (const auto& r : roles) {
    if (http::EqualsIgnoreCase(Str(r, "name"), ref) || http::EqualsIgnoreCase(Str(r, "id"), ref)) return Str(r, "id");
    names += (names.empty() ? "" : ", ") + Str(r, "name");
  }
  return NotFound("the environment has no security role '" + ref + "' (it has: " + names + ")");
}

bool Confirm(const std::string& question) {
  std::cerr << question << " [y/N] " << std::flush;
  std::string answer;
  if (!std::getline(std::cin, answer)) return false;
  return answer == "y" || answer == "Y" || answer == "yes";
}

}  // namespace

void RegisterAdminCommands(Registrar& r, CLI::App& app) {
  CommonFlags& f = r.flags;

  // ---- environments
  auto e = std::make_shared<EnvOptions>();
  CLI::App* env = Registrar::Group(&app, "env", "Environments, their users and security roles");
  const std::vector<Column> env_columns{{"id", "id"},     {"displayName", "displayName"}, {"uniqueName", "uniqueName"},
                                        {"type", "type"}, {"state", "state"},             {"dataverse", "dataverse"},
                                        {"securityGroupId", "securityGroupId"},           {"url", "url"}};
  r.Command(env, "list", "List environments", true, [&f, env_columns]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List("/api/v1/environments", true));
    Out(FormatRows(rows, env_columns, format));
    return OkStatus();
  });
  CLI::App* create = r.Command(env, "create", "Create an environment", true, [&f, e, env_columns]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    json::object body{{"displayName", e->name}, {"type", e->type}, {"dataverse", e->dataverse}};
    if (!e->security_group.empty()) {
      GH_ASSIGN_OR_RETURN(auto gid, ResolveGroupId(*c.api, e->security_group));
      body["securityGroupId"] = gid;
    }
    GH_ASSIGN_OR_RETURN(auto created, c.api->Post("/api/v1/environments", body));
    if (!created.is_object()) return Internal("error InvalidResponse: not an environment");
    PrintObject(created.as_object(), env_columns, format);
    return OkStatus();
  });
  create->add_option("name", e->name, "Display name")->required();
  create->add_option("--type", e->type, "Production, Sandbox, Developer or Trial")->capture_default_str();
  create->add_flag("--dataverse", e->dataverse, "With a Dataverse database (its security roles)");
  create->add_option("--security-group", e->security_group, "Only members of this group (id or name) may enter");

  CLI::App* env_users = r.Command(env, "users", "The environment's user records", true, [&f, e]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto target, ResolveEnvironment(*c.api, e->env));
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List("/api/v1/environments/" + Escape(Str(target, "id")) + "/users", true));
    Out(FormatRows(rows, {{"userId", "userId"}, {"enabled", "enabled"}, {"addedBy", "addedBy"},
                          {"createdDateTime", "createdDateTime"}, {"lastModifiedDateTime", "lastModifiedDateTime"}},
                   format));
    return OkStatus();
  });
  env_users->add_option("env", e->env, "Environment id, uniqueName or name")->required();

  CLI::App* add_user = r.Command(env, "add-user", "Add a user to an environment", false, [&f, e]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto target, ResolveEnvironment(*c.api, e->env));
    GH_ASSIGN_OR_RETURN(auto user_id, ResolveUserId(*c.api, e->user));
    GH_RETURN_IF_ERROR(c.api->Post("/api/v1/environments/" + Escape(Str(target, "id")) + "/users",
                                   json::object{{"userId", user_id}})
                           .status());
    Err("Added " + e->user + " to " + Str(target, "displayName"));
    return OkStatus();
  });
  add_user->add_option("env", e->env, "Environment id, uniqueName or name")->required();
  add_user->add_option("user", e->user, "User id, userPrincipalName or mail")->required();

  CLI::App* assign = r.Command(env, "assign-role", "Give a user or group a security role", false, [&f, e]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto target, ResolveEnvironment(*c.api, e->env));
    std::string env_id = Str(target, "id");
    GH_ASSIGN_OR_RETURN(auto role_id, ResolveRoleId(*c.api, env_id, e->role));
    GH_ASSIGN_OR_RETURN(auto principal, ResolvePrincipalId(*c.api, e->user));
    GH_ASSIGN_OR_RETURN(auto a, c.api->Post("/api/v1/environments/" + Escape(env_id) + "/roleAssignments",
                                            json::object{{"principalId", principal}, {"roleId", role_id}}));
    Err("Assigned " + e->role + " in " + Str(target, "displayName") + " to " + e->user + " (assignment " +
        Str(a, "id") + ")");
    return OkStatus();
  });
  assign->add_option("env", e->env, "Environment id, uniqueName or name")->required();
  assign->add_option("user", e->user, "User (id, UPN or mail) or group (id or name)")->required();
  assign->add_option("role", e->role, "Security role name, e.g. \"Environment Maker\"")->required();

  CLI::App* update = r.Command(env, "update", "Rename an environment, enable or disable it, change its group", false,
                               [&f, e]() -> Status {
    json::object patch;
    if (!e->name.empty()) patch["displayName"] = e->name;
    if (!e->state.empty()) patch["state"] = e->state;
    if (patch.empty() && e->security_group.empty())
      return UsageError("nothing to change: give --name, --state or --security-group");
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto target, ResolveEnvironment(*c.api, e->env));
    if (e->security_group == "none") {
      patch["securityGroupId"] = nullptr;
    } else if (!e->security_group.empty()) {
      GH_ASSIGN_OR_RETURN(auto gid, ResolveGroupId(*c.api, e->security_group));
      patch["securityGroupId"] = gid;
    }
    GH_RETURN_IF_ERROR(c.api->Patch("/api/v1/environments/" + Escape(Str(target, "id")), patch).status());
    Err("Updated " + Str(target, "displayName") + ": " + json::serialize(patch));
    return OkStatus();
  });
  update->add_option("env", e->env, "Environment id, uniqueName or name")->required();
  update->add_option("--name", e->name, "New display name");
  update->add_option("--state", e->state, "enabled, disabled or adminMode")
      ->check(CLI::IsMember({"enabled", "disabled", "adminMode"}));
  update->add_option("--security-group", e->security_group, "Only members of this group (id or name); none: anyone");

  const std::vector<Column> app_columns{{"id", "id"},     {"displayName", "displayName"},
                                        {"type", "type"}, {"ownerId", "ownerId"},
                                        {"sharedWithEveryone", "sharedWithEveryone"}};
  CLI::App* env_apps = r.Command(env, "apps", "The environment's apps", true, [&f, e, app_columns]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto target, ResolveEnvironment(*c.api, e->env));
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List("/api/v1/environments/" + Escape(Str(target, "id")) + "/apps", true));
    Out(FormatRows(rows, app_columns, format));
    return OkStatus();
  });
  env_apps->add_option("env", e->env, "Environment id, uniqueName or name")->required();

  CLI::App* share = r.Command(env, "share-app", "Share an app with a user or group", false, [&f, e]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto target, ResolveEnvironment(*c.api, e->env));
    const std::string base = "/api/v1/environments/" + Escape(Str(target, "id")) + "/apps";
    GH_ASSIGN_OR_RETURN(auto apps, c.api->List(base, true));
    std::vector<std::string> hits;
    for (const auto& a : apps)
      if (http::EqualsIgnoreCase(Str(a, "id"), e->app) || http::EqualsIgnoreCase(Str(a, "displayName"), e->app))
        hits.push_back(Str(a, "id"));
    if (hits.empty()) return NotFound("no app '" + e->app + "' in " + Str(target, "displayName"));
    if (hits.size() > 1) return FailedPrecondition("several apps are named '" + e->app + "': give the id");
    const std::string& app_id = hits.front();
    GH_ASSIGN_OR_RETURN(auto principal, ResolvePrincipalId(*c.api, e->user));
    GH_RETURN_IF_ERROR(
        c.api->Post(base + "/" + Escape(app_id) + "/share", json::object{{"principalIds", json::array{principal}}})
            .status());
    Err("Shared " + e->app + " with " + e->user);
    return OkStatus();
  });
  share->add_option("env", e->env, "Environment id, uniqueName or name")->required();
  share->add_option("app", e->app, "App id or name")->required();
  share->add_option("user", e->user, "User (id, UPN or mail) or group (id or name)")->required();

  // ---- the access review
  auto rv = std::make_shared<ReviewOptions>();
  CLI::App* roles = Registrar::Group(&app, "roles", "Access reviews of environment security roles");
  CLI::App* review = r.Command(roles, "review", "Who holds a role, directly or through a group; --remove revokes",
                               true, [&f, rv]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    if (rv->remove && !f.yes && !StdinIsTerminal())
      return UsageError("--remove asks for confirmation: pass --yes when stdin is not a terminal");
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto target, ResolveEnvironment(*c.api, rv->env));
    std::string base = "/api/v1/environments/" + Escape(Str(target, "id")) + "/roleAssignments";
    std::string query = "?role=" + Escape(rv->role) + (rv->guests ? "&userType=Guest" : "");
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List(base + query, true));
    for (auto& row : rows)
      if (row.is_object())
        row.as_object()["how"] = Str(row, "assignedVia") == "group" ? "group " + Str(row, "groupDisplayName") : "direct";
    Out(FormatRows(rows, {{"userPrincipalName", "userPrincipalName"}, {"displayName", "displayName"},
                          {"userType", "userType"}, {"role", "roleName"}, {"how", "how"},
                          {"since", "assignedDateTime"}, {"id", "id"}},
                   format));
    if (!rv->remove) return OkStatus();
    if (rows.empty()) {
      Err("Nothing to remove.");
      return OkStatus();
    }
    if (!f.yes && !Confirm("Remove these " + std::to_string(rows.size()) + " assignment(s)?"))
      return FailedPrecondition("cancelled: nothing was removed");
    json::array ids;
    for (const auto& row : rows) ids.emplace_back(Str(row, "id"));
    GH_ASSIGN_OR_RETURN(auto results, c.api->Post(base + "/remove", json::object{{"assignmentIds", ids}}));
    const json::value* value = ValueAt(results, "value");
    bool all_removed = true;
    if (value && value->is_array()) {
      for (const auto& x : value->as_array()) {
        bool removed = Str(x, "result") == "removed";
        all_removed = all_removed && removed;
        Err(std::string(removed ? "✓ " : "✗ ") + Str(x, "id") + ": " + Str(x, "result") +
            (Str(x, "message").empty() ? "" : " (" + Str(x, "message") + ")"));
      }
    }
    if (!all_removed) return FailedPrecondition("some assignments were not removed (see above)");
    return OkStatus();
  });
  review->add_option("--env", rv->env, "Environment id, uniqueName or name")->required();
  review->add_option("--role", rv->role, "Security role name or id, e.g. \"Environment Maker\"")->required();
  review->add_flag("--guests", rv->guests, "Only guests");
  review->add_flag("--remove", rv->remove, "Remove the assignments listed (asks first)");
  review->add_flag("--yes,-y", f.yes, "Don't ask before removing");

  // ---- tenant settings
  auto ts = std::make_shared<SettingsOptions>();
  CLI::App* settings = Registrar::Group(&app, "tenant-settings", "Read and change tenant settings");
  r.Command(settings, "get", "Print the tenant settings (JSON)", false, [&f]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto v, c.api->Get("/api/v1/tenantSettings"));
    Out(PrettyJson(v));
    return OkStatus();
  });
  CLI::App* set = r.Command(settings, "set", "Change settings: KEY=VALUE with dotted keys, or --file", false,
                            [&f, ts]() -> Status {
    if (ts->assignments.empty() == ts->file.empty())
      return UsageError("give either KEY=VALUE settings or --file FILE");
    json::value patch;
    if (!ts->file.empty()) {
      std::ifstream in(ts->file);
      if (!in) return UsageError("--file: cannot read " + ts->file);
      std::stringstream text;
      text << in.rdbuf();
      boost::system::error_code ec;
      patch = json::parse(text.str(), ec);
      if (ec || !patch.is_object()) return UsageError("--file: " + ts->file + " is not a JSON object");
    } else {
      GH_ASSIGN_OR_RETURN(auto built, BuildSettingsPatch(ts->assignments));
      patch = std::move(built);
    }
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto v, c.api->Patch("/api/v1/tenantSettings", patch));
    if (!v.is_null()) Out(PrettyJson(v));
    Err("Tenant settings updated.");
    return OkStatus();
  });
  set->add_option("settings", ts->assignments, "e.g. powerPlatform.powerApps.enableGuestsToMake=true");
  set->add_option("--file", ts->file, "A JSON file with the settings to change");

  // ---- why
  auto w = std::make_shared<WhyOptions>();
  CLI::App* why = r.Command(&app, "why", "Explain whether a user may do something, and how to fix it", true,
                            [&f, w]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto target, ResolveEnvironment(*c.api, w->env));
    json::object body{{"action", w->action}, {"environmentId", Str(target, "id")}};
    if (IsUuid(w->user)) body["userId"] = w->user;
    else if (w->user.find("#EXT#") != std::string::npos || w->user.find('@') == std::string::npos)
      body["userPrincipalName"] = w->user;
    else {  // an address: a member's UPN or a guest's mail; the directory tells which
      auto id = ResolveUserId(*c.api, w->user);
      if (id.ok()) body["userId"] = *id;
      else body["mail"] = w->user;
    }
    GH_ASSIGN_OR_RETURN(auto answer, c.api->Post("/api/v1/access/check", body));
    auto report = wire::AccessCheckFromJson(answer);
    if (!report.ok()) return Internal("The server's access check answer is not one this client reads: " +
                                      report.status().message());
    if (format == OutputFormat::kJson) Out(PrettyJson(answer));
    else Out(RenderAccessCheck(*report, w->user + " in " + Str(target, "displayName")));
    if (!report->allowed)
      return PermissionDenied(w->user + " may not " + report->action + " in " + Str(target, "displayName"));
    return OkStatus();
  });
  why->add_option("user", w->user, "User id, userPrincipalName or mail")->required();
  why->add_option("--env", w->env, "Environment id, uniqueName or name")->required();
  why->add_option("--action", w->action, "What to check")->capture_default_str();
}

}  // namespace gh::cli::internal
