#pragma once
// Reading bulk-invitation files: RFC 4180 records through libcsv (quoted
// commas and newlines, CRLF or LF, blank lines skipped, UTF-8 with or without
// a BOM), and the three heading layouts Gatehouse accepts:
//   - Entra's template: a "version:v1.0" line, then headings such as
//     "Email address to invite [inviteeEmail] Required", columns found by the
//     bracketed property name, other columns ignored;
//   - the PowerShell sample: "Name,InvitedUserEmailAddress";
//   - Gatehouse's own: email, displayName, redirectUrl, sendEmail, message,
//     groups (ids or names separated by ';').
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

struct csv_parser;

namespace gh::invitations {

// What one record may hold. A file is the upload of one (authenticated)
// inviter, but every field is a string in memory: without caps one record of
// commas is hundreds of millions of them (security review #14).
struct CsvLimits {
  size_t max_fields = 64;            // per record (Entra's template has 4 to 6 columns)
  size_t max_field_bytes = 64 * 1024;  // a customized message of 10,000 characters fits
};

// Streams records out of CSV text fed in pieces. A record is its fields and
// its number: 1-based, counting headings and blank lines (a blank line is a
// record without fields), so it is the row number a spreadsheet shows.
class CsvReader {
 public:
  // Return false to stop reading.
  using OnRecord = std::function<bool(int64_t number, std::vector<std::string>& fields)>;
  // A record past `limits` is InvalidArgument from Feed or Finish, found
  // before it is held whole: memory stays within the limits whatever is fed.
  explicit CsvReader(OnRecord on_record, CsvLimits limits = {});
  ~CsvReader();
  CsvReader(const CsvReader&) = delete;
  CsvReader& operator=(const CsvReader&) = delete;

  // InvalidArgument when the text is not CSV: a NUL byte, invalid UTF-8, or a
  // stray quote; or when a record is past the limits. Fed text may split
  // anywhere, even inside a UTF-8 sequence.
  Status Feed(std::string_view text);
  Status Finish();

 private:
  static void OnField(void* data, size_t len, void* self);
  static void OnEnd(int terminator, void* self);
  Status CheckText(std::string_view text);
  Status Parse(std::string_view text);
  void Refuse(Status why);

  OnRecord on_record_;
  CsvLimits limits_;
  Status refused_;  // the first record past the limits
  csv_parser* parser_;
  std::vector<std::string> fields_;
  int64_t records_ = 0;
  int last_terminator_ = 0;
  bool stopped_ = false;
  bool started_ = false;  // past a possible BOM
  std::string bom_;       // the first bytes, while they may still be a BOM
  std::string pending_utf8_;  // an incomplete UTF-8 sequence at the end of the last piece
};

// Reads a whole text (tests, small files).
Status ReadCsv(std::string_view text, const CsvReader::OnRecord& on_record, CsvLimits limits = {});

enum class BulkFormat { kEntraTemplate, kPowerShellSample, kGatehouse };
std::string_view BulkFormatName(BulkFormat f);

// Where each field is in a data record; -1 when the file has no such column.
struct BulkLayout {
  BulkFormat format = BulkFormat::kGatehouse;
  int email = -1, name = -1, redirect = -1, send_email = -1, message = -1, groups = -1;
};

// True for Entra's first line ("version:v1.0", possibly padded with empty fields).
bool IsVersionRecord(const std::vector<std::string>& fields);
// The layout named by a heading record, or InvalidArgument saying which
// column is missing and what headings are accepted.
StatusOr<BulkLayout> LayoutOf(const std::vector<std::string>& heading);

// One data row as the file gives it (empty strings for absent columns).
struct BulkRow {
  int64_t row = 0;  // the record number
  std::string email, name, redirect, send_email, message, groups;
};
BulkRow RowOf(const BulkLayout& layout, int64_t number, const std::vector<std::string>& fields);
// True when the record has no fields or only empty ones (a row of commas).
bool IsEmptyRecord(const std::vector<std::string>& fields);

}  // namespace gh::invitations
