#include "invitations/bulk_service.h"

#include <boost/json.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <bit>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "core/csv_field.h"
#include "core/encoding.h"
#include "core/strings.h"
#include "directory/directory_service.h"
#include "wire/json_reader.h"

namespace gh::invitations {
namespace {
namespace json = boost::json;
using store::BulkJobRow;
using store::BulkResultRow;

json::array Strings(const std::vector<std::string>& v) { return json::array(v.begin(), v.end()); }
std::vector<std::string> Strings(const json::value& v) { return json::value_to<std::vector<std::string>>(v); }

std::string SubmitterJson(const Inviter& who) {
  return json::serialize(json::object{{"id", who.id},
                                      {"name", who.name},
                                      {"email", who.email},
                                      {"isApp", who.is_app},
                                      {"appPermissions", Strings(who.app_permissions)},
                                      {"directoryRoles", Strings(who.directory_roles)},
                                      {"scopes", Strings(who.scopes)},
                                      {"userType", std::string(directory::UserTypeName(who.user_type))}});
}

Inviter SubmitterFrom(const std::string& text) {
  json::object o = json::parse(text).as_object();
  Inviter who;
  who.id = json::value_to<std::string>(o.at("id"));
  who.name = json::value_to<std::string>(o.at("name"));
  who.email = json::value_to<std::string>(o.at("email"));
  who.is_app = o.at("isApp").as_bool();
  who.app_permissions = Strings(o.at("appPermissions"));
  who.directory_roles = Strings(o.at("directoryRoles"));
  if (const json::value* scopes = o.if_contains("scopes")) who.scopes = Strings(*scopes);  // jobs from before have none
  who.user_type = o.at("userType").as_string() == "Guest" ? directory::UserType::kGuest : directory::UserType::kMember;
  return who;
}

std::string OptionsJson(const BulkOptions& o) {
  return json::serialize(json::object{{"redirectUrl", o.redirect_url},
                                      {"message", o.message},
                                      {"sendEmail", o.send_email},
                                      {"language", o.language}});
}

// A job's options as OptionsJson stored them, read strictly: every property
// present with its type, else Internal. A job runs only with the options it
// was submitted with (a missing sendEmail must not become "send"); a job
// whose options don't read is shown without them (JobFrom).
StatusOr<BulkOptions> OptionsFrom(const BulkJobRow& job) {
  auto stored = wire::ParseJsonObject(job.options_json);
  if (!stored.ok())
    return Internal("bulk job " + job.id + ": its stored options are not a JSON object", std::string(kUnreadableJob));
  wire::FieldReader read(*stored, "bulk job options");
  BulkOptions opts;
  opts.file_name = job.file_name;
  auto redirect_url = read.String("redirectUrl");
  auto message = read.String("message");
  auto send_email = read.Bool("sendEmail");
  auto language = read.String("language");
  Status clean = read.Finish();
  if (!clean.ok() || !redirect_url || !message || !send_email || !language)
    return Internal("bulk job " + job.id + ": its stored options don't read: " +
                        (clean.ok() ? std::string("a property is missing") : clean.message()),
                    std::string(kUnreadableJob));
  opts.redirect_url = std::move(*redirect_url);
  opts.message = std::move(*message);
  opts.send_email = *send_email;
  opts.language = std::move(*language);
  return opts;
}

void SetStatus(BulkJobRow& row, BulkJobStatus s) { row.status = std::string(BulkJobStatusName(s)); }

// A JSON object this service stored, for showing: one that doesn't read back
// reads as empty, so one odd row doesn't fail every listing of the tenant's
// jobs. (A job stored before its options were checked to be UTF-8 is shown
// without options the same way, by OptionsFrom's refusal.)
json::object StoredObject(const std::string& text) {
  boost::system::error_code ec;
  json::value v = json::parse(text, ec);
  return !ec && v.is_object() ? std::move(v.as_object()) : json::object{};
}

std::string StringIn(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : std::string();
}

BulkJob JobFrom(const BulkJobRow& row) {
  BulkJob job;
  job.id = row.id;
  job.tenant_id = row.tenant_id;
  job.status = StatusOf(row);
  job.format = row.format;
  if (auto options = OptionsFrom(row); options.ok())
    job.options = std::move(options).value();
  else
    job.options.file_name = row.file_name;
  const json::object submitter = StoredObject(row.submitter_json);
  const json::value* is_app = submitter.if_contains("isApp");
  job.submitter = {StringIn(submitter, "id"), StringIn(submitter, "name"), is_app && *is_app == json::value(true)};
  job.total_rows = row.total_rows;
  job.processed = row.processed;
  job.succeeded = row.succeeded;
  job.failed = row.failed;
  job.cancel_requested = row.cancel_requested;
  job.error = row.error;
  job.created_at = row.created_at;
  job.started_at = row.started_at;
  job.finished_at = row.finished_at;
  return job;
}

BulkResult ResultFrom(BulkResultRow&& row) {
  auto outcome = ParseBulkOutcome(row.outcome);
  if (!outcome) spdlog::error("bulk invitations: a result has an unknown outcome '{}'", row.outcome);
  return {row.row, std::move(row.email), outcome.value_or(BulkOutcome::kError), std::move(row.user_id),
          std::move(row.redeem_url), std::move(row.error)};
}

BulkResultRow RowFrom(BulkResult&& r) {
  return {r.row, std::move(r.email), std::string(BulkOutcomeName(r.outcome)), std::move(r.user_id),
          std::move(r.redeem_url), std::move(r.error)};
}

json::array RowJson(const BulkRow& r) {
  return {r.row, r.email, r.name, r.redirect, r.send_email, r.message, r.groups};
}

BulkRow RowFrom(const json::value& v) {
  const json::array& a = v.as_array();
  auto s = [&](size_t i) { return std::string(a.at(i).as_string()); };
  return {a.at(0).as_int64(), s(1), s(2), s(3), s(4), s(5), s(6)};
}

// A stored chunk's rows (the server wrote it: a JSON array of RowJson).
std::vector<BulkRow> RowsOf(const std::string& chunk) {
  std::vector<BulkRow> rows;
  const json::value parsed = json::parse(chunk);
  for (const json::value& v : parsed.as_array()) rows.push_back(RowFrom(v));
  return rows;
}

std::vector<std::string> SplitGroups(const std::string& cell) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= cell.size()) {
    size_t end = cell.find(';', start);
    if (end == std::string::npos) end = cell.size();
    std::string g = cell.substr(start, end - start);
    while (!g.empty() && g.front() == ' ') g.erase(g.begin());
    while (!g.empty() && g.back() == ' ') g.pop_back();
    if (!g.empty()) out.push_back(g);
    start = end + 1;
  }
  return out;
}

