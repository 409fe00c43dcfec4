// Environments, as in the Power Platform admin center: the list with "New
// environment", and one environment's page — its URL, security group, users,
// security roles and their assignments, "Notify users" and the access review.
#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "core/clock.h"
#include "core/strings.h"
#include "web/portal/portal.h"
#include "web/templates.h"

namespace gh::web::portal {
namespace {
namespace env = gh::environments;

// An error shown next to the field it is about: `section` is the template's
// {{#…_ERROR}} section for that field.
struct FieldError {
  std::string section;
  std::string message;
  int status = 400;
};

// The field a service refusal is about: the first keyword its message
// contains picks the section; otherwise `fallback`.
FieldError ErrorAt(const http::Request& req, const Status& s, std::initializer_list<std::pair<std::string_view, const char*>> keywords,
                   const char* fallback) {
  for (const auto& [keyword, section] : keywords)
    if (s.message().find(keyword) != std::string::npos) return {section, ShownMessage(req, s), PageStatusFor(s)};
  return {fallback, ShownMessage(req, s), PageStatusFor(s)};
}

void ShowError(Page& p, const std::optional<FieldError>& e) {
  if (e) p.Section(e->section)->SetValue("MESSAGE", e->message);
}

std::string Date(int64_t millis) { return FormatIso8601(millis).substr(0, 10); }

// The tenant's security groups (what an environment may be secured by), all pages.
StatusOr<std::vector<directory::Group>> SecurityGroups(PortalDeps& d, const std::string& tenant_id) {
  std::vector<directory::Group> out;
  directory::ListQuery q;
  q.tenant_id = tenant_id;
  q.filter = Where(FilterOp::kEq, "securityEnabled", true);
  q.top = 200;
  for (;;) {
    GH_ASSIGN_OR_RETURN(auto page, d.directory.ListGroups(q));
    out.insert(out.end(), page.items.begin(), page.items.end());
    if (!page.more || page.items.empty()) return out;
    q.after = page.items.back().id;
  }
}

std::string GroupName(const std::vector<directory::Group>& groups, const std::optional<std::string>& id) {
  if (!id) return "None";
  for (const auto& g : groups)
    if (g.id == *id) return g.display_name;
  return *id;
}

// The user typed as an object id, user principal name or email address.
StatusOr<directory::User> FindUser(PortalDeps& d, const std::string& tenant_id, const std::string& typed) {
  const bool address = typed.find('@') != std::string::npos;
  if (IsUuid(typed) || address) {
    auto user = d.directory.GetUser(tenant_id, typed);
    if (user.status().code() != Code::kNotFound) return user;
  }
  if (address) {  // a guest's UPN is not their email address
    directory::ListQuery q;
    q.tenant_id = tenant_id;
    q.filter = Where(FilterOp::kEq, "mail", typed);
    q.top = 2;
    GH_ASSIGN_OR_RETURN(auto page, d.directory.ListUsers(q));
    if (page.items.size() == 1) return page.items.front();
  }
  return NotFound("No user has the user principal name, email address or id '" + typed + "'.");
}

// The group typed as an object id or display name (which must be unambiguous).
StatusOr<directory::Group> FindGroup(PortalDeps& d, const std::string& tenant_id, const std::string& typed) {
  if (IsUuid(typed)) return d.directory.GetGroup(tenant_id, typed);
  directory::ListQuery q;
  q.tenant_id = tenant_id;
  q.filter = Where(FilterOp::kEq, "displayName", typed);
  q.top = 2;
  GH_ASSIGN_OR_RETURN(auto page, d.directory.ListGroups(q));
  if (page.items.size() > 1)
    return InvalidArgument("Several groups are named '" + typed + "': enter the group's object id instead.");
  if (page.items.empty()) return NotFound("No group is named '" + typed + "'.");
  return page.items.front();
}

// The object id of the user or group the administrator typed.
StatusOr<std::string> PrincipalIdOf(PortalDeps& d, const std::string& tenant_id, const std::string& typed) {
  if (typed.empty())
    return InvalidArgument("Enter a user principal name, email address, group name or object id.");
  auto user = FindUser(d, tenant_id, typed);
  if (user.ok()) return user->id;
  if (user.status().code() != Code::kNotFound) return user.status();
  auto group = FindGroup(d, tenant_id, typed);
  if (group.ok()) return group->id;
  if (group.status().code() != Code::kNotFound) return group.status();
  // Typed into a form: an unknown name is bad input (400), not a missing page.
  return InvalidArgument("No user or group of this organisation matches '" + typed + "'.");
}

// A user or group of the tenant as the page names it, linking to its page.
struct Named {
  std::string name;
  std::string href;
};

Named UserNamed(PortalDeps& d, const Admin& a, const std::string& user_id) {
  auto u = d.directory.GetUser(a.tenant.id, user_id);
  return {u.ok() ? u->display_name : user_id, a.base + "/users/" + user_id};
}

Named GroupNamed(PortalDeps& d, const Admin& a, const std::string& group_id) {
  auto g = d.directory.GetGroup(a.tenant.id, group_id);
  return {g.ok() ? g->display_name : group_id, a.base + "/groups/" + group_id};
}

std::string EnvironmentPath(const Admin& a, const env::Environment& e) {
  return a.base + "/environments/" + e.id;
}

// ---- the list and "New environment"

constexpr env::EnvironmentType kCreatableTypes[] = {
    env::EnvironmentType::kProduction, env::EnvironmentType::kSandbox, env::EnvironmentType::kDeveloper,
    env::EnvironmentType::kTrial};

void AddEnvironmentRow(Page& p, const Admin& a, const env::Environment& e,
                       const std::vector<directory::Group>& groups) {
  auto* row = p.Section("ENV");
  row->SetValue("HREF", EnvironmentPath(a, e));
  row->SetValue("NAME", e.display_name);
  row->SetValue("UNIQUE", e.unique_name);
  row->SetValue("TYPE", std::string(env::TypeName(e.type)));
  row->SetValue("URL", e.url);
  row->SetValue("GROUP", GroupName(groups, e.security_group_id));
  row->SetValue("DATAVERSE", e.dataverse ? "Yes" : "No");
  row->SetValue("STATE", std::string(env::StateName(e.state)));
}

// The "New environment" form, with what was typed when it comes back with an error.
void AddCreateForm(Page& p, const http::RouteContext& ctx, const std::vector<directory::Group>& groups) {
  const auto typed = http::ParseForm(ctx.request.body);
  p.Set("DISPLAY_NAME", http::FormValue(typed, "displayName"));
  p.Set("UNIQUE_NAME", http::FormValue(typed, "uniqueName"));
  const std::string type = http::FormValue(typed, "type");
  for (auto t : kCreatableTypes) {
    const std::string name(env::TypeName(t));
    AddOption(p, "TYPE_OPTION", name, name, name == type);
  }
  if (http::FormValue(typed, "dataverse") == "true") p.Show("DATAVERSE_CHECKED");
  const std::string group = http::FormValue(typed, "securityGroupId");
  for (const auto& g : groups) AddOption(p, "GROUP_OPTION", g.id, g.display_name, g.id == group);
}

http::Response ListPage(PortalDeps& d, http::RouteContext& ctx, const Admin& a,
                        const std::optional<FieldError>& error) {
  auto envs = d.environments.List(a.tenant.id);
  if (!envs.ok())
    return ErrorPage(ctx.request, envs.status(), "Can't list environments");
  auto groups = SecurityGroups(d, a.tenant.id);
  if (!groups.ok())
    return ErrorPage(ctx.request, groups.status(), "Can't list groups");
  FormPage p(d, ctx, "portal_environments", "Environments · " + a.tenant.name);
  Layout(p, d, a, "/environments");
  for (const auto& e : *envs) AddEnvironmentRow(p, a, e, *groups);
  if (a.May(d.can.environments_write)) {
    p.Show("CAN_WRITE");
    AddCreateForm(p, ctx, *groups);
  }
  ShowError(p, error);
  return p.Response(error ? error->status : 200);
}

http::Response ListGet(PortalDeps& d, Visit& v) { return ListPage(d, v.ctx, v.admin, std::nullopt); }

// The new environment the form describes, or the field that is wrong.
std::variant<env::NewEnvironment, FieldError> NewEnvironmentFrom(const Form& form) {
  env::NewEnvironment in;
  in.display_name = Trim(form.Get("displayName"));
  if (in.display_name.empty()) return FieldError{"DISPLAY_NAME_ERROR", "Enter the environment's name."};
  if (std::string unique = Trim(form.Get("uniqueName")); !unique.empty()) in.unique_name = unique;
  auto type = env::ParseType(form.Get("type"));
  if (!type) return FieldError{"TYPE_ERROR", "Choose Production, Sandbox, Developer or Trial."};
  in.type = *type;
  in.dataverse = form.Get("dataverse") == "true";
  if (std::string group = form.Get("securityGroupId"); !group.empty()) in.security_group_id = group;
  return in;
}

http::Response CreatePost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  auto in = NewEnvironmentFrom(form);
  if (auto* bad = std::get_if<FieldError>(&in)) return ListPage(d, ctx, a, *bad);
  auto created = d.environments.Create(a.Actor(), a.tenant.id, std::get<env::NewEnvironment>(std::move(in)));
  if (!created.ok())
    return ListPage(d, ctx, a,
                    ErrorAt(ctx.request, created.status(),
                            {{"uniqueName", "UNIQUE_NAME_ERROR"},
                             {"displayName", "DISPLAY_NAME_ERROR"},
                             {"Default environment", "TYPE_ERROR"},
                             {"security group", "SECURITY_GROUP_ERROR"},
                             {"securityGroupId", "SECURITY_GROUP_ERROR"},
                             {"Group '", "SECURITY_GROUP_ERROR"}},
                            "FORM_ERROR"));
  return Redirect(a.base + "/environments", 303);
}

// ---- one environment

// What a change reports on the environment page it re-renders: an error at
// its field, or the per-person outcome of a notice or an access removal.
struct NotifyRow {
  std::string who, email, outcome;
};
struct RemovalRow {
  std::string who, role, result, message;
};
struct Outcome {
  std::optional<FieldError> error;
  std::vector<NotifyRow> notified;
  std::vector<RemovalRow> removed;
};

void AddSummary(Page& p, const env::Environment& e) {
  p.Set("NAME", e.display_name).Set("ENV_ID", e.id).Set("UNIQUE", e.unique_name).Set("URL", e.url);
  p.Set("TYPE", std::string(env::TypeName(e.type))).Set("STATE", std::string(env::StateName(e.state)));
  p.Set("DATAVERSE", e.dataverse ? "yes" : "no");
}

// What was typed into the page's text fields, kept when a form comes back
// with an error.
void AddTyped(Page& p, const http::RouteContext& ctx) {
  const auto typed = http::ParseForm(ctx.request.body);
  p.Set("PRINCIPAL", http::FormValue(typed, "principal"));
  p.Set("NOTIFY_USERS", http::FormValue(typed, "users"));
}

// Each part of the environment page reads what it shows; a failed read fails the page.
using PartFn = Status (*)(Page&, PortalDeps&, const http::RouteContext&, const Admin&,
                          const env::Environment&);

Status AddSecurityGroup(Page& p, PortalDeps& d, const http::RouteContext&, const Admin& a,
                        const env::Environment& e) {
  GH_ASSIGN_OR_RETURN(auto groups, SecurityGroups(d, a.tenant.id));
  if (e.security_group_id) {
    p.Show("HAS_GROUP");
    p.Set("GROUP_NAME", GroupName(groups, e.security_group_id));
  } else {
    p.Show("NO_GROUP");
  }
  for (const auto& g : groups)
    AddOption(p, "GROUP_OPTION", g.id, g.display_name, g.id == e.security_group_id);
  return OkStatus();
}

Status AddUsers(Page& p, PortalDeps& d, const http::RouteContext&, const Admin& a,
                const env::Environment& e) {
  GH_ASSIGN_OR_RETURN(auto users, d.environments.ListUsers(a.tenant.id, e.id));
  for (const auto& u : users) {
    auto* row = p.Section("USER");
    auto user = d.directory.GetUser(a.tenant.id, u.user_id);
    row->SetValue("USER_ID", u.user_id);
    row->SetValue("HREF", a.base + "/users/" + u.user_id);
    row->SetValue("NAME", user.ok() ? user->display_name : u.user_id);
    row->SetValue("UPN", user.ok() ? user->user_principal_name : "");
    row->SetValue("STATE", u.enabled ? "enabled" : "disabled");
    row->SetValue("ADDED_BY", u.added_by);
    row->SetValue("SINCE", Date(u.created_at));
  }
  p.Show(users.empty() ? "NO_USERS" : "HAS_USERS");
  return OkStatus();
}

// A row's own controls are sections of the row: a section shown on the page
// would read the page's values (its ID), not the row's.
void ShowRowControls(ctemplate::TemplateDictionary& row, bool can_write) {
  row.ShowSection(can_write ? "REMOVABLE" : "READ_ONLY");
}

void AddAssignment(Page& p, PortalDeps& d, const Admin& a, const env::RoleAssignment& x,
                   const std::string& role) {
  const bool group = x.principal_kind == env::PrincipalKind::kGroup;
  Named who = group ? GroupNamed(d, a, x.principal_id) : UserNamed(d, a, x.principal_id);
  auto* row = p.Section("ASSIGNMENT");
  row->SetValue("ID", x.id);
  row->SetValue("NAME", who.name);
  row->SetValue("HREF", who.href);
  row->SetValue("KIND", group ? "Group" : "User");
  row->SetValue("ROLE_NAME", role);
  row->SetValue("SINCE", Date(x.created_at));
  ShowRowControls(*row, a.May(d.can.environments_write));
}

Status AddRoles(Page& p, PortalDeps& d, const http::RouteContext& ctx, const Admin& a,
                const env::Environment& e) {
  GH_ASSIGN_OR_RETURN(auto roles, d.environments.ListRoles(a.tenant.id, e.id));
  GH_ASSIGN_OR_RETURN(auto assignments, d.environments.ListRoleAssignments(a.tenant.id, e.id));
  const std::string chosen = http::FormValue(http::ParseForm(ctx.request.body), "roleId");
  const std::string reviewed = ctx.request.Query("role").value_or("");
  std::map<std::string, std::string> names;
  // The picker starts on no role, so a submit without a choice assigns nothing.
  AddOption(p, "ROLE_OPTION", "", "Choose a security role", false);
  for (const auto& r : roles) {
    names[r.id] = r.name;
    p.Section("ROLE")->SetValue("NAME", r.name);
    AddOption(p, "ROLE_OPTION", r.id, r.name, r.id == chosen);
    AddOption(p, "REVIEW_ROLE", r.id, r.name, r.id == reviewed);
  }
  for (const auto& x : assignments) AddAssignment(p, d, a, x, names[x.role_id]);
  p.Show(assignments.empty() ? "NO_ASSIGNMENTS" : "HAS_ASSIGNMENTS");
  return OkStatus();
}

// The review's filters from the page's query: ?role=<id>&guests=true.
env::ReviewQuery ReviewQueryOf(const http::RouteContext& ctx) {
  env::ReviewQuery q;
  q.role = ctx.request.Query("role").value_or("");
  if (ctx.request.Query("guests").value_or("") == "true") q.user_type = directory::UserType::kGuest;
  return q;
}

std::string ReviewAction(const Admin& a, const env::Environment& e, const env::ReviewQuery& q) {
  return EnvironmentPath(a, e) + "/review?role=" + http::PercentEncode(q.role) +
         (q.user_type ? "&guests=true" : "");
}

void AddHolder(Page& p, const env::RoleHolder& h, bool can_write) {
  auto* row = p.Section("HOLDER");
  row->SetValue("ID", h.id);
  row->SetValue("NAME", h.user.display_name);
  row->SetValue("UPN", h.user.user_principal_name);
  row->SetValue("USER_TYPE", std::string(directory::UserTypeName(h.user.user_type)));
  row->SetValue("ROLE_NAME", h.role_name);
  row->SetValue("VIA", h.via_group ? "Group " + h.via_group->display_name : "Direct");
  row->SetValue("SINCE", Date(h.since));
  ShowRowControls(*row, can_write);
}

Status AddReview(Page& p, PortalDeps& d, const http::RouteContext& ctx, const Admin& a,
                 const env::Environment& e) {
  const env::ReviewQuery q = ReviewQueryOf(ctx);
  GH_ASSIGN_OR_RETURN(auto holders, d.environments.Review(a.tenant.id, e.id, q));
  if (q.user_type) p.Show("GUESTS_ONLY");
  p.Set("REVIEW_ACTION", ReviewAction(a, e, q));
  for (const auto& h : holders) AddHolder(p, h, a.May(d.can.environments_write));
  p.Show(holders.empty() ? "NO_HOLDERS" : "HAS_HOLDERS");
  return OkStatus();
}

std::string NotifyOutcomeText(const std::string& outcome) {
  if (outcome == "queued") return "Notice sent";
  if (outcome == "noEmailAddress") return "Not sent: the user has no email address";
  return "Not sent: no such user";
}

std::string RemovalResultText(const std::string& result) {
  if (result == "removed") return "Removed";
  if (result == "inheritedFromGroup") return "Kept: held through a group";
  return "Not found";
}

void AddOutcome(Page& p, const Outcome& o) {
  ShowError(p, o.error);
  if (!o.notified.empty()) {
    auto queued =
        std::count_if(o.notified.begin(), o.notified.end(), [](auto& r) { return r.outcome == "queued"; });
    p.Show("NOTIFY_RESULTS");
    p.Set("QUEUED", std::to_string(queued)).Set("TOTAL", std::to_string(o.notified.size()));
  }
  for (const auto& r : o.notified) {
    auto* row = p.Section("NOTIFIED");
    row->SetValue("WHO", r.who);
    row->SetValue("EMAIL", r.email);
    row->SetValue("OUTCOME", r.outcome);
    row->SetValue("OUTCOME_TEXT", NotifyOutcomeText(r.outcome));
  }
  if (!o.removed.empty()) {
    auto removed =
        std::count_if(o.removed.begin(), o.removed.end(), [](auto& r) { return r.result == "removed"; });
    p.Show("REMOVAL_RESULTS");
    p.Set("REMOVED", std::to_string(removed)).Set("TOTAL", std::to_string(o.removed.size()));
  }
  for (const auto& r : o.removed) {
    auto* row = p.Section("REMOVAL");
    row->SetValue("WHO", r.who);
    row->SetValue("ROLE_NAME", r.role);
    row->SetValue("RESULT", r.result);
    row->SetValue("RESULT_TEXT", RemovalResultText(r.result));
    row->SetValue("MESSAGE", r.message);
  }
}

http::Response EnvironmentPage(PortalDeps& d, http::RouteContext& ctx, const Admin& a,
                               const env::Environment& e, const Outcome& o = {}) {
  FormPage p(d, ctx, "portal_environment", e.display_name + " · Environments");
  Layout(p, d, a, "/environments");
  AddSummary(p, e);
  AddTyped(p, ctx);
  if (a.May(d.can.environments_write)) p.Show("CAN_WRITE");
  for (PartFn add : {AddSecurityGroup, AddUsers, AddRoles, AddReview}) {
    Status s = add(p, d, ctx, a, e);
    if (!s.ok()) return ErrorPage(ctx.request, s, "Can't show " + e.display_name);
  }
  AddOutcome(p, o);
  return p.Response(o.error ? o.error->status : 200);
}

// The page again with the error at its field (nothing was changed).
http::Response Refused(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const env::Environment& e,
                       FieldError error) {
  Outcome o;
  o.error = std::move(error);
  return EnvironmentPage(d, ctx, a, e, o);
}

http::Response EnvironmentMissing(const http::Request& req, const Admin& a, const Status& s) {
  return ErrorPage(req, s, "Environment not found", "All environments",
                     a.base + "/environments");
}

// The environment in the path, or the page to show instead.
std::optional<http::Response> FindEnvironment(PortalDeps& d, Visit& v, env::Environment& e) {
  auto found = d.environments.Get(v.admin.tenant.id, v.ctx.params["id"]);
  if (!found.ok()) return EnvironmentMissing(v.ctx.request, v.admin, found.status());
  e = *found;
  return std::nullopt;
}

http::Response EnvironmentGet(PortalDeps& d, Visit& v) {
  env::Environment e;
  if (auto missing = FindEnvironment(d, v, e)) return *missing;
  return EnvironmentPage(d, v.ctx, v.admin, e);
}

http::Response SecurityGroupPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  env::Environment e;
  if (auto missing = FindEnvironment(d, v, e)) return *missing;
  env::EnvironmentPatch patch;
  const std::string group = form.Get("securityGroupId");
  // None ("") is an engaged empty value: it clears the group.
  patch.security_group_id = group.empty() ? std::optional<std::string>() : std::optional<std::string>(group);
  auto updated = d.environments.Update(a.Actor(), a.tenant.id, e.id, patch);
  if (!updated.ok()) return Refused(d, ctx, a, e, ErrorAt(ctx.request, updated.status(), {}, "SECURITY_GROUP_ERROR"));
  return Redirect(EnvironmentPath(a, e) + "#security-group", 303);
}

