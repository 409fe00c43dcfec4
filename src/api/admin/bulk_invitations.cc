// /api/v1/bulkInvitations: upload a CSV file as a job (202 + Location), watch
// it, download its per-row results as CSV, cancel or delete it.
#include "api/admin/routes.h"
#include "api/handler_util.h"
#include "api/inviter.h"
#include "core/encoding.h"
#include "core/strings.h"
#include "http/multipart.h"
#include "http/odata.h"

namespace gh::api::admin {
namespace {
namespace json = boost::json;
using invitations::BulkJob;

json::value Time(const std::optional<int64_t>& ms) { return ms ? json::value(FormatIso8601(*ms)) : json::value(nullptr); }

json::object JobJson(Services& s, const BulkJob& j) {
  std::string self = s.public_base + "/api/v1/bulkInvitations/" + j.id;
  return {{"id", j.id},
          {"status", invitations::BulkJobStatusName(j.status)},
          {"fileName", j.options.file_name},
          {"format", j.format},
          {"totalRows", j.total_rows},
          {"processedRows", j.processed},
          {"succeededRows", j.succeeded},
          {"failedRows", j.failed},
          {"cancelRequested", j.cancel_requested},
          {"createdDateTime", FormatIso8601(j.created_at)},
          {"startedDateTime", Time(j.started_at)},
          {"completedDateTime", Time(j.finished_at)},
          {"error", j.error ? json::value(*j.error) : json::value(nullptr)},
          {"submittedBy",
           json::object{{"id", j.submitter.id},
                        {"displayName", j.submitter.name},
                        {"type", j.submitter.is_app ? "application" : "user"}}},
          {"options", json::object{{"redirectUrl", j.options.redirect_url},
                                   {"message", j.options.message},
                                   {"sendEmail", j.options.send_email},
                                   {"language", j.options.language}}},
          {"resultsUrl", self + "/results"}};
}

invitations::BulkInvitationService& Bulk(Services& s) {
  if (!s.bulk) throw std::logic_error("bulk invitations are not wired");
  return *s.bulk;
}

bool Visible(const http::RouteContext& ctx, const BulkJob& j) {
  const auto& p = *ctx.principal;
  return invitations::SeesAllBulkJobs(p.kind == identity::PrincipalKind::kApp, p.directory_roles) ||
         invitations::SubmittedBy(j, p.object_id);
}

StatusOr<BulkJob> VisibleJob(Services& s, http::RouteContext& ctx) {
  auto job = Bulk(s).Get(TenantOf(ctx), ctx.params["id"]);
  if (job.ok() && !Visible(ctx, *job)) return NotFound("Bulk invitation job '" + ctx.params["id"] + "' not found.");
  return job;
}

StatusOr<bool> ParseBool(const std::string& name, const std::string& v) {
  if (v == "true" || v == "True" || v == "on" || v == "1") return true;
  if (v == "false" || v == "False" || v == "0") return false;
  return InvalidArgument("Parameter '" + name + "' must be true or false.", "Request_BadRequest");
}

// The CSV and the options: a text/csv body with options in the query, or a
// multipart/form-data form (the portal) with a "file" part and option fields.
struct Upload {
  std::string_view csv;
  invitations::BulkOptions options;
};

StatusOr<Upload> ReadUpload(const http::Request& req) {
  Upload up;
  auto set = [&](const std::string& name, const std::string& value) -> Status {
    if (name == "redirectUrl") up.options.redirect_url = value;
    else if (name == "message") up.options.message = value;
    else if (name == "language") up.options.language = value;
    else if (name == "fileName" && !value.empty()) up.options.file_name = value;
    else if (name == "sendEmail" && !value.empty()) {
      GH_ASSIGN_OR_RETURN(up.options.send_email, ParseBool(name, value));
    }
    return OkStatus();
  };
  for (const auto& [k, v] : req.query) GH_RETURN_IF_ERROR(set(k, v));
  std::string_view type = req.Header("Content-Type");
  if (auto boundary = http::MultipartBoundary(type)) {
    GH_ASSIGN_OR_RETURN(auto parts, http::ParseMultipart(req.body, *boundary));
    const http::FormPart* file = http::FindPart(parts, "file");
    if (!file) return InvalidArgument("The form has no 'file' part with the CSV file.", "Request_BadRequest");
    up.csv = file->body;
    if (!file->filename.empty()) up.options.file_name = file->filename;
    for (const auto& p : parts)
      if (p.filename.empty() && p.name != "file") GH_RETURN_IF_ERROR(set(p.name, std::string(p.body)));
    return up;
  }
  std::string media = ToLower(std::string(type.substr(0, type.find(';'))));
  while (!media.empty() && media.back() == ' ') media.pop_back();
  if (!media.empty() && media != "text/csv" && media != "text/plain" && media != "application/octet-stream" &&
      media != "application/vnd.ms-excel")
    return Status(Code::kInvalidArgument,
                  "Send the CSV file as text/csv (or a multipart/form-data form with a 'file' part), not " + media + ".",
                  "Request_UnsupportedMediaType");
  up.csv = req.body;
  return up;
}

http::Response Submit(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(Upload up, ReadUpload(ctx.request));
    GH_ASSIGN_OR_RETURN(auto inviter, InviterOf(s, ctx));
    GH_ASSIGN_OR_RETURN(BulkJob job, Bulk(s).Submit(inviter, TenantOf(ctx), up.csv, up.options));
    if (s.bulk_runner) s.bulk_runner->Notify();
    http::Response resp = JsonResponse(202, JobJson(s, job));
    resp.SetHeader("Location", s.public_base + "/api/v1/bulkInvitations/" + job.id);
    return resp;
  });
}

