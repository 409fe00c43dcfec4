// The client address the server decides on, and the key per-address limits
// count it under (security review #13: X-Forwarded-For only from listed
// proxies, IPv6 by /64).
#include "core/address.h"
#include "http/client_address.h"

#include <gtest/gtest.h>

namespace gh::http {
namespace {

TEST(AddressKeyTest, Ipv4AsIsIpv6ByItsSlash64) {
  EXPECT_EQ(AddressKey("192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(AddressKey("2001:db8:1:2:3:4:5:6"), "2001:db8:1:2::/64");
  // A client rotating through its /64 stays one key.
  EXPECT_EQ(AddressKey("2001:db8:1:2:ffff:ffff:ffff:ffff"), AddressKey("2001:db8:1:2::1"));
  EXPECT_NE(AddressKey("2001:db8:1:3::1"), AddressKey("2001:db8:1:2::1"));
  EXPECT_EQ(AddressKey("::ffff:192.0.2.1"), "192.0.2.1");  // IPv4 on a dual-stack socket
  EXPECT_EQ(AddressKey("::1"), "::/64");
  EXPECT_EQ(AddressKey("unknown"), "unknown");
  EXPECT_EQ(AddressKey("[2001:db8:1:2::5]"), AddressKey("2001:db8:1:2::1"));
  EXPECT_EQ(AddressKey("fe80::1%eth0"), "fe80::/64");
}

TEST(TrustedProxiesTest, ParsesAddressesAndCidrBlocks) {
  auto p = TrustedProxies::Parse({"10.0.0.0/8", "192.0.2.7", " 2001:db8::/32 ", "::ffff:172.16.0.0/108"});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_TRUE(p->Contains("10.1.2.3"));
  EXPECT_TRUE(p->Contains("::ffff:10.1.2.3"));
  EXPECT_FALSE(p->Contains("11.0.0.1"));
  EXPECT_TRUE(p->Contains("192.0.2.7"));
  EXPECT_FALSE(p->Contains("192.0.2.8"));
  EXPECT_TRUE(p->Contains("2001:db8:ffff::1"));
  EXPECT_FALSE(p->Contains("2001:db9::1"));
  EXPECT_TRUE(p->Contains("172.16.9.9"));
  EXPECT_FALSE(p->Contains("172.32.0.1"));
  EXPECT_FALSE(p->Contains("not an address"));
  EXPECT_TRUE(TrustedProxies::Parse({})->empty());
}

TEST(TrustedProxiesTest, RefusesWhatIsNotANetwork) {
  for (const char* bad : {"10.0.0.0/33", "2001:db8::/129", "10.0.0.0/", "10.0.0.0/x", "proxy.example", "10.0.0",
                          "1.2.3.4/-1", "fe80::1%eth0"}) {
    auto p = TrustedProxies::Parse({bad});
    ASSERT_FALSE(p.ok()) << bad;
    EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
    EXPECT_NE(p.status().message().find(bad), std::string::npos) << p.status().message();
  }
}

TEST(TrustedProxiesTest, ForwardedForIsIgnoredFromAnUntrustedPeer) {
  auto p = TrustedProxies::Parse({"10.0.0.1"});
  ASSERT_TRUE(p.ok());
  // An attacker connecting directly picks any X-Forwarded-For it likes: ignored.
  EXPECT_EQ(p->ClientAddress("203.0.113.9", {"198.51.100.1"}), "203.0.113.9");
  EXPECT_EQ(TrustedProxies().ClientAddress("203.0.113.9", {"198.51.100.1"}), "203.0.113.9");
}

TEST(TrustedProxiesTest, TheRightmostUntrustedHopIsTheClient) {
  auto p = TrustedProxies::Parse({"10.0.0.0/24"});
  ASSERT_TRUE(p.ok());
  // The proxy appends the address it saw; what the client wrote is to its left.
  EXPECT_EQ(p->ClientAddress("10.0.0.1", {"198.51.100.1, 203.0.113.9"}), "203.0.113.9");
  // Several proxies of ours: skipped.
  EXPECT_EQ(p->ClientAddress("10.0.0.1", {"198.51.100.1, 203.0.113.9, 10.0.0.2"}), "203.0.113.9");
  // Several headers count as one list, in order.
  EXPECT_EQ(p->ClientAddress("10.0.0.1", {"198.51.100.1", "203.0.113.9"}), "203.0.113.9");
  // Ports and brackets are dropped; mapped IPv4 is plain IPv4.
  EXPECT_EQ(p->ClientAddress("10.0.0.1", {"203.0.113.9:4711"}), "203.0.113.9");
  EXPECT_EQ(p->ClientAddress("10.0.0.1", {"[2001:db8::7]:443"}), "2001:db8::7");
  EXPECT_EQ(p->ClientAddress("10.0.0.1", {"2001:db8::7"}), "2001:db8::7");
  EXPECT_EQ(p->ClientAddress("::ffff:10.0.0.1", {"::ffff:203.0.113.9"}), "203.0.113.9");
  // All hops ours: the leftmost. No header: the proxy itself.
  EXPECT_EQ(p->ClientAddress("10.0.0.1", {"10.0.0.3, 10.0.0.2"}), "10.0.0.3");
  EXPECT_EQ(p->ClientAddress("10.0.0.1", {}), "10.0.0.1");
  // Garbage stops the walk at the nearest trusted hop: nothing left of it is believed.
  EXPECT_EQ(p->ClientAddress("10.0.0.1", {"203.0.113.9, evil"}), "10.0.0.1");
  EXPECT_EQ(p->ClientAddress("10.0.0.1", {"203.0.113.9, evil, 10.0.0.2"}), "10.0.0.2");
}

}  // namespace
}  // namespace gh::http
