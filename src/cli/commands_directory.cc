// Directory commands: users, app registrations, licences, invitations.
#include <iostream>

#include "cli/commands_internal.h"
#include "core/random.h"
#include "core/strings.h"
#include "http/message.h"

namespace gh::cli::internal {
namespace json = boost::json;

namespace {

const std::vector<Column> kUserColumns{{"id", "id"},
                                       {"displayName", "displayName"},
                                       {"userPrincipalName", "userPrincipalName"},
                                       {"mail", "mail"},
                                       {"userType", "userType"}};

json::array Strings(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

// Prints "fetched N" on a terminal while pages arrive.
std::function<void(size_t)> Progress(const std::string& what) {
  if (!StderrIsTerminal()) return {};
  return [what](size_t n) { std::cerr << "\r" << what << ": " << n << " fetched" << std::flush; };
}

void EndProgress() {
  if (StderrIsTerminal()) std::cerr << "\r\033[K" << std::flush;
}

// skuId for a skuId or skuPartNumber, from the tenant's subscriptions.
StatusOr<std::string> ResolveSku(const json::array& skus, const std::string& ref) {
  for (const auto& s : skus)
    if (http::EqualsIgnoreCase(Str(s, "skuId"), ref) || http::EqualsIgnoreCase(Str(s, "skuPartNumber"), ref))
      return Str(s, "skuId");
  return NotFound("the tenant has no subscription '" + ref + "' (see `gatehouse license skus`)");
}

struct UsersOptions {
  std::string filter;
  bool guests = false;
  int top = 0;
  bool all = false;
  std::string id;
  std::string usage_location, given_name, surname, display_name, job_title;
  bool enable = false, disable = false;
  std::string password;  // create
};

struct AppOptions {
  std::string name;
  std::vector<std::string> web, public_redirects;
  bool secret = false;
  std::string id;
};

struct LicenseOptions {
  std::string user;
  std::vector<std::string> skus;
  long seats = 0;  // subscribe
};

struct InviteOptions {
  std::string email, name, redirect = "https://myapps.microsoft.com", message, language;
  bool no_email = false, reset = false;
  std::vector<std::string> groups;
  std::string csv, results;  // bulk: invite --csv FILE
  bool wait = false;
};

}  // namespace

void RegisterDirectoryCommands(Registrar& r, CLI::App& app) {
  CommonFlags& f = r.flags;

  // ---- users
  auto u = std::make_shared<UsersOptions>();
  CLI::App* users = Registrar::Group(&app, "users", "List, show and update users");
  CLI::App* list = r.Command(users, "list", "List users", true, [&f, u]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    std::string filter = u->filter;
    if (u->guests) filter = filter.empty() ? "userType eq 'Guest'" : "(" + filter + ") and userType eq 'Guest'";
    std::string path = "/v1.0/users?$select=id,displayName,userPrincipalName,mail,userType,accountEnabled";
    if (!filter.empty()) path += "&$filter=" + Escape(filter);
    if (u->top > 0) path += "&$top=" + std::to_string(u->top);
    bool more = false;
    auto rows = c.api->List(path, u->all, &more, u->all ? Progress("users") : nullptr);
    if (u->all) EndProgress();
    if (!rows.ok()) return rows.status();
    Out(FormatRows(*rows, kUserColumns, format));
    if (more) Err("(more users exist: add --all to fetch every page)");
    return OkStatus();
  });
  list->add_option("--filter", u->filter, "OData $filter, e.g. \"startswith(displayName,'A')\"");
  list->add_flag("--guests", u->guests, "Only guests (userType eq 'Guest')");
  list->add_option("--top", u->top, "Page size (1-999)")->check(CLI::Range(1, 999));
  list->add_flag("--all", u->all, "Follow @odata.nextLink to fetch every page");

