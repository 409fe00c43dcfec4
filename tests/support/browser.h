#pragma once
// A browser over the in-process router for page flows (sign-in, sign-up,
// redemption, environment pages): it keeps the gh_csrf and gh_session cookies
// as a real browser would, and small helpers to read the pages.
#include <regex>
#include <string>
#include <utility>

#include "http/message.h"
#include "http/router.h"

namespace gh::testing {

// The value a response sets for cookie `name`, or empty.
inline std::string SetCookieValue(const http::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (http::EqualsIgnoreCase(k, "Set-Cookie") && v.starts_with(name + "="))
      return v.substr(name.size() + 1, v.find(';') - name.size() - 1);
  return {};
}

// The value of the form field `name` (<input name="…" value="…">), or empty.
inline std::string Field(const std::string& html, const std::string& name) {
  std::smatch m;
  std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  return std::regex_search(html, m, re) ? m[1].str() : "";
}

// Undoes the HTML escaping of links and values in pages.
inline std::string Unescape(std::string s) {
  for (auto [from, to] : {std::pair{"&amp;", "&"}, {"&#39;", "'"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}})
    for (size_t p; (p = s.find(from)) != std::string::npos;) s.replace(p, std::string(from).size(), to);
  return s;
}

class Browser {
 public:
  Browser(http::Router& router, std::string remote_address, std::string base = "https://localhost:8443")
      : router_(router), remote_(std::move(remote_address)), base_(std::move(base)) {}

  // One request; absolute links to the server are followed as paths, bodies
  // are forms unless told otherwise.
  http::Response Go(const std::string& method, std::string target, const std::string& body = {},
                    const std::string& content_type = "application/x-www-form-urlencoded") {
    if (target.starts_with(base_)) target = target.substr(base_.size());
    http::Request req;
    req.method = method;
    req.target = target;
    req.body = body;
    req.headers = {{"Host", "localhost:8443"}};
    if (!cookies.empty()) req.headers.emplace_back("Cookie", cookies);
    if (!body.empty()) req.headers.emplace_back("Content-Type", content_type);
    req.secure = true;
    req.remote_address = remote_;
    req.request_id = "00000000-0000-4000-8000-00000000b10e";
    if (!req.ParseTarget()) return http::Response::Text(400, "bad target " + target);
    http::Response resp = router_.Handle(req);
    for (const char* name : {"gh_csrf", "gh_session"}) {
      std::string v = SetCookieValue(resp, name);
      if (v.empty()) continue;
      std::regex old(std::string(name) + "=[^;]*(; )?");
      cookies = std::regex_replace(cookies, old, "");
      while (cookies.ends_with("; ")) cookies.resize(cookies.size() - 2);
      cookies += std::string(cookies.empty() ? "" : "; ") + name + "=" + v;
    }
    return resp;
  }

  // Opens `target` (a page that asks for sign-in), signs in with a password
  // through the sign-in pages, and returns the page it lands on afterwards.
  http::Response SignInTo(const std::string& target, const std::string& email, const std::string& password) {
    auto r = Go("GET", target);
    if (r.status != 303) return r;
    r = Go("GET", std::string(r.Header("Location")));
    if (r.status != 200) return r;
    std::string form = "csrf=" + Field(r.body, "csrf") + "&tenant=" + Field(r.body, "tenant") +
                       "&continue=" + http::PercentEncode(Unescape(Field(r.body, "continue")));
    Go("POST", "/login", form + "&step=email&email=" + http::PercentEncode(email));
    r = Go("POST", "/login", form + "&step=password&email=" + http::PercentEncode(email) +
                                 "&password=" + http::PercentEncode(password));
    if (r.status != 302) return r;
    return Go("GET", std::string(r.Header("Location")));
  }

  // Posts a form from `page_html`: its csrf token plus `fields` ("a=b&c=d", already encoded).
  http::Response Submit(const std::string& page_html, const std::string& action, const std::string& fields) {
    return Go("POST", action, "csrf=" + Field(page_html, "csrf") + (fields.empty() ? "" : "&" + fields));
  }

  std::string cookies;  // the Cookie header it sends ("a=b; c=d"); clear it for a new browser

 private:
  http::Router& router_;
  std::string remote_, base_;
};

}  // namespace gh::testing
