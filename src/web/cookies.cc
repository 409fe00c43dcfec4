#include "web/cookies.h"

#include <boost/url/parse.hpp>

#include "core/encoding.h"

namespace gh::web {

std::string CookieValue(const http::Request& req, std::string_view name) {
  std::string_view header = req.Header("Cookie");
  while (!header.empty()) {
    size_t semi = header.find(';');
    std::string_view pair = header.substr(0, semi);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    size_t eq = pair.find('=');
    if (eq != std::string_view::npos && pair.substr(0, eq) == name) return std::string(pair.substr(eq + 1));
    if (semi == std::string_view::npos) break;
    header.remove_prefix(semi + 1);
  }
  return {};
}

std::string SetCookie(std::string_view name, std::string_view value, bool secure, long max_age_s,
                      std::string_view same_site) {
  std::string c = std::string(name) + "=" + std::string(value) + "; Path=/; HttpOnly; SameSite=" + std::string(same_site);
  if (secure) c += "; Secure";
  if (max_age_s >= 0) c += "; Max-Age=" + std::to_string(max_age_s);
  return c;
}

void Csrf::Attach(const http::Request& req, http::Response& resp) const {
  if (fresh) resp.headers.emplace_back("Set-Cookie", SetCookie(kCsrfCookie, token, req.secure, -1, "Strict"));
}

Csrf CsrfFor(const http::Request& req, Random& random) {
  std::string existing = CookieValue(req, kCsrfCookie);
  if (existing.size() >= 32) return {existing, false};
  return {random.Token(32), true};
}

bool CsrfValid(const http::Request& req, const std::string& form_value) {
  std::string cookie = CookieValue(req, kCsrfCookie);
  return cookie.size() >= 32 && ConstantTimeEquals(cookie, form_value);
}

std::string SafeContinue(const std::string& target) {
  // Browsers strip tabs and newlines from URLs and read '\\' as '/', so
  // "/\t/evil.com" or "/\\evil.com" become "//evil.com": another site. Anything
  // but printable ASCII is refused outright, before the parser sees it.
  if (target.size() < 1 || target.size() > 4096 || target[0] != '/') return {};
  for (unsigned char c : target)
    if (c <= 0x20 || c >= 0x7f || c == '\\') return {};
  if (target.size() > 1 && target[1] == '/') return {};  // "//host": a network-path reference
  // What is left must be a relative reference with no scheme and no
  // authority: an absolute path, optionally with a query and fragment.
  auto ref = boost::urls::parse_relative_ref(target);
  if (!ref || ref->has_scheme() || ref->has_authority() || !ref->is_path_absolute()) return {};
  return target;
}

}  // namespace gh::web