// Newest first, in pages of `$top` (default 100) with an `@odata.nextLink`
// that carries the last job's id as `$skiptoken`.
http::Response List(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_RETURN_IF_ERROR(http::CheckQueryOptions(ctx.request, {"$top", "$skiptoken"}));
    int top = 100;
    if (auto t = ctx.request.Query("$top")) {
      GH_ASSIGN_OR_RETURN(top, http::ParseTop(*t));
    }
    std::string after;
    if (auto token = ctx.request.Query("$skiptoken")) {
      auto decoded = Base64UrlDecode(*token);
      if (!decoded.ok() || !IsUuid(*decoded))
        return InvalidArgument("The $skiptoken value is invalid or has expired.", "Request_BadRequest");
      after = *decoded;
    }
    GH_ASSIGN_OR_RETURN(auto page, Bulk(s).List(TenantOf(ctx), after, top));
    json::array value;
    for (const auto& j : page.items)
      if (Visible(ctx, j)) value.push_back(JobJson(s, j));
    json::object body;
    if (page.more)
      body["@odata.nextLink"] = s.public_base + "/api/v1/bulkInvitations?$top=" + std::to_string(top) +
                                "&$skiptoken=" + Base64UrlEncode(page.items.back().id);
    body["value"] = std::move(value);
    return JsonResponse(200, body);
  });
}

http::Response GetJob(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(BulkJob job, VisibleJob(s, ctx));
    return JsonResponse(200, JobJson(s, job));
  });
}

// The results as CSV, in pages of at most `top` rows (default and maximum
// 100,000); a Link header names the next page.
http::Response Results(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(BulkJob job, VisibleJob(s, ctx));
    constexpr int kMaxPage = 100'000;
    int64_t after = 0;
    int top = kMaxPage;
    try {
      if (auto a = ctx.request.Query("after")) after = std::stoll(*a);
      if (auto t = ctx.request.Query("top")) top = std::stoi(*t);
    } catch (const std::exception&) {
      return InvalidArgument("'after' and 'top' must be numbers.", "Request_BadRequest");
    }
    if (after < 0 || top < 1 || top > kMaxPage)
      return InvalidArgument("'top' must be between 1 and 100000 and 'after' not negative.", "Request_BadRequest");
    GH_ASSIGN_OR_RETURN(auto rows, Bulk(s).Results(TenantOf(ctx), job.id, after, top));
    std::string body = after == 0 ? std::string(invitations::ResultsHeading()) : std::string();
    for (const auto& r : rows) body += invitations::ResultsLine(r);
    http::Response resp = http::Response::Text(200, std::move(body), "text/csv; charset=utf-8");
    resp.SetHeader("Content-Disposition", "attachment; filename=\"bulk-invitation-results-" + job.id + ".csv\"");
    if (static_cast<int>(rows.size()) == top)
      resp.SetHeader("Link", "<" + s.public_base + "/api/v1/bulkInvitations/" + job.id + "/results?after=" +
                                 std::to_string(rows.back().row) + "&top=" + std::to_string(top) + ">; rel=\"next\"");
    return resp;
  });
}

http::Response Cancel(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(BulkJob job, VisibleJob(s, ctx));
    GH_ASSIGN_OR_RETURN(job, Bulk(s).Cancel(TenantOf(ctx), job.id));
    if (s.bulk_runner) s.bulk_runner->Notify();
    return JsonResponse(202, JobJson(s, job));
  });
}

http::Response Delete(Services& s, http::RouteContext& ctx) {
  return Guard(ctx, [&]() -> StatusOr<http::Response> {
    GH_ASSIGN_OR_RETURN(BulkJob job, VisibleJob(s, ctx));
    GH_RETURN_IF_ERROR(Bulk(s).Delete(TenantOf(ctx), job.id));
    return http::Response::NoContent();
  });
}

}  // namespace

std::vector<http::Route> BulkInvitationRoutes(Services& s) {
  http::Permission invite = InvitePermission();
  auto route = [&](std::string method, std::string pattern, http::Response (*f)(Services&, http::RouteContext&),
                   std::string what) {
    return http::Route{std::move(method), std::move(pattern), [&s, f](http::RouteContext& c) { return f(s, c); },
                       invite, std::move(what)};
  };
  // The upload may exceed the server's default body limit: the router's
  // bearer-token and permission check on the headers is the admission, so
  // no unauthenticated body is ever read past that limit.
  http::Route upload = route("POST", "/api/v1/bulkInvitations", Submit, "Upload a CSV file of guests to invite (202 + job)");
  upload.admit_large_body = [](http::RouteContext&) { return std::optional<http::Response>(); };
  return {std::move(upload),
          route("GET", "/api/v1/bulkInvitations", List, "Bulk invitation jobs, newest first"),
          route("GET", "/api/v1/bulkInvitations/{id}", GetJob, "A bulk invitation job and its progress"),
          route("GET", "/api/v1/bulkInvitations/{id}/results", Results, "Per-row results as CSV"),
          route("POST", "/api/v1/bulkInvitations/{id}/cancel", Cancel, "Stop a bulk invitation job"),
          route("DELETE", "/api/v1/bulkInvitations/{id}", Delete, "Delete a finished job and its results")};
}

}  // namespace gh::api::admin