http::Response AssignPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  env::Environment e;
  if (auto missing = FindEnvironment(d, v, e)) return *missing;
  auto principal = PrincipalIdOf(d, a.tenant.id, Trim(form.Get("principal")));
  if (!principal.ok()) return Refused(d, ctx, a, e, ErrorAt(ctx.request, principal.status(), {}, "PRINCIPAL_ERROR"));
  const std::string role = form.Get("roleId");
  if (role.empty()) return Refused(d, ctx, a, e, FieldError{"ROLE_ERROR", "Choose a security role."});
  auto assigned = d.environments.AssignRole(a.Actor(), a.tenant.id, e.id, *principal, role);
  if (!assigned.ok())
    return Refused(d, ctx, a, e,
                   ErrorAt(ctx.request, assigned.status(), {{"Security role '", "ROLE_ERROR"}}, "PRINCIPAL_ERROR"));
  return Redirect(EnvironmentPath(a, e) + "#roles", 303);
}

http::Response RemovePost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  env::Environment e;
  if (auto missing = FindEnvironment(d, v, e)) return *missing;
  Status removed =
      d.environments.RemoveRoleAssignment(a.Actor(), a.tenant.id, e.id, form.Get("assignmentId"));
  if (!removed.ok()) return Refused(d, ctx, a, e, ErrorAt(ctx.request, removed, {}, "ASSIGNMENTS_ERROR"));
  return Redirect(EnvironmentPath(a, e) + "#roles", 303);
}

