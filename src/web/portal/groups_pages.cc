// Groups: the list (search by the start of the name, type filter, paging,
// New group) and one group's page (members with Add/Remove, group-based
// licences, Delete). Refusals are shown next to the field they are about.
#include <algorithm>
#include <cctype>

#include "core/random.h"
#include "core/strings.h"
#include "directory/model/privileges.h"
#include "web/portal/portal.h"
#include "wire/mail_nickname.h"
#include "web/templates.h"

namespace gh::web::portal {
namespace {

constexpr int kPageSize = 50;

// A refusal shown on the re-rendered page: `section` is the template's error
// section next to the field it is about ("FORM_ERROR" when no field is).

std::string TypeName(const directory::Group& g) {
  std::string type = g.IsMicrosoft365() ? "Microsoft 365" : g.mail_enabled ? "Mail-enabled security" : "Security";
  return g.is_assignable_to_role ? type + " (role-assignable)" : type;
}


// ---- the list --------------------------------------------------------------------

// Microsoft 365 groups are always mail-enabled and security groups made here
// never are; groupTypes itself is not a filterable column.
FilterPtr TypeFilter(const std::string& type) {
  if (type != "security" && type != "microsoft365") return nullptr;
  return Where(FilterOp::kEq, "mailEnabled", type == "microsoft365");
}

StatusOr<store::Page<directory::Group>> ListPage(PortalDeps& d, const Admin& a, const std::string& q,
                                                 const std::string& type, const std::string& after) {
  directory::ListQuery query;
  query.tenant_id = a.tenant.id;
  query.top = kPageSize;
  query.after = after;
  if (!q.empty()) query.filter = Where(FilterOp::kStartsWith, "displayName", q);
  query.filter = Join(FilterOp::kAnd, query.filter, TypeFilter(type));
  return d.directory.ListGroups(query);
}

void FillNewGroupForm(FormPage& p, const Admin& a, const Form& posted, const MaybeRefusal& refusal) {
  p.Show("CAN_CREATE");
  if (directory::MayManageRoleAssignableGroup(a.Actor()).ok()) {
    p.Show("CAN_ROLE_ASSIGNABLE");
    if (posted.Get("isAssignableToRole") == "true") p.Set("ROLE_ASSIGNABLE", "checked");
  }
  p.Set("NAME", posted.Get("displayName")).Set("DESCRIPTION", posted.Get("description"));
  p.Set("GT_" + (posted.Get("groupType").empty() ? std::string("security") : posted.Get("groupType")), "selected");
  if (refusal) p.Section(refusal->section)->SetValue("MESSAGE", refusal->message);
}

http::Response GroupsList(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const MaybeRefusal& refusal) {
  const std::string q = ctx.request.Query("q").value_or("");
  const std::string type = ctx.request.Query("type").value_or("");
  auto page = ListPage(d, a, q, type, ctx.request.Query("after").value_or(""));
  if (!page.ok())
    return ErrorPage(ctx.request, page.status(), "Can't list groups", "All groups",
                       a.base + "/groups");
  FormPage p(d, ctx, "portal_groups_list", "Groups · " + a.tenant.name);
  Layout(p, d, a, "/groups");
  p.Set("Q", q).Set("TYPE_" + (type.empty() ? std::string("ANY") : type), "selected");
  for (const auto& g : page->items) {
    auto* row = p.Section("GROUP");
    row->SetValue("ID", g.id);
    row->SetValue("NAME", g.display_name);
    row->SetValue("TYPE", TypeName(g));
    row->SetValue("DESCRIPTION", g.description.value_or(""));
  }
  if (page->items.empty()) p.Show("NO_GROUPS");
  if (page->more)
    p.Section("NEXT")->SetValue("HREF", a.base + "/groups?q=" + http::PercentEncode(q) + "&type=" +
                                            http::PercentEncode(type) +
                                            "&after=" + http::PercentEncode(page->items.back().id));
  if (a.May(d.can.groups_write)) FillNewGroupForm(p, a, Form{http::ParseForm(ctx.request.body)}, refusal);
  return p.Response(refusal ? refusal->status : 200);
}

http::Response GroupsGet(PortalDeps& d, Visit& v) { return GroupsList(d, v.ctx, v.admin, std::nullopt); }

// The mail alias a new group gets: the name's, or a random one when the name
// has no letters or digits to make one.
std::string MailNicknameFor(PortalDeps& d, const std::string& name) {
  std::string nick = wire::MailNicknameFrom(name);
  return nick.empty() ? "group-" + d.random.NewUuid().substr(0, 8) : nick;
}

// Entra allows two groups with one name, but look-alike names are how an
// administrator licenses or secures an environment with the wrong group: the
// portal refuses them (the API doesn't). A Microsoft 365 group's alias is its
// mail address, so it must be free among the mail-enabled groups too.
StatusOr<std::optional<std::string>> NameClash(PortalDeps& d, const Admin& a, const directory::NewGroup& g) {
  directory::ListQuery query;
  query.tenant_id = a.tenant.id;
  query.top = 1;
  query.filter = Where(FilterOp::kEq, "displayName", g.display_name);
  if (g.mail_enabled)
    query.filter = Join(FilterOp::kOr, query.filter,
                           Join(FilterOp::kAnd, Where(FilterOp::kEq, "mailEnabled", true),
                                   Where(FilterOp::kEq, "mailNickname", g.mail_nickname)));
  GH_ASSIGN_OR_RETURN(auto page, d.directory.ListGroups(query));
  if (page.items.empty()) return std::optional<std::string>();
  const directory::Group& other = page.items.front();
  if (ToLower(other.display_name) == ToLower(g.display_name))
    return std::optional<std::string>("A group named '" + other.display_name + "' already exists.");
  return std::optional<std::string>("This name gives the email alias '" + g.mail_nickname + "', which the group '" +
                                    other.display_name + "' already uses. Choose another name.");
}

// The group the form describes, or the refusal of the field that is wrong.
std::variant<directory::NewGroup, Refusal> NewGroupFrom(PortalDeps& d, const Form& form) {
  directory::NewGroup g;
  g.display_name = form.Get("displayName");
  if (g.display_name.find_first_not_of(" \t\r\n") == std::string::npos)
    return Refusal{"NAME_ERROR", "Enter a name for the group."};
  const std::string type = form.Get("groupType");
  if (type != "security" && type != "microsoft365")
    return Refusal{"GROUP_TYPE_ERROR", "Choose Security or Microsoft 365."};
  if (std::string description = form.Get("description"); !description.empty()) g.description = description;
  g.mail_nickname = MailNicknameFor(d, g.display_name);
  if (type == "microsoft365") {
    g.group_types = {"Unified"};
    g.mail_enabled = true;
    g.security_enabled = false;
  }
  g.is_assignable_to_role = form.Get("isAssignableToRole") == "true";
  return g;
}

Refusal CreateRefusal(const http::Request& req, const Status& s) {
  bool about_description = s.message().find("'description'") != std::string::npos;
  return {about_description ? "DESCRIPTION_ERROR" : "NAME_ERROR", ShownMessage(req, s), PageStatusFor(s)};
}

http::Response GroupsPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  auto parsed = NewGroupFrom(d, form);
  if (auto* refusal = std::get_if<Refusal>(&parsed)) return GroupsList(d, ctx, a, *refusal);
  auto& in = std::get<directory::NewGroup>(parsed);
  auto clash = NameClash(d, a, in);
  if (!clash.ok()) return GroupsList(d, ctx, a, CreateRefusal(ctx.request, clash.status()));
  if (*clash) return GroupsList(d, ctx, a, Refusal{"NAME_ERROR", **clash});
  auto created = d.directory.CreateGroup(a.Actor(), a.tenant.id, std::move(in));
  if (!created.ok() && created.status().code() == Code::kPermissionDenied)
    return MessagePage(403, "You can't create this group", ShownMessage(ctx.request, created.status()), "All groups", a.base + "/groups");
  if (!created.ok()) return GroupsList(d, ctx, a, CreateRefusal(ctx.request, created.status()));
  return Redirect(a.base + "/groups/" + created->id, 303);
}

// ---- one group -------------------------------------------------------------------

std::string GroupIdOf(http::RouteContext& ctx) { return ToLower(ctx.params["id"]); }

http::Response GroupNotFound(const Admin& a) {
  return MessagePage(404, "Group not found", "It may have been deleted.", "All groups", a.base + "/groups");
}

// This group's licence states of a user: "Product: Active" or "Product: Error (reason)".
std::string LicenseStatus(const licensing::Resolution& res, const std::string& group_id, const std::string& user_id) {
  std::string out;
  for (const auto& st : res.Of(user_id).states) {
    if (st.assigned_by_group != group_id) continue;
    const licensing::Sku* sku = FindSku(res.skus, st.sku_id);
    std::string product = sku ? ProductName(*sku) : st.sku_id;
    out += (out.empty() ? "" : "; ") + product + ": " + (st.state == "Active" ? st.state : "Error (" + st.error + ")");
  }
  return out.empty() ? "—" : out;
}

void AddMemberRow(Page& p, const Admin& a, const directory::Group& g, const directory::Member& m,
                  const licensing::Resolution* res, bool can_write) {
  auto* row = p.Section("MEMBER");
  if (m.user) {
    row->SetValue("HREF", a.base + "/users/" + m.user->id);
    row->SetValue("NAME", m.user->display_name);
    row->SetValue("KIND", std::string(directory::UserTypeName(m.user->user_type)));
    row->SetValue("DETAIL", m.user->user_principal_name);
    row->SetValue("MEMBER_ID", m.user->id);
  } else {
    row->SetValue("HREF", a.base + "/groups/" + m.group->id);
    row->SetValue("NAME", m.group->display_name);
    row->SetValue("KIND", TypeName(*m.group) + " group");
    row->SetValue("DETAIL", m.group->mail.value_or(""));
    row->SetValue("MEMBER_ID", m.group->id);
  }
  if (res)
    row->AddSectionDictionary("LICENSE_STATUS")
        ->SetValue("TEXT", m.user ? LicenseStatus(*res, g.id, m.user->id) : "Through its members");
  if (can_write) row->AddSectionDictionary("REMOVE")->SetValue("GROUP_ID", g.id);
}

Status FillMembers(PortalDeps& d, Page& p, const Admin& a, const directory::Group& g,
                   const licensing::Resolution* res) {
  GH_ASSIGN_OR_RETURN(auto members, d.directory.ListMembers(a.tenant.id, g.id));
  for (const auto& m : members) AddMemberRow(p, a, g, m, res, a.May(d.can.groups_write));
  if (members.empty()) p.Show("NO_MEMBERS");
  return OkStatus();
}

// The group's licences, with Remove, and the products still to assign.
Status FillLicenses(PortalDeps& d, Page& p, const Admin& a, const directory::Group& g,
                    const licensing::Resolution& res) {
  GH_ASSIGN_OR_RETURN(auto assigned, d.licensing.GroupLicenses(a.tenant.id, g.id));
  const bool can_license = a.May(d.can.licenses_write);
  p.Show("LICENSES");
  if (can_license) p.Show("CAN_LICENSE");
  for (const auto& l : assigned) {
    const licensing::Sku* sku = FindSku(res.skus, l.sku_id);
    auto* row = p.Section("LICENSE");
    row->SetValue("SKU_ID", l.sku_id);
    row->SetValue("PRODUCT", sku ? ProductName(*sku) : l.sku_id);
    row->SetValue("PART", sku ? sku->sku_part_number : "");
    if (can_license) row->AddSectionDictionary("REMOVE")->SetValue("GROUP_ID", g.id);
  }
  if (assigned.empty()) p.Show("NO_LICENSES");
  if (!can_license) return OkStatus();
  ctemplate::TemplateDictionary* form = nullptr;
  for (const auto& sku : res.skus) {
    auto held = [&](const licensing::AssignedLicense& l) { return l.sku_id == sku.sku_id; };
    if (std::any_of(assigned.begin(), assigned.end(), held)) continue;
    if (!form) form = p.Section("ASSIGN");
    auto* option = form->AddSectionDictionary("SKU");
    option->SetValue("SKU_ID", sku.sku_id);
    option->SetValue("PRODUCT", ProductName(sku));
    option->SetValue("AVAILABLE", std::to_string(std::max<int64_t>(0, sku.prepaid_enabled - sku.consumed_units)));
    option->SetValue("ENABLED", std::to_string(sku.prepaid_enabled));
  }
  if (!form) p.Show("ALL_ASSIGNED");
  return OkStatus();
}

// Fills the page's sections; a failure to read leaves it for the caller to report.
Status FillGroup(PortalDeps& d, FormPage& p, const Admin& a, const directory::Group& g) {
  p.Set("ID", g.id).Set("NAME", g.display_name).Set("TYPE", TypeName(g));
  if (g.description) p.Section("DESCRIPTION")->SetValue("TEXT", *g.description);
  if (g.mail) p.Section("MAIL")->SetValue("ADDRESS", *g.mail);
  if (a.May(d.can.groups_write)) p.Show("CAN_WRITE");
  if (!a.May(d.can.licenses_read)) return FillMembers(d, p, a, g, nullptr);
  GH_ASSIGN_OR_RETURN(auto res, d.licensing.Resolve(a.tenant.id));
  GH_RETURN_IF_ERROR(FillMembers(d, p, a, g, &res));
  return FillLicenses(d, p, a, g, res);
}

http::Response GroupView(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const MaybeRefusal& refusal) {
  auto g = d.directory.GetGroup(a.tenant.id, GroupIdOf(ctx));
  if (!g.ok()) return g.status().code() == Code::kNotFound ? GroupNotFound(a)
                                                           : ErrorPage(ctx.request, g.status(), "Something went wrong");
  FormPage p(d, ctx, "portal_groups_group", g->display_name + " · Groups");
  Layout(p, d, a, "/groups");
  if (Status filled = FillGroup(d, p, a, *g); !filled.ok())
    return ErrorPage(ctx.request, filled, "Something went wrong");
  p.Set("MEMBER_VALUE", http::FormValue(http::ParseForm(ctx.request.body), "member"));
  return RespondWith(p, refusal);
}

http::Response GroupGet(PortalDeps& d, Visit& v) { return GroupView(d, v.ctx, v.admin, std::nullopt); }

// The object a typed member names: a user by user principal name, id or
// email address, or a group by id. NotFound when nothing matches.
StatusOr<std::string> ResolveMember(PortalDeps& d, const Admin& a, const std::string& key) {
  auto user = d.directory.GetUser(a.tenant.id, key);
  if (user.ok()) return user->id;
  if (user.status().code() != Code::kNotFound) return user.status();
  directory::ListQuery by_mail;
  by_mail.tenant_id = a.tenant.id;
  by_mail.top = 1;
  by_mail.filter = Where(FilterOp::kEq, "mail", key);
  GH_ASSIGN_OR_RETURN(auto mailed, d.directory.ListUsers(by_mail));
  if (!mailed.items.empty()) return mailed.items.front().id;
  if (IsUuid(ToLower(key))) {
    auto group = d.directory.GetGroup(a.tenant.id, ToLower(key));
    if (group.ok()) return group->id;
    if (group.status().code() != Code::kNotFound) return group.status();
  }
  return NotFound("No user or group in " + a.tenant.name + " has the user principal name, email address or id '" +
                  key + "'.");
}

http::Response AddMemberPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  const std::string key = form.Get("member");
  if (key.empty()) return GroupView(d, ctx, a, Refusal{"MEMBER_ERROR", "Enter the member's user principal name, email or id."});
  auto member = ResolveMember(d, a, key);
  Status added = member.ok() ? d.directory.AddMember(a.Actor(), a.tenant.id, GroupIdOf(ctx), *member)
                             : member.status();
  // An unknown member is a mistake in the field (400).
  if (!added.ok())
    return GroupView(d, ctx, a, Refusal{"MEMBER_ERROR", ShownMessage(ctx.request, added), FieldStatusFor(added)});
  return Redirect(a.base + "/groups/" + GroupIdOf(ctx), 303);
}

