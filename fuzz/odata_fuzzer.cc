// Hostile OData query options (http/odata.h) and their translation to SQL
// (store/filter_sql.h): what GET /v1.0/users?$filter=… and /groups reach.
//
// The whole input is, in turn: a $filter over the users' and the groups'
// filterable properties (the API's one list of them, api/graph/wire.h), a
// $select, a $top, a $count, and the query string of a list request for
// CheckQueryOptions.
// Invariants beyond "no crash, no UB, no leak":
//   - a filter the parser accepts, written back as OData, parses to the same
//     tree (nothing is dropped or reordered);
//   - its SQL holds no quote but the LIKE escape clause's (every value is a
//     bound parameter, so nothing of the input is SQL text), and its
//     placeholders are exactly $1..$n for the n parameters;
//   - parse errors are InvalidArgument (a 400), never anything else, and a
//     filter the parser accepts the store translates (its Internal errors are
//     for names and shapes the API has ruled out);
//   - $top accepts only 1..999.
#include <string>

#include "api/graph/wire.h"
#include "core/filter.h"
#include "fuzz_util.h"
#include "http/message.h"
#include "http/odata.h"
#include "store/filter_sql.h"

namespace {

using gh::FilterExpr;
using gh::FilterOp;
using gh::FilterValue;
using gh::http::PropertySet;

std::string Literal(const FilterValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return "null";
  if (const bool* b = std::get_if<bool>(&v)) return *b ? "true" : "false";
  if (const int64_t* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  std::string out = "'";
  for (char c : std::get<std::string>(v)) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

// OData text for a tree, with only the parentheses the tree's shape needs
// (or < and < not < comparison; and/or associate to the left).
std::string Write(const FilterExpr& e, int needed = 0) {
  int prec = 0;
  std::string s;
  switch (e.op) {
    case FilterOp::kOr:
      prec = 1;
      s = Write(*e.children[0], 1) + " or " + Write(*e.children[1], 2);
      break;
    case FilterOp::kAnd:
      prec = 2;
      s = Write(*e.children[0], 2) + " and " + Write(*e.children[1], 3);
      break;
    case FilterOp::kNot:
      prec = 3;
      s = "not " + Write(*e.children[0], 3);
      break;
    case FilterOp::kEq:
    case FilterOp::kNe:
      prec = 4;
      s = e.property + (e.op == FilterOp::kEq ? " eq " : " ne ") + Literal(e.values.at(0));
      break;
    case FilterOp::kStartsWith:
      prec = 4;
      s = "startswith(" + e.property + "," + Literal(e.values.at(0)) + ")";
      break;
    case FilterOp::kIn:
      prec = 4;
      s = e.property + " in (";
      for (size_t i = 0; i < e.values.size(); ++i) s += (i ? "," : "") + Literal(e.values[i]);
      s += ")";
      break;
  }
  return prec < needed ? "(" + s + ")" : s;
}

bool Same(const FilterExpr& a, const FilterExpr& b) {
  if (a.op != b.op || a.property != b.property || a.values != b.values || a.children.size() != b.children.size())
    return false;
  for (size_t i = 0; i < a.children.size(); ++i)
    if (!Same(*a.children[i], *b.children[i])) return false;
  return true;
}

void CheckSql(const FilterExpr& e, const gh::store::FilterTable& table) {
  gh::store::sql::Params params;
  auto sql = gh::store::FilterToSql(e, table, params);
  GH_FUZZ_CHECK(sql.ok(), "an accepted filter the store can't translate: " + sql.status().ToString());
  std::string text = *sql;
  for (size_t p; (p = text.find("ESCAPE '\\'")) != std::string::npos;) text.erase(p, 10);
  GH_FUZZ_CHECK(text.find('\'') == std::string::npos, "a quote in the SQL: " + *sql);
  // Placeholders: $1..$n, each parameter used once, in order.
  size_t next = 1;
  for (size_t p = 0; (p = text.find('$', p)) != std::string::npos;) {
    size_t q = p + 1;
    while (q < text.size() && text[q] >= '0' && text[q] <= '9') ++q;
    GH_FUZZ_CHECK(text.substr(p + 1, q - p - 1) == std::to_string(next), "placeholder out of order: " + *sql);
    ++next;
    p = q;
  }
  GH_FUZZ_CHECK(next - 1 == params.size(), "placeholders and parameters differ: " + *sql);
}

void FuzzFilter(std::string_view text, const PropertySet& props, const gh::store::FilterTable& table,
                std::string_view resource) {
  auto parsed = gh::http::ParseFilter(text, props, resource);
  if (!parsed.ok()) {
    GH_FUZZ_CHECK(parsed.status().code() == gh::Code::kInvalidArgument, parsed.status().ToString());
    return;
  }
  GH_FUZZ_CHECK(*parsed != nullptr, "accepted filter without a tree");
  std::string written = Write(**parsed);
  if (written.size() <= gh::http::kMaxFilterLength) {
    auto again = gh::http::ParseFilter(written, props, resource);
    GH_FUZZ_CHECK(again.ok(), "written back: " + written + " → " + again.status().ToString());
    GH_FUZZ_CHECK(Same(**parsed, **again), "written back: " + written);
  }
  CheckSql(**parsed, table);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text = gh::fuzz::AsText(data, size);
  FuzzFilter(text, gh::api::graph::UserFilterable(), gh::store::UserFilterTable(), "User");
  FuzzFilter(text, gh::api::graph::GroupFilterable(), gh::store::GroupFilterTable(), "Group");

  auto select = gh::http::ParseSelect(text, gh::api::graph::UserFilterable(), "User");
  if (select.ok()) {
    for (const auto& name : *select) GH_FUZZ_CHECK(gh::api::graph::UserFilterable().count(name) == 1, name);
  } else {
    GH_FUZZ_CHECK(select.status().code() == gh::Code::kInvalidArgument, select.status().ToString());
  }
  auto top = gh::http::ParseTop(text);
  if (top.ok()) GH_FUZZ_CHECK(*top >= 1 && *top <= 999, std::to_string(*top));
  (void)gh::http::ParseCount(text);

  gh::http::Request req;
  req.target = "/v1.0/users?" + std::string(text);
  if (req.ParseTarget()) {
    gh::Status s = gh::http::CheckQueryOptions(req, {"$filter", "$select", "$top", "$count"});
    if (s.ok()) {
      for (const auto& [name, value] : req.query) {
        if (name == "$filter") FuzzFilter(value, gh::api::graph::UserFilterable(), gh::store::UserFilterTable(), "User");
      }
    }
  }
  return 0;
}
