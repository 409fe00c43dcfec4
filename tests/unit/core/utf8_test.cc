// IsValidUtf8 / ValidUtf8: what may be stored or echoed as JSON text.
#include <gtest/gtest.h>

#include "core/encoding.h"

namespace gh {
namespace {

TEST(Utf8, WellFormedTextIsValid) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("Zoë, Łódź, 東京, 𝄞"));  // 2-, 3- and 4-byte sequences
  EXPECT_TRUE(IsValidUtf8("\xF4\x8F\xBF\xBF"));     // U+10FFFF, the last code point
}

TEST(Utf8, MalformedTextIsNot) {
  EXPECT_FALSE(IsValidUtf8("\xff\xfe"));          // bytes that start nothing
  EXPECT_FALSE(IsValidUtf8("\xC3("));             // a lead byte without its continuation
  EXPECT_FALSE(IsValidUtf8("caf\xC3"));           // cut off at the end
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));          // an overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xE0\x80\xAF"));      // overlong, three bytes
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));      // a UTF-16 surrogate
  EXPECT_FALSE(IsValidUtf8("\xF4\x90\x80\x80"));  // past U+10FFFF
}

TEST(Utf8, ValidUtf8ReplacesOnlyTheBadBytes) {
  EXPECT_EQ(ValidUtf8("Zoë"), "Zoë");
  EXPECT_EQ(ValidUtf8("a\xff" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(ValidUtf8("\xC3(ë"), "\xEF\xBF\xBD(ë");
  EXPECT_TRUE(IsValidUtf8(ValidUtf8("\xED\xA0\x80\xF4\x90")));
}

}  // namespace
}  // namespace gh
