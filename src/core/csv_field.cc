#include "core/csv_field.h"

namespace gh {

std::string CsvField(std::string_view value) {
  const bool formula = !value.empty() && std::string_view("=+-@\t\r").find(value.front()) != std::string_view::npos;
  if (!formula && value.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(value);
  std::string out = formula ? "\"'" : "\"";
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace gh
