// One user's page: profile, licences (direct and through groups), groups,
// directory roles, environment roles, invitation and audit trail, and the
// forms on it, each refusal shown next to its field. The users list and New
// guest user are users_pages.cc.
#include <algorithm>

#include "core/clock.h"
#include "directory/model/privileges.h"
#include "licensing/model.h"
#include "web/portal/portal.h"
#include "web/portal/users_internal.h"
#include "web/templates.h"

namespace gh::web::portal {
namespace {

using directory::User;
using Dict = ctemplate::TemplateDictionary;
using users::AllGroups;
using users::Contains;
using users::kDefaultRedirectUrl;

std::string UserPath(const Admin& a, const User& u) { return a.base + "/users/" + u.id; }

std::string GroupName(PortalDeps& d, const std::string& tenant_id, const std::string& group_id) {
  auto g = d.directory.GetGroup(tenant_id, group_id);
  return g.ok() ? g->display_name : group_id;
}

// The options of one <select>, after an empty first choice ("Choose a
// role"): a picker that starts on a real role, licence or group would assign
// it to whoever submits without looking. Posting the empty choice is refused
// with "Choose …"; when nothing is left to offer, it says so instead.
class Options {
 public:
  Options(Dict* form, const char* section, const char* choose)
      : form_(form), section_(section), empty_(Option("", choose)) {}
  void Add(const std::string& value, const std::string& text) {
    Option(value, text);
    ++count_;
  }
  void NoneLeft(const char* text) {
    if (count_ == 0) empty_->SetValue("TEXT", text);
  }

 private:
  Dict* Option(const std::string& value, const std::string& text) {
    auto* option = form_->AddSectionDictionary(section_);
    option->SetValue("VALUE", value);
    option->SetValue("TEXT", text);
    return option;
  }

