#pragma once
// IP addresses in text form, and the key per-address limits count one under
// (sign-in throttles, connection caps): an IPv4 address as itself; an IPv6
// address by its /64, since one subscriber (a home, a cloud VM) is routinely
// given a whole /64 and could rotate through it; an IPv4-mapped IPv6 address
// ("::ffff:192.0.2.1") as the IPv4 address. Pure functions.
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace gh {

struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // IPv4 in the first four
};

// "192.0.2.1", "2001:db8::1", "[2001:db8::1]", "fe80::1%eth0" (the zone is
// dropped); IPv4-mapped IPv6 addresses become IPv4. nullopt for anything else.
std::optional<IpAddress> ParseIpAddress(std::string_view text);
std::string FormatIpAddress(const IpAddress& a);

// "192.0.2.1" or "2001:db8:1:2::/64"; anything that isn't an IP address is
// its own key, so it still shares one counter rather than escaping counting.
std::string AddressKey(std::string_view address);

}  // namespace gh
