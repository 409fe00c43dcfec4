#pragma once
// Who is on the other end of a request: the client address the server
// decides on (the TCP peer, or, behind a listed reverse proxy, the address
// that proxy saw). Per-address limits count it under core/address.h's
// AddressKey.
//
// X-Forwarded-For is believed only from the proxies an operator lists: from
// anyone else it is a string the client chose, and honouring it would let a
// client pick the address every throttle keys on.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"

namespace gh::http {

// A set of networks ("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "::1").
class TrustedProxies {
 public:
  TrustedProxies() = default;
  // InvalidArgument naming the first entry that is neither an address nor a
  // CIDR block with a valid prefix length.
  static StatusOr<TrustedProxies> Parse(const std::vector<std::string>& entries);

  bool empty() const { return networks_.empty(); }
  // True when `address` (an IP address in text form) is in one of the
  // networks. IPv4-mapped IPv6 addresses match IPv4 networks.
  bool Contains(std::string_view address) const;

  // The client address for a connection from `peer` whose request carried
  // `forwarded_for` (the X-Forwarded-For header values, in order; each a
  // comma-separated list of hops). When `peer` isn't trusted: `peer`. When it
  // is: the rightmost hop that isn't a trusted proxy, walking leftwards (the
  // leftmost when all are trusted); a hop that isn't an IP address stops the
  // walk at the trusted hop to its right (whatever is left of it was written
  // by someone we don't trust). Hops may carry a port ("192.0.2.1:4711",
  // "[2001:db8::1]:443"), which is dropped.
  std::string ClientAddress(std::string_view peer, const std::vector<std::string_view>& forwarded_for) const;

 private:
  struct Network {
    bool v6 = false;
    std::array<uint8_t, 16> bytes{};  // IPv4 in the first 4
    int prefix = 0;
  };
  std::vector<Network> networks_;
};

}  // namespace gh::http