// "All users with access": everyone holding a security role here, directly
// or through a group (what lets a licensed user in).
StatusOr<std::vector<directory::User>> RoleHolders(PortalDeps& d, const Admin& a, const env::Environment& e) {
  GH_ASSIGN_OR_RETURN(auto holders, d.environments.Review(a.tenant.id, e.id, {}));
  std::vector<directory::User> out;
  std::set<std::string> seen;
  for (const auto& h : holders)
    if (seen.insert(h.user.id).second) out.push_back(h.user);
  if (out.empty()) return InvalidArgument("Nobody holds a security role in " + e.display_name + " yet.");
  return out;
}

// The users listed one a line; every line must name a user.
StatusOr<std::vector<directory::User>> ListedUsers(PortalDeps& d, const Admin& a, const std::string& text) {
  std::vector<directory::User> out;
  std::vector<std::string> unknown;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = std::min(text.find('\n', start), text.size());
    std::string line = Trim(std::string_view(text).substr(start, end - start));
    start = end + 1;
    if (line.empty()) continue;
    auto user = FindUser(d, a.tenant.id, line);
    if (user.ok())
      out.push_back(*user);
    else if (user.status().code() == Code::kNotFound)
      unknown.push_back(line);
    else
      return user.status();
  }
  if (!unknown.empty()) {
    std::string list;
    for (const auto& u : unknown) list += (list.empty() ? "" : ", ") + u;
    return InvalidArgument("No user found for: " + list + ". Nobody was notified.");
  }
  if (out.empty()) return InvalidArgument("Enter at least one user, or tick All users with access.");
  return out;
}