http::Response RemoveMemberPost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  Status removed = d.directory.RemoveMember(a.Actor(), a.tenant.id, GroupIdOf(ctx), ToLower(form.Get("memberId")));
  if (!removed.ok()) return GroupView(d, ctx, a, Refusal{"FORM_ERROR", ShownMessage(ctx.request, removed), PageStatusFor(removed)});
  return Redirect(a.base + "/groups/" + GroupIdOf(ctx), 303);
}

http::Response ChangeLicenses(PortalDeps& d, http::RouteContext& ctx, const Admin& a,
                              const licensing::LicenseChange& change, const std::string& error_section) {
  auto changed = d.licensing.AssignGroupLicenses(a.Actor(), a.tenant.id, GroupIdOf(ctx), change);
  if (!changed.ok())
    return GroupView(d, ctx, a, Refusal{error_section, ShownMessage(ctx.request, changed.status()), PageStatusFor(changed.status())});
  return Redirect(a.base + "/groups/" + GroupIdOf(ctx), 303);
}

http::Response AssignLicensePost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  const std::string sku = ToLower(form.Get("skuId"));
  if (sku.empty()) return GroupView(d, ctx, a, Refusal{"LICENSE_ERROR", "Choose a license."});
  licensing::LicenseChange change;
  change.add.push_back({sku, {}});
  return ChangeLicenses(d, ctx, a, change, "LICENSE_ERROR");
}

