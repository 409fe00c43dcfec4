#include "core/address.h"

#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

namespace gh {
namespace {
constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
}  // namespace

std::optional<IpAddress> ParseIpAddress(std::string_view text) {
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (auto zone = text.find('%'); zone != std::string_view::npos) text = text.substr(0, zone);
  if (text.empty() || text.size() > 45) return std::nullopt;
  const std::string s(text);
  IpAddress a;
  if (inet_pton(AF_INET, s.c_str(), a.bytes.data()) == 1) return a;
  if (inet_pton(AF_INET6, s.c_str(), a.bytes.data()) != 1) return std::nullopt;
  if (std::memcmp(a.bytes.data(), kMappedPrefix, 12) == 0) {
    std::memmove(a.bytes.data(), a.bytes.data() + 12, 4);
    std::fill(a.bytes.begin() + 4, a.bytes.end(), 0);
    return a;
  }
  a.v6 = true;
  return a;
}

std::string FormatIpAddress(const IpAddress& a) {
  char buf[INET6_ADDRSTRLEN] = {0};
  inet_ntop(a.v6 ? AF_INET6 : AF_INET, a.bytes.data(), buf, sizeof buf);
  return buf;
}

std::string AddressKey(std::string_view address) {
  auto a = ParseIpAddress(address);
  if (!a) return std::string(address);
  if (!a->v6) return FormatIpAddress(*a);
  std::fill(a->bytes.begin() + 8, a->bytes.end(), 0);
  return FormatIpAddress(*a) + "/64";
}

}  // namespace gh
