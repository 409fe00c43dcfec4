// Bulk invitations: download the template, upload a CSV (refusals shown next
// to the file field), watch the job (the page refreshes itself while it
// runs), cancel it, download the per-row results.
#include "core/clock.h"
#include "http/multipart.h"
#include "web/portal/portal.h"
#include "web/templates.h"

namespace gh::web::portal {
namespace {
using invitations::BulkJob;

constexpr const char* kTemplateCsv =
    "version:v1.0,,,\r\n"
    "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,"
    "Send invitation message (true or false) [sendEmail],Customized invitation message [customizedMessageBody]\r\n";

bool Sees(const Admin& a, const BulkJob& job) {
  return invitations::SeesAllBulkJobs(false, a.principal.directory_roles) || invitations::SubmittedBy(job, a.user.id);
}

std::string Percent(const BulkJob& j) {
  return std::to_string(j.total_rows ? j.processed * 100 / j.total_rows : 0);
}

void AddJobRow(Page& p, const Admin& a, const BulkJob& j) {
  auto* row = p.Section("JOB");
  row->SetValue("HREF", a.base + "/bulk/" + j.id);
  row->SetValue("FILE", j.options.file_name);
  row->SetValue("STATUS", std::string(invitations::BulkJobStatusName(j.status)));
  row->SetValue("CREATED", FormatIso8601(j.created_at));
  row->SetValue("TOTAL", std::to_string(j.total_rows));
  row->SetValue("SUCCEEDED", std::to_string(j.succeeded));
  row->SetValue("FAILED", std::to_string(j.failed));
}

http::Response BulkForm(PortalDeps& d, http::RouteContext& ctx, const Admin& a, const std::string& error, int status) {
  FormPage p(d, ctx, "portal_bulk", "Bulk invite · " + a.tenant.name);
  Layout(p, d, a, "/bulk");
  if (!error.empty()) p.Section("ERROR")->SetValue("MESSAGE", error);
  auto jobs = d.bulk->List(a.tenant.id, "", 50);
  bool any = false;
  if (jobs.ok())
    for (const auto& j : jobs->items)
      if (Sees(a, j)) {
        AddJobRow(p, a, j);
        any = true;
      }
  if (!any) p.Show("NO_JOBS");
  return p.Response(status);
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
  if (!parts.ok()) return BulkForm(d, ctx, a, ShownMessage(ctx.request, parts.status()), 400);
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
  if (!job.ok()) return BulkForm(d, ctx, a, ShownMessage(ctx.request, job.status()), PageStatusFor(job.status()));
  if (d.runner) d.runner->Notify();
  return Redirect(a.base + "/bulk/" + job->id, 303);
}

StatusOr<BulkJob> VisibleJob(PortalDeps& d, http::RouteContext& ctx, const Admin& a) {
  auto job = d.bulk->Get(a.tenant.id, ctx.params["id"]);
  if (job.ok() && !Sees(a, *job)) return NotFound("No such job.");
  return job;
}

http::Response JobPage(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  auto job = VisibleJob(d, ctx, a);
  if (!job.ok()) return MessagePage(404, "Job not found", "It may have been deleted.", "Bulk invite", a.base + "/bulk");
  FormPage p(d, ctx, "portal_job", job->options.file_name + " · Bulk invite");
  Layout(p, d, a, "/bulk");
  p.Set("ID", job->id).Set("FILE", job->options.file_name)
      .Set("STATUS", std::string(invitations::BulkJobStatusName(job->status)));
  p.Set("TOTAL", std::to_string(job->total_rows)).Set("PROCESSED", std::to_string(job->processed));
  p.Set("SUCCEEDED", std::to_string(job->succeeded)).Set("FAILED", std::to_string(job->failed));
  p.Set("PERCENT", Percent(*job));
  if (invitations::IsFinished(job->status)) {
    p.Show("FINISHED");
  } else {
    p.Show("RUNNING");  // refreshes itself and offers Cancel
  }
  if (job->error) p.Section("JOB_ERROR")->SetValue("MESSAGE", *job->error);
  return p.Response();
}

http::Response JobCancel(PortalDeps& d, http::RouteContext& ctx) {
  Admin a;
  if (auto early = Authenticate(d, ctx, a)) return *early;
  if (auto read = ReadForm(ctx); auto* expired = std::get_if<http::Response>(&read)) return *expired;
  auto job = VisibleJob(d, ctx, a);
  if (!job.ok()) return MessagePage(404, "Job not found", "It may have been deleted.");
  auto cancelled = d.bulk->Cancel(a.tenant.id, job->id);
  if (!cancelled.ok()) return ErrorPage(ctx.request, cancelled.status(), "Something went wrong");
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
    if (!rows.ok()) return ErrorPage(ctx.request, rows.status(), "Something went wrong");
    for (const auto& r : *rows) csv += invitations::ResultsLine(r);
    if (rows->size() < 10'000) break;
    after = rows->back().row;
  }
  http::Response r = http::Response::Text(200, std::move(csv), "text/csv; charset=utf-8");
  r.SetHeader("Content-Disposition", "attachment; filename=\"bulk-invitation-results-" + job->id + ".csv\"");
  return r;
}

// The upload may exceed the server's default body limit: it is read only
// for a signed-in administrator of the tenant (from the session cookie, before
// the body arrives); anyone else gets the sign-in redirect or a 403 page and
// the body is never read. (The CSRF token is in the body, checked after.)
http::Route LargeUpload(const Deps& d, http::Route route) {
  route.admit_large_body = [d](http::RouteContext& ctx) {
    Admin a;
    return Authenticate(*d, ctx, a);
  };
  return route;
}

}  // namespace

std::vector<http::Route> BulkPages(const Deps& d) {
  AddTemplates({"portal_bulk", "portal_job"});
  // Bulk jobs change the directory chunk by chunk, and the runner invalidates
  // the gate's snapshot then: these routes don't.
  std::vector<http::Route> routes{
      PortalRoute(d, "GET", "/portal/{tenant}/bulk", BulkGet, "Bulk invite: upload and jobs", false),
      LargeUpload(d, PortalRoute(d, "POST", "/portal/{tenant}/bulk", BulkPost, "Bulk invite: upload a CSV file", false)),
      PortalRoute(d, "GET", "/portal/{tenant}/bulk/template.csv", BulkTemplate, "Bulk invite: Entra's CSV template",
                  false),
      PortalRoute(d, "GET", "/portal/{tenant}/bulk/{id}", JobPage, "Bulk invite: one job", false),
      PortalRoute(d, "POST", "/portal/{tenant}/bulk/{id}/cancel", JobCancel, "Bulk invite: cancel", false),
      PortalRoute(d, "GET", "/portal/{tenant}/bulk/{id}/results", JobResults, "Bulk invite: per-row results (CSV)",
                  false),
  };
  for (auto& r : routes)
    r.handler = [d, inner = std::move(r.handler)](http::RouteContext& ctx) {
      if (!d->bulk) return MessagePage(503, "Bulk invitations are not available", "The server has no job runner.");
      return inner(ctx);
    };
  return routes;
}

}  // namespace gh::web::portal