  CLI::App* show = r.Command(users, "show", "Show one user", true, [&f, u]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    // Graph's default property set leaves out most of these: ask for them.
    GH_ASSIGN_OR_RETURN(auto user, c.api->Get("/v1.0/users/" + Escape(u->id) +
                                              "?$select=id,displayName,userPrincipalName,mail,userType,accountEnabled,"
                                              "givenName,surname,jobTitle,usageLocation,externalUserState,"
                                              "createdDateTime"));
    if (!user.is_object()) return Internal("error InvalidResponse: not a user");
    PrintObject(user.as_object(),
                {{"id", "id"}, {"displayName", "displayName"}, {"userPrincipalName", "userPrincipalName"},
                 {"mail", "mail"}, {"userType", "userType"}, {"accountEnabled", "accountEnabled"},
                 {"givenName", "givenName"}, {"surname", "surname"}, {"jobTitle", "jobTitle"},
                 {"usageLocation", "usageLocation"}, {"externalUserState", "externalUserState"},
                 {"createdDateTime", "createdDateTime"}},
                format);
    return OkStatus();
  });
  show->add_option("user", u->id, "Id or userPrincipalName")->required();

  CLI::App* set = r.Command(users, "set", "Update a user's properties", false, [&f, u]() -> Status {
    json::object patch;
    for (auto [key, value] : {std::pair{"usageLocation", &u->usage_location}, {"givenName", &u->given_name},
                              {"surname", &u->surname}, {"displayName", &u->display_name}, {"jobTitle", &u->job_title}})
      if (!value->empty()) patch[key] = *value;
    if (u->enable && u->disable) return UsageError("--enable and --disable exclude each other");
    if (u->enable || u->disable) patch["accountEnabled"] = u->enable;
    if (patch.empty()) return UsageError("nothing to change: give --usage-location, --given-name, --surname, …");
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_RETURN_IF_ERROR(c.api->Patch("/v1.0/users/" + Escape(u->id), patch).status());
    Err("Updated " + u->id + ": " + json::serialize(patch));
    return OkStatus();
  });
  set->add_option("user", u->id, "Id or userPrincipalName")->required();
  set->add_option("--usage-location", u->usage_location, "Two-letter country code (needed for licences), e.g. GB");
  set->add_option("--given-name", u->given_name, "Given name");
  set->add_option("--surname", u->surname, "Surname");
  set->add_option("--display-name", u->display_name, "Display name");
  set->add_option("--job-title", u->job_title, "Job title");
  set->add_flag("--enable", u->enable, "Allow the user to sign in");
  set->add_flag("--disable", u->disable, "Block the user from signing in");

  CLI::App* create = r.Command(users, "create", "Create a member account", false, [&f, u]() -> Status {
    const std::string upn = u->id;
    const auto at = upn.find('@');
    if (at == std::string::npos || at == 0) return UsageError("the user is given as name@domain, not '" + upn + "'");
    std::string password = u->password;
    bool generated = password.empty();
    if (generated) password = "Gh-" + SecureRandom().Token(18);  // upper, lower and a symbol: always strong enough
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    json::object body{{"accountEnabled", true},
                      {"displayName", u->display_name.empty() ? upn.substr(0, at) : u->display_name},
                      {"mailNickname", upn.substr(0, at)},
                      {"userPrincipalName", upn},
                      {"passwordProfile", json::object{{"password", password}}}};
    if (!u->usage_location.empty()) body["usageLocation"] = u->usage_location;
    GH_ASSIGN_OR_RETURN(auto created, c.api->Post("/v1.0/users", body));
    Err("Created " + upn + " (id " + Str(created, "id") + ")" +
        (generated ? "; password: " + password : ""));
    return OkStatus();
  });
  create->add_option("user", u->id, "userPrincipalName, e.g. ann@contoso.com")->required();
  create->add_option("--display-name", u->display_name, "Display name (default: the part before @)");
  create->add_option("--password", u->password, "Password (default: a generated one, printed)");
  create->add_option("--usage-location", u->usage_location, "Two-letter country code (needed for licences)");