// Group cells name groups by id or display name; names are resolved once per chunk.
class GroupResolver {
 public:
  GroupResolver(store::Transaction& tx, std::string tenant_id) : tx_(tx), tenant_id_(std::move(tenant_id)) {}

  StatusOr<std::vector<std::string>> Ids(const std::string& cell) {
    std::vector<std::string> ids;
    for (const std::string& g : SplitGroups(cell)) {
      if (IsUuid(g)) {
        ids.push_back(ToLower(g));
        continue;
      }
      auto known = by_name_.find(g);
      if (known == by_name_.end()) known = by_name_.emplace(g, Lookup(g)).first;
      if (!known->second.ok()) return known->second.status();
      ids.push_back(*known->second);
    }
    return ids;
  }

 private:
  StatusOr<std::string> Lookup(const std::string& name) {
    store::ListQuery q;
    q.tenant_id = tenant_id_;
    q.top = 2;
    q.filter = std::make_shared<const FilterExpr>(
        FilterExpr{FilterOp::kEq, "displayName", {name}, {}});
    GH_ASSIGN_OR_RETURN(auto page, tx_.ListGroups(q));
    if (page.items.empty()) return NotFound("No group is named '" + name + "'.");
    if (page.items.size() > 1) return InvalidArgument("More than one group is named '" + name + "'; use its id.");
    return page.items.front().id;
  }

