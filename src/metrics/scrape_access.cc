#include "metrics/scrape_access.h"

#include <array>
#include <cstdint>

#include "core/address.h"
#include "core/encoding.h"

namespace gh::metrics {

bool IsLoopbackAddress(std::string_view address) {
  auto a = ParseIpAddress(address);  // maps ::ffff:a.b.c.d to IPv4
  if (!a) return false;
  if (!a->v6) return a->bytes[0] == 127;
  static constexpr std::array<uint8_t, 16> kV6Loopback = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  return a->bytes == kV6Loopback;
}

ScrapeAccess MayScrape(const ScrapeRequest& req, std::string_view token) {
  if (!token.empty()) {
    constexpr std::string_view kBearer = "Bearer ";
    std::string_view auth = req.authorization;
    // The scheme is case-insensitive (RFC 7235 §2.1).
    if (auth.size() > kBearer.size()) {
      bool bearer = true;
      for (size_t i = 0; i < kBearer.size(); ++i)
        if ((auth[i] | 0x20) != (kBearer[i] | 0x20)) bearer = false;
      if (bearer && ConstantTimeEquals(auth.substr(kBearer.size()), token)) return ScrapeAccess::kAllowed;
    }
  }
  if (!req.forwarded && IsLoopbackAddress(req.remote_address)) return ScrapeAccess::kAllowed;
  return token.empty() ? ScrapeAccess::kForbidden : ScrapeAccess::kUnauthenticated;
}

}  // namespace gh::metrics
