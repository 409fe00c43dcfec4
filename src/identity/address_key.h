#pragma once
// The key that per-address sign-in throttles count under.
//
// An IPv4 address counts as itself. An IPv6 address counts by its /64: one
// subscriber (a home, a cloud VM) is routinely given a whole /64, so a count
// per full IPv6 address is sidestepped by rotating the low 64 bits. An
// IPv4-mapped IPv6 address (::ffff:a.b.c.d) counts as the IPv4 address.
// Anything that isn't an IP address (a test's "unknown") keys as itself, so
// it still shares one counter rather than escaping counting.
//
// Until the transport decides the client's address from trusted proxies, the
// input is the TCP peer address; the function is pure either way.
#include <string>
#include <string_view>

namespace gh::identity {

// "ip4:192.0.2.7", "ip6:2001:db8:1:2::/64", or "raw:<input>".
std::string ThrottleKeyForAddress(std::string_view remote_address);

}  // namespace gh::identity
