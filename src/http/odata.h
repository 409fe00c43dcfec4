#pragma once
// Microsoft Graph (OData v4) query options: $filter, $select, $top, $count and
// the check that a request uses only the options an endpoint supports. Pure
// functions over strings; no I/O and no Beast. Errors are InvalidArgument with
// Graph's reason codes, ready for the Graph error mapper.
//
// Deliberately not supported: lambda operators (any/all), arithmetic, other
// comparison operators (lt, gt, ...), functions other than startswith,
// $orderby/$search/$expand (an endpoint rejects those via CheckQueryOptions).
#include <initializer_list>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/filter.h"
#include "http/message.h"

namespace gh::http {

enum class PropertyType {
  kString,
  kBool,
  kGuid,  // a quoted string holding a GUID: 'd5f2...'
  kInt64,
};

// Graph property name (case-sensitive, "displayName") → type: the allow-list
// of properties an endpoint can filter or select on.
using PropertySet = std::map<std::string, PropertyType, std::less<>>;

// Inputs larger or deeper than this are refused before any recursion can hurt.
inline constexpr size_t kMaxFilterLength = 4096;
inline constexpr int kMaxFilterDepth = 32;  // parentheses and `not`s, while parsing
// The most `and`/`or`/`not` operators on one path from the root of a parsed
// filter to a comparison: a chain `a or b or c` nests one level per operator.
// The store translates no deeper tree (store/filter_sql.cc).
inline constexpr int kMaxFilterTreeDepth = 64;

// Parses a $filter value (already percent-decoded) into the directory filter
// AST. Grammar: `or` < `and` < `not` precedence, parentheses,
// `prop eq|ne value`, `startswith(prop, 'text')`, `prop in ('a', 'b')`; values
// are '...' strings ('' escapes a quote), true, false, null and integers.
// Keywords are case-insensitive; property names are case-sensitive.
// Errors: InvalidArgument, reason "BadRequest" for syntax, type, size and depth
// errors (either limit above; message says what and where, positions
// 0-based); reason
// "Request_UnsupportedQuery" for a property not in `allowed`.
StatusOr<FilterPtr> ParseFilter(std::string_view text, const PropertySet& allowed,
                                           std::string_view resource_name);

// Parses a $select comma list. Names match `allowed` case-insensitively (as in
// Graph) and come back in their canonical spelling, in order, without
// duplicates. Unknown name: InvalidArgument, reason "BadRequest".
StatusOr<std::vector<std::string>> ParseSelect(std::string_view text, const PropertySet& allowed,
                                               std::string_view resource_name);

// $top: an integer in 1..999, else InvalidArgument reason "Request_BadRequest".
StatusOr<int> ParseTop(std::string_view text);

// $count: "true" or "false", else InvalidArgument reason "Request_BadRequest".
StatusOr<bool> ParseCount(std::string_view text);

// Fails with InvalidArgument, reason "Request_BadRequest", when the request
// carries a `$`-prefixed query option not in `supported` (e.g. "$skip"), or
// one option more than once. Parameters without `$` are left to the handler.
Status CheckQueryOptions(const Request& req, std::initializer_list<std::string_view> supported);

}  // namespace gh::http
