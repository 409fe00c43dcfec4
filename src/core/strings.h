#pragma once
// Small string helpers every module uses (ASCII rules: the server runs in the
// "C" locale and the identifiers these see are ASCII).
#include <string>
#include <string_view>

namespace gh {

// A UUID in canonical form (8-4-4-4-12 hex digits, any case).
bool IsUuid(std::string_view s);
// ASCII letters lower-cased; other bytes (UTF-8 included) as they are.
std::string ToLower(std::string_view s);
// Without leading and trailing `chars` (by default spaces, tabs and line
// breaks; HTTP's optional whitespace is " \t").
std::string_view TrimView(std::string_view s, std::string_view chars = " \t\r\n");
std::string Trim(std::string_view s);

}  // namespace gh
