#include "identity/address_key.h"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstdio>

namespace gh::identity {

std::string ThrottleKeyForAddress(std::string_view remote_address) {
  std::string text(remote_address);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  if (auto zone = text.find('%'); zone != std::string::npos) text.resize(zone);  // fe80::1%eth0

  std::array<unsigned char, 16> bytes{};
  if (inet_pton(AF_INET, text.c_str(), bytes.data()) == 1) {
    char out[INET_ADDRSTRLEN] = {};
    inet_ntop(AF_INET, bytes.data(), out, sizeof out);
    return "ip4:" + std::string(out);
  }
  if (inet_pton(AF_INET6, text.c_str(), bytes.data()) == 1) {
    static constexpr unsigned char kMapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    if (std::equal(std::begin(kMapped), std::end(kMapped), bytes.begin())) {
      char out[INET_ADDRSTRLEN] = {};
      inet_ntop(AF_INET, bytes.data() + 12, out, sizeof out);
      return "ip4:" + std::string(out);
    }
    std::fill(bytes.begin() + 8, bytes.end(), 0);  // keep the /64
    char out[INET6_ADDRSTRLEN] = {};
    inet_ntop(AF_INET6, bytes.data(), out, sizeof out);
    return "ip6:" + std::string(out) + "/64";
  }
  return "raw:" + std::string(remote_address);
}

}  // namespace gh::identity
