#pragma once
// A parsed OData $filter, independent of HTTP, of SQL and of the directory:
// the OData parser (http/odata.h) builds it, allowing only the properties a
// resource can be filtered on; the store translates it (mapping each property
// to a column); in-memory code can evaluate it. Property names are Graph's
// (camelCase: "displayName", "userType", ...).
#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace gh {

using FilterValue = std::variant<std::monostate /*null*/, bool, int64_t, std::string>;

enum class FilterOp {
  kEq,          // property eq value
  kNe,          // property ne value
  kStartsWith,  // startswith(property, 'text'), case-insensitive as in Graph
  kIn,          // property in ('a', 'b')
  kAnd,
  kOr,
  kNot,
};

struct FilterExpr {
  FilterOp op;
  std::string property;                // comparisons only
  std::vector<FilterValue> values;     // one for eq/ne/startswith, n for in
  std::vector<std::shared_ptr<const FilterExpr>> children;  // and/or: 2, not: 1
};
using FilterPtr = std::shared_ptr<const FilterExpr>;

}  // namespace gh
