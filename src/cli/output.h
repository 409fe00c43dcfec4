#pragma once
// How client commands print what the server returned: aligned tables for
// people, JSON (the raw value array) and RFC 4180 CSV for programs. Pure
// functions over Boost.JSON values; no I/O except Print*, which writes to the
// stream it is given.
#include <boost/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gh::cli {

enum class OutputFormat { kTable, kJson, kCsv };

// "table", "json" or "csv"; an empty name means the default: a table when
// stdout is a terminal, JSON otherwise (scripts get something parseable).
StatusOr<OutputFormat> ParseOutputFormat(std::string_view name, bool stdout_is_terminal);

// One column: a header and a dotted path into each row ("prepaidUnits.enabled").
struct Column {
  std::string header;
  std::string path;
};

// The value at a dotted path, or nullptr when any step is missing.
const boost::json::value* ValueAt(const boost::json::value& row, std::string_view dotted_path);

// A cell's text: strings as they are, numbers and booleans as JSON writes them,
// null/missing as "", arrays of scalars joined with ", ", objects as JSON.
std::string CellText(const boost::json::value* v);

// Columns padded to the widest cell (counted in UTF-8 code points), two spaces
// apart, header row first; no trailing spaces. Every line ends with '\n'.
std::string FormatTable(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows);

// RFC 4180 (one field: core/csv_field.h, also neutralising what a spreadsheet
// would evaluate); lines end with CRLF; the header row comes first.
std::string FormatCsv(const std::vector<std::string>& headers, const std::vector<std::vector<std::string>>& rows);

// Renders `rows` (a JSON array of objects) in `format`: JSON prints the array
// itself (pretty), table and CSV the given columns.
std::string FormatRows(const boost::json::array& rows, const std::vector<Column>& columns, OutputFormat format);

// Indented JSON (two spaces), for people; ends with '\n'.
std::string PrettyJson(const boost::json::value& v);

}  // namespace gh::cli