  store::Transaction& tx_;
  std::string tenant_id_;
  std::unordered_map<std::string, StatusOr<std::string>> by_name_;
};

StatusOr<bool> ParseSendEmail(const std::string& cell, bool fallback) {
  std::string v = ToLower(cell);
  if (v.empty()) return fallback;
  if (v == "true" || v == "yes" || v == "1") return true;
  if (v == "false" || v == "no" || v == "0") return false;
  return InvalidArgument("Send invitation message must be true or false, not '" + cell + "'.");
}

// The outcome of a row that the invitation rules refused (IsRefusal).
BulkOutcome RefusalOutcome(const Status& s) {
  switch (s.code()) {
    case Code::kPermissionDenied: return BulkOutcome::kBlockedByPolicy;
    case Code::kAlreadyExists: return BulkOutcome::kAlreadyMember;
    default: return BulkOutcome::kInvalid;
  }
}

void Refuse(BulkResult& r, BulkOutcome outcome, const Status& why) {
  r.outcome = outcome;
  r.error = why.message();
}

// The invitation for one row, or nullopt with the row's outcome set in `r`
// when it never reaches the invitation rules. `first_rows` maps the addresses
// seen so far in this job to their first row; a repeat adds nothing.
std::optional<InvitationRequest> RequestFor(const BulkRow& row, const BulkOptions& options, GroupResolver& groups,
                                            std::map<std::string, int64_t>& first_rows, BulkResult& r) {
  r.row = row.row;
  r.email = row.email;
  if (row.email.empty()) {
    Refuse(r, BulkOutcome::kInvalid, InvalidArgument("The row has no email address."));
    return std::nullopt;
  }
  if (row.email.starts_with("Example:") || row.email.starts_with("example:")) {
    Refuse(r, BulkOutcome::kInvalid, InvalidArgument("This is the template's example row; remove it."));
    return std::nullopt;
  }
  auto [first, is_first] = first_rows.emplace(ToLower(row.email), row.row);
  if (!is_first) {
    r.outcome = BulkOutcome::kDuplicate;
    r.error = "Same address as row " + std::to_string(first->second) + ".";
    return std::nullopt;
  }
  InvitationRequest req;
  req.email = row.email;
  req.redirect_url = row.redirect.empty() ? options.redirect_url : row.redirect;
  if (!row.name.empty()) req.display_name = row.name;
  req.custom_message = row.message.empty() ? options.message : row.message;
  req.language = options.language;
  auto send = ParseSendEmail(row.send_email, options.send_email);
  if (!send.ok()) {
    Refuse(r, BulkOutcome::kInvalid, send.status());
    return std::nullopt;
  }
  req.send_message = *send;
  auto group_ids = groups.Ids(row.groups);
  if (!group_ids.ok()) {
    Refuse(r, BulkOutcome::kInvalid, group_ids.status());
    return std::nullopt;
  }
  req.group_ids = *group_ids;
  return req;
}

// A row's outcome from its invitation.
void RecordInvitation(const StatusOr<InvitationResult>& res, BulkResult& r) {
  if (!res.ok()) {
    Refuse(r, RefusalOutcome(res.status()), res.status());
    return;
  }
  r.user_id = res->user.id;
  const bool accepted = res->status == InvitationStatus::kCompleted;
  if (res->created_user) r.outcome = BulkOutcome::kInvited;
  else if (accepted) r.outcome = BulkOutcome::kAlreadyMember;
  else r.outcome = BulkOutcome::kAlreadyInvited;
  if (!accepted) r.redeem_url = res->redeem_url;
}

