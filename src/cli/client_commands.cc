// Registration and dispatch of the client commands, their shared helpers, and
// login / logout / whoami.
#include "cli/client_commands.h"

#include <unistd.h>

#include <iostream>

#include "cli/commands_internal.h"
#include "core/strings.h"
#include "http/message.h"
#include "wire/jwt.h"

namespace gh::cli {
namespace json = boost::json;

namespace internal {

CLI::App* Registrar::Command(CLI::App* parent, const std::string& name, const std::string& description, bool listing,
                             Handler handler) {
  CLI::App* cmd = parent->add_subcommand(name, description);
  auto& c = flags.conn;
  cmd->add_option("--server", c.server, "Server URL, e.g. https://localhost:8443 (default: from login; env GATEHOUSE_SERVER)");
  cmd->add_option("--tenant", c.tenant, "Tenant id or domain (default: from login; env GATEHOUSE_TENANT)");
  cmd->add_option("--ca-cert", c.ca_cert, "CA certificate (PEM) to verify the server (env GATEHOUSE_CA_CERT)");
  cmd->add_option("--client-id", c.client_id, "Sign in as this app with client credentials (env GATEHOUSE_CLIENT_ID)");
  cmd->add_option("--client-secret", c.client_secret, "The app's secret (env GATEHOUSE_CLIENT_SECRET)");
  cmd->add_option("--timeout", c.timeout_seconds, "Seconds to wait for each request")->capture_default_str();
  if (listing)
    cmd->add_option("--output,-o", flags.output, "table, json or csv (default: table on a terminal, else json)")
        ->check(CLI::IsMember({"table", "json", "csv"}));
  handlers.emplace_back(cmd, std::move(handler));
  return cmd;
}

CLI::App* Registrar::Group(CLI::App* parent, const std::string& name, const std::string& description) {
  CLI::App* g = parent->add_subcommand(name, description);
  g->require_subcommand(1);
  return g;
}

StatusOr<Connection> Open(const CommonFlags& f) { return Connect(f.conn); }

StatusOr<OutputFormat> FormatOf(const CommonFlags& f) { return ParseOutputFormat(f.output, ::isatty(1) == 1); }

void Out(const std::string& text) { std::cout << text << std::flush; }
void Err(const std::string& text) { std::cerr << text << "\n" << std::flush; }
bool StdinIsTerminal() { return ::isatty(0) == 1; }
bool StderrIsTerminal() { return ::isatty(2) == 1; }

std::string ODataQuote(std::string_view s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("''") : std::string(1, c);
  return out + "'";
}

std::string Str(const json::value& v, std::string_view dotted_path) { return CellText(ValueAt(v, dotted_path)); }

StatusOr<std::string> ResolveUserId(ApiClient& api, const std::string& ref) {
  if (IsUuid(ref)) return ref;
  auto byUpn = api.Get("/v1.0/users/" + Escape(ref) + "?$select=id");
  if (byUpn.ok()) return Str(*byUpn, "id");
  if (byUpn.status().code() != Code::kNotFound || ref.find('@') == std::string::npos) return byUpn.status();
  // A guest's email is its mail, not its userPrincipalName.
  GH_ASSIGN_OR_RETURN(auto users, api.List("/v1.0/users?$select=id&$filter=" + Escape("mail eq " + ODataQuote(ref)), false));
  if (users.empty()) return NotFound("no user '" + ref + "' (by id, userPrincipalName or mail)");
  if (users.size() > 1) return FailedPrecondition("several users have the mail '" + ref + "': give the id");
  return Str(users.front(), "id");
}

StatusOr<std::string> ResolveGroupId(ApiClient& api, const std::string& ref) {
  if (IsUuid(ref)) return ref;
  GH_ASSIGN_OR_RETURN(auto groups, api.List("/v1.0/groups?$select=id,displayName&$filter=" +
                                                Escape("displayName eq " + ODataQuote(ref)),
                                            false));
  if (groups.empty()) return NotFound("no group named '" + ref + "'");
  if (groups.size() > 1) return FailedPrecondition("several groups are named '" + ref + "': give the id");
  return Str(groups.front(), "id");
}

StatusOr<std::string> ResolvePrincipalId(ApiClient& api, const std::string& ref) {
  // A user is named by its id, UPN or mail; a name without '@' can only be a
  // group's (the users endpoint refuses it as a malformed id, not as unknown).
  if (!IsUuid(ref) && ref.find('@') == std::string::npos) return ResolveGroupId(api, ref);
  auto user = ResolveUserId(api, ref);
  if (user.ok() || user.status().code() != Code::kNotFound) return user;
  auto group = ResolveGroupId(api, ref);
  if (group.ok()) return group;
  return NotFound("no user or group '" + ref + "'");
}

StatusOr<json::object> ResolveEnvironment(ApiClient& api, const std::string& ref) {
  GH_ASSIGN_OR_RETURN(auto envs, api.List("/api/v1/environments", true));
  for (std::string_view field : {"id", "uniqueName", "displayName"}) {
    std::vector<const json::object*> hits;
    for (const auto& e : envs)
      if (e.is_object() && http::EqualsIgnoreCase(Str(e, field), ref)) hits.push_back(&e.as_object());
    if (hits.size() == 1) return *hits.front();
    if (hits.size() > 1) return FailedPrecondition("several environments match '" + ref + "': give the id");
  }
  return NotFound("no environment '" + ref + "' (by id, uniqueName or displayName)");
}

void PrintObject(const json::object& o, const std::vector<Column>& fields, OutputFormat format) {
  if (format == OutputFormat::kJson) return Out(PrettyJson(o));
  std::vector<std::vector<std::string>> rows;
  for (const auto& f : fields) rows.push_back({f.header, CellText(ValueAt(o, f.path))});
  if (format == OutputFormat::kCsv) return Out(FormatCsv({"property", "value"}, rows));
  // A table of properties reads better without a header.
  std::string text = FormatTable({"", ""}, rows);
  Out(text.substr(text.find('\n') + 1));
}

// ---- login, logout, whoami

void RegisterAuthCommands(Registrar& r, CLI::App& app) {
  r.Command(&app, "login", "Sign in with a browser (device code) and remember the server", false, [&r]() -> Status {
    GH_RETURN_IF_ERROR(DeviceLogin(r.flags.conn, std::cerr));
    GH_ASSIGN_OR_RETURN(auto p, LoadProfile());
    auto claims = wire::DecodeJwtPayloadUnverified(p ? p->access_token : "");
    std::string who = claims.ok() ? Str(*claims, "preferred_username") : "";
    Err("Signed in" + (who.empty() ? "" : " as " + who) + " to " + (p ? p->server : "") + ". Token saved in " +
        ProfilePath());
    return OkStatus();
  });
  r.Command(&app, "logout", "Forget the saved tokens", false, []() -> Status {
    GH_RETURN_IF_ERROR(Logout());
    Err("Signed out (tokens removed from " + ProfilePath() + ")");
    return OkStatus();
  });
  r.Command(&app, "whoami", "Show who the saved sign-in (or --client-id) is, checked against the server", true,
            [&r]() -> Status {
              GH_ASSIGN_OR_RETURN(auto format, FormatOf(r.flags));
              GH_ASSIGN_OR_RETURN(auto c, Open(r.flags));
              GH_ASSIGN_OR_RETURN(auto claims, wire::DecodeJwtPayloadUnverified(c.access_token));
              json::object who{{"server", c.server}};
              std::vector<Column> fields{{"server", "server"}};
              if (c.app_only || Str(claims, "idtyp") == "app") {
                for (const char* k : {"app_displayname", "appid", "azp", "tid", "oid", "roles"}) {
                  if (const json::value* v = claims.if_contains(k)) who[k] = *v;
                  fields.push_back({k, k});
                }
              } else {
                // Checked by the server: a revoked or foreign token fails here.
                GH_ASSIGN_OR_RETURN(auto info, c.api->Get("/" + Escape(Str(claims, "tid")) + "/oidc/userinfo"));
                for (const char* k : {"name", "preferred_username", "tid", "oid", "idp", "acct", "scp"}) {
                  if (const json::value* v = claims.if_contains(k)) who[k] = *v;
                  fields.push_back({k, k});
                }
                if (info.is_object())
                  if (const json::value* email = info.as_object().if_contains("email")) {
                    who["email"] = *email;
                    fields.push_back({"email", "email"});
                  }
              }
              if (const json::value* exp = claims.if_contains("exp")) who["exp"] = *exp;
              PrintObject(who, fields, format);
              return OkStatus();
            });
}

}  // namespace internal

namespace {

class ClientCommandsImpl : public ClientCommands {
 public:
  explicit ClientCommandsImpl(CLI::App& app) {
    internal::RegisterAuthCommands(r_, app);
    internal::RegisterDirectoryCommands(r_, app);
    internal::RegisterAdminCommands(r_, app);
    internal::RegisterGroupCommands(r_, app);
    internal::RegisterPolicyCommands(r_, app);
    internal::RegisterAppCommands(r_, app);
  }

  std::optional<int> Run() override {
    for (auto& [cmd, handler] : r_.handlers) {
      if (!cmd->parsed()) continue;
      Status s;
      try {
        s = handler();
      } catch (const std::exception& e) {  // a library's exception; ours are Status values
        s = Internal(std::string("unexpected error: ") + e.what());
      }
      if (!s.ok()) std::cerr << "gatehouse: " << s.message() << "\n";
      return ExitCodeFor(s);
    }
    return std::nullopt;
  }

 private:
  internal::Registrar r_;
};

}  // namespace

std::unique_ptr<ClientCommands> RegisterClientCommands(CLI::App& app) {
  return std::make_unique<ClientCommandsImpl>(app);
}

int UsageExit(CLI::App& app, const CLI::ParseError& e) {
  int code = app.exit(e);
  return code == 0 ? 0 : kExitUsage;
}

}  // namespace gh::cli
