// The audit log: who changed what, when, and with what result, newest first,
// 50 a page. The store filters what it can (category, who, target id, dates);
// the page filters the rest (activity text, target name, result) while it
// reads, so paging stays correct under any combination of filters.
#include <algorithm>
#include <map>
#include <span>

#include "core/clock.h"
#include "core/strings.h"
#include "web/portal/portal.h"
#include "web/templates.h"

namespace gh::web::portal {
namespace {
namespace json = boost::json;
using ctemplate::TemplateDictionary;
using directory::AuditEntry;

constexpr size_t kPageSize = 50;
constexpr int kScanBatch = 200;
// Entries one page reads at most when the page's own filters reject most of
// them; the next page goes on from there.
constexpr int kScanLimit = 5000;

struct Choice {
  std::string_view value, text;
};
// The categories Gatehouse's modules write.
constexpr Choice kCategories[] = {
    {"", "All"},
    {"ApplicationManagement", "ApplicationManagement"},
    {"AppManagement", "AppManagement"},
    {"DirectoryManagement", "DirectoryManagement"},
    {"EnvironmentManagement", "EnvironmentManagement"},
    {"GroupManagement", "GroupManagement"},
    {"LicenseManagement", "LicenseManagement"},
    {"Policy", "Policy"},
    {"RoleManagement", "RoleManagement"},
    {"TenantSettings", "TenantSettings"},
    {"UserManagement", "UserManagement"},
};
constexpr Choice kResults[] = {{"", "Any"}, {"success", "Success"}, {"failure", "Failure"}};

// The filters, in the form's order; each is a query parameter named by its id.
struct FilterField {
  std::string_view id, label, type;  // type "select" shows `options`
  std::span<const Choice> options;
};
constexpr FilterField kFilters[] = {
    {"activity", "Activity", "search", {}},
    {"category", "Category", "select", kCategories},
    {"initiatedBy", "Initiated by", "search", {}},
    {"target", "Target", "search", {}},
    {"result", "Result", "select", kResults},
    {"from", "From", "date", {}},
    {"to", "To", "date", {}},
};

// Filter id → what was typed, and → the refusal shown next to it.
using Values = std::map<std::string, std::string, std::less<>>;
using FieldErrors = std::map<std::string, std::string, std::less<>>;

Values FiltersOf(const http::Request& r) {
  Values v;
  for (const FilterField& f : kFilters) v[std::string(f.id)] = r.Query(f.id).value_or("");
  return v;
}

bool Contains(std::string_view haystack, const std::string& lower_needle) {
  return lower_needle.empty() || ToLower(haystack).find(lower_needle) != std::string::npos;
}

// What the store filters, and what the page filters while it reads.
struct AuditSearch {
  store::AuditQuery query;
  std::string activity;     // lower-case text the activity contains
  std::string target_name;  // lower-case text the target's name contains
  std::string result;       // "success", "failure" or "" (any)