// Results keep the redeem link of each invitation, which its submitter
// downloads as often as needed (pages of a large job, a retried download):
// so it is sealed (core/secret_box.h) rather than kept as a hash, and a
// database dump or backup alone yields no working link (security review #9).
// The context ties a sealed link to its job and row.
std::string LinkContext(const std::string& job_id, int64_t row) {
  return "bulkInvitationResult.redeemUrl:" + job_id + ":" + std::to_string(row);
}

std::shared_ptr<const SecretBox> ProcessLinkBox() {
  static const std::shared_ptr<const SecretBox> box = SecretBox::Ephemeral();
  return box;
}

}  // namespace

BulkJobStatus StatusOf(const store::BulkJobRow& row) {
  auto s = ParseBulkJobStatus(row.status);
  if (!s) spdlog::error("bulk invitations: job {} has an unknown status '{}'", row.id, row.status);
  return s.value_or(BulkJobStatus::kFailed);
}

bool SeesAllBulkJobs(bool is_app, const std::vector<std::string>& directory_roles) {
  if (is_app) return true;
  for (std::string_view role : {directory::kGlobalAdministratorRole, directory::kUserAdministratorRole})
    if (std::find(directory_roles.begin(), directory_roles.end(), role) != directory_roles.end()) return true;
  return false;
}

bool SubmittedBy(const BulkJob& job, const std::string& object_id) { return job.submitter.id == object_id; }

std::string_view ResultsHeading() { return "row,email,outcome,userId,redeemUrl,error\r\n"; }

std::string ResultsLine(const BulkResult& r) {
  return std::to_string(r.row) + "," + CsvField(r.email) + "," + std::string(BulkOutcomeName(r.outcome)) + "," +
         r.user_id + "," +
         CsvField(r.redeem_url) + "," + CsvField(r.error) + "\r\n";
}

BulkInvitationService::BulkInvitationService(store::Store& store, InvitationService& invitations, const Clock& clock,
                                             Random& random, BulkSettings settings)
    : store_(store),
      invitations_(invitations),
      clock_(clock),
      random_(random),
      settings_(settings),
      link_box_(ProcessLinkBox()) {}

