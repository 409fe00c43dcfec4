// Users: the list (search, member/guest and invitation-state filters,
// paging) and New guest user (one invitation, the refusal shown next to the
// field it is about).
#include "web/portal/portal.h"
#include "web/templates.h"

namespace gh::web::portal {
namespace {

constexpr const char* kUsersTemplate = R"HTML({{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Users</h1>
<form method="get" action="{{BASE}}/users" class="filters">
  <label for="q">Search (start of name, user principal name or email)</label>
  <input id="q" name="q" type="search" value="{{Q}}">
  <label for="type">User type</label>
  <select id="type" name="type">
    <option value="" {{TYPE_ANY}}>All</option><option value="Member" {{TYPE_Member}}>Members</option>
    <option value="Guest" {{TYPE_Guest}}>Guests</option>
  </select>
  <label for="state">Invitation state</label>
  <select id="state" name="state">
    <option value="" {{STATE_ANY}}>Any</option><option value="PendingAcceptance" {{STATE_PendingAcceptance}}>Pending acceptance</option>
    <option value="Accepted" {{STATE_Accepted}}>Accepted</option>
  </select>
  <button type="submit">Filter</button>
</form>
{{#NO_USERS}}<p class="muted">No users match.</p>{{/NO_USERS}}
<table class="jobs users">
<thead><tr><th>Name</th><th>User principal name</th><th>Email</th><th>Type</th><th>Invitation</th></tr></thead>
<tbody>
{{#USER}}<tr><td>{{NAME}}</td><td>{{UPN}}</td><td>{{MAIL}}</td><td>{{TYPE}}</td><td>{{STATE}}</td></tr>
{{/USER}}</tbody>
</table>
{{#NEXT}}<p><a class="button" href="{{HREF}}" rel="next">Next page</a></p>{{/NEXT}}
)HTML";

constexpr const char* kInviteTemplate = R"HTML({{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>New guest user</h1>
<p>Invite someone from another organisation. They get an email with a link, sign in with the account they
already have, accept, and land on the redirect URL.</p>
<form method="post" action="{{BASE}}/users/invite" novalidate>
  <input type="hidden" name="csrf" value="{{CSRF}}">
  <label for="email">Email address</label>
  <input id="email" name="email" type="email" value="{{EMAIL}}" required autofocus
         {{#EMAIL_ERROR}}aria-invalid="true" aria-describedby="email-error"{{/EMAIL_ERROR}}>
  {{#EMAIL_ERROR}}<p class="error" id="email-error" role="alert">{{MESSAGE}}</p>{{/EMAIL_ERROR}}
  <label for="displayName">Display name (optional)</label>
  <input id="displayName" name="displayName" value="{{NAME}}">
  <label for="redirectUrl">Redirect URL</label>
  <input id="redirectUrl" name="redirectUrl" type="url" value="{{REDIRECT}}"
         {{#REDIRECT_ERROR}}aria-invalid="true" aria-describedby="redirect-error"{{/REDIRECT_ERROR}}>
  {{#REDIRECT_ERROR}}<p class="error" id="redirect-error" role="alert">{{MESSAGE}}</p>{{/REDIRECT_ERROR}}
  <label for="message">Personal message (optional)</label>
  <textarea id="message" name="message" rows="3">{{MESSAGE_TEXT}}</textarea>
  <label class="check"><input type="checkbox" name="sendEmail" value="true" checked> Send the invitation email</label>
  <button type="submit">Invite</button>
</form>
)HTML";

constexpr const char* kInvitedTemplate = R"HTML({{%AUTOESCAPE context="HTML"}}{{>NAV}}<h1>Invitation sent</h1>
<p><strong>{{EMAIL}}</strong> is invited (<span data-status="{{STATUS}}">{{STATUS}}</span>).
{{#EMAILED}}The invitation email is on its way.{{/EMAILED}}</p>
<p>Guest object id: <code>{{USER_ID}}</code></p>
<label for="redeem">Redemption link (share it yourself if no email was sent)</label>
<input id="redeem" readonly name="redeem" value="{{REDEEM}}">
<p><a class="button" href="{{BASE}}/users/invite">Invite someone else</a></p>
)HTML";

directory::FilterPtr Compare(directory::FilterOp op, std::string property, std::string value) {
  return std::make_shared<const directory::FilterExpr>(
      directory::FilterExpr{op, std::move(property), {directory::FilterValue(std::move(value))}, {}});
}
directory::FilterPtr Combine(directory::FilterOp op, directory::FilterPtr a, directory::FilterPtr b) {
  if (!a) return b;
  if (!b) return a;
  return std::make_shared<const directory::FilterExpr>(directory::FilterExpr{op, "", {}, {a, b}});
}

// Users, 50 a page: search by the start of the name, UPN or mail; filter by
// member/guest and invitation state.
http::Response Users(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  using directory::FilterOp;
  const std::string q = ctx.request.Query("q").value_or("");
  const std::string type = ctx.request.Query("type").value_or("");
  const std::string state = ctx.request.Query("state").value_or("");
  store::ListQuery query;
  query.tenant_id = a.tenant.id;
  query.top = 50;
  query.after = ctx.request.Query("after").value_or("");
  if (!q.empty())
    query.filter = Combine(FilterOp::kOr,
                           Combine(FilterOp::kOr, Compare(FilterOp::kStartsWith, "displayName", q),
                                   Compare(FilterOp::kStartsWith, "userPrincipalName", q)),
                           Compare(FilterOp::kStartsWith, "mail", q));
  if (type == "Guest" || type == "Member")
    query.filter = Combine(FilterOp::kAnd, query.filter, Compare(FilterOp::kEq, "userType", type));
  if (state == "PendingAcceptance" || state == "Accepted")
    query.filter = Combine(FilterOp::kAnd, query.filter, Compare(FilterOp::kEq, "externalUserState", state));
  auto page = d.directory.ListUsers(query);
  if (!page.ok()) return MessagePage(400, "Can't list users", page.status().message(), "All users", a.base + "/users");
  Page p("portal_users", "Users · " + a.tenant.name);
  Layout(p, d, a, "/users");
  p.Set("Q", q);
  for (auto [key, value] : {std::pair{"TYPE_", type}, {"STATE_", state}}) p.Set(key + (value.empty() ? "ANY" : value), "selected");
  for (const auto& u : page->items) {
    auto* row = p.Section("USER");
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

// The single invitation form; `error` is shown next to the field it names.
http::Response InviteForm(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const std::string& field,
                          const std::string& error, int status) {
  FormPage p(d, ctx, "portal_invite", "New guest user · " + a.tenant.name);
  Layout(p, d, a, "/users/invite");
  const auto form = http::ParseForm(ctx.request.body);
  p.Set("EMAIL", http::FormValue(form, "email")).Set("NAME", http::FormValue(form, "displayName"));
  p.Set("MESSAGE_TEXT", http::FormValue(form, "message"));
  std::string redirect = http::FormValue(form, "redirectUrl");
  p.Set("REDIRECT", redirect.empty() ? "https://myapps.microsoft.com" : redirect);
  if (!error.empty()) p.Section(field == "redirectUrl" ? "REDIRECT_ERROR" : "EMAIL_ERROR")->SetValue("MESSAGE", error);
  return p.Response(status);
}

http::Response InviteGet(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  return InviteForm(d, ctx, a, "", "", 200);
}

http::Response InvitePost(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  auto read = ReadForm(ctx);
  if (auto* expired = std::get_if<http::Response>(&read)) return *expired;
  const auto& form = std::get<Form>(read).fields;
  invitations::InvitationRequest req;
  req.email = http::FormValue(form, "email");
  req.redirect_url = http::FormValue(form, "redirectUrl");
  if (std::string name = http::FormValue(form, "displayName"); !name.empty()) req.display_name = name;
  req.custom_message = http::FormValue(form, "message");
  req.send_message = http::FormValue(form, "sendEmail") == "true";
  if (req.email.empty()) return InviteForm(d, ctx, a, "email", "Enter the guest's email address.", 400);
  auto res = d.invitations.Invite(a.Inviter(), a.tenant.id, req);
  if (!res.ok()) {
    const Status& s = res.status();
    std::string field = s.message().find("inviteRedirectUrl") != std::string::npos ? "redirectUrl" : "email";
    return InviteForm(d, ctx, a, field, s.message(), s.code() == Code::kPermissionDenied ? 403 : 400);
  }
  Page p("portal_invited", "Invitation sent · " + a.tenant.name);
  Layout(p, d, a, "/users/invite");
  p.Set("EMAIL", req.email).Set("STATUS", res->status).Set("USER_ID", res->user.id).Set("REDEEM", res->redeem_url);
  if (res->email_queued) p.Show("EMAILED");
  return p.Response(201);
}

}  // namespace

std::vector<http::Route> UsersPages(const Deps& d) {
  AddTemplates({{"portal_users", kUsersTemplate}, {"portal_invite", kInviteTemplate}, {"portal_invited", kInvitedTemplate}});
  return {
      PortalRoute(d, "GET", "/portal/{tenant}/users", Users, "Users: search, filters, paging", false),
      PortalRoute(d, "GET", "/portal/{tenant}/users/invite", InviteGet, "New guest user (form)", false),
      PortalRoute(d, "POST", "/portal/{tenant}/users/invite", InvitePost, "New guest user: invite", true),
  };
}

}  // namespace gh::web::portal