http::Response RemoveLicensePost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  licensing::LicenseChange change;
  change.remove.push_back(ToLower(form.Get("skuId")));
  return ChangeLicenses(d, ctx, a, change, "FORM_ERROR");
}

http::Response DeletePost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  Status deleted = d.directory.DeleteGroup(a.Actor(), a.tenant.id, GroupIdOf(ctx));
  if (deleted.code() == Code::kNotFound) return GroupNotFound(a);
  if (!deleted.ok()) return GroupView(d, ctx, a, Refusal{"FORM_ERROR", ShownMessage(ctx.request, deleted), PageStatusFor(deleted)});
  return Redirect(a.base + "/groups", 303);
}

}  // namespace

std::vector<http::Route> GroupsPages(const Deps& d) {
  AddTemplates({"portal_groups_list", "portal_groups_group"});
  const std::string group = "/portal/{tenant}/groups/{id}";
  const Need read = &PortalPermissions::groups_read, write = &PortalPermissions::groups_write;
  const Need licenses = &PortalPermissions::licenses_write;
  return {
      PortalRoute(d, "GET", "/portal/{tenant}/groups", read, GroupsGet, "Groups: search, type filter, paging"),
      PortalRoute(d, "POST", "/portal/{tenant}/groups", write, GroupsPost, "Groups: create a group"),
      PortalRoute(d, "GET", group, read, GroupGet, "Groups: one group, its members and licenses"),
      PortalRoute(d, "POST", group + "/members", write, AddMemberPost, "Groups: add a member"),
      PortalRoute(d, "POST", group + "/members/remove", write, RemoveMemberPost, "Groups: remove a member"),
      PortalRoute(d, "POST", group + "/licenses", licenses, AssignLicensePost, "Groups: assign a license to the group"),
      PortalRoute(d, "POST", group + "/licenses/remove", licenses, RemoveLicensePost,
                  "Groups: remove a license from the group"),
      PortalRoute(d, "POST", group + "/delete", write, DeletePost, "Groups: delete a group"),
  };
}

}  // namespace gh::web::portal
