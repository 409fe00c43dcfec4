// Users: the list (search, member/guest and invitation-state filters,
// paging) and New guest user (one invitation, optionally into groups, the
// refusal shown next to the field it is about). One user's page is
// user_page.cc.
#include <algorithm>

#include "directory/model/privileges.h"
#include "web/portal/portal.h"
#include "web/portal/users_internal.h"
#include "web/templates.h"

namespace gh::web::portal {

namespace users {

bool Contains(const std::vector<std::string>& v, std::string_view x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

StatusOr<std::vector<directory::Group>> AllGroups(PortalDeps& d, const std::string& tenant_id) {
  std::vector<directory::Group> out;
  directory::ListQuery q;
  q.tenant_id = tenant_id;
  q.top = 500;
  for (bool more = true; more;) {
    GH_ASSIGN_OR_RETURN(auto page, d.directory.ListGroups(q));
    for (auto& g : page.items) out.push_back(std::move(g));
    more = page.more && !out.empty();
    if (more) q.after = out.back().id;
  }
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) { return x.display_name < y.display_name; });
  return out;
}

}  // namespace users

namespace {

using directory::User;
using users::AllGroups;
using users::Contains;
using users::kDefaultRedirectUrl;

// ---- the users list ------------------------------------------------------------

// Users, 50 a page: search by the start of the name, UPN or mail; filter by
// member/guest and invitation state.
http::Response Users(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  const std::string q = ctx.request.Query("q").value_or("");
  const std::string type = ctx.request.Query("type").value_or("");
  const std::string state = ctx.request.Query("state").value_or("");
  directory::ListQuery query;
  query.tenant_id = a.tenant.id;
  query.top = 50;
  query.after = ctx.request.Query("after").value_or("");
  if (!q.empty())
    query.filter = Join(FilterOp::kOr,
                           Join(FilterOp::kOr, Where(FilterOp::kStartsWith, "displayName", q),
                                   Where(FilterOp::kStartsWith, "userPrincipalName", q)),
                           Where(FilterOp::kStartsWith, "mail", q));
  if (type == "Guest" || type == "Member")
    query.filter = Join(FilterOp::kAnd, query.filter, Where(FilterOp::kEq, "userType", type));
  if (state == "PendingAcceptance" || state == "Accepted")
    query.filter = Join(FilterOp::kAnd, query.filter, Where(FilterOp::kEq, "externalUserState", state));
  auto page = d.directory.ListUsers(query);
  if (!page.ok()) return ErrorPage(ctx.request, page.status(), "Can't list users", "All users", a.base + "/users");
  Page p("portal_users", "Users · " + a.tenant.name);
  Layout(p, d, a, "/users");
  p.Set("Q", q);
  for (auto [key, value] : {std::pair{"TYPE_", type}, {"STATE_", state}}) p.Set(key + (value.empty() ? "ANY" : value), "selected");
  for (const auto& u : page->items) {
    auto* row = p.Section("USER");
    row->SetValue("ID", u.id);
    row->SetValue("NAME", u.display_name);
    row->SetValue("UPN", u.user_principal_name);
    row->SetValue("MAIL", u.mail.value_or(""));
    row->SetValue("TYPE", std::string(directory::UserTypeName(u.user_type)));
    row->SetValue("STATE", u.external_user_state.value_or(""));
  }
  if (page->items.empty()) p.Show("NO_USERS");
  if (page->more)
    p.Section("NEXT")->SetValue("HREF", a.base + "/users?q=" + http::PercentEncode(q) + "&type=" +
                                            http::PercentEncode(type) + "&state=" + http::PercentEncode(state) +
                                            "&after=" + http::PercentEncode(page->items.back().id));
  return p.Response();
}

// ---- New guest user ------------------------------------------------------------

// The invitation form field a refusal is about.
std::string InviteFieldOf(const Status& s) {
  if (s.message().find("inviteRedirectUrl") != std::string::npos) return "redirectUrl";
  // The only objects an invitation looks up by id are the groups it adds to.
  if (s.code() == Code::kNotFound) return "groups";
  return "email";
}

// The tenant's groups as checkboxes, ticked as posted.
void FillGroupChoices(Page& p, const std::vector<directory::Group>& groups, const Form& posted,
                      const std::string& error) {
  if (groups.empty() && error.empty()) return;
  auto* choices = p.Section("GROUP_CHOICES");
  const auto ticked = posted.All("groups");
  for (const auto& g : groups) {
    auto* choice = choices->AddSectionDictionary("CHOICE");
    choice->SetValue("ID", g.id);
    choice->SetValue("GROUP_NAME", g.display_name);
    if (Contains(ticked, g.id)) choice->ShowSection("CHECKED");
  }
  if (!error.empty()) choices->AddSectionDictionary("GROUPS_ERROR")->SetValue("MESSAGE", error);
}

// The single invitation form; `error` is shown next to the field it names.
http::Response InviteForm(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const std::string& field,
                          const std::string& error, int status) {
  auto groups = AllGroups(d, a.tenant.id);
  if (!groups.ok()) return ErrorPage(ctx.request, groups.status(), "Something went wrong");
  // Only the groups this administrator may add people to are offered (the
  // service refuses the others, whatever the form says).
  const directory::Actor actor = a.Actor();
  std::erase_if(*groups, [&](const directory::Group& g) { return !directory::MayWriteMembers(actor, g).ok(); });
  FormPage p(d, ctx, "portal_invite", "New guest user · " + a.tenant.name);
  Layout(p, d, a, "/users/invite");
  const Form form{http::ParseForm(ctx.request.body)};
  p.Set("EMAIL", form.Get("email")).Set("NAME", form.Get("displayName"));
  p.Set("MESSAGE_TEXT", form.Get("message"));
  std::string redirect = form.Get("redirectUrl");
  p.Set("REDIRECT", redirect.empty() ? kDefaultRedirectUrl : redirect);
  FillGroupChoices(p, *groups, form, field == "groups" ? error : "");
  if (!error.empty() && field != "groups")
    p.Section(field == "redirectUrl" ? "REDIRECT_ERROR" : "EMAIL_ERROR")->SetValue("MESSAGE", error);
  return p.Response(status);
}

http::Response InviteGet(PortalDeps& d, Visit& v) { return InviteForm(d, v.ctx, v.admin, "", "", 200); }

// The invitation service decides whether this administrator may invite.
http::Response InvitePost(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  invitations::InvitationRequest req;
  req.email = form.Get("email");
  req.redirect_url = form.Get("redirectUrl");
  if (std::string name = form.Get("displayName"); !name.empty()) req.display_name = name;
  req.custom_message = form.Get("message");
  req.send_message = form.Get("sendEmail") == "true";
  req.group_ids = form.All("groups");
  if (req.email.empty()) return InviteForm(d, ctx, a, "email", "Enter the guest's email address.", 400);
  auto res = d.invitations.Invite(a.Inviter(), a.tenant.id, req);
  if (!res.ok()) {
    const Status& s = res.status();
    // A ticked group that isn't there is a mistake in the form (400).
    return InviteForm(d, ctx, a, InviteFieldOf(s), ShownMessage(ctx.request, s), FieldStatusFor(s));
  }
  Page p("portal_invited", "Invitation sent · " + a.tenant.name);
  Layout(p, d, a, "/users/invite");
  p.Set("EMAIL", req.email).Set("STATUS", std::string(invitations::InvitationStatusName(res->status))).Set("USER_ID", res->user.id).Set("REDEEM", res->redeem_url);
  if (res->email_queued) p.Show("EMAILED");
  return p.Response(201);
}

}  // namespace

std::vector<http::Route> UsersPages(const Deps& d) {
  AddTemplates({"portal_users", "portal_invite", "portal_invited"});
  const Need read = &PortalPermissions::users_read, any = kAnyAdministrator;
  return {
      PortalRoute(d, "GET", "/portal/{tenant}/users", read, Users, "Users: search, filters, paging"),
      PortalRoute(d, "GET", "/portal/{tenant}/users/invite", any, InviteGet, "New guest user (form)"),
      PortalRoute(d, "POST", "/portal/{tenant}/users/invite", any, InvitePost, "New guest user: invite"),
  };
}

}  // namespace gh::web::portal