StatusOr<BulkJob> BulkInvitationService::Submit(const Inviter& submitter, const std::string& tenant_id,
                                                   std::string_view csv, const BulkOptions& options) {
  if (!options.redirect_url.empty()) GH_RETURN_IF_ERROR(ValidateRedirectUrl(options.redirect_url));
  if (options.message.size() > 10'000)
    return InvalidArgument("The customized message body is longer than 10,000 characters.", "Request_BadRequest");
  // They come from a query string or form fields, as whatever bytes were sent.
  for (auto [name, value] : {std::pair{"message", &options.message}, {"language", &options.language}})
    if (!IsValidUtf8(*value))
      return InvalidArgument(std::string("The ") + name + " is not valid UTF-8 text.", "Request_BadRequest");
  {
    // Someone who may not invite at all is told now, not once per row, and
    // before their file is read.
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
    GH_ASSIGN_OR_RETURN(auto scope, InvitationService::OpenScope(*tx, tenant_id));
    GH_RETURN_IF_ERROR(InvitationService::MayInvite(scope, submitter));
  }

  // The file is read with no transaction open: on SQLite a write transaction
  // would hold every other writer (sign-ins, tokens, sessions) for as long as
  // a large file takes to read (security review #14). The chunks of
  // normalised rows are kept, then written in one short transaction.
  BulkJobRow job;
  std::optional<BulkLayout> layout;
  bool version_seen = false;
  json::array chunk;
  std::vector<std::string> chunks;
  Status failure;
  auto flush = [&] {
    if (chunk.empty()) return;
    chunks.push_back(json::serialize(chunk));
    chunk.clear();
    if (on_rows_read_) on_rows_read_(job.total_rows);
  };
  Status read = ReadCsv(
      csv,
      [&](int64_t number, std::vector<std::string>& fields) {
        if (!layout) {
          if (IsEmptyRecord(fields)) return true;
          if (!version_seen && IsVersionRecord(fields)) {
            version_seen = true;
            return true;
          }
          auto l = LayoutOf(fields);
          if (!l.ok()) {
            failure = l.status();
            return false;
          }
          layout = *l;
          if (layout->redirect < 0 && options.redirect_url.empty()) {
            failure = InvalidArgument("The file has no redirect URL column, so give a default redirect URL (the "
                                      "redirectUrl parameter, or --redirect in the CLI).",
                                      "Request_BadRequest");
            return false;
          }
          return true;
        }
        if (IsEmptyRecord(fields)) return true;
        if (job.total_rows >= limits_.max_rows) {
          failure = InvalidArgument("The file has more than " + std::to_string(limits_.max_rows) +
                                        " rows of guests to invite. Split it into several files.",
                                    "Request_BadRequest");
          return false;
        }
        chunk.push_back(RowJson(RowOf(*layout, number, fields)));
        ++job.total_rows;
        if (chunk.size() >= static_cast<size_t>(settings_.chunk_rows)) flush();
        return true;
      },
      limits_.csv);
  GH_RETURN_IF_ERROR(read);
  GH_RETURN_IF_ERROR(failure);
  if (!layout)
    return InvalidArgument("The file is empty: it needs a heading row and one row per guest.", "Request_BadRequest");
  if (job.total_rows == 0)
    return InvalidArgument("The file has a heading row but no guests to invite.", "Request_BadRequest");
  flush();

  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto scope, InvitationService::OpenScope(*tx, tenant_id));
  GH_RETURN_IF_ERROR(InvitationService::MayInvite(scope, submitter));  // as of now
  job.id = random_.NewUuid();
  job.tenant_id = tenant_id;
  SetStatus(job, BulkJobStatus::kQueued);
  job.file_name = ValidUtf8(options.file_name.substr(0, 255));  // only shown back: mended, not refused
  job.format = std::string(BulkFormatName(layout->format));
  job.options_json = OptionsJson(options);
  job.submitter_json = SubmitterJson(submitter);
  job.created_at = clock_.NowMillis();
  job.lease_expires_at = 0;
  job.chunk_count = static_cast<int64_t>(chunks.size());
  GH_RETURN_IF_ERROR(tx->Bulk().InsertJob(job));
  for (size_t seq = 0; seq < chunks.size(); ++seq)
    GH_RETURN_IF_ERROR(tx->Bulk().InsertChunk(job.id, static_cast<int64_t>(seq), chunks[seq]));
  GH_RETURN_IF_ERROR(tx->InsertAudit(directory::MakeAuditEntry(
      random_, clock_, submitter.Actor(), tenant_id, "UserManagement", "Bulk invite users", "BulkOperation", job.id,
      job.file_name,
      json::serialize(json::object{{"rows", job.total_rows}, {"format", job.format}, {"sendEmail", options.send_email}}))));
  GH_RETURN_IF_ERROR(tx->Commit());
  return JobFrom(job);
}

StatusOr<BulkJob> BulkInvitationService::Get(const std::string& tenant_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(BulkJobRow row, tx->Bulk().GetJob(tenant_id, ToLower(id)));
  return JobFrom(row);
}

StatusOr<store::Page<BulkJob>> BulkInvitationService::List(const std::string& tenant_id, const std::string& after_id,
                                                           int top) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(store::Page<BulkJobRow> rows, tx->Bulk().ListJobs(tenant_id, ToLower(after_id), top));
  store::Page<BulkJob> page;
  page.more = rows.more;
  page.count = rows.count;
  for (const BulkJobRow& row : rows.items) page.items.push_back(JobFrom(row));
  return page;
}

