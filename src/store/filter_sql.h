#pragma once
// Internal: translates a directory::FilterExpr into a SQL condition over one
// table, through an allow-list of Graph properties. Semantics, identical on
// both backends:
//   - string eq/ne/in compare case-insensitively; startswith is a
//     case-insensitive prefix match (LIKE with % _ \ escaped);
//   - `eq null` is IS NULL, `ne null` is IS NOT NULL;
//   - comparisons are two-valued: a NULL property is never equal to a value,
//     so `ne 'x'` and `not (p eq 'x')` both include rows where p is NULL;
//   - booleans compare as 0/1 and accept only eq/ne/in with true/false.
// An unknown property is InvalidArgument (Request_UnsupportedQuery); a value of
// the wrong type is InvalidArgument (Request_BadRequest).
#include <string>
#include <string_view>
#include <vector>

#include "directory/model/filter.h"
#include "store/sql.h"

namespace gh::store {

struct FilterColumn {
  std::string_view property;  // Graph name, matched case-insensitively
  std::string_view column;
  enum class Kind { kText, kLowerText, kBool } kind;  // kLowerText: column stores lower-case
  bool nullable;
};

struct FilterTable {
  std::string_view resource;  // "User" / "Group", for error messages
  std::vector<FilterColumn> columns;
};

const FilterTable& UserFilterTable();
const FilterTable& GroupFilterTable();

// Returns a parenthesised condition; values are appended to `params` and
// referenced as $n.
StatusOr<std::string> FilterToSql(const directory::FilterExpr& expr, const FilterTable& table, sql::Params& params);

// Escapes % _ and \ for a LIKE pattern with ESCAPE '\'.
std::string EscapeLike(std::string_view s);

}  // namespace gh::store
