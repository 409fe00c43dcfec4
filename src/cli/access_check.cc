#include "cli/access_check.h"

namespace gh::cli {
namespace json = boost::json;

namespace {

std::string Str(const json::object& o, std::string_view key) {
  const json::value* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

std::optional<bool> Passed(const json::object& o) {
  for (std::string_view key : {"passed", "ok", "pass"})
    if (const json::value* v = o.if_contains(key); v && v->is_bool()) return v->as_bool();
  // Some shapes say it in words: "result"/"status": "passed" | "failed".
  for (std::string_view key : {"result", "status", "outcome"}) {
    std::string s = Str(o, key);
    if (s == "passed" || s == "pass" || s == "ok" || s == "allowed") return true;
    if (s == "failed" || s == "fail" || s == "denied" || s == "blocked") return false;
  }
  return std::nullopt;
}

}  // namespace

AccessCheckReport ParseAccessCheck(const json::value& body) {
  AccessCheckReport r;
  if (!body.is_object()) return r;
  const auto& o = body.as_object();
  r.action = Str(o, "action");
  if (const json::value* checks = o.if_contains("checks"); checks && checks->is_array()) {
    for (const auto& c : checks->as_array()) {
      if (!c.is_object()) continue;
      const auto& co = c.as_object();
      AccessCheckItem item;
      item.id = Str(co, "id");
      item.passed = Passed(co);
      item.message = Str(co, "message");
      for (std::string_view alt : {"sentence", "description"})  // the gate says "sentence"
        if (item.message.empty()) item.message = Str(co, alt);
      if (item.message.empty()) item.message = item.id;
      if (const json::value* remedy = co.if_contains("remedy")) {
        if (remedy->is_string()) {
          item.remedy_action = std::string(remedy->as_string());
        } else if (remedy->is_object()) {
          item.remedy_action = Str(remedy->as_object(), "action");
          if (item.remedy_action.empty()) item.remedy_action = Str(remedy->as_object(), "what");
          item.remedy_api = Str(remedy->as_object(), "api");
          item.remedy_cli = Str(remedy->as_object(), "cli");
        }
      }
      r.checks.push_back(std::move(item));
    }
  }
  if (const json::value* allowed = o.if_contains("allowed"); allowed && allowed->is_bool()) {
    r.allowed = allowed->as_bool();
  } else {
    r.allowed = !r.checks.empty();
    for (const auto& c : r.checks) r.allowed = r.allowed && c.passed.value_or(false);
  }
  return r;
}

std::string RenderAccessCheck(const AccessCheckReport& report, const std::string& subject) {
  std::string out = subject + " → " + (report.action.empty() ? "access" : report.action) + ": " +
                    (report.allowed ? "allowed" : "denied") + "\n";
  for (const auto& c : report.checks) {
    out += std::string("  ") + (!c.passed ? "?" : *c.passed ? "✓" : "✗") + " " + c.message + "\n";
    if (c.passed.value_or(true)) continue;
    if (!c.remedy_action.empty()) out += "      fix: " + c.remedy_action + "\n";
    if (!c.remedy_cli.empty()) out += "      run: " + c.remedy_cli + "\n";
    if (!c.remedy_api.empty()) out += "      api: " + c.remedy_api + "\n";
  }
  return out;
}

}  // namespace gh::cli