StatusOr<std::vector<BulkResult>> BulkInvitationService::Results(const std::string& tenant_id,
                                                                    const std::string& id, int64_t after_row,
                                                                    int limit) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  GH_ASSIGN_OR_RETURN(auto job, tx->Bulk().GetJob(tenant_id, ToLower(id)));
  GH_ASSIGN_OR_RETURN(auto rows, tx->Bulk().ListResults(job.id, after_row, limit));
  int unreadable = 0;
  std::vector<BulkResult> results;
  results.reserve(rows.size());
  for (BulkResultRow& row : rows) {
    BulkResult& r = results.emplace_back(ResultFrom(std::move(row)));
    if (!SecretBox::IsSealed(r.redeem_url)) continue;  // empty (or not yet sealed by SealStoredLinks)
    auto link = link_box_->Open(r.redeem_url, LinkContext(job.id, r.row));
    if (!link.ok()) ++unreadable;
    r.redeem_url = link.ok() ? std::move(link).value() : std::string();
  }
  if (unreadable > 0)
    spdlog::warn("bulk invitations: job {}: {} redeem link(s) don't open with this server's at-rest key "
                 "(every server of a database needs the same --at-rest-key)",
                 job.id, unreadable);
  return results;
}

StatusOr<int64_t> BulkInvitationService::SealStoredLinks() {
  int64_t sealed = 0;
  for (;;) {
    GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
    GH_ASSIGN_OR_RETURN(auto batch, tx->Bulk().ListUnsealedLinks(std::string(SecretBox::kSealedPrefix), 1000));
    for (const store::StoredLink& link : batch)
      GH_RETURN_IF_ERROR(
          tx->Bulk().ReplaceLink(link, link_box_->Seal(link.redeem_url, LinkContext(link.job_id, link.row))));
    GH_RETURN_IF_ERROR(tx->Commit());
    sealed += static_cast<int64_t>(batch.size());
    if (batch.size() < 1000) return sealed;
  }
}

StatusOr<BulkJob> BulkInvitationService::Cancel(const std::string& tenant_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto job, tx->Bulk().GetJob(tenant_id, ToLower(id)));
  if (IsFinished(StatusOf(job))) return JobFrom(job);
  GH_RETURN_IF_ERROR(tx->Bulk().RequestCancel(tenant_id, job.id));
  job.cancel_requested = true;
  GH_RETURN_IF_ERROR(tx->Commit());
  return JobFrom(job);
}

Status BulkInvitationService::Delete(const std::string& tenant_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto job, tx->Bulk().GetJob(tenant_id, ToLower(id)));
  if (!IsFinished(StatusOf(job)))
    return FailedPrecondition("The job is still running; cancel it first.", "Request_BadRequest");
  GH_RETURN_IF_ERROR(tx->Bulk().DeleteJob(tenant_id, job.id));
  return tx->Commit();
}

StatusOr<std::vector<BulkJobRow>> BulkInvitationService::Unfinished() {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->Bulk().ListUnfinished(100);
}

StatusOr<BulkJobRow> BulkInvitationService::StoredJob(const std::string& tenant_id, const std::string& id) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  return tx->Bulk().GetJob(tenant_id, id);
}

Status BulkInvitationService::ReleaseLease(const BulkJobRow& job, const std::string& dead_owner) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_RETURN_IF_ERROR(tx->Bulk().ReleaseLease(job.id, dead_owner));
  return tx->Commit();
}

Status BulkInvitationService::Fail(const BulkJobRow& stale, const std::string& error) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(auto job, tx->Bulk().GetJob(stale.tenant_id, stale.id));
  if (IsFinished(StatusOf(job))) return OkStatus();
  SetStatus(job, BulkJobStatus::kFailed);
  job.error = error;
  job.finished_at = clock_.NowMillis();
  job.lease_owner.reset();
  GH_RETURN_IF_ERROR(tx->Bulk().UpdateJob(job));
  return tx->Commit();
}

struct BulkInvitationService::PreparedChunk {
  ChunkPlan plan;  // results of the rows that never reach the rules
  Inviter inviter;
  InviteScope scope;
  std::vector<InvitationRequest> requests;
  std::vector<size_t> requested;  // the row of each request
};

