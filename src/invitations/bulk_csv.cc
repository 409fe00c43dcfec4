#include "invitations/bulk_csv.h"

#include <csv.h>

#include <algorithm>
#include <cctype>

#include "core/encoding.h"  // IsValidUtf8
#include "core/enum_names.h"
#include "core/strings.h"

namespace gh::invitations {
namespace {

// Length of the UTF-8 sequence starting with `lead`; 0 when `lead` can't start
// one. Only to find a sequence cut by the end of a piece: whether the bytes
// are UTF-8 is IsValidUtf8's to say.
int SequenceLength(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xC2 && lead <= 0xDF) return 2;
  if (lead >= 0xE0 && lead <= 0xEF) return 3;
  if (lead >= 0xF0 && lead <= 0xF4) return 4;
  return 0;
}

const Status kNotText = InvalidArgument(
    "The file is not a CSV text file: it contains binary data or text that is not UTF-8. Save it as "
    "\"CSV UTF-8 (comma delimited)\" and upload it again.",
    "Request_BadRequest");

Status FieldTooLong(const std::string& record, size_t max_bytes) {
  return InvalidArgument("A field of record " + record + " of the file is longer than " + std::to_string(max_bytes) +
                             " bytes. Check for a quote that is never closed, or shorten the field.",
                         "Request_BadRequest");
}

}  // namespace

CsvReader::CsvReader(OnRecord on_record, CsvLimits limits)
    : on_record_(std::move(on_record)), limits_(limits), parser_(new csv_parser) {
  // Every line end is reported, so blank lines count and record numbers are
  // the rows a spreadsheet shows (a quoted newline stays inside its record).
  csv_init(parser_, CSV_STRICT | CSV_STRICT_FINI | CSV_REPALL_NL);
  csv_set_blk_size(parser_, 4096);  // libcsv grows its field buffer by this much at a time
}

void CsvReader::Refuse(Status why) {
  if (refused_.ok()) refused_ = std::move(why);
  stopped_ = true;
  fields_.clear();
}

CsvReader::~CsvReader() {
  csv_free(parser_);
  delete parser_;
}

void CsvReader::OnField(void* data, size_t len, void* self) {
  auto* r = static_cast<CsvReader*>(self);
  if (!r->refused_.ok()) return;
  const std::string record = std::to_string(r->records_ + 1);
  if (len > r->limits_.max_field_bytes) {
    r->Refuse(FieldTooLong(record, r->limits_.max_field_bytes));
    return;
  }
  if (r->fields_.size() >= r->limits_.max_fields) {
    r->Refuse(InvalidArgument("Record " + record + " of the file has more than " +
                                  std::to_string(r->limits_.max_fields) +
                                  " fields (columns). Remove the extra columns (or stray commas) and upload it again.",
                              "Request_BadRequest"));
    return;
  }
  r->fields_.emplace_back(static_cast<const char*>(data), len);
}

void CsvReader::OnEnd(int terminator, void* self) {
  auto* r = static_cast<CsvReader*>(self);
  const bool crlf_tail = terminator == '\n' && r->last_terminator_ == '\r' && r->fields_.empty();
  r->last_terminator_ = terminator;
  if (crlf_tail) return;  // the LF of a CRLF line end
  ++r->records_;
  if (!r->stopped_ && r->refused_.ok() && !r->on_record_(r->records_, r->fields_)) r->stopped_ = true;
  r->fields_.clear();
}

Status CsvReader::CheckText(std::string_view text) {
  // Validates UTF-8 across piece boundaries: an incomplete sequence at the
  // end waits for the next piece. The rest must be UTF-8 as RFC 3629 has it
  // (core IsValidUtf8), not merely shaped like it: surrogates, overlong forms
  // (E0 80 AF is a '/') and code points past U+10FFFF are refused, as they
  // are everywhere else in the server.
  std::string joined;
  if (!pending_utf8_.empty()) {
    joined = pending_utf8_ + std::string(text);
    text = joined;
    pending_utf8_.clear();
  }
  size_t complete = text.size();
  for (size_t back = 1; back <= 3 && back <= text.size(); ++back) {
    unsigned char c = static_cast<unsigned char>(text[text.size() - back]);
    if ((c & 0xC0) == 0x80) continue;  // a continuation byte: look further back
    if (SequenceLength(c) > static_cast<int>(back)) complete = text.size() - back;
    break;
  }
  std::string_view whole = text.substr(0, complete);
  if (whole.find('\0') != std::string_view::npos || !IsValidUtf8(whole)) return kNotText;
  pending_utf8_ = std::string(text.substr(complete));
  return OkStatus();
}

Status CsvReader::Feed(std::string_view text) {
  std::string head;
  if (!started_) {
    // Holds back the first bytes until a BOM can be told apart.
    head = std::move(bom_) + std::string(text);
    constexpr std::string_view kBom = "\xEF\xBB\xBF";
    if (head.size() < kBom.size() && kBom.starts_with(head)) {
      bom_ = std::move(head);
      return OkStatus();
    }
    text = head;
    if (text.starts_with(kBom)) text.remove_prefix(kBom.size());
    started_ = true;
  }
  GH_RETURN_IF_ERROR(CheckText(text));
  GH_RETURN_IF_ERROR(refused_);
  if (stopped_) return OkStatus();
  // In slices, so a field or record past the limits is found after at most
  // one slice more of it (libcsv buffers a field whole before reporting it).
  constexpr size_t kSlice = 64 * 1024;
  for (size_t at = 0; at < text.size() && !stopped_; at += kSlice) GH_RETURN_IF_ERROR(Parse(text.substr(at, kSlice)));
  return refused_;
}

