#pragma once
// Cookies and CSRF for the browser-facing pages. Cookies are HttpOnly and
// SameSite; Secure whenever the request arrived over TLS. CSRF uses the
// double-submit pattern: a random token in a SameSite=Strict cookie must come
// back in the form's "csrf" field, which a cross-site page can neither read
// nor set.
#include <string>

#include "core/random.h"
#include "http/message.h"

namespace gh::web {

inline constexpr std::string_view kSessionCookie = "gh_session";
inline constexpr std::string_view kCsrfCookie = "gh_csrf";

std::string CookieValue(const http::Request& req, std::string_view name);
// max_age_s < 0: a session cookie; 0: delete it.
std::string SetCookie(std::string_view name, std::string_view value, bool secure, long max_age_s,
                      std::string_view same_site = "Lax");

// The request's CSRF token, or a fresh one that `Attach` then sets as a cookie.
struct Csrf {
  std::string token;
  bool fresh = false;
  void Attach(const http::Request& req, http::Response& resp) const;
};
Csrf CsrfFor(const http::Request& req, Random& random);
// True when the form's "csrf" value matches the cookie.
bool CsrfValid(const http::Request& req, const std::string& form_value);

// `target` when it is a same-site absolute path ("/x?y#z"), safe to redirect
// to; empty otherwise. Refused: anything with an authority or scheme ("//h",
// "https://h"), a backslash, a control character, whitespace or a non-ASCII
// byte anywhere (browsers drop tabs and newlines and read '\' as '/', so
// "/\t/evil.com" would leave the site), and what boost::url won't parse as a
// relative reference.
std::string SafeContinue(const std::string& target);

}  // namespace gh::web
