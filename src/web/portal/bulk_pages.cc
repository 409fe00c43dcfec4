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

http::Response BulkGet(PortalDeps& d, Visit& v) { return BulkForm(d, v.ctx, v.admin, "", 200); }

http::Response BulkTemplate(PortalDeps&, Visit&) {
  http::Response r = http::Response::Text(200, kTemplateCsv, "text/csv; charset=utf-8");
  r.SetHeader("Content-Disposition", "attachment; filename=\"BulkInviteTemplate.csv\"");
  return r;
}

// The pipeline has read the multipart form (and checked its CSRF token);
// the invitation service decides whether this administrator may invite.
http::Response BulkPost(PortalDeps& d, Visit& v) {
  const Admin& a = v.admin;
  const http::FormPart* file = http::FindPart(v.form.parts, "file");
  if (!file || file->body.empty()) return BulkForm(d, v.ctx, a, "Choose a CSV file to upload.", 400);
  invitations::BulkOptions options;
  if (!file->filename.empty()) options.file_name = file->filename;
  options.redirect_url = v.form.Get("redirectUrl");
  options.message = v.form.Get("message");
  options.send_email = v.form.Get("sendEmail") == "true";
  auto job = d.bulk->Submit(a.Inviter(), a.tenant.id, file->body, options);
  if (!job.ok())
    return BulkForm(d, v.ctx, a, ShownMessage(v.ctx.request, job.status()), PageStatusFor(job.status()));
  if (d.runner) d.runner->Notify();
  return Redirect(a.base + "/bulk/" + job->id, 303);
}

// The job in the path, if this administrator may see it.
StatusOr<BulkJob> VisibleJob(PortalDeps& d, Visit& v) {
  auto job = d.bulk->Get(v.admin.tenant.id, v.ctx.params["id"]);
  if (job.ok() && !Sees(v.admin, *job)) return NotFound("No such job.");
  return job;
}

http::Response JobPage(PortalDeps& d, Visit& v) {
  const Admin& a = v.admin;
  auto job = VisibleJob(d, v);
  if (!job.ok()) return MessagePage(404, "Job not found", "It may have been deleted.", "Bulk invite", a.base + "/bulk");
  FormPage p(d, v.ctx, "portal_job", job->options.file_name + " · Bulk invite");
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

http::Response JobCancel(PortalDeps& d, Visit& v) {
  const Admin& a = v.admin;
  auto job = VisibleJob(d, v);
  if (!job.ok()) return MessagePage(404, "Job not found", "It may have been deleted.");
  auto cancelled = d.bulk->Cancel(a.tenant.id, job->id);
  if (!cancelled.ok()) return ErrorPage(v.ctx.request, cancelled.status(), "Something went wrong");
  if (d.runner) d.runner->Notify();
  return Redirect(a.base + "/bulk/" + job->id, 303);
}

http::Response JobResults(PortalDeps& d, Visit& v) {
  const Admin& a = v.admin;
  auto job = VisibleJob(d, v);
  if (!job.ok()) return MessagePage(404, "Job not found", "It may have been deleted.");
  std::string csv(invitations::ResultsHeading());
  for (int64_t after = 0;;) {
    auto rows = d.bulk->Results(a.tenant.id, job->id, after, 10'000);
    if (!rows.ok()) return ErrorPage(v.ctx.request, rows.status(), "Something went wrong");
    for (const auto& r : *rows) csv += invitations::ResultsLine(r);
    if (rows->size() < 10'000) break;
    after = rows->back().row;
  }
  http::Response r = http::Response::Text(200, std::move(csv), "text/csv; charset=utf-8");
  r.SetHeader("Content-Disposition", "attachment; filename=\"bulk-invitation-results-" + job->id + ".csv\"");
  return r;
}

// The upload may exceed the server's default body limit: it is read only
// once the pipeline's steps that need no body admit the request (from the
// session cookie, before the body arrives); anyone else gets the sign-in
// redirect or a 403 page and the body is never read. (The CSRF token is in
// the body: the pipeline checks it once the body is read.)
http::Route LargeUpload(const Deps& d, http::Route route) {
  route.admit_large_body = [d, need = route.permission](http::RouteContext& ctx) -> std::optional<http::Response> {
    auto admitted = Admit(*d, ctx, need);
    if (auto* refused = std::get_if<http::Response>(&admitted)) return std::move(*refused);
    return std::nullopt;
  };
  return route;
}

}  // namespace

std::vector<http::Route> BulkPages(const Deps& d) {
  AddTemplates({"portal_bulk", "portal_job"});
  // Every administrator sees their own jobs (and all of them those who may
  // read every job); the invitation service decides who may upload.
  const Need any = kAnyAdministrator;
  std::vector<http::Route> routes{
      PortalRoute(d, "GET", "/portal/{tenant}/bulk", any, BulkGet, "Bulk invite: upload and jobs"),
      LargeUpload(d, PortalRoute(d, "POST", "/portal/{tenant}/bulk", any, BulkPost, "Bulk invite: upload a CSV file")),
      PortalRoute(d, "GET", "/portal/{tenant}/bulk/template.csv", any, BulkTemplate,
                  "Bulk invite: Entra's CSV template"),
      PortalRoute(d, "GET", "/portal/{tenant}/bulk/{id}", any, JobPage, "Bulk invite: one job"),
      PortalRoute(d, "POST", "/portal/{tenant}/bulk/{id}/cancel", any, JobCancel, "Bulk invite: cancel"),
      PortalRoute(d, "GET", "/portal/{tenant}/bulk/{id}/results", any, JobResults,
                  "Bulk invite: per-row results (CSV)"),
  };
  for (auto& r : routes)
    r.handler = [d, inner = std::move(r.handler)](http::RouteContext& ctx) {
      if (!d->bulk) return MessagePage(503, "Bulk invitations are not available", "The server has no job runner.");
      return inner(ctx);
    };
  return routes;
}

}  // namespace gh::web::portal
