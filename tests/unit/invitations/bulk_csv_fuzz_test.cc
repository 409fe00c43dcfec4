// Regressions from fuzz_csv (fuzz/csv_fuzzer.cc): inputs the harness found
// that broke an invariant, each with the rule it broke.
#include <gtest/gtest.h>

#include "core/encoding.h"
#include "invitations/bulk_csv.h"

namespace gh::invitations {
namespace {

// Reads `text` in pieces of `piece` bytes (0: whole); the status of the read.
Status ReadInPieces(std::string_view text, size_t piece, std::vector<std::string>* fields = nullptr) {
  CsvReader reader([&](int64_t, std::vector<std::string>& f) {
    if (fields) fields->insert(fields->end(), f.begin(), f.end());
    return true;
  });
  if (piece == 0) piece = text.size() + 1;
  for (size_t i = 0; i < text.size(); i += piece) GH_RETURN_IF_ERROR(reader.Feed(text.substr(i, piece)));
  return reader.Finish();
}

// The reader promised "not CSV when … invalid UTF-8", but checked only the
// shape of each sequence: a UTF-16 surrogate (ED A0 80), an overlong
// encoding (E0 80 AF is '/' in three bytes, the classic filter bypass) and
// code points past U+10FFFF (F4 90 80 80) went through into names, messages
// and the database, where the rest of the server (core IsValidUtf8) calls
// them invalid.
TEST(BulkCsvFuzzTest, RefusesEveryInvalidUtf8NotOnlyMalformedSequences) {
  for (std::string_view bad : {std::string_view("\xED\xA0\x80"), std::string_view("\xE0\x80\xAF"),
                               std::string_view("\xF4\x90\x80\x80"), std::string_view("\xF0\x80\x80\xAF")}) {
    std::string file = "email,displayName\nz@example.org,a" + std::string(bad) + "b\n";
    for (size_t piece : {0, 1, 2, 3, 5}) {
      Status s = ReadInPieces(file, piece);
      EXPECT_EQ(s.code(), Code::kInvalidArgument) << HexEncode(bad) << " in pieces of " << piece;
    }
  }
}

TEST(BulkCsvFuzzTest, ValidUtf8SplitAnywhereIsStillRead) {
  const std::string name = "Zo\xC3\xAB \xE6\x97\xA5 \xF0\x9F\x98\x80 \xED\x9F\xBF \xF4\x8F\xBF\xBF";
  ASSERT_TRUE(IsValidUtf8(name));
  for (size_t piece : {0, 1, 2, 3, 4, 7}) {
    std::vector<std::string> fields;
    Status s = ReadInPieces("email,displayName\nz@example.org," + name + "\n", piece, &fields);
    ASSERT_TRUE(s.ok()) << s.ToString() << " in pieces of " << piece;
    ASSERT_EQ(fields.size(), 4u);
    EXPECT_EQ(fields[3], name);
  }
}

TEST(BulkCsvFuzzTest, AnIncompleteSequenceAtTheEndIsRefused) {
  for (size_t piece : {0, 1, 2}) {
    EXPECT_EQ(ReadInPieces("email\nz@example.org\xF0\x9F\x98", piece).code(), Code::kInvalidArgument);
  }
}

}  // namespace
}  // namespace gh::invitations