http::Response NotifyPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  env::Environment e;
  if (auto missing = FindEnvironment(d, v, e)) return *missing;
  auto users = form.Get("all") == "true" ? RoleHolders(d, a, e) : ListedUsers(d, a, form.Get("users"));
  if (!users.ok()) return Refused(d, ctx, a, e, ErrorAt(ctx.request, users.status(), {}, "NOTIFY_ERROR"));
  std::vector<std::string> ids;
  std::map<std::string, std::string> upn_of;
  for (const auto& u : *users) {
    ids.push_back(u.id);
    upn_of[u.id] = u.user_principal_name;
  }
  auto results = d.notifier.Notify(a.Actor(), a.tenant.id, e.id, ids);
  if (!results.ok()) return Refused(d, ctx, a, e, ErrorAt(ctx.request, results.status(), {}, "NOTIFY_ERROR"));
  // The per-person outcomes are shown once, on this response (sending again
  // within the minute is deduplicated by the notifier).
  Outcome o;
  for (const auto& r : *results) o.notified.push_back({upn_of[r.user_id], r.email, r.outcome});
  return EnvironmentPage(d, ctx, a, e, o);
}

http::Response ReviewPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  env::Environment e;
  if (auto missing = FindEnvironment(d, v, e)) return *missing;
  const std::vector<std::string> ids = form.All("remove");
  if (ids.empty())
    return Refused(d, ctx, a, e, FieldError{"REVIEW_ERROR", "Select the people whose access to remove."});
  auto before = d.environments.Review(a.tenant.id, e.id, ReviewQueryOf(ctx));
  if (!before.ok()) return Refused(d, ctx, a, e, ErrorAt(ctx.request, before.status(), {}, "REVIEW_ERROR"));
  auto results = d.environments.BulkRemove(a.Actor(), a.tenant.id, e.id, ids);
  if (!results.ok()) return Refused(d, ctx, a, e, ErrorAt(ctx.request, results.status(), {}, "REVIEW_ERROR"));
  // Shown once, on this response: removing the same ids again only reports
  // them as not found.
  std::map<std::string, const env::RoleHolder*> holder;
  for (const auto& h : *before) holder[h.id] = &h;
  Outcome o;
  for (const auto& r : *results) {
    const env::RoleHolder* h = holder.count(r.id) ? holder[r.id] : nullptr;
    o.removed.push_back({h ? h->user.user_principal_name : r.id, h ? h->role_name : "", r.result, r.message});
  }
  return EnvironmentPage(d, ctx, a, e, o);
}

}  // namespace

