#pragma once
// Writing CSV that people open in spreadsheets.
#include <string>
#include <string_view>

namespace gh {

// One field of a CSV record for a file a spreadsheet may open: quoted when it
// needs to be (RFC 4180: a comma, quote, CR or LF), and neutralised against
// formula injection as OWASP recommends: a value starting with = + - @ TAB or
// CR gets a leading apostrophe and is quoted, so Excel, LibreOffice and
// Google Sheets show it as text instead of evaluating it (=HYPERLINK(…),
// DDE payloads). Files Gatehouse writes hold values others chose (addresses
// and names from an uploaded file, error texts quoting them).
std::string CsvField(std::string_view value);

}  // namespace gh