  bool Keeps(const AuditEntry& e) const {
    return Contains(e.activity, activity) && Contains(e.target_name, target_name) &&
           (result.empty() || e.result == result);
  }
};

// Midnight UTC of a "YYYY-MM-DD" day (what <input type="date"> sends).
std::optional<int64_t> ParseDay(std::string_view text) {
  if (text.size() != 10) return std::nullopt;
  auto ms = ParseIso8601(std::string(text) + "T00:00:00Z");
  // The round trip refuses days the calendar doesn't have (2024-02-30).
  if (!ms.ok() || FormatIso8601(*ms).substr(0, 10) != text) return std::nullopt;
  return *ms;
}

constexpr int64_t kDayMillis = 24 * 60 * 60 * 1000;

void AddDates(const Values& v, AuditSearch& s, FieldErrors& errors) {
  const std::string bad = "Enter a date as YYYY-MM-DD, e.g. 2024-05-01.";
  if (const std::string& from = v.at("from"); !from.empty()) {
    if (auto day = ParseDay(from)) s.query.since = *day;
    else errors.emplace("from", bad);
  }
  if (const std::string& to = v.at("to"); !to.empty()) {
    if (auto day = ParseDay(to)) s.query.until = *day + kDayMillis;  // the whole of that day
    else errors.emplace("to", bad);
  }
  if (s.query.since && s.query.until && *s.query.since >= *s.query.until)
    errors.emplace("to", "The end date is before the start date.");
}

// "Initiated by" is an object id, or the user principal name of a user here.
void AddInitiator(const http::Request& req, PortalDeps& d, const Admin& a, const std::string& who, AuditSearch& s, FieldErrors& errors) {
  if (who.empty()) return;
  if (IsUuid(who)) {
    s.query.actor_id = ToLower(who);
    return;
  }
  auto user = d.directory.GetUser(a.tenant.id, who);
  if (user.ok()) s.query.actor_id = user->id;
  else if (user.status().code() == Code::kNotFound)
    errors.emplace("initiatedBy", "No user '" + who + "' in " + a.tenant.name +
                                      ". Enter a user principal name or an object ID.");
  else errors.emplace("initiatedBy", ShownMessage(req, user.status()));
}

// The search the filters ask for; refusals go to `errors` by filter id.
AuditSearch SearchFor(const http::Request& req, PortalDeps& d, const Admin& a, const Values& v, FieldErrors& errors) {
  AuditSearch s;
  s.query.tenant_id = a.tenant.id;
  if (!v.at("category").empty()) s.query.category = v.at("category");
  s.activity = ToLower(v.at("activity"));
  if (const std::string& target = v.at("target"); IsUuid(target)) s.query.target_id = ToLower(target);
  else s.target_name = ToLower(target);
  s.result = v.at("result");
  if (s.result != "" && s.result != "success" && s.result != "failure")
    errors.emplace("result", "Choose success or failure.");
  AddInitiator(req, d, a, v.at("initiatedBy"), s, errors);
  AddDates(v, s, errors);
  return s;
}

struct AuditResults {
  std::vector<AuditEntry> rows;
  std::string next;      // the cursor of the next page; empty at the end
  bool partial = false;  // stopped at kScanLimit before filling the page
};

// Up to one page of matching entries after the cursor `after`, newest first.
StatusOr<AuditResults> FindEntries(PortalDeps& d, const AuditSearch& s, std::string after) {
  AuditResults out;
  store::AuditQuery q = s.query;
  q.top = kScanBatch;
  q.after = std::move(after);
  for (int scanned = 0; scanned < kScanLimit;) {
    GH_ASSIGN_OR_RETURN(auto batch, d.directory.ListAudit(q));
    for (AuditEntry& e : batch.items) {
      ++scanned;
      if (!s.Keeps(e)) {
        q.after = e.id;
        continue;
      }
      if (out.rows.size() == kPageSize) {  // a match beyond this page: there is a next one
        out.next = out.rows.back().id;
        return out;
      }
      q.after = e.id;
      out.rows.push_back(std::move(e));
    }
    if (!batch.more) return out;
  }
  out.next = q.after;
  out.partial = true;
  return out;
}

void AddFilterFields(Page& p, const Values& v, const FieldErrors& errors) {
  for (const FilterField& f : kFilters) {
    const std::string& value = v.at(std::string(f.id));
    auto error = errors.find(f.id);
    TemplateDictionary* field = p.Section("FILTER");
    field->SetValue("ID", std::string(f.id));
    field->SetValue("LABEL", std::string(f.label));
    TemplateDictionary* control = field->AddSectionDictionary(f.type == "select" ? "SELECT" : "INPUT");
    control->SetValue("TYPE", std::string(f.type));
    control->SetValue("VALUE", value);
    for (const Choice& c : f.options) {
      TemplateDictionary* option = control->AddSectionDictionary("OPTION");
      option->SetValue("VALUE", std::string(c.value));
      option->SetValue("TEXT", std::string(c.text));
      if (c.value == value) option->ShowSection("SELECTED");
    }
    if (error == errors.end()) continue;
    control->ShowSection("INVALID");
    field->AddSectionDictionary("ERROR")->SetValue("MESSAGE", error->second);
  }
}

// The details JSON's top-level properties, strings shown without quotes.
void AddDetails(TemplateDictionary* row, const AuditEntry& e) {
  auto add = [&](std::string name, std::string value) {
    TemplateDictionary* prop = row->AddSectionDictionary("PROPERTY");
    prop->SetValue("NAME", name);
    prop->SetValue("VALUE", value);
  };
  add("Initiated by (id)", e.actor_id.empty() ? e.actor_type : e.actor_type + " " + e.actor_id);
  if (!e.target_id.empty()) add("Target (id)", e.target_id);
  if (!e.result_reason.empty()) add("Result reason", e.result_reason);
  boost::system::error_code ec;
  json::value details = json::parse(e.details_json, ec);
  if (ec || !details.is_object()) {
    if (!e.details_json.empty()) add("Details", e.details_json);
    return;
  }
  for (const auto& kv : details.as_object())
    add(std::string(kv.key()),
        kv.value().is_string() ? std::string(kv.value().as_string()) : json::serialize(kv.value()));
}

void AddEntry(TemplateDictionary* table, const AuditEntry& e) {
  const std::string iso = FormatIso8601(e.time);
  TemplateDictionary* row = table->AddSectionDictionary("ENTRY");
  row->SetValue("ISO", iso);
  row->SetValue("DATE", iso.substr(0, 10) + " " + iso.substr(11, 8));
  row->SetValue("CATEGORY", e.category);
  row->SetValue("ACTIVITY", e.activity);
  row->SetValue("ACTOR", e.actor_name.empty() ? e.actor_id : e.actor_name);
  const std::string target = e.target_name.empty() ? e.target_id : e.target_name;
  row->SetValue("TARGET", e.target_type.empty() ? target : e.target_type + ": " + target);
  row->SetValue("RESULT", e.result);
  AddDetails(row, e);
}

std::string NextPageHref(const Admin& a, const Values& v, const std::string& after) {
  std::string href = a.base + "/audit?";
  for (const FilterField& f : kFilters)
    href += std::string(f.id) + "=" + http::PercentEncode(v.at(std::string(f.id))) + "&";
  return href + "after=" + http::PercentEncode(after);
}

http::Response AuditLog(PortalDeps& d, Visit& v) {
  auto& [ctx, a, form] = v;
  const std::string after = ctx.request.Query("after").value_or("");
  if (!after.empty() && !IsUuid(after))
    return MessagePage(400, "This page link is not valid", "Open the audit log again and page from the start.",
                       "Audit log", a.base + "/audit");
  const Values values = FiltersOf(ctx.request);
  FieldErrors errors;
  const AuditSearch search = SearchFor(ctx.request, d, a, values, errors);
  Page p("portal_audit", "Audit log · " + a.tenant.name);
  Layout(p, d, a, "/audit");
  AddFilterFields(p, values, errors);
  if (!errors.empty()) return p.Response(400);
  auto found = FindEntries(d, search, after);
  if (!found.ok()) return ErrorPage(ctx.request, found.status(), "Can't read the audit log");
  if (found->rows.empty()) p.Show("NO_ENTRIES");
  else
    for (TemplateDictionary* table = p.Section("ENTRIES"); const AuditEntry& e : found->rows) AddEntry(table, e);
  if (found->partial) p.Show("PARTIAL");
  if (!found->next.empty()) p.Section("NEXT")->SetValue("HREF", NextPageHref(a, values, found->next));
  return p.Response();
}

}  // namespace

std::vector<http::Route> AuditPages(const Deps& d) {
  AddTemplates({"portal_audit"});
  return {PortalRoute(d, "GET", "/portal/{tenant}/audit", &PortalPermissions::audit_read, AuditLog,
                      "Audit log: filters (activity, category, initiator, target, result, dates), paging")};
}

}  // namespace gh::web::portal