StatusOr<BulkInvitationService::PreparedChunk> BulkInvitationService::Prepare(store::Transaction& tx,
                                                                              const BulkJobRow& job, int64_t seq,
                                                                              int64_t written,
                                                                              const std::string& data) {
  PreparedChunk out;
  out.plan.seq = seq;
  out.inviter = SubmitterFrom(job.submitter_json);
  GH_ASSIGN_OR_RETURN(const BulkOptions options, OptionsFrom(job));
  std::vector<BulkRow> rows = RowsOf(data);
  std::vector<std::string> emails;
  for (const BulkRow& row : rows) emails.push_back(ToLower(row.email));
  // Addresses in earlier chunks of the job: one query for the whole chunk,
  // plus the input of chunks whose results are not written yet (the one
  // being written while this one is planned ahead). So a plan holds however
  // late it is written: the job's results are then those of every chunk
  // before it.
  using FirstRows = std::map<std::string, int64_t>;
  GH_ASSIGN_OR_RETURN(FirstRows first_rows, tx.Bulk().FirstRowsFor(job.id, emails));
  const std::set<std::string> wanted(emails.begin(), emails.end());
  for (int64_t earlier = written; earlier < seq; ++earlier) {
    GH_ASSIGN_OR_RETURN(std::string input, tx.Bulk().GetChunk(job.id, earlier));
    for (const BulkRow& row : RowsOf(input)) {
      std::string email = ToLower(row.email);
      if (!wanted.contains(email)) continue;
      auto [first, fresh] = first_rows.emplace(std::move(email), row.row);
      if (!fresh) first->second = std::min(first->second, row.row);
    }
  }

  GroupResolver groups(tx, job.tenant_id);
  out.plan.results.resize(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    if (auto req = RequestFor(rows[i], options, groups, first_rows, out.plan.results[i])) {
      out.requests.push_back(std::move(*req));
      out.requested.push_back(i);
    }
  }
  GH_ASSIGN_OR_RETURN(out.scope, InvitationService::OpenScope(tx, job.tenant_id));
  return out;
}

StatusOr<std::vector<BulkResult>> BulkInvitationService::ProcessChunk(store::Transaction& tx, const BulkJobRow& job,
                                                                      ChunkPlan* ahead) {
  if (ahead && ahead->seq == job.next_chunk) {
    // The plan counted every earlier chunk's rows (Prepare), and only this
    // job's runner writes its results: the guests it read are what may
    // have changed since (Unavailable "stale_plan", nothing written).
    Status written = InvitationService::ApplyPlanned(tx, ahead->invited);
    if (written.ok()) {
      ++planned_ahead_;
      return std::move(ahead->results);
    }
    if (written.reason() != "stale_plan") return written;
    ++replanned_;
  }
  GH_ASSIGN_OR_RETURN(std::string data, tx.Bulk().GetChunk(job.id, job.next_chunk));
  GH_ASSIGN_OR_RETURN(PreparedChunk chunk, Prepare(tx, job, job.next_chunk, job.next_chunk, data));
  // The database failed (not a row): the whole chunk is retried.
  GH_ASSIGN_OR_RETURN(auto invited, invitations_.InviteAllIn(tx, chunk.scope, chunk.inviter, chunk.requests));
  for (size_t k = 0; k < chunk.requested.size(); ++k)
    RecordInvitation(invited[k], chunk.plan.results[chunk.requested[k]]);
  return std::move(chunk.plan.results);
}

