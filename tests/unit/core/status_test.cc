#include "core/status.h"

#include <gtest/gtest.h>

#include "core/clock.h"
#include "core/encoding.h"
#include "core/random.h"
#include "core/strings.h"

namespace gh {
namespace {

StatusOr<int> Half(int x) {
  if (x % 2) return InvalidArgument("odd", "Request_BadRequest");
  return x / 2;
}

Status Chain(int x, int* out) {
  GH_ASSIGN_OR_RETURN(int h, Half(x));
  GH_ASSIGN_OR_RETURN(*out, Half(h));
  return OkStatus();
}

TEST(StatusTest, CarriesCodeReasonAndMessage) {
  Status s = NotFound("no such user", "Request_ResourceNotFound");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.reason(), "Request_ResourceNotFound");
  EXPECT_EQ(s.ToString(), "NotFound (Request_ResourceNotFound): no such user");
}

TEST(StatusTest, AssignOrReturnPropagatesTheFirstError) {
  int out = 0;
  EXPECT_TRUE(Chain(8, &out).ok());
  EXPECT_EQ(out, 2);
  Status s = Chain(6, &out);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "odd");
}

TEST(EncodingTest, Base64UrlRoundTripsAllLengths) {
  for (std::string in : {"", "f", "fo", "foo", "foob", "fooba", "foobar", "\xff\xfe\x00\x01"}) {
    auto dec = Base64UrlDecode(Base64UrlEncode(in));
    ASSERT_TRUE(dec.ok());
    EXPECT_EQ(*dec, in);
  }
  EXPECT_EQ(Base64Encode("foob"), "Zm9vYg==");
  EXPECT_EQ(Base64UrlEncode("\xfb\xff"), "-_8");
  EXPECT_FALSE(Base64UrlDecode("a*b").ok());
}

TEST(EncodingTest, Sha256HexMatchesKnownVector) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_TRUE(ConstantTimeEquals("abc", "abc"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "abd"));
  EXPECT_FALSE(ConstantTimeEquals("abc", "ab"));
}

TEST(RandomTest, UuidsAreVersion4AndDeterministicWhenSeeded) {
  SeededRandom a(42), b(42);
  std::string u = a.NewUuid();
  EXPECT_TRUE(IsUuid(u));
  EXPECT_EQ(u[14], '4');
  EXPECT_EQ(u, b.NewUuid());
  SecureRandom r;
  EXPECT_NE(r.NewUuid(), r.NewUuid());
  EXPECT_FALSE(IsUuid("not-a-uuid"));
  std::string first = r.NewOrderedUuid(1'700'000'000'000), later = r.NewOrderedUuid(1'700'000'000'001);
  EXPECT_TRUE(IsUuid(first));
  EXPECT_EQ(first[14], '7');
  EXPECT_TRUE(first.starts_with("018bcfe5-6800-7"));  // 1,700,000,000,000 ms = 0x018bcfe56800
  EXPECT_LT(first, later);
  EXPECT_FALSE(IsUuid("0000000-0000-0000-0000-0000000000000"));
}

TEST(ClockTest, Iso8601RoundTrips) {
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00Z");
  auto t = ParseIso8601("2024-05-01T12:34:56Z");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(FormatIso8601(*t), "2024-05-01T12:34:56Z");
  EXPECT_FALSE(ParseIso8601("yesterday").ok());
}

}  // namespace
}  // namespace gh
