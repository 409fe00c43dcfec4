#include "cli/settings_patch.h"

#include <charconv>

namespace gh::cli {
namespace json = boost::json;

namespace {

Status Usage(std::string m) { return InvalidArgument(std::move(m), "usage"); }

bool IsInteger(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

bool IsDecimal(std::string_view s, double* out) {
  if (s.empty() || s.find_first_not_of("+-0123456789.eE") != std::string_view::npos) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), *out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

StatusOr<json::value> ParseSettingValue(std::string_view text) {
  if (text == "true") return json::value(true);
  if (text == "false") return json::value(false);
  if (text == "null") return json::value(nullptr);
  int64_t i = 0;
  if (IsInteger(text, &i)) return json::value(i);
  double d = 0;
  if (IsDecimal(text, &d)) return json::value(d);
  if (!text.empty() && (text.front() == '{' || text.front() == '[' || text.front() == '"')) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    if (ec) return Usage("'" + std::string(text) + "' is not valid JSON: " + ec.message());
    return v;
  }
  return json::value(text);
}

StatusOr<json::object> BuildSettingsPatch(const std::vector<std::string>& assignments) {
  json::object root;
  for (const auto& a : assignments) {
    auto eq = a.find('=');
    if (eq == std::string::npos) return Usage("expected KEY=VALUE, got '" + a + "'");
    std::string_view key(a.data(), eq);
    GH_ASSIGN_OR_RETURN(json::value value, ParseSettingValue(std::string_view(a).substr(eq + 1)));
    std::vector<std::string_view> parts;
    for (size_t start = 0;;) {
      auto dot = key.find('.', start);
      parts.push_back(key.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
      if (parts.back().empty()) return Usage("'" + std::string(key) + "' has an empty key segment");
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    json::object* node = &root;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      json::value& child = (*node)[parts[i]];
      if (child.is_null()) child = json::object{};
      if (!child.is_object())
        return Usage("'" + std::string(key) + "': '" + std::string(parts[i]) + "' is already set to a value");
      node = &child.as_object();
    }
    if (const json::value* existing = node->if_contains(parts.back()); existing && existing->is_object() &&
                                                                        !value.is_object())
      return Usage("'" + std::string(key) + "' is a group of settings, not a single value");
    (*node)[parts.back()] = std::move(value);
  }
  return root;
}

}  // namespace gh::cli
