// Per-address throttle keys (security review #13): IPv6 counts by /64, so
// rotating the interface identifier doesn't buy fresh budgets.
#include "identity/address_key.h"

#include <gtest/gtest.h>

namespace gh::identity {
namespace {

TEST(ThrottleKeyForAddress, Ipv4IsItsOwnKey) {
  EXPECT_EQ(ThrottleKeyForAddress("192.0.2.7"), "ip4:192.0.2.7");
  EXPECT_NE(ThrottleKeyForAddress("192.0.2.7"), ThrottleKeyForAddress("192.0.2.8"));
}

TEST(ThrottleKeyForAddress, Ipv6CountsByItsSlash64) {
  EXPECT_EQ(ThrottleKeyForAddress("2001:db8:1:2::1"), "ip6:2001:db8:1:2::/64");
  EXPECT_EQ(ThrottleKeyForAddress("2001:db8:1:2:ffff:ffff:ffff:ffff"), ThrottleKeyForAddress("2001:db8:1:2::1"));
  EXPECT_EQ(ThrottleKeyForAddress("2001:0DB8:0001:0002:aaaa::9"), ThrottleKeyForAddress("2001:db8:1:2::1"));
  EXPECT_NE(ThrottleKeyForAddress("2001:db8:1:3::1"), ThrottleKeyForAddress("2001:db8:1:2::1"));
  EXPECT_EQ(ThrottleKeyForAddress("[2001:db8:1:2::5]"), ThrottleKeyForAddress("2001:db8:1:2::1"));
  EXPECT_EQ(ThrottleKeyForAddress("fe80::1%eth0"), "ip6:fe80::/64");
  EXPECT_EQ(ThrottleKeyForAddress("::1"), "ip6:::/64");
}

TEST(ThrottleKeyForAddress, MappedIpv4IsTheIpv4Address) {
  EXPECT_EQ(ThrottleKeyForAddress("::ffff:192.0.2.7"), "ip4:192.0.2.7");
}

TEST(ThrottleKeyForAddress, AnythingElseStillSharesOneKey) {
  EXPECT_EQ(ThrottleKeyForAddress("unknown"), "raw:unknown");
  EXPECT_EQ(ThrottleKeyForAddress(""), "raw:");
  EXPECT_EQ(ThrottleKeyForAddress("999.1.1.1"), "raw:999.1.1.1");
}

}  // namespace
}  // namespace gh::identity
