#include "web/portal_pages.h"

#include <algorithm>

#include "core/clock.h"
#include "http/multipart.h"
#include "web/cookies.h"
#include "web/page.h"

namespace gh::web {
namespace {
using http::Permission;
using http::Route;
using store::BulkJobRow;

constexpr const char* kTemplateCsv =
    "version:v1.0,,,\r\n"
    "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,"
    "Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]\r\n";

// The signed-in administrator of the tenant in the path.
struct Admin {
  directory::Tenant tenant;
  directory::User user;
  std::vector<std::string> roles;
  std::string base;  // "/portal/{tenant id}"
  invitations::Inviter Inviter() const {
    invitations::Inviter who;
    who.id = user.id;
    who.name = user.display_name;
    who.email = user.mail.value_or("");
    who.directory_roles = roles;
    who.user_type = user.user_type;
    return who;
  }
  bool Sees(const BulkJobRow& job) const {
    return invitations::SeesAllBulkJobs(false, roles) || invitations::SubmittedBy(job, user.id);
  }
};

// The administrator, or the page to show instead (sign-in, refusal).
std::optional<http::Response> Authenticate(PortalDeps& d, http::RouteContext& ctx, Admin& out) {
  auto tenant = d.directory.ResolveTenant(ctx.params["tenant"]);
  if (!tenant.ok()) return MessagePage(404, "Organization not found", "Check the address you opened.");
  out.tenant = *tenant;
  out.base = "/portal/" + tenant->id;
  auto session = d.signin.ResolveSession(CookieValue(ctx.request, kSessionCookie));
  if (!session.ok())
    return Redirect("/login?tenant=" + tenant->id + "&continue=" + http::PercentEncode(ctx.request.target), 303);
  auto user = d.signin.PrincipalIn(*session, tenant->id);
  if (!user.ok()) return MessagePage(403, "You can't manage " + tenant->name, user.status().message());
  auto roles = d.directory.EffectiveRoles(tenant->id, user->id);
  if (!roles.ok()) return MessagePage(503, "Something went wrong", roles.status().message());
  bool admin = std::any_of(roles->begin(), roles->end(), [](const std::string& r) {
    return r == directory::kGlobalAdministratorRole || r == directory::kUserAdministratorRole ||
           r == directory::kGuestInviterRole;
  });
  if (!admin || user->user_type == directory::UserType::kGuest)
    return MessagePage(403, "You can't manage " + tenant->name,
                       "The portal is for Global Administrators, User Administrators and Guest Inviters of " +
                           tenant->name + ". Ask one of them to give you a role.",
                       "Sign out", "/logout");
  out.user = *user;
  out.roles = *roles;
  return std::nullopt;
}

void Layout(Page& p, const Admin& a) {
  p.Set("ORG", a.tenant.name).Set("BASE", a.base);
  auto* nav = p.Include("NAV", "portal_nav");
  nav->SetValue("ORG", a.tenant.name);
  nav->SetValue("USER", a.user.user_principal_name);
  nav->SetValue("BASE", a.base);
}

http::Response Home(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  Page p("portal_home", a.tenant.name);
  Layout(p, a);
  return p.Response();
}

std::string Percent(const BulkJobRow& j) {
  return std::to_string(j.total_rows ? j.processed * 100 / j.total_rows : 0);
}

void AddJobRow(Page& p, const Admin& a, const BulkJobRow& j) {
  auto* row = p.Section("JOB");
  row->SetValue("HREF", a.base + "/bulk/" + j.id);
  row->SetValue("FILE", j.file_name);
  row->SetValue("STATUS", j.status);
  row->SetValue("CREATED", FormatIso8601(j.created_at));
  row->SetValue("TOTAL", std::to_string(j.total_rows));
  row->SetValue("SUCCEEDED", std::to_string(j.succeeded));
  row->SetValue("FAILED", std::to_string(j.failed));
}

// The upload form and the recent jobs; `error` is shown next to the file field.
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
  Layout(p, a);
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
  Page p("portal_invite", "New guest user · " + a.tenant.name);
  Layout(p, a);
  Csrf csrf = CsrfFor(ctx.request, d.random);
  p.Set("CSRF", csrf.token);
  const auto form = http::ParseForm(ctx.request.body);
  p.Set("EMAIL", http::FormValue(form, "email")).Set("NAME", http::FormValue(form, "displayName"));
  p.Set("MESSAGE_TEXT", http::FormValue(form, "message"));
  std::string redirect = http::FormValue(form, "redirectUrl");
  p.Set("REDIRECT", redirect.empty() ? "https://myapps.microsoft.com" : redirect);
  if (!error.empty()) p.Section(field == "redirectUrl" ? "REDIRECT_ERROR" : "EMAIL_ERROR")->SetValue("MESSAGE", error);
  http::Response resp = p.Response(status);
  csrf.Attach(ctx.request, resp);
  return resp;
}

http::Response InviteGet(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  return InviteForm(d, ctx, a, "", "", 200);
}

http::Response InvitePost(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  const auto form = http::ParseForm(ctx.request.body);
  if (!CsrfValid(ctx.request, http::FormValue(form, "csrf")))
    return MessagePage(403, "This form has expired", "Go back, reload the page and try again.");
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
  Layout(p, a);
  p.Set("EMAIL", req.email).Set("STATUS", res->status).Set("USER_ID", res->user.id).Set("REDEEM", res->redeem_url);
  if (res->email_queued) p.Show("EMAILED");
  return p.Response(201);
}

http::Response BulkForm(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const std::string& error, int status) {
  Page p("portal_bulk", "Bulk invite · " + a.tenant.name);
  Layout(p, a);
  Csrf csrf = CsrfFor(ctx.request, d.random);
  p.Set("CSRF", csrf.token);
  if (!error.empty()) p.Section("ERROR")->SetValue("MESSAGE", error);
  auto jobs = d.bulk->List(a.tenant.id, 50);
  bool any = false;
  if (jobs.ok())
    for (const auto& j : *jobs)
      if (a.Sees(j)) {
        AddJobRow(p, a, j);
        any = true;
      }
  if (!any) p.Show("NO_JOBS");
  http::Response resp = p.Response(status);
  csrf.Attach(ctx.request, resp);
  return resp;
}

http::Response BulkGet(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  return BulkForm(d, ctx, a, "", 200);
}

http::Response BulkTemplate(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  http::Response r = http::Response::Text(200, kTemplateCsv, "text/csv; charset=utf-8");
  r.SetHeader("Content-Disposition", "attachment; filename=\"BulkInviteTemplate.csv\"");
  return r;
}

http::Response BulkPost(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  auto boundary = http::MultipartBoundary(ctx.request.Header("Content-Type"));
  if (!boundary) return BulkForm(d, ctx, a, "Choose a CSV file to upload.", 400);
  auto parts = http::ParseMultipart(ctx.request.body, *boundary);
  if (!parts.ok()) return BulkForm(d, ctx, a, parts.status().message(), 400);
  auto field = [&](std::string_view name) {
    const http::FormPart* f = http::FindPart(*parts, name);
    return f ? std::string(f->body) : std::string();
  };
  if (!CsrfValid(ctx.request, field("csrf")))
    return MessagePage(403, "This form has expired", "Go back, reload the page and upload the file again.");
  const http::FormPart* file = http::FindPart(*parts, "file");
  if (!file || file->body.empty()) return BulkForm(d, ctx, a, "Choose a CSV file to upload.", 400);
  invitations::BulkOptions options;
  if (!file->filename.empty()) options.file_name = file->filename;
  options.redirect_url = field("redirectUrl");
  options.message = field("message");
  options.send_email = field("sendEmail") == "true";
  auto job = d.bulk->Submit(a.Inviter(), a.tenant.id, file->body, options);
  if (!job.ok()) return BulkForm(d, ctx, a, job.status().message(), job.status().code() == Code::kPermissionDenied ? 403 : 400);
  if (d.runner) d.runner->Notify();
  return Redirect(a.base + "/bulk/" + job->id, 303);
}

StatusOr<BulkJobRow> VisibleJob(PortalDeps& d, http::RouteContext& ctx, const Admin& a) {
  auto job = d.bulk->Get(a.tenant.id, ctx.params["id"]);
  if (job.ok() && !a.Sees(*job)) return NotFound("No such job.");
  return job;
}

http::Response JobPage(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  auto job = VisibleJob(d, ctx, a);
  if (!job.ok()) return MessagePage(404, "Job not found", "It may have been deleted.", "Bulk invite", a.base + "/bulk");
  Page p("portal_job", job->file_name + " · Bulk invite");
  Layout(p, a);
  Csrf csrf = CsrfFor(ctx.request, d.random);
  p.Set("CSRF", csrf.token).Set("ID", job->id).Set("FILE", job->file_name).Set("STATUS", job->status);
  p.Set("TOTAL", std::to_string(job->total_rows)).Set("PROCESSED", std::to_string(job->processed));
  p.Set("SUCCEEDED", std::to_string(job->succeeded)).Set("FAILED", std::to_string(job->failed));
  p.Set("PERCENT", Percent(*job));
  if (invitations::IsFinished(job->status)) {
    p.Show("FINISHED");
  } else {
    p.Show("RUNNING");  // refreshes itself and offers Cancel
  }
  if (job->error) p.Section("JOB_ERROR")->SetValue("MESSAGE", *job->error);
  http::Response resp = p.Response();
  csrf.Attach(ctx.request, resp);
  return resp;
}

http::Response JobCancel(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  auto form = http::ParseForm(ctx.request.body);
  if (!CsrfValid(ctx.request, http::FormValue(form, "csrf")))
    return MessagePage(403, "This form has expired", "Go back, reload the page and try again.");
  auto job = VisibleJob(d, ctx, a);
  if (!job.ok()) return MessagePage(404, "Job not found", "It may have been deleted.");
  auto cancelled = d.bulk->Cancel(a.tenant.id, job->id);
  if (!cancelled.ok()) return MessagePage(503, "Something went wrong", cancelled.status().message());
  if (d.runner) d.runner->Notify();
  return Redirect(a.base + "/bulk/" + job->id, 303);
}

http::Response JobResults(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  auto job = VisibleJob(d, ctx, a);
  if (!job.ok()) return MessagePage(404, "Job not found", "It may have been deleted.");
  std::string csv(invitations::ResultsHeading());
  for (int64_t after = 0;;) {
    auto rows = d.bulk->Results(a.tenant.id, job->id, after, 10'000);
    if (!rows.ok()) return MessagePage(503, "Something went wrong", rows.status().message());
    for (const auto& r : *rows) csv += invitations::ResultsLine(r);
    if (rows->size() < 10'000) break;
    after = rows->back().row;
  }
  http::Response r = http::Response::Text(200, std::move(csv), "text/csv; charset=utf-8");
  r.SetHeader("Content-Disposition", "attachment; filename=\"bulk-invitation-results-" + job->id + ".csv\"");
  return r;
}

}  // namespace

std::vector<Route> PortalPages(PortalDeps deps) {
  auto shared = std::make_shared<PortalDeps>(deps);
  auto h = [shared](http::Response (*f)(PortalDeps&, http::RouteContext&)) {
    return [shared, f](http::RouteContext& ctx) {
      if (!shared->bulk) return MessagePage(503, "Bulk invitations are not available", "The server has no job runner.");
      return f(*shared, ctx);
    };
  };
  return {
      Route{"GET", "/portal/{tenant}", h(Home), Permission::Public(), "Admin portal home", false},
      Route{"GET", "/portal/{tenant}/users", h(Users), Permission::Public(), "Users: search, filters, paging", false},
      Route{"GET", "/portal/{tenant}/users/invite", h(InviteGet), Permission::Public(), "New guest user (form)", false},
      Route{"POST", "/portal/{tenant}/users/invite", h(InvitePost), Permission::Public(), "New guest user: invite",
            true},
      Route{"GET", "/portal/{tenant}/bulk", h(BulkGet), Permission::Public(), "Bulk invite: upload and jobs", false},
      // Bulk jobs change the directory chunk by chunk, and the runner invalidates
      // the gate's snapshot then: these routes don't.
      Route{"POST", "/portal/{tenant}/bulk", h(BulkPost), Permission::Public(), "Bulk invite: upload a CSV file", false},
      Route{"GET", "/portal/{tenant}/bulk/template.csv", h(BulkTemplate), Permission::Public(),
            "Bulk invite: Entra's CSV template", false},
      Route{"GET", "/portal/{tenant}/bulk/{id}", h(JobPage), Permission::Public(), "Bulk invite: one job", false},
      Route{"POST", "/portal/{tenant}/bulk/{id}/cancel", h(JobCancel), Permission::Public(), "Bulk invite: cancel",
            false},
      Route{"GET", "/portal/{tenant}/bulk/{id}/results", h(JobResults), Permission::Public(),
            "Bulk invite: per-row results (CSV)", false},
  };
}

}  // namespace gh::web
