#include "store/filter_sql.h"

#include "core/strings.h"

namespace gh::store {
namespace {

using Kind = FilterColumn::Kind;

// The API has checked names, types and shape (http::ParseFilter) before the
// store sees a filter, so none of these reaches a client as such.
Status UnknownProperty(std::string_view property, const FilterTable& table) {
  return Internal("The filter names property '" + std::string(property) + "', which has no column in table '" +
                  std::string(table.table) + "'.");
}

Status BadValue(std::string_view property) {
  return Internal("The filter compares property '" + std::string(property) + "' with a value of another type.");
}

class Translator {
 public:
  Translator(const FilterTable& table, sql::Params& params) : table_(table), params_(params) {}

  StatusOr<std::string> Expr(const FilterExpr& e, int depth = 0) {
    // The API refuses deeper trees (http::kMaxFilterTreeDepth) before a store call.
    if (depth > 64) return Internal("The filter is nested too deeply.");
    switch (e.op) {
      case FilterOp::kAnd:
      case FilterOp::kOr: {
        if (e.children.size() != 2 || !e.children[0] || !e.children[1]) return Malformed();
        GH_ASSIGN_OR_RETURN(std::string a, Expr(*e.children[0], depth + 1));
        GH_ASSIGN_OR_RETURN(std::string b, Expr(*e.children[1], depth + 1));
        return "(" + a + (e.op == FilterOp::kAnd ? " AND " : " OR ") + b + ")";
      }
      case FilterOp::kNot: {
        if (e.children.size() != 1 || !e.children[0]) return Malformed();
        GH_ASSIGN_OR_RETURN(std::string a, Expr(*e.children[0], depth + 1));
        return "(NOT " + a + ")";
      }
      default:
        return Comparison(e);
    }
  }

 private:
  static Status Malformed() { return Internal("The filter expression is malformed."); }

  const FilterColumn* Find(std::string_view property) const {
    std::string p = ToLower(property);
    for (const FilterColumn& c : table_.columns) {
      if (ToLower(c.property) == p) return &c;
    }
    return nullptr;
  }

  // Binds a non-null value; returns the SQL expression to compare the column
  // expression (see Column()) with, or a type error.
  StatusOr<std::string> Bind(const FilterColumn& c, const FilterValue& v, std::string_view prefix = {},
                             std::string_view suffix = {}) {
    if (c.kind == Kind::kBool) {
      auto* b = std::get_if<bool>(&v);
      if (!b) return BadValue(c.property);
      params_.push_back(sql::Bool(*b));
      return Placeholder();
    }
    auto* s = std::get_if<std::string>(&v);
    if (!s) return BadValue(c.property);
    std::string text = std::string(prefix) + *s;
    if (c.kind == Kind::kLowerText) text = ToLower(text);
    params_.push_back(sql::Text(text + std::string(suffix)));
    return c.kind == Kind::kText ? "lower(" + Placeholder() + ")" : Placeholder();
  }

  static std::string Column(const FilterColumn& c) {
    return c.kind == Kind::kText ? "lower(" + std::string(c.column) + ")" : std::string(c.column);
  }

  std::string Placeholder() const { return "$" + std::to_string(params_.size()); }

  // Makes a comparison two-valued: NULL never matches.
  static std::string NotNullAnd(const FilterColumn& c, const std::string& cond) {
    return c.nullable ? "(" + std::string(c.column) + " IS NOT NULL AND " + cond + ")" : "(" + cond + ")";
  }

  StatusOr<std::string> Comparison(const FilterExpr& e) {
    const FilterColumn* c = Find(e.property);
    if (!c) return UnknownProperty(e.property, table_);
    std::string col(c->column);
    switch (e.op) {
      case FilterOp::kEq:
      case FilterOp::kNe: {
        if (e.values.size() != 1) return Malformed();
        bool eq = e.op == FilterOp::kEq;
        if (std::holds_alternative<std::monostate>(e.values[0])) {
          return "(" + col + (eq ? " IS NULL)" : " IS NOT NULL)");
        }
        GH_ASSIGN_OR_RETURN(std::string rhs, Bind(*c, e.values[0]));
        std::string match = NotNullAnd(*c, Column(*c) + " = " + rhs);
        return eq ? match : "(NOT " + match + ")";
      }
      case FilterOp::kStartsWith: {
        if (e.values.size() != 1) return Malformed();
        if (c->kind == Kind::kBool) return BadValue(c->property);
        auto* s = std::get_if<std::string>(&e.values[0]);
        if (!s) return BadValue(c->property);
        GH_ASSIGN_OR_RETURN(std::string rhs, Bind(*c, EscapeLike(*s), {}, "%"));
        return NotNullAnd(*c, Column(*c) + " LIKE " + rhs + " ESCAPE '\\'");
      }
      case FilterOp::kIn: {
        std::string list;
        bool with_null = false;
        for (const FilterValue& v : e.values) {
          if (std::holds_alternative<std::monostate>(v)) {
            with_null = true;
            continue;
          }
          GH_ASSIGN_OR_RETURN(std::string rhs, Bind(*c, v));
          list += (list.empty() ? "" : ", ") + rhs;
        }
        std::string match = list.empty() ? "(1 = 0)" : NotNullAnd(*c, Column(*c) + " IN (" + list + ")");
        return with_null ? "(" + col + " IS NULL OR " + match + ")" : match;
      }
      default:
        return Malformed();
    }
  }

  const FilterTable& table_;
  sql::Params& params_;
};

}  // namespace

const FilterTable& UserFilterTable() {
  static const FilterTable kTable{
      "users",
      {
          {"id", "id", Kind::kLowerText, false},
          {"displayName", "display_name", Kind::kText, false},
          {"mail", "mail_lower", Kind::kLowerText, true},
          {"userPrincipalName", "upn_lower", Kind::kLowerText, false},
          {"userType", "user_type", Kind::kText, false},
          {"externalUserState", "external_user_state", Kind::kText, true},
          {"accountEnabled", "account_enabled", Kind::kBool, false},
          {"givenName", "given_name", Kind::kText, true},
          {"surname", "surname", Kind::kText, true},
          {"usageLocation", "usage_location", Kind::kText, true},
          {"companyName", "company_name", Kind::kText, true},
          {"creationType", "creation_type", Kind::kText, true},
      }};
  return kTable;
}

const FilterTable& GroupFilterTable() {
  static const FilterTable kTable{
      "groups",
      {
          {"id", "id", Kind::kLowerText, false},
          {"displayName", "display_name", Kind::kText, false},
          {"mail", "mail", Kind::kText, true},
          {"mailNickname", "mail_nickname", Kind::kText, false},
          {"securityEnabled", "security_enabled", Kind::kBool, false},
          {"mailEnabled", "mail_enabled", Kind::kBool, false},
      }};
  return kTable;
}

StatusOr<std::string> FilterToSql(const FilterExpr& expr, const FilterTable& table,
                                  sql::Params& params) {
  return Translator(table, params).Expr(expr);
}

std::string EscapeLike(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

}  // namespace gh::store
