#include "http/client_address.h"

#include "core/address.h"
#include "core/strings.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>
#include <optional>

namespace gh::http {
namespace {

bool PrefixMatches(const std::array<uint8_t, 16>& a, const std::array<uint8_t, 16>& b, int prefix) {
  int full = prefix / 8, rest = prefix % 8;
  if (std::memcmp(a.data(), b.data(), static_cast<size_t>(full)) != 0) return false;
  if (rest == 0) return true;
  uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a[static_cast<size_t>(full)] & mask) == (b[static_cast<size_t>(full)] & mask);
}

// One X-Forwarded-For hop without its port: "[v6]:port" → "v6",
// "a.b.c.d:port" → "a.b.c.d"; a bare IPv6 address is left alone.
std::string_view StripPort(std::string_view hop) {
  if (!hop.empty() && hop.front() == '[') {
    size_t close = hop.find(']');
    return close == std::string_view::npos ? std::string_view() : hop.substr(1, close - 1);
  }
  size_t colon = hop.find(':');
  if (colon != std::string_view::npos && hop.find(':', colon + 1) == std::string_view::npos)
    return hop.substr(0, colon);
  return hop;
}

}  // namespace

StatusOr<TrustedProxies> TrustedProxies::Parse(const std::vector<std::string>& entries) {
  TrustedProxies out;
  for (const std::string& raw : entries) {
    std::string_view entry = TrimView(raw, " \t");
    if (entry.empty()) continue;
    size_t slash = entry.find('/');
    auto address = ParseIpAddress(entry.substr(0, slash));
    auto bad = InvalidArgument("'" + raw + "' is not an IP address or a CIDR block (e.g. 10.0.0.0/8, 2001:db8::/32).");
    // A zone ("fe80::1%eth0") names an interface, not a network to trust.
    if (!address || entry.find('%') != std::string_view::npos) return bad;
    const int max_prefix = address->v6 ? 128 : 32;
    int prefix = max_prefix;
    if (slash != std::string_view::npos) {
      std::string_view digits = entry.substr(slash + 1);
      if (digits.empty() || digits.size() > 3) return bad;
      prefix = 0;
      for (char c : digits) {
        if (c < '0' || c > '9') return bad;
        prefix = prefix * 10 + (c - '0');
      }
      // "::ffff:10.0.0.0/104" is an IPv4 network written in IPv6.
      if (!address->v6 && entry.substr(0, slash).find(':') != std::string_view::npos) prefix -= 96;
      if (prefix < 0 || prefix > max_prefix) return bad;
    }
    out.networks_.push_back(Network{address->v6, address->bytes, prefix});
  }
  return out;
}

bool TrustedProxies::Contains(std::string_view text) const {
  auto a = ParseIpAddress(text);
  if (!a) return false;
  for (const Network& n : networks_)
    if (n.v6 == a->v6 && PrefixMatches(n.bytes, a->bytes, n.prefix)) return true;
  return false;
}

std::string TrustedProxies::ClientAddress(std::string_view peer,
                                          const std::vector<std::string_view>& forwarded_for) const {
  if (!Contains(peer)) return std::string(peer);
  std::vector<std::string_view> hops;
  for (std::string_view header : forwarded_for) {
    while (!header.empty()) {
      size_t comma = header.find(',');
      hops.push_back(TrimView(header.substr(0, comma), " \t"));
      header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    }
  }
  std::string client(peer);  // the nearest trusted hop so far
  for (auto it = hops.rbegin(); it != hops.rend(); ++it) {
    auto hop = ParseIpAddress(StripPort(*it));
    if (!hop) break;
    client = FormatIpAddress(*hop);
    if (!Contains(client)) break;
  }
  return client;
}

}  // namespace gh::http
