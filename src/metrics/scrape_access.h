#pragma once
// Who may read /metrics: a scraper on this machine, or one that presents the
// configured scrape token. Pure, so the loopback rule is tested with any
// address (the end-to-end tests can only reach the server over loopback).
//
// "On this machine" means the connection's peer is a loopback address AND the
// request names no other client (X-Forwarded-For, Forwarded, X-Real-IP): a
// reverse proxy on the same host connects from 127.0.0.1 on behalf of anyone,
// so a forwarded request is never taken for a local one, whatever
// --trusted-proxy says. Such scrapers use the token.
#include <string_view>

namespace gh::metrics {

enum class ScrapeAccess {
  kAllowed,
  kUnauthenticated,  // 401: a token is configured, and none or a wrong one was presented
  kForbidden,        // 403: no token is configured, and the caller is not local
};

struct ScrapeRequest {
  std::string_view remote_address;  // the client, as the server determined it
  std::string_view authorization;   // the Authorization header, or empty
  bool forwarded = false;           // the request carries a forwarding header
};

// `token` empty: no token is configured, so only local scrapers get in. The
// token is compared in constant time (for its length).
ScrapeAccess MayScrape(const ScrapeRequest& req, std::string_view token);

// 127.0.0.0/8 and ::1 (IPv4-mapped ::ffff:127.x too).
bool IsLoopbackAddress(std::string_view address);

}  // namespace gh::metrics