  // ---- app registrations
  auto a = std::make_shared<AppOptions>();
  CLI::App* apps = Registrar::Group(&app, "app", "Register, list and remove applications");
  CLI::App* add = r.Command(apps, "add", "Register an application (and a secret with --secret)", true,
                            [&f, a]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    json::object body{{"displayName", a->name}};
    if (!a->web.empty()) body["web"] = json::object{{"redirectUris", Strings(a->web)}};
    if (!a->public_redirects.empty()) body["publicClient"] = json::object{{"redirectUris", Strings(a->public_redirects)}};
    GH_ASSIGN_OR_RETURN(auto created, c.api->Post("/v1.0/applications", body));
    json::object out{{"id", Str(created, "id")}, {"appId", Str(created, "appId")}, {"displayName", Str(created, "displayName")}};
    std::vector<Column> fields{{"id", "id"}, {"appId", "appId"}, {"displayName", "displayName"}};
    if (a->secret) {
      GH_ASSIGN_OR_RETURN(auto secret, c.api->Post("/v1.0/applications/" + Escape(Str(created, "id")) + "/addPassword",
                                                   json::object{{"passwordCredential",
                                                                 json::object{{"displayName", "gatehouse cli"}}}}));
      out["secretText"] = Str(secret, "secretText");
      out["secretKeyId"] = Str(secret, "keyId");
      out["secretEndDateTime"] = Str(secret, "endDateTime");
      fields.insert(fields.end(), {{"secretText", "secretText"}, {"secretKeyId", "secretKeyId"},
                                   {"secretEndDateTime", "secretEndDateTime"}});
    }
    PrintObject(out, fields, format);
    if (a->secret) Err("The secret is shown once: store it now.");
    return OkStatus();
  });
  add->add_option("name", a->name, "Display name")->required();
  add->add_option("--web-redirect", a->web, "Web (confidential) redirect URI; repeatable");
  add->add_option("--public-redirect", a->public_redirects, "Public client (PKCE) redirect URI; repeatable");
  add->add_flag("--secret", a->secret, "Also create a client secret and print it once");

  r.Command(apps, "list", "List application registrations", true, [&f]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List("/v1.0/applications", true));
    Out(FormatRows(rows, {{"id", "id"}, {"appId", "appId"}, {"displayName", "displayName"},
                          {"webRedirectUris", "web.redirectUris"}, {"publicRedirectUris", "publicClient.redirectUris"},
                          {"createdDateTime", "createdDateTime"}},
                   format));
    return OkStatus();
  });

  CLI::App* remove = r.Command(apps, "remove", "Delete an application registration", false, [&f, a]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto found, c.api->Get("/v1.0/applications/" + Escape(a->id)));  // id or appId
    GH_RETURN_IF_ERROR(c.api->Delete("/v1.0/applications/" + Escape(Str(found, "id"))).status());
    Err("Removed application " + Str(found, "displayName") + " (" + Str(found, "appId") + ")");
    return OkStatus();
  });
  remove->add_option("app", a->id, "Object id or appId")->required();

  // ---- licences
  auto l = std::make_shared<LicenseOptions>();
  CLI::App* lic = Registrar::Group(&app, "license", "Subscriptions and user licences");
  r.Command(lic, "skus", "The tenant's subscriptions (subscribedSkus)", true, [&f]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List("/v1.0/subscribedSkus", true));
    Out(FormatRows(rows, {{"skuPartNumber", "skuPartNumber"}, {"skuId", "skuId"}, {"consumedUnits", "consumedUnits"},
                          {"enabled", "prepaidUnits.enabled"}, {"capabilityStatus", "capabilityStatus"}},
                   format));
    return OkStatus();
  });
  CLI::App* subscribe = r.Command(lic, "subscribe", "Add a subscription, or set its seats", false, [&f, l]() -> Status {
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto skus, c.api->List("/v1.0/subscribedSkus", true));
    const std::string& ref = l->skus.front();
    json::object seats{{"prepaidUnits", l->seats}};
    if (auto held = ResolveSku(skus, ref); held.ok()) {
      GH_RETURN_IF_ERROR(c.api->Patch("/api/v1/skus/" + Escape(*held), seats).status());
    } else {
      seats[IsUuid(ref) ? "skuId" : "skuPartNumber"] = ref;
      GH_RETURN_IF_ERROR(c.api->Post("/api/v1/skus", seats).status());
    }
    Err(ref + ": " + std::to_string(l->seats) + " seat(s)");
    return OkStatus();
  });
  subscribe->add_option("sku", l->skus, "skuPartNumber (e.g. POWERAPPS_PER_USER) or skuId")->required()->expected(1);
  subscribe->add_option("--seats", l->seats, "Licences it holds")->required()->check(CLI::NonNegativeNumber);

  auto change = [&f, l](bool assign) {
    return [&f, l, assign]() -> Status {
      GH_ASSIGN_OR_RETURN(auto c, Open(f));
      GH_ASSIGN_OR_RETURN(auto skus, c.api->List("/v1.0/subscribedSkus", true));
      json::array add, remove;
      for (const auto& ref : l->skus) {
        GH_ASSIGN_OR_RETURN(auto id, ResolveSku(skus, ref));
        if (assign) add.push_back(json::object{{"skuId", id}, {"disabledPlans", json::array{}}});
        else remove.push_back(json::value(id));
      }
      GH_ASSIGN_OR_RETURN(auto user_id, ResolveUserId(*c.api, l->user));
      GH_ASSIGN_OR_RETURN(auto user, c.api->Post("/v1.0/users/" + Escape(user_id) + "/assignLicense",
                                                 json::object{{"addLicenses", add}, {"removeLicenses", remove}}));
      Err(std::string(assign ? "Assigned " : "Removed ") + std::to_string(l->skus.size()) + " licence(s) " +
          (assign ? "to " : "from ") + Str(user, "userPrincipalName"));
      return OkStatus();
    };
  };
  for (bool assign : {true, false}) {
    CLI::App* cmd = r.Command(lic, assign ? "assign" : "remove",
                              assign ? "Assign licences to a user" : "Remove licences from a user", false, change(assign));
    cmd->add_option("user", l->user, "User id, userPrincipalName or mail")->required();
    cmd->add_option("sku", l->skus, "skuId or skuPartNumber (e.g. POWERAPPS_PER_USER); several allowed")->required();
  }
  CLI::App* details = r.Command(lic, "details", "A user's licences and service plans", true, [&f, l]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto user_id, ResolveUserId(*c.api, l->user));
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List("/v1.0/users/" + Escape(user_id) + "/licenseDetails", true));
    for (auto& row : rows) {  // a readable plan list for tables
      json::array names;
      if (const json::value* plans = ValueAt(row, "servicePlans"); plans && plans->is_array())
        for (const auto& p : plans->as_array()) names.emplace_back(Str(p, "servicePlanName") + ":" + Str(p, "provisioningStatus"));
      if (format != OutputFormat::kJson && row.is_object()) row.as_object()["plans"] = names;
    }
    Out(FormatRows(rows, {{"skuPartNumber", "skuPartNumber"}, {"skuId", "skuId"}, {"servicePlans", "plans"}}, format));
    return OkStatus();
  });
  details->add_option("user", l->user, "User id, userPrincipalName or mail")->required();

  // ---- invitations
  auto in = std::make_shared<InviteOptions>();
  CLI::App* invite = r.Command(&app, "invite", "Invite a guest (POST /v1.0/invitations), or many from a CSV file",
                               true, [&f, in]() -> Status {
    if (!in->csv.empty()) {
      if (!in->email.empty() || in->reset || !in->groups.empty() || !in->name.empty())
        return UsageError("--csv takes the addresses, names and groups from the file");
      return RunBulkInvite(f, {in->csv, in->redirect, in->message, in->language, in->results, in->no_email, in->wait});
    }
    if (!in->results.empty() || in->wait) return UsageError("--results and --wait go with --csv");
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    if (in->email.find('@') == std::string::npos) return UsageError("'" + in->email + "' is not an email address");
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    json::object body{{"invitedUserEmailAddress", in->email},
                      {"inviteRedirectUrl", in->redirect},
                      {"sendInvitationMessage", !in->no_email}};
    if (!in->name.empty()) body["invitedUserDisplayName"] = in->name;
    if (!in->message.empty() || !in->language.empty()) {
      json::object info;
      if (!in->message.empty()) info["customizedMessageBody"] = in->message;
      if (!in->language.empty()) info["messageLanguage"] = in->language;
      body["invitedUserMessageInfo"] = info;
    }
    if (in->reset) {
      GH_ASSIGN_OR_RETURN(auto user_id, ResolveUserId(*c.api, in->email));
      body["resetRedemption"] = true;
      body["invitedUser"] = json::object{{"id", user_id}};
    }
    if (!in->groups.empty()) {
      json::array ids;  // Gatehouse's extension: add the guest to these groups
      for (const auto& g : in->groups) {
        GH_ASSIGN_OR_RETURN(auto id, ResolveGroupId(*c.api, g));
        ids.emplace_back(id);
      }
      body["groupIds"] = ids;
    }
    GH_ASSIGN_OR_RETURN(auto inv, c.api->Post("/v1.0/invitations", body));
    if (!inv.is_object()) return Internal("error InvalidResponse: not an invitation");
    PrintObject(inv.as_object(),
                {{"invitedUserId", "invitedUser.id"}, {"invitedUserEmailAddress", "invitedUserEmailAddress"},
                 {"status", "status"}, {"inviteRedeemUrl", "inviteRedeemUrl"}, {"inviteRedirectUrl", "inviteRedirectUrl"}},
                format);
    return OkStatus();
  });
  invite->add_option("email", in->email, "The guest's email address (not with --csv)");
  invite->add_option("--name", in->name, "Display name");
  invite->add_option("--redirect", in->redirect, "Where the guest lands after redeeming")->capture_default_str();
  invite->add_option("--message", in->message, "Personal message in the invitation email");
  invite->add_option("--language", in->language, "Language of the invitation email, e.g. fr-FR");
  invite->add_flag("--no-email", in->no_email, "Don't send the invitation email (share the redeem URL yourself)");
  invite->add_option("--group", in->groups, "Add the guest to this group (id or name); repeatable");
  invite->add_flag("--reset", in->reset, "Reset the redemption of an existing guest (re-invite)");
  invite->add_option("--csv", in->csv,
                     "Invite everyone in this CSV file as one bulk job (Entra's template, the PowerShell sample's "
                     "Name,InvitedUserEmailAddress, or email,displayName,redirectUrl,sendEmail,message,groups)");
  invite->add_option("--results", in->results, "With --csv: write the per-row results to this CSV file (waits)");
  invite->add_flag("--wait", in->wait, "With --csv: follow the job to its end; exit 1 if a row failed");

  CLI::App* invs = Registrar::Group(&app, "invitations", "Invited guests and their redemption state");
  RegisterBulkCommands(r, invs);
  r.Command(invs, "list", "Guests with their invitation state", true, [&f]() -> Status {
    GH_ASSIGN_OR_RETURN(auto format, FormatOf(f));
    GH_ASSIGN_OR_RETURN(auto c, Open(f));
    GH_ASSIGN_OR_RETURN(auto rows, c.api->List("/v1.0/users?$filter=" + Escape("userType eq 'Guest'") +
                                                   "&$select=id,displayName,mail,externalUserState,"
                                                   "externalUserStateChangeDateTime",
                                               true));
    Out(FormatRows(rows, {{"id", "id"}, {"displayName", "displayName"}, {"mail", "mail"},
                          {"state", "externalUserState"}, {"since", "externalUserStateChangeDateTime"}},
                   format));
    return OkStatus();
  });
}

}  // namespace gh::cli::internal
