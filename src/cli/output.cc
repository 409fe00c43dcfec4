#include "cli/output.h"

#include <algorithm>

#include "core/csv_field.h"

namespace gh::cli {
namespace json = boost::json;

StatusOr<OutputFormat> ParseOutputFormat(std::string_view name, bool stdout_is_terminal) {
  if (name.empty()) return stdout_is_terminal ? OutputFormat::kTable : OutputFormat::kJson;
  if (name == "table") return OutputFormat::kTable;
  if (name == "json") return OutputFormat::kJson;
  if (name == "csv") return OutputFormat::kCsv;
  return InvalidArgument("--output: expected table, json or csv, got '" + std::string(name) + "'", "usage");
}

const json::value* ValueAt(const json::value& row, std::string_view dotted_path) {
  const json::value* v = &row;
  while (!dotted_path.empty()) {
    auto dot = dotted_path.find('.');
    std::string_view key = dotted_path.substr(0, dot);
    if (!v->is_object()) return nullptr;
    v = v->as_object().if_contains(key);
    if (!v) return nullptr;
    dotted_path = dot == std::string_view::npos ? std::string_view{} : dotted_path.substr(dot + 1);
  }
  return v;
}

std::string CellText(const json::value* v) {
  if (!v || v->is_null()) return "";
  if (v->is_string()) return std::string(v->as_string());
  if (v->is_array()) {
    std::string out;
    for (const auto& item : v->as_array()) {
      if (!out.empty()) out += ", ";
      out += item.is_string() || item.is_null() || item.is_number() || item.is_bool() ? CellText(&item)
                                                                                      : json::serialize(item);
    }
    return out;
  }
  return json::serialize(*v);
}

namespace {

// Display width approximated by code points (continuation bytes don't count).
size_t Width(std::string_view s) {
  return static_cast<size_t>(std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}

// Newlines and tabs inside a cell would break the alignment.
std::string OneLine(std::string s) {
  std::replace_if(s.begin(), s.end(), [](char c) { return c == '\n' || c == '\r' || c == '\t'; }, ' ');
  return s;
}

}  // namespace

std::string FormatTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> widths(headers.size(), 0);
  auto measure = [&widths](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size() && i < widths.size(); ++i) widths[i] = std::max(widths[i], Width(OneLine(r[i])));
  };
  measure(headers);
  for (const auto& r : rows) measure(r);
  std::string out;
  auto line = [&](const std::vector<std::string>& r) {
    std::string l;
    for (size_t i = 0; i < widths.size(); ++i) {
      std::string cell = i < r.size() ? OneLine(r[i]) : "";
      l += cell;
      if (i + 1 < widths.size()) l.append(widths[i] - Width(cell) + 2, ' ');
    }
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l + "\n";
  };
  line(headers);
  for (const auto& r : rows) line(r);
  return out;
}


std::string FormatCsv(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows) {
  std::string out;
  auto line = [&out](const std::vector<std::string>& r) {
    for (size_t i = 0; i < r.size(); ++i) out += (i ? "," : "") + CsvField(r[i]);
    out += "\r\n";
  };
  line(headers);
  for (const auto& r : rows) line(r);
  return out;
}

std::string FormatRows(const json::array& rows, const std::vector<Column>& columns, OutputFormat format) {
  if (format == OutputFormat::kJson) return PrettyJson(rows);
  std::vector<std::string> headers;
  for (const auto& c : columns) headers.push_back(c.header);
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : rows) {
    std::vector<std::string> r;
    for (const auto& c : columns) r.push_back(CellText(ValueAt(row, c.path)));
    cells.push_back(std::move(r));
  }
  return format == OutputFormat::kCsv ? FormatCsv(headers, cells) : FormatTable(headers, cells);
}

namespace {

void Pretty(const json::value& v, std::string& out, int indent) {
  auto pad = [&out](int n) { out.append(static_cast<size_t>(n) * 2, ' '); };
  if (v.is_object()) {
    const auto& o = v.as_object();
    if (o.empty()) {
      out += "{}";
      return;
    }
    out += "{\n";
    size_t i = 0;
    for (const auto& [k, item] : o) {
      pad(indent + 1);
      out += json::serialize(json::value(k)) + ": ";
      Pretty(item, out, indent + 1);
      out += ++i < o.size() ? ",\n" : "\n";
    }
    pad(indent);
    out += "}";
  } else if (v.is_array()) {
    const auto& a = v.as_array();
    if (a.empty()) {
      out += "[]";
      return;
    }
    out += "[\n";
    for (size_t i = 0; i < a.size(); ++i) {
      pad(indent + 1);
      Pretty(a[i], out, indent + 1);
      out += i + 1 < a.size() ? ",\n" : "\n";
    }
    pad(indent);
    out += "]";
  } else {
    out += json::serialize(v);
  }
}

}  // namespace

std::string PrettyJson(const json::value& v) {
  std::string out;
  Pretty(v, out, 0);
  return out + "\n";
}

}  // namespace gh::cli