Status CsvReader::Parse(std::string_view text) {
  size_t done = csv_parse(parser_, text.data(), text.size(), &CsvReader::OnField, &CsvReader::OnEnd, this);
  GH_RETURN_IF_ERROR(refused_);
  if (done != text.size()) {
    return InvalidArgument("The file is not valid CSV near record " + std::to_string(records_ + 1) + ": " +
                               csv_strerror(csv_error(parser_)) +
                               " (a quote inside a field must be doubled, and a quoted field must be closed).",
                           "Request_BadRequest");
  }
  if (parser_->entry_pos > limits_.max_field_bytes) {  // the field being read, not reported yet
    Refuse(FieldTooLong(std::to_string(records_ + 1), limits_.max_field_bytes));
    return refused_;
  }
  return OkStatus();
}

Status CsvReader::Finish() {
  if (!started_) {
    // A file shorter than a BOM: what was held back is the text.
    started_ = true;
    std::string head = std::move(bom_);
    if (head != "\xEF\xBB\xBF") GH_RETURN_IF_ERROR(Feed(head));
  }
  GH_RETURN_IF_ERROR(refused_);
  if (!pending_utf8_.empty()) return kNotText;
  const int fini = csv_fini(parser_, &CsvReader::OnField, &CsvReader::OnEnd, this);
  GH_RETURN_IF_ERROR(refused_);
  if (fini != 0)
    return InvalidArgument("The file ends inside a quoted field (record " + std::to_string(records_ + 1) + ").",
                           "Request_BadRequest");
  return OkStatus();
}

Status ReadCsv(std::string_view text, const CsvReader::OnRecord& on_record, CsvLimits limits) {
  CsvReader reader(on_record, limits);
  GH_RETURN_IF_ERROR(reader.Feed(text));
  return reader.Finish();
}

constexpr auto kFormatNames = std::to_array<EnumName<BulkFormat>>({
    {BulkFormat::kEntraTemplate, "entraTemplate"},
    {BulkFormat::kPowerShellSample, "powershellSample"},
    {BulkFormat::kGatehouse, "gatehouse"},
});
static_assert(AreDistinct(kFormatNames));

std::string_view BulkFormatName(BulkFormat f) { return NameOf(kFormatNames, f); }

bool IsVersionRecord(const std::vector<std::string>& fields) {
  if (fields.empty() || !ToLower(Trim(fields[0])).starts_with("version:")) return false;
  return std::all_of(fields.begin() + 1, fields.end(), [](const std::string& f) { return Trim(f).empty(); });
}

bool IsEmptyRecord(const std::vector<std::string>& fields) {
  return std::all_of(fields.begin(), fields.end(), [](const std::string& f) { return Trim(f).empty(); });
}

StatusOr<BulkLayout> LayoutOf(const std::vector<std::string>& heading) {
  BulkLayout layout;
  bool bracketed = false;
  std::vector<std::string> names;
  for (const auto& h : heading) {
    // Entra: "Email address to invite [inviteeEmail] Required" → "inviteeemail".
    auto open = h.rfind('['), close = h.rfind(']');
    if (open != std::string::npos && close != std::string::npos && close > open) {
      bracketed = true;
      names.push_back(ToLower(Trim(std::string_view(h).substr(open + 1, close - open - 1))));
    } else {
      names.push_back(ToLower(Trim(h)));
    }
  }
  auto find = [&](std::initializer_list<std::string_view> accepted) {
    for (size_t i = 0; i < names.size(); ++i)
      for (auto a : accepted)
        if (names[i] == a) return static_cast<int>(i);
    return -1;
  };
  if (bracketed) {
    layout.format = BulkFormat::kEntraTemplate;
    layout.email = find({"inviteeemail"});
    layout.redirect = find({"inviteredirecturl"});
    layout.send_email = find({"sendemail"});
    layout.message = find({"customizedmessagebody"});
    layout.name = find({"inviteename"});
    if (layout.email < 0 || layout.redirect < 0)
      return InvalidArgument(
          "The heading row of the template must have the columns 'Email address to invite [inviteeEmail]' and "
          "'Redirection url [inviteRedirectURL]'. Download the template again and keep its first two rows.",
          "Request_BadRequest");
    return layout;
  }
  if (int e = find({"inviteduseremailaddress"}); e >= 0) {
    layout.format = BulkFormat::kPowerShellSample;
    layout.email = e;
    layout.name = find({"name"});
    return layout;
  }
  layout.format = BulkFormat::kGatehouse;
  layout.email = find({"email", "mail", "emailaddress"});
  layout.name = find({"displayname", "name"});
  layout.redirect = find({"redirecturl", "inviteredirecturl"});
  layout.send_email = find({"sendemail"});
  layout.message = find({"message", "customizedmessagebody"});
  layout.groups = find({"groups", "groupids"});
  if (layout.email < 0)
    return InvalidArgument(
        "The file has no column with the address to invite. Accepted heading rows: Entra's bulk invite template "
        "(version:v1.0, then 'Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] "
        "Required,…'), the PowerShell sample ('Name,InvitedUserEmailAddress'), or "
        "'email,displayName,redirectUrl,sendEmail,message,groups' (only email is required).",
        "Request_BadRequest");
  return layout;
}

BulkRow RowOf(const BulkLayout& layout, int64_t number, const std::vector<std::string>& fields) {
  auto get = [&](int i) { return i >= 0 && static_cast<size_t>(i) < fields.size() ? Trim(fields[i]) : std::string(); };
  BulkRow row;
  row.row = number;
  row.email = get(layout.email);
  row.name = get(layout.name);
  row.redirect = get(layout.redirect);
  row.send_email = get(layout.send_email);
  row.message = layout.message >= 0 && static_cast<size_t>(layout.message) < fields.size() ? fields[layout.message] : "";
  row.groups = get(layout.groups);
  return row;
}


}  // namespace gh::invitations
