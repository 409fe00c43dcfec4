// Policy commands: who may invite and the guest access level
// (authorizationPolicy), the collaboration domain list, cross-tenant access
// (partners and Microsoft clouds), and directory roles. Each is what the
// access troubleshooter (`why`) suggests for the checks these policies decide.
#include <algorithm>

#include "cli/commands_internal.h"
#include "cli/settings_patch.h"
#include "core/strings.h"
#include "http/message.h"

namespace gh::cli::internal {
namespace json = boost::json;

namespace {

struct PolicyOptions {
  std::vector<std::string> assignments;
  std::string domain;
};

struct CrossTenantOptions {
  std::string tenant, inbound, outbound, endpoint;
};

struct DirectoryRoleOptions {
  std::string user, role;
};

// A B2B collaboration setting for everyone: allowed or blocked; "default"
// (null) makes a partner inherit the default settings again.
StatusOr<json::value> B2BSetting(const std::string& side, const std::string& access) {
  if (access == "default") return json::value(nullptr);
  if (access != "allow" && access != "block")
    return UsageError("--" + side + " takes allow, block or default, not '" + access + "'");
  const char* type = access == "allow" ? "allowed" : "blocked";
  auto everyone = [&](const char* target, const char* target_type) {
    return json::object{{"accessType", type},
                        {"targets", json::array{json::object{{"target", target}, {"targetType", target_type}}}}};
  };
  return json::value(json::object{{"usersAndGroups", everyone("AllUsers", "user")},
                                  {"applications", everyone("AllApplications", "application")}});
}

// The domain list after allowing (or blocking) `domain`.
json::object DomainsAfter(const json::value& current, const std::string& domain, bool allow) {
  std::string mode = Str(current, "mode");
  std::vector<std::string> domains;
  if (const json::value* v = ValueAt(current, "domains"); v && v->is_array())
    for (const auto& d : v->as_array())
      if (d.is_string()) domains.emplace_back(d.as_string());
  auto listed = std::find_if(domains.begin(), domains.end(),
                             [&](const std::string& d) { return http::EqualsIgnoreCase(d, domain); });
  const bool add = (mode == "allowList") == allow;  // an allow-list gains what is allowed, a deny-list what is not
  if (mode == "allowAll") {
    if (!allow) mode = "denyList", domains = {domain};
  } else if (add && listed == domains.end()) {
    domains.push_back(domain);
  } else if (!add && listed != domains.end()) {
    domains.erase(listed);
  }
  json::array out(domains.begin(), domains.end());
  return {{"mode", mode}, {"domains", out}};
}

}  // namespace

void RegisterPolicyCommands(Registrar& r, CLI::App& app) {
  CommonFlags& f = r.flags;

  // ---- authorization policy and collaboration restrictions
  auto p = std::make_shared<PolicyOptions>();
  CLI::App* policy = Registrar::Group(&app, "policy", "Who may invite guests, what guests see, which domains");
  r.Command(policy, "show", "Print the authorization policy and the collaboration domain list (JSON)", false,
            [&f]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto authz, c.api->Get("/v1.0/policies/authorizationPolicy"));
    GH_ASSIGN_OR_RETURN(auto domains, c.api->Get("/api/v1/collaborationRestrictions"));
    Out(PrettyJson(json::object{{"authorizationPolicy", authz}, {"collaborationRestrictions", domains}}));
    return OkStatus();
  });
  CLI::App* set = r.Command(policy, "set", "Change the authorization policy: KEY=VALUE", false, [&f, p]() -> Status {
    GH_ASSIGN_OR_RETURN(auto patch, BuildSettingsPatch(p->assignments));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_RETURN_IF_ERROR(c.api->Patch("/v1.0/policies/authorizationPolicy", patch).status());
    Err("Authorization policy updated: " + json::serialize(patch));
    return OkStatus();
  });
  set->add_option("settings", p->assignments, "e.g. allowInvitesFrom=adminsAndGuestInviters or guestUserRoleId=…")
      ->required();

  CLI::App* domains = Registrar::Group(policy, "domains", "The collaboration domain allow-list or deny-list");
  for (bool allow : {true, false}) {
    CLI::App* cmd = r.Command(domains, allow ? "allow" : "block",
                              allow ? "Let invitations go to a domain" : "Stop invitations to a domain", false,
                              [&f, p, allow]() -> Status {
      GH_ASSIGN_OR_RETURN(auto c, Open(f));
      GH_ASSIGN_OR_RETURN(auto current, c.api->Get("/api/v1/collaborationRestrictions"));
      json::object next = DomainsAfter(current, p->domain, allow);
      GH_ASSIGN_OR_RETURN(auto now, c.api->Patch("/api/v1/collaborationRestrictions", next));
      Err(std::string(allow ? "Allowed " : "Blocked ") + p->domain + ": " + json::serialize(now));
      return OkStatus();
    });
    cmd->add_option("domain", p->domain, "e.g. fabrikam.com")->required();
  }

  // ---- cross-tenant access
  auto x = std::make_shared<CrossTenantOptions>();
  const std::string cta = "/v1.0/policies/crossTenantAccessPolicy";
  CLI::App* cross = Registrar::Group(&app, "cross-tenant", "Cross-tenant access settings and Microsoft clouds");
  r.Command(cross, "show", "Print the default and partner settings and the allowed clouds (JSON)", false,
            [&f, cta]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto policy, c.api->Get(cta));
    GH_ASSIGN_OR_RETURN(auto defaults, c.api->Get(cta + "/default"));
    GH_ASSIGN_OR_RETURN(auto partners, c.api->List(cta + "/partners", true));
    Out(PrettyJson(json::object{{"policy", policy}, {"default", defaults}, {"partners", partners}}));
    return OkStatus();
  });
  CLI::App* xset = r.Command(cross, "set", "Allow or block B2B collaboration with a partner organisation", false,
                             [&f, x, cta]() -> Status {
    if (x->inbound.empty() && x->outbound.empty()) return UsageError("give --inbound and/or --outbound");
    if (!IsUuid(x->tenant)) return UsageError("the partner is given by its tenant id (a GUID), not '" + x->tenant + "'");
    json::object patch;
    if (!x->inbound.empty()) {
      GH_ASSIGN_OR_RETURN(patch["b2bCollaborationInbound"], B2BSetting("inbound", x->inbound));
    }
    if (!x->outbound.empty()) {
      GH_ASSIGN_OR_RETURN(patch["b2bCollaborationOutbound"], B2BSetting("outbound", x->outbound));
    }
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    const std::string path = cta + "/partners/" + Escape(x->tenant);
    auto changed = c.api->Patch(path, patch);
    if (!changed.ok() && changed.status().code() == Code::kNotFound) {  // no settings for this partner yet
      patch["tenantId"] = x->tenant;
      changed = c.api->Post(cta + "/partners", patch);
    }
    GH_RETURN_IF_ERROR(changed.status());
    Err("Cross-tenant settings for " + x->tenant + " updated.");
    return OkStatus();
  });
  xset->add_option("tenant", x->tenant, "The partner's tenant id")->required();
  xset->add_option("--inbound", x->inbound, "Its users as guests here: allow, block or default");
  xset->add_option("--outbound", x->outbound, "Our users as guests there: allow, block or default");

  CLI::App* clouds = Registrar::Group(cross, "clouds", "Microsoft clouds to collaborate with (allowedCloudEndpoints)");
  for (bool add : {true, false}) {
    CLI::App* cmd = r.Command(clouds, add ? "add" : "remove",
                              add ? "Allow collaboration with a cloud" : "Stop collaboration with a cloud", false,
                              [&f, x, cta, add]() -> Status {
      GH_ASSIGN_OR_RETURN(auto c, Open(f));
      GH_ASSIGN_OR_RETURN(auto policy, c.api->Get(cta));
      json::array endpoints;
      if (const json::value* v = ValueAt(policy, "allowedCloudEndpoints"); v && v->is_array())
        for (const auto& e : v->as_array())
          if (e.is_string() && !http::EqualsIgnoreCase(e.as_string(), x->endpoint)) endpoints.push_back(e);
      if (add) endpoints.emplace_back(x->endpoint);
      GH_RETURN_IF_ERROR(c.api->Patch(cta, json::object{{"allowedCloudEndpoints", endpoints}}).status());
      Err("Allowed clouds: " + json::serialize(endpoints));
      return OkStatus();
    });
    cmd->add_option("endpoint", x->endpoint, "e.g. microsoftonline.us or partner.microsoftonline.cn")->required();
  }

  // ---- directory roles
  auto d = std::make_shared<DirectoryRoleOptions>();
  CLI::App* roles = Registrar::Group(&app, "directory-roles", "Directory roles (Guest Inviter, User Administrator, …)");
  r.Command(roles, "list", "The directory's roles", true, [&f]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List("/v1.0/roleManagement/directory/roleDefinitions", true));
    Out(FormatRows(rows, {{"displayName", "displayName"}, {"id", "id"}, {"description", "description"}}, format));
    return OkStatus();
  });
  CLI::App* assign = r.Command(roles, "assign", "Give a user a directory role", false, [&f, d]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto defs, c.api->List("/v1.0/roleManagement/directory/roleDefinitions", true));
    std::string role_id, names;
    for (const auto& def : defs) {
      if (http::EqualsIgnoreCase(Str(def, "displayName"), d->role) || http::EqualsIgnoreCase(Str(def, "id"), d->role))
        role_id = Str(def, "id");
      names += (names.empty() ? "" : ", ") + Str(def, "displayName");
    }
    if (role_id.empty()) return NotFound("no directory role '" + d->role + "' (there are: " + names + ")");
    GH_ASSIGN_OR_RETURN(auto user_id, ResolveUserId(*c.api, d->user));
    GH_RETURN_IF_ERROR(c.api->Post("/v1.0/roleManagement/directory/roleAssignments",
                                   json::object{{"roleDefinitionId", role_id},
                                                {"principalId", user_id},
                                                {"directoryScopeId", "/"}})
                           .status());
    Err("Gave " + d->user + " the " + d->role + " role.");
    return OkStatus();
  });
  assign->add_option("user", d->user, "User id, userPrincipalName or mail")->required();
  assign->add_option("role", d->role, "Role name or id, e.g. \"Guest Inviter\"")->required();
}

}  // namespace gh::cli::internal