std::vector<http::Route> EnvironmentsPages(const Deps& d) {
  AddTemplates({"portal_environments", "portal_environment"});
  const std::string base = "/portal/{tenant}/environments";
  const Need read = &PortalPermissions::environments_read, write = &PortalPermissions::environments_write;
  return {
      PortalRoute(d, "GET", base, read, ListGet, "Environments: list and New environment"),
      PortalRoute(d, "POST", base, write, CreatePost, "Environments: create one"),
      PortalRoute(d, "GET", base + "/{id}", read, EnvironmentGet,
                  "An environment: URL, security group, users, roles, notices, access review"),
      PortalRoute(d, "POST", base + "/{id}/security-group", write, SecurityGroupPost,
                  "An environment: set or clear its security group"),
      PortalRoute(d, "POST", base + "/{id}/roles", write, AssignPost, "An environment: assign a security role"),
      PortalRoute(d, "POST", base + "/{id}/roles/remove", write, RemovePost,
                  "An environment: remove a role assignment"),
      PortalRoute(d, "POST", base + "/{id}/notify", write, NotifyPost, "An environment: email its URL to users"),
      PortalRoute(d, "POST", base + "/{id}/review", write, ReviewPost,
                  "An environment: remove access found in review"),
  };
}

}  // namespace gh::web::portal