  Dict* form_;
  const char* section_;
  Dict* empty_;
  int count_ = 0;
};

// ---- the user page: what it shows ------------------------------------------------

// What a user page rendered after a form shows besides the user: the refusal
// next to the field it is about, or an invitation's outcome.
struct Outcome {
  std::string field;  // the input id the error belongs to ("usageLocation", "skuId", "invitation", …)
  std::string error;
  std::optional<Form> typed;  // the profile as typed, when the profile was refused
  std::string notice;         // what an invitation action did
  std::string redeem_url;     // and its new redemption link
  int status = 200;
};

void ShowError(Dict* form, const char* section, const Outcome& o, std::string_view field) {
  if (o.field == field) form->AddSectionDictionary(section)->SetValue("MESSAGE", o.error);
}

// The checkbox is posted after a hidden "false", so "true" among the values
// means it is ticked, and no value at all means the form didn't carry it.
std::optional<bool> AccountEnabledIn(const Form& form) {
  auto values = form.All("accountEnabled");
  if (values.empty()) return std::nullopt;
  return Contains(values, "true");
}

std::optional<std::string> NullIfEmpty(const std::string& v) {
  return v.empty() ? std::nullopt : std::optional<std::string>(v);
}

// The profile's editable text fields, named as Graph names the properties (so
// the directory's refusals, which quote the property, find their field).
struct ProfileField {
  const char* id;
  const char* label;
  const char* hint;  // may be null
  std::string (*read)(const User&);
  void (*write)(directory::UserPatch&, const std::string&);  // an empty optional property is cleared
};
const ProfileField kProfileFields[] = {
    {"displayName", "Display name", nullptr, [](const User& u) { return u.display_name; },
     [](directory::UserPatch& p, const std::string& v) { p.display_name = v; }},
    {"givenName", "First name", nullptr, [](const User& u) { return u.given_name.value_or(""); },
     [](directory::UserPatch& p, const std::string& v) { p.given_name.emplace(NullIfEmpty(v)); }},
    {"surname", "Last name", nullptr, [](const User& u) { return u.surname.value_or(""); },
     [](directory::UserPatch& p, const std::string& v) { p.surname.emplace(NullIfEmpty(v)); }},
    {"usageLocation", "Usage location",
     "Two-letter country code (ISO 3166-1), such as US or GB. A license can't be assigned without it.",
     [](const User& u) { return u.usage_location.value_or(""); },
     [](directory::UserPatch& p, const std::string& v) { p.usage_location.emplace(NullIfEmpty(v)); }},
};

// The profile field a directory refusal quotes ("Property 'usageLocation' …").
std::string ProfileFieldOf(const Status& s) {
  for (const auto& f : kProfileFields)
    if (s.message().find("'" + std::string(f.id) + "'") != std::string::npos) return f.id;
  return kProfileFields[0].id;
}

// Only what the form changes goes into the patch, so the audit entry names
// exactly the properties the admin changed; fields the form lacks stay.
directory::UserPatch ProfilePatch(const Form& form, const User& u) {
  directory::UserPatch patch;
  for (const auto& f : kProfileFields) {
    bool posted = std::any_of(form.fields.begin(), form.fields.end(), [&](const auto& kv) { return kv.first == f.id; });
    if (std::string typed = form.Get(f.id); posted && typed != f.read(u)) f.write(patch, typed);
  }
  if (auto enabled = AccountEnabledIn(form); enabled && *enabled != u.account_enabled) patch.account_enabled = enabled;
  return patch;
}

void FillProfileValues(Page& p, const User& u) {
  for (const auto& f : kProfileFields) {
    auto* row = p.Section("PROFILE_VALUE");
    row->SetValue("LABEL", f.label);
    row->SetValue("VALUE", f.read(u));
  }
  auto* row = p.Section("PROFILE_VALUE");
  row->SetValue("LABEL", "Account enabled");
  row->SetValue("VALUE", u.account_enabled ? "Yes" : "No");
}

void FillProfileForm(Dict* form, const User& u, const Outcome& o) {
  for (const auto& f : kProfileFields) {
    auto* row = form->AddSectionDictionary("FIELD");
    row->SetValue("FIELD_ID", f.id);
    row->SetValue("LABEL", f.label);
    row->SetValue("VALUE", o.typed ? o.typed->Get(f.id) : f.read(u));
    if (f.hint) row->AddSectionDictionary("HINT")->SetValue("TEXT", f.hint);
    ShowError(row, "FIELD_ERROR", o, f.id);
  }
  std::optional<bool> typed_enabled = o.typed ? AccountEnabledIn(*o.typed) : std::nullopt;
  if (typed_enabled.value_or(u.account_enabled)) form->ShowSection("ENABLED");
}

Status FillProfile(Page& p, PortalDeps& d, const Admin& a, const User& u, const Outcome& o) {
  p.Set("TYPE", std::string(directory::UserTypeName(u.user_type)));
  p.Set("UPN", u.user_principal_name).Set("MAIL", u.mail.value_or("")).Set("CREATED", FormatIso8601(u.created_at));
  if (u.external_user_state) p.Section("EXTERNAL")->SetValue("STATE", *u.external_user_state);
  if (a.May(d.can.users_write)) {
    FillProfileForm(p.Section("PROFILE_FORM"), u, o);
  } else {
    FillProfileValues(p, u);
  }
  return OkStatus();
}

bool HoldsDirectly(const licensing::UserLicenses& held, const std::string& sku_id) {
  return std::any_of(held.states.begin(), held.states.end(),
                     [&](const auto& s) { return s.sku_id == sku_id && !s.assigned_by_group; });
}

void AddLicenseRow(Dict* section, PortalDeps& d, const Admin& a, const std::vector<licensing::Sku>& skus,
                   const licensing::AssignmentState& state, bool removable) {
  auto* row = section->AddSectionDictionary("LICENSE");
  const licensing::Sku* sku = FindSku(skus, state.sku_id);
  row->SetValue("PRODUCT", sku ? ProductName(*sku) : state.sku_id);
  row->SetValue("PART", sku ? sku->sku_part_number : state.sku_id);
  row->SetValue("STATE", state.error == "None" ? state.state : state.state + " (" + state.error + ")");
  if (state.assigned_by_group) {
    auto* via = row->AddSectionDictionary("INHERITED");
    via->SetValue("GROUP_ID", *state.assigned_by_group);
    via->SetValue("GROUP_NAME", GroupName(d, a.tenant.id, *state.assigned_by_group));
    return;
  }
  row->ShowSection("DIRECT");
  if (removable) row->AddSectionDictionary("REMOVE_LICENSE")->SetValue("SKU_ID", state.sku_id);
}

// Offers the SKUs with seats left that the user doesn't hold directly.
void FillLicenseForm(Dict* form, const std::vector<licensing::Sku>& skus, const licensing::UserLicenses& held,
                     const Outcome& o) {
  Options options(form, "SKU_OPTION", "Choose a license");
  for (const auto& sku : skus) {
    const int64_t left = sku.prepaid_enabled - sku.consumed_units;
    if (left <= 0 || HoldsDirectly(held, sku.sku_id)) continue;
    options.Add(sku.sku_id, ProductName(sku) + " — " + std::to_string(left) + " of " +
                                std::to_string(sku.prepaid_enabled) + " available");
  }
  options.NoneLeft("No other license has seats left");
  ShowError(form, "SKU_ERROR", o, "skuId");
}

Status FillLicenses(Page& p, PortalDeps& d, const Admin& a, const User& u, const Outcome& o) {
  GH_ASSIGN_OR_RETURN(auto resolution, d.licensing.Resolve(a.tenant.id));
  const licensing::UserLicenses& held = resolution.Of(u.id);
  const bool may_write = a.May(d.can.licenses_write);
  auto* section = p.Section("LICENSES");
  for (const auto& state : held.states) AddLicenseRow(section, d, a, resolution.skus, state, may_write);
  if (held.states.empty()) section->ShowSection("NO_LICENSES");
  if (may_write) FillLicenseForm(section->AddSectionDictionary("LICENSE_FORM"), resolution.skus, held, o);
  return OkStatus();
}

void AddGroupRow(Dict* section, const directory::Group& g, bool removable) {
  auto* row = section->AddSectionDictionary("GROUP");
  row->SetValue("GROUP_ID", g.id);
  row->SetValue("GROUP_NAME", g.display_name);
  row->SetValue("KIND", g.IsMicrosoft365() ? "Microsoft 365" : "Security");
  if (removable) row->ShowSection("REMOVE_GROUP");
}

// Offers the groups the user isn't a direct member of.
void FillGroupForm(Dict* form, const std::vector<directory::Group>& groups, const std::vector<std::string>& member_of,
                   const Outcome& o) {
  Options options(form, "GROUP_OPTION", "Choose a group");
  for (const auto& g : groups)
    if (!Contains(member_of, g.id)) options.Add(g.id, g.display_name);
  options.NoneLeft("No other group");
  ShowError(form, "GROUP_ERROR", o, "groupId");
}

Status FillGroups(Page& p, PortalDeps& d, const Admin& a, const User& u, const Outcome& o) {
  GH_ASSIGN_OR_RETURN(auto member_of, d.directory.GroupsOf(a.tenant.id, u.id));
  GH_ASSIGN_OR_RETURN(auto groups, AllGroups(d, a.tenant.id));
  const bool may_write = a.May(d.can.groups_write);
  auto* section = p.Section("GROUPS");
  for (const auto& g : groups)
    if (Contains(member_of, g.id)) AddGroupRow(section, g, may_write);
  if (member_of.empty()) section->ShowSection("NO_GROUPS");
  if (may_write) FillGroupForm(section->AddSectionDictionary("GROUP_FORM"), groups, member_of, o);
  return OkStatus();
}

Dict* AddRoleRow(Dict* section, const directory::RoleAssignment& assignment) {
  auto* row = section->AddSectionDictionary("ROLE");
  const directory::RoleTemplate* role = directory::FindRoleTemplate(assignment.role_definition_id);
  row->SetValue("ROLE_NAME", role ? std::string(role->display_name) : assignment.role_definition_id);
  return row;
}

// Offers the built-in roles the user doesn't hold directly.
void FillRoleForm(Dict* form, const std::vector<directory::RoleAssignment>& direct, const Outcome& o) {
  Options options(form, "ROLE_OPTION", "Choose a role");
  for (const auto& role : directory::BuiltInRoles()) {
    bool held = std::any_of(direct.begin(), direct.end(),
                            [&](const auto& ra) { return ra.role_definition_id == role.id; });
    if (!held) options.Add(std::string(role.id), std::string(role.display_name));
  }
  options.NoneLeft("Every role is assigned");
  ShowError(form, "ROLE_ERROR", o, "roleId");
}

// The roles held directly (removable here) and through groups (removed from
// the group instead).
Status FillDirectoryRoles(Page& p, PortalDeps& d, const Admin& a, const User& u, const Outcome& o) {
  GH_ASSIGN_OR_RETURN(auto direct, d.directory.ListRoleAssignments(a.tenant.id, u.id));
  GH_ASSIGN_OR_RETURN(auto groups, d.directory.TransitiveGroupsOf(a.tenant.id, u.id));
  const bool may_write = a.May(d.can.roles_write);
  auto* section = p.Section("ROLES");
  bool any = !direct.empty();
  for (const auto& ra : direct) {
    auto* row = AddRoleRow(section, ra);
    row->ShowSection("DIRECT");
    if (may_write) row->AddSectionDictionary("REMOVE_ROLE")->SetValue("ASSIGNMENT_ID", ra.id);
  }
  for (const auto& group_id : groups) {
    GH_ASSIGN_OR_RETURN(auto through, d.directory.ListRoleAssignments(a.tenant.id, group_id));
    for (const auto& ra : through) {
      auto* via = AddRoleRow(section, ra)->AddSectionDictionary("VIA");
      via->SetValue("GROUP_ID", group_id);
      via->SetValue("GROUP_NAME", GroupName(d, a.tenant.id, group_id));
      any = true;
    }
  }
  if (!any) section->ShowSection("NO_ROLES");
  if (may_write) FillRoleForm(section->AddSectionDictionary("ROLE_FORM"), direct, o);
  return OkStatus();
}

std::string RoleNames(const std::vector<environments::SecurityRole>& roles) {
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : ", ") + r.name;
  return out;
}

Status FillEnvironmentRoles(Page& p, PortalDeps& d, const Admin& a, const User& u, const Outcome&) {
  GH_ASSIGN_OR_RETURN(auto envs, d.environments.List(a.tenant.id));
  auto* section = p.Section("ENVIRONMENTS");
  for (const auto& env : envs) {
    GH_ASSIGN_OR_RETURN(auto roles, d.environments.EffectiveRoles(a.tenant.id, env.id, u.id));
    auto* row = section->AddSectionDictionary("ENVIRONMENT");
    row->SetValue("ENV_ID", env.id);
    row->SetValue("ENV_NAME", env.display_name);
    row->SetValue("SECURITY_ROLES", RoleNames(roles));
    if (roles.empty()) row->ShowSection("NO_SECURITY_ROLE");
  }
  if (envs.empty()) section->ShowSection("NO_ENVIRONMENTS");
  return OkStatus();
}

// For invited users (and for a refused invitation action on anyone).
Status FillInvitation(Page& p, PortalDeps&, const Admin&, const User& u, const Outcome& o) {
  if (!u.external_user_state && o.field != "invitation") return OkStatus();
  const std::string state = u.external_user_state.value_or("Not invited");
  auto* section = p.Section("INVITATION");
  section->SetValue("INVITATION_STATE", state);
  if (u.external_user_state_changed_at)
    section->AddSectionDictionary("CHANGED")->SetValue("AT", FormatIso8601(*u.external_user_state_changed_at));
  if (state == "PendingAcceptance") section->ShowSection("RESEND");
  if (!o.notice.empty()) {
    auto* notice = section->AddSectionDictionary("NOTICE");
    notice->SetValue("TEXT", o.notice);
    // A reset's link is withheld from all but Global Administrators: it signs in as the user.
    if (!o.redeem_url.empty()) notice->AddSectionDictionary("LINK")->SetValue("REDEEM", o.redeem_url);
  }
  ShowError(section, "INVITATION_ERROR", o, "invitation");
  return OkStatus();
}

// The latest 50 entries about this user, newest first.
Status FillAudit(Page& p, PortalDeps& d, const Admin& a, const User& u, const Outcome&) {
  store::AuditQuery q;
  q.tenant_id = a.tenant.id;
  q.target_id = u.id;
  q.top = 50;
  GH_ASSIGN_OR_RETURN(auto page, d.directory.ListAudit(q));
  auto* section = p.Section("AUDIT");
  for (const auto& e : page.items) {
    auto* row = section->AddSectionDictionary("ENTRY");
    row->SetValue("DATE", FormatIso8601(e.time));
    row->SetValue("ACTIVITY", e.activity);
    row->SetValue("ACTOR", e.actor_name);
    row->SetValue("RESULT", e.result_reason.empty() ? e.result : e.result + ": " + e.result_reason);
  }
  if (page.items.empty()) section->ShowSection("NO_AUDIT");
  return OkStatus();
}

// The page's sections in order, each with the permission that shows it (the
// API's read permission for the same data).
using SectionFiller = Status (*)(Page&, PortalDeps&, const Admin&, const User&, const Outcome&);
struct UserSection {
  http::Permission PortalPermissions::*need;
  SectionFiller fill;
};
constexpr UserSection kUserSections[] = {
    {nullptr, FillProfile},
    {&PortalPermissions::licenses_read, FillLicenses},
    {&PortalPermissions::groups_read, FillGroups},
    {&PortalPermissions::roles_read, FillDirectoryRoles},
    {&PortalPermissions::environments_read, FillEnvironmentRoles},
    {nullptr, FillInvitation},
    {&PortalPermissions::audit_read, FillAudit},
};

http::Response UserPage(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const User& u, const Outcome& o) {
  FormPage p(d, ctx, "portal_users_user", u.display_name);
  Layout(p, d, a, "/users");
  p.Set("NAME", u.display_name).Set("USER_ID", u.id);
  for (const UserSection& s : kUserSections) {
    if (s.need && !a.May(d.can.*s.need)) continue;
    if (Status shown = s.fill(p, d, a, u, o); !shown.ok())
      return ErrorPage(ctx.request, shown, "Can't show " + u.display_name, "All users",
                         a.base + "/users");
  }
  return p.Response(o.status);
}

http::Response UserNotFound(const http::Request& req, const Admin& a, const Status& s) {
  if (s.code() != Code::kNotFound)
    return ErrorPage(req, s, "Something went wrong", "All users", a.base + "/users");
  return MessagePage(404, "User not found",
                     "No user of " + a.tenant.name + " has this object id or user principal name.", "All users",
                     a.base + "/users");
}

// The user in the path, or the page to show instead (404).
std::optional<http::Response> FindUser(PortalDeps& d, Visit& v, User& out) {
  auto user = d.directory.GetUser(v.admin.tenant.id, v.ctx.params["id"]);
  if (!user.ok()) return UserNotFound(v.ctx.request, v.admin, user.status());
  out = *std::move(user);
  return std::nullopt;
}

http::Response UserGet(PortalDeps& d, Visit& v) {
  User user;
  if (auto missing = FindUser(d, v, user)) return *missing;
  return UserPage(d, v.ctx, v.admin, user, {});
}

// ---- the user page: its forms -------------------------------------------------

// Post/Redirect/Get back to the section on success; on a refusal, the page
// again with the message next to `field` (and nothing changed: every service
// call here is one transaction).
http::Response Finish(PortalDeps& d, Visit& v, const User& user, const Status& s, std::string_view field,
                      std::string_view anchor, std::optional<Form> typed = std::nullopt) {
  if (s.ok()) return Redirect(UserPath(v.admin, user) + "#" + std::string(anchor), 303);
  Outcome o;
  o.field = field;
  o.error = ShownMessage(v.ctx.request, s);
  o.typed = std::move(typed);
  o.status = PageStatusFor(s);
  return UserPage(d, v.ctx, v.admin, user, o);
}

http::Response ProfilePost(PortalDeps& d, Visit& v) {
  User user;
  if (auto missing = FindUser(d, v, user)) return *missing;
  const directory::UserPatch patch = ProfilePatch(v.form, user);
  if (patch.empty()) return Finish(d, v, user, OkStatus(), "", "profile");
  Status s = d.directory.UpdateUser(v.admin.Actor(), v.admin.tenant.id, user.id, patch).status();
  return Finish(d, v, user, s, ProfileFieldOf(s), "profile", v.form);
}

// A form of the user page that posts one chosen value (a picker's, or a
// Remove button's hidden one).
struct Choice {
  const char* name;      // the posted field
  const char* shown_at;  // the input id its refusal appears next to
  const char* what;      // what to choose, for the refusal when nothing was
  const char* anchor;    // the page section to go back to
};
constexpr Choice kLicenseToAssign{"skuId", "skuId", "a license", "licenses"};
constexpr Choice kLicenseToRemove{"skuId", "skuId", "a license to remove", "licenses"};
constexpr Choice kGroupToJoin{"groupId", "groupId", "a group", "groups"};
constexpr Choice kGroupToLeave{"groupId", "groupId", "a group to remove", "groups"};
constexpr Choice kRoleToAssign{"roleId", "roleId", "a role", "roles"};
constexpr Choice kRoleToRemove{"assignmentId", "roleId", "a role assignment to remove", "roles"};

// Runs `change(admin, user, value)` for the value chosen in `c`'s form,
// about the user in the path.
template <typename Change>
http::Response Choose(PortalDeps& d, Visit& v, const Choice& c, Change change) {
  User user;
  if (auto missing = FindUser(d, v, user)) return *missing;
  const std::string value = v.form.Get(c.name);
  Status s = value.empty() ? InvalidArgument("Choose " + std::string(c.what) + ".") : change(v.admin, user, value);
  return Finish(d, v, user, s, c.shown_at, c.anchor);
}

Status ChangeLicenses(PortalDeps& d, const Admin& a, const User& u, const licensing::LicenseChange& change) {
  return d.licensing.AssignUserLicenses(a.Actor(), a.tenant.id, u.id, change).status();
}

http::Response LicenseAssign(PortalDeps& d, Visit& v) {
  return Choose(d, v, kLicenseToAssign, [&](const Admin& a, const User& u, const std::string& sku) {
    return ChangeLicenses(d, a, u, {.add = {{sku, {}}}, .remove = {}});
  });
}

http::Response LicenseRemove(PortalDeps& d, Visit& v) {
  return Choose(d, v, kLicenseToRemove, [&](const Admin& a, const User& u, const std::string& sku) {
    return ChangeLicenses(d, a, u, {.add = {}, .remove = {sku}});
  });
}

// Membership is GroupMember.ReadWrite.All in the API; for users (the only
// callers here) it admits the same roles as groups_write.
http::Response GroupAdd(PortalDeps& d, Visit& v) {
  return Choose(d, v, kGroupToJoin, [&](const Admin& a, const User& u, const std::string& group) {
    return d.directory.AddMember(a.Actor(), a.tenant.id, group, u.id);
  });
}

http::Response GroupRemove(PortalDeps& d, Visit& v) {
  return Choose(d, v, kGroupToLeave, [&](const Admin& a, const User& u, const std::string& group) {
    return d.directory.RemoveMember(a.Actor(), a.tenant.id, group, u.id);
  });
}

http::Response RoleAssign(PortalDeps& d, Visit& v) {
  return Choose(d, v, kRoleToAssign, [&](const Admin& a, const User& u, const std::string& role) {
    return d.directory.AssignRole(a.Actor(), a.tenant.id, role, u.id).status();
  });
}

// Only this user's own assignments can be removed from this page, whatever
// id the form carries.
Status RemoveOwnRoleAssignment(PortalDeps& d, const Admin& a, const User& u, const std::string& assignment_id) {
  GH_ASSIGN_OR_RETURN(auto assignment, d.directory.GetRoleAssignment(a.tenant.id, assignment_id));
  if (assignment.principal_id != u.id) return NotFound("That role assignment isn't " + u.display_name + "'s.");
  return d.directory.RemoveRoleAssignment(a.Actor(), a.tenant.id, assignment_id);
}

http::Response RoleRemove(PortalDeps& d, Visit& v) {
  return Choose(d, v, kRoleToRemove, [&](const Admin& a, const User& u, const std::string& assignment) {
    return RemoveOwnRoleAssignment(d, a, u, assignment);
  });
}

// The address an invitation action writes to: the invited user's mail.
StatusOr<std::string> InvitedAddress(const User& u) {
  if (!u.external_user_state)
    return FailedPrecondition(u.display_name + " wasn't invited, so there is no invitation to resend or reset.");
  if (!u.mail || u.mail->empty())
    return FailedPrecondition(u.display_name + " has no email address to send an invitation to.");
  return *u.mail;
}

// Sends `req` for the user on the page and shows the new redemption link in
// the Invitation section. The service decides whether this admin may invite;
// its refusal is a 403 page.
http::Response SendInvitation(PortalDeps& d, Visit& v, const User& user, const invitations::InvitationRequest& req) {
  auto res = d.invitations.Invite(v.admin.Inviter(), v.admin.tenant.id, req);
  if (!res.ok() && res.status().code() == Code::kPermissionDenied)
    return MessagePage(403, "You can't invite " + user.display_name, ShownMessage(v.ctx.request, res.status()),
                       "Back to the user", UserPath(v.admin, user));
  if (!res.ok()) return Finish(d, v, user, res.status(), "invitation", "invitation");
  if (res->status == invitations::InvitationStatus::kCompleted)  // already redeemed: the service sent nothing
    return Finish(d, v, user,
                  FailedPrecondition(user.display_name +
                                     " has already accepted the invitation, so there is nothing to resend. To make "
                                     "them redeem again, reset the redemption status."),
                  "invitation", "invitation");
  Outcome o;
  o.notice = (req.reset_redemption ? "The redemption status is reset. " : "") +
             std::string("A new invitation email is on its way to ") + req.email + ".";
  o.redeem_url = res->redeem_url;
  return UserPage(d, v.ctx, v.admin, res->user, o);
}

// A new invitation email to the address the user was invited with: with
// `reset`, Graph's resetRedemption (the same guest object, groups and
// licences; the next redemption binds whichever identity accepts).
http::Response Reinvite(PortalDeps& d, Visit& v, bool reset) {
  User user;
  if (auto missing = FindUser(d, v, user)) return *missing;
  auto email = InvitedAddress(user);
  if (!email.ok()) return Finish(d, v, user, email.status(), "invitation", "invitation");
  invitations::InvitationRequest req;
  req.email = *email;
  req.redirect_url = kDefaultRedirectUrl;
  req.send_message = true;
  req.reset_redemption = reset;
  if (reset) req.invited_user_id = user.id;
  return SendInvitation(d, v, user, req);
}

// The invitation service decides who may invite.
http::Response InvitationResend(PortalDeps& d, Visit& v) { return Reinvite(d, v, false); }
http::Response InvitationReset(PortalDeps& d, Visit& v) { return Reinvite(d, v, true); }

}  // namespace

