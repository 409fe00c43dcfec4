#pragma once
// Internal: translates a FilterExpr into a SQL condition over one
// table, mapping each Graph property name to its column. Semantics, identical
// on both backends:
//   - string eq/ne/in compare case-insensitively; startswith is a
//     case-insensitive prefix match (LIKE with % _ \ escaped);
//   - `eq null` is IS NULL, `ne null` is IS NOT NULL;
//   - comparisons are two-valued: a NULL property is never equal to a value,
//     so `ne 'x'` and `not (p eq 'x')` both include rows where p is NULL;
//   - booleans compare as 0/1 and accept only eq/ne/in with true/false.
// Which properties a client may filter on, and Graph's errors for the rest,
// are the API's (api/graph/wire.h: UserFilterable, GroupFilterable, checked
// by http::ParseFilter before the store is called): a property this table
// doesn't map, a value of the wrong type or a malformed tree is a caller's
// bug here, a plain Internal error.
#include <string>
#include <string_view>
#include <vector>

#include "core/filter.h"
#include "store/sql.h"

namespace gh::store {

struct FilterColumn {
  std::string_view property;  // Graph name, matched case-insensitively
  std::string_view column;
  enum class Kind { kText, kLowerText, kBool } kind;  // kLowerText: column stores lower-case
  bool nullable;
};

struct FilterTable {
  std::string_view table;  // for error messages
  std::vector<FilterColumn> columns;
};

const FilterTable& UserFilterTable();
const FilterTable& GroupFilterTable();

// Returns a parenthesised condition; values are appended to `params` and
// referenced as $n.
StatusOr<std::string> FilterToSql(const FilterExpr& expr, const FilterTable& table, sql::Params& params);

// Escapes % _ and \ for a LIKE pattern with ESCAPE '\'.
std::string EscapeLike(std::string_view s);

}  // namespace gh::store