StatusOr<ChunkPlan> BulkInvitationService::PlanChunk(const BulkJobRow& job, int64_t seq) {
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kRead));
  // The chunks written as this transaction sees them (the previous one may
  // be committing right now, or done).
  GH_ASSIGN_OR_RETURN(BulkJobRow seen, tx->Bulk().GetJob(job.tenant_id, job.id));
  GH_ASSIGN_OR_RETURN(std::string data, tx->Bulk().GetChunk(job.id, seq));
  GH_ASSIGN_OR_RETURN(PreparedChunk chunk, Prepare(*tx, job, seq, std::min(seen.next_chunk, seq), data));
  GH_ASSIGN_OR_RETURN(chunk.plan.invited,
                      invitations_.PlanAllIn(*tx, chunk.scope, chunk.inviter, chunk.requests));
  for (size_t k = 0; k < chunk.requested.size(); ++k)
    RecordInvitation(chunk.plan.invited.results[k], chunk.plan.results[chunk.requested[k]]);
  return std::move(chunk.plan);
}

StatusOr<BulkJobRow> BulkInvitationService::RunChunk(const BulkJobRow& stale, const std::string& owner,
                                                     ChunkPlan* ahead) {
  const int64_t now = clock_.NowMillis();
  GH_ASSIGN_OR_RETURN(auto tx, store_.Begin(store::TxMode::kWrite));
  GH_ASSIGN_OR_RETURN(BulkJobRow job, tx->Bulk().GetJob(stale.tenant_id, stale.id));
  if (IsFinished(StatusOf(job))) return job;
  GH_ASSIGN_OR_RETURN(bool mine, tx->Bulk().Claim(job.id, owner, now, now + settings_.lease_ms));
  if (!mine) return Unavailable("Another server is running bulk job " + job.id + ".", "leased");
  job.lease_owner = owner;
  job.lease_expires_at = now + settings_.lease_ms;
  if (!job.started_at) job.started_at = now;
  SetStatus(job, BulkJobStatus::kRunning);

  auto finish = [&](BulkJobStatus status) {
    SetStatus(job, status);
    job.finished_at = now;
    job.lease_owner.reset();
    job.lease_expires_at = 0;
  };
  if (job.cancel_requested) {
    for (int64_t seq = job.next_chunk; seq < job.chunk_count; ++seq)
      GH_RETURN_IF_ERROR(tx->Bulk().DeleteChunk(job.id, seq));
    finish(BulkJobStatus::kCancelled);
  } else if (job.next_chunk < job.chunk_count) {
    GH_ASSIGN_OR_RETURN(std::vector<BulkResult> results, ProcessChunk(*tx, job, ahead));
    std::vector<BulkResultRow> rows;
    rows.reserve(results.size());
    for (BulkResult& r : results) {
      (IsFailedOutcome(r.outcome) ? job.failed : job.succeeded) += 1;
      if (!r.redeem_url.empty()) r.redeem_url = link_box_->Seal(r.redeem_url, LinkContext(job.id, r.row));
      rows.push_back(RowFrom(std::move(r)));
    }
    job.processed += static_cast<int64_t>(rows.size());
    GH_RETURN_IF_ERROR(tx->Bulk().InsertResults(job.id, rows));
    GH_RETURN_IF_ERROR(tx->Bulk().DeleteChunk(job.id, job.next_chunk));
    ++job.next_chunk;
  }
  if (!IsFinished(StatusOf(job)) && job.next_chunk >= job.chunk_count)
    finish(job.failed > 0 ? BulkJobStatus::kCompletedWithErrors : BulkJobStatus::kCompleted);
  GH_RETURN_IF_ERROR(tx->Bulk().UpdateJob(job));
  GH_RETURN_IF_ERROR(tx->Commit());
  // The tables grew: after chunks 1, 8, 64… let the planner see it, so
  // look-ups stay index probes. Its estimates then scale with the tables'
  // size by themselves (the addresses' share of distinct values does not
  // change), so a few refreshes do.
  const auto done = static_cast<uint64_t>(job.next_chunk);
  if (!IsFinished(StatusOf(job)) && std::has_single_bit(done) && std::countr_zero(done) % 3 == 0) {
    if (Status st = store_.RefreshStatistics(); !st.ok())
      spdlog::warn("bulk invitations: job {}: refreshing planner statistics: {}", job.id, st.ToString());
  }
  return job;
}

}  // namespace gh::invitations