std::vector<http::Route> UserPages(const Deps& d) {
  AddTemplates({"portal_users_user"});
  const std::string user = "/portal/{tenant}/users/{id}";
  const Need read = &PortalPermissions::users_read;
  const Need licenses = &PortalPermissions::licenses_write, groups = &PortalPermissions::groups_write;
  const Need roles = &PortalPermissions::roles_write;
  return {
      PortalRoute(d, "GET", user, read, UserGet, "A user: profile, licenses, groups, roles, invitation, audit"),
      PortalRoute(d, "POST", user + "/profile", &PortalPermissions::users_write, ProfilePost,
                  "A user: save the profile"),
      PortalRoute(d, "POST", user + "/licenses", licenses, LicenseAssign, "A user: assign a license"),
      PortalRoute(d, "POST", user + "/licenses/remove", licenses, LicenseRemove, "A user: remove a direct license"),
      PortalRoute(d, "POST", user + "/groups", groups, GroupAdd, "A user: add to a group"),
      PortalRoute(d, "POST", user + "/groups/remove", groups, GroupRemove, "A user: remove from a group"),
      PortalRoute(d, "POST", user + "/roles", roles, RoleAssign, "A user: assign a directory role"),
      PortalRoute(d, "POST", user + "/roles/remove", roles, RoleRemove, "A user: remove a directory role"),
      PortalRoute(d, "POST", user + "/invitation/resend", read, InvitationResend, "A guest: resend the invitation"),
      PortalRoute(d, "POST", user + "/invitation/reset", read, InvitationReset, "A guest: reset redemption status"),
  };
}

}  // namespace gh::web::portal
