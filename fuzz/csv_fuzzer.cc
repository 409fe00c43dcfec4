// Hostile bulk-invitation files (invitations/bulk_csv.h): the bytes of an
// uploaded CSV, read the way BulkInvitationService::Submit reads them.
//
// Input: the first byte picks the size of the pieces the file is also fed
// in (1..64 bytes, as a streamed upload arrives); the rest is the file.
// Invariants beyond "no crash, no UB, no leak":
//   - fed whole or in pieces, the reader gives the same verdict and, when
//     it accepts the file, the same records with numbers 1, 2, 3, …;
//   - an accepted file holds no NUL and only valid UTF-8;
//   - each results line written for a row (ResultsLine, which quotes what the
//     file gave) reads back as exactly one record of six fields: a hostile
//     cell can't add columns or rows to the results file.
#include <string>
#include <vector>

#include "core/encoding.h"
#include "fuzz_util.h"
#include "invitations/bulk_csv.h"
#include "invitations/bulk_service.h"

namespace {

using gh::invitations::BulkRow;
using Records = std::vector<std::pair<int64_t, std::vector<std::string>>>;

gh::Status ReadWhole(std::string_view text, Records& out) {
  return gh::invitations::ReadCsv(text, [&](int64_t n, std::vector<std::string>& fields) {
    out.emplace_back(n, fields);
    return true;
  });
}

gh::Status ReadInPieces(std::string_view text, size_t piece, Records& out) {
  gh::invitations::CsvReader reader([&](int64_t n, std::vector<std::string>& fields) {
    out.emplace_back(n, fields);
    return true;
  });
  for (size_t at = 0; at < text.size(); at += piece) {
    gh::Status s = reader.Feed(text.substr(at, piece));
    if (!s.ok()) return s;
  }
  return reader.Finish();
}

std::string Show(const Records& r) {
  std::string s;
  for (const auto& [n, fields] : r) {
    s += std::to_string(n) + ":";
    for (const auto& f : fields) s += "[" + f + "]";
    s += "\n";
  }
  return s;
}

// The results line of a row whose cells come from the file, read back.
void CheckResultsLine(const BulkRow& row) {
  gh::invitations::BulkResult r;
  r.row = row.row;
  r.email = row.email;
  r.outcome = gh::invitations::BulkOutcome::kInvalid;
  r.redeem_url = row.redirect;
  r.error = row.message + row.name + row.groups;
  std::string line = gh::invitations::ResultsLine(r);
  Records back;
  gh::Status s = ReadWhole(line, back);
  GH_FUZZ_CHECK(s.ok(), "results line not readable: " + line);
  GH_FUZZ_CHECK(back.size() == 1 && back[0].second.size() == 6, "results line is not one record of six fields: " + line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const size_t piece = data[0] % 64 + 1;
  const std::string_view text = gh::fuzz::AsText(data + 1, size - 1);

  Records whole, pieces;
  gh::Status a = ReadWhole(text, whole);
  gh::Status b = ReadInPieces(text, piece, pieces);
  GH_FUZZ_CHECK(a.ok() == b.ok(), "whole: " + a.ToString() + " / in pieces of " + std::to_string(piece) + ": " +
                                      b.ToString());
  if (!a.ok()) {
    GH_FUZZ_CHECK(a.code() == gh::Code::kInvalidArgument, a.ToString());
    return 0;
  }
  GH_FUZZ_CHECK(whole == pieces, "whole:\n" + Show(whole) + "in pieces of " + std::to_string(piece) + ":\n" +
                                     Show(pieces));
  for (size_t i = 0; i < whole.size(); ++i) {
    GH_FUZZ_CHECK(whole[i].first == static_cast<int64_t>(i + 1), Show(whole));
    for (const auto& f : whole[i].second)
      GH_FUZZ_CHECK(f.find('\0') == std::string::npos && gh::IsValidUtf8(f), "accepted a field that is not text");
  }

  // The headings as Submit finds them: an optional version line, then the
  // first non-empty record; then every data row.
  size_t i = 0;
  while (i < whole.size() && gh::invitations::IsEmptyRecord(whole[i].second)) ++i;
  if (i < whole.size() && gh::invitations::IsVersionRecord(whole[i].second)) ++i;
  while (i < whole.size() && gh::invitations::IsEmptyRecord(whole[i].second)) ++i;
  if (i == whole.size()) return 0;
  auto layout = gh::invitations::LayoutOf(whole[i].second);
  if (!layout.ok()) return 0;
  (void)gh::invitations::BulkFormatName(layout->format);
  for (++i; i < whole.size(); ++i) {
    if (gh::invitations::IsEmptyRecord(whole[i].second)) continue;
    BulkRow row = gh::invitations::RowOf(*layout, whole[i].first, whole[i].second);
    CheckResultsLine(row);
  }
  return 0;
}
