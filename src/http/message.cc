#include "http/message.h"

#include <boost/url/encode.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/parse_query.hpp>
#include <boost/url/pct_string_view.hpp>
#include <boost/url/rfc/pchars.hpp>
#include <boost/url/rfc/unreserved_chars.hpp>

#include "core/encoding.h"

namespace gh::http {
namespace {
namespace urls = boost::urls;

// What Microsoft Graph sends for JSON bodies. Clients that only look at the
// media type see "application/json"; OData-aware clients see the parameters
// they expect from Graph.
constexpr char kJsonContentType[] =
    "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

// What RFC 3986 lets stand unescaped in a path or a query, besides '%'.
constexpr urls::grammar::lut_chars kTargetChars = urls::pchars + "/?";

// Beast lets any visible byte through in a request target, and clients send
// some that RFC 3986 wants escaped (browsers leave `{`, `|`, `"` or UTF-8 in
// a query as typed; curl sends what it is given); form bodies may hold
// anything. Boost.URL parses RFC 3986's grammar, so those bytes are escaped
// first: they decode to themselves. A '%' is left as it is, so a malformed
// escape stays malformed and is refused by the parser.
std::string EscapeBeyondRfc3986(std::string_view s) {
  std::string out;
  for (size_t start = 0;;) {
    const size_t pct = s.find('%', start);
    out += urls::encode(s.substr(start, pct == std::string_view::npos ? pct : pct - start), kTargetChars);
    if (pct == std::string_view::npos) return out;
    out += '%';
    start = pct + 1;
  }
}

// Decodes a checked escape sequence; false when it decodes to a NUL, which
// never reaches handlers or storage.
bool DecodeWithoutNul(urls::pct_string_view s, bool plus_as_space, std::string* out) {
  *out = s.decode(urls::encoding_opts(plus_as_space));
  return out->find('\0') == std::string::npos;
}

// Name/value pairs of an RFC 3986 query (or a form body escaped like one),
// decoded with '+' as a space; an empty pair ("a=1&&b=2") is skipped.
// False on a NUL or, when `utf8`, a name or value that isn't UTF-8.
bool DecodePairs(const urls::params_encoded_view& params, bool utf8,
                 std::vector<std::pair<std::string, std::string>>* out) {
  for (const auto& param : params) {
    if (param.key.empty() && !param.has_value) continue;
    std::string name, value;
    if (!DecodeWithoutNul(param.key, true, &name) || !DecodeWithoutNul(param.value, true, &value)) return false;
    if (utf8 && !(IsValidUtf8(name) && IsValidUtf8(value))) return false;
    out->emplace_back(std::move(name), std::move(value));
  }
  return true;
}

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool TryPercentDecode(std::string_view s, bool plus_as_space, std::string* out) {
  auto checked = urls::make_pct_string_view(s);
  if (!checked) {
    out->clear();
    return false;
  }
  return DecodeWithoutNul(*checked, plus_as_space, out);
}

std::string PercentDecode(std::string_view s, bool plus_as_space) {
  auto checked = urls::make_pct_string_view(s);
  if (!checked) return std::string(s);  // a malformed escape: kept as written
  return checked->decode(urls::encoding_opts(plus_as_space));
}

std::string PercentEncode(std::string_view s) { return urls::encode(s, urls::unreserved_chars); }

std::string_view Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

std::optional<std::string> Request::Query(std::string_view name) const {
  for (const auto& [k, v] : query) {
    if (k == name) return v;
  }
  return std::nullopt;
}

std::string Request::BaseUrl() const {
  std::string_view host = Header("Host");
  if (host.empty()) host = "localhost";
  return std::string(secure ? "https://" : "http://") + std::string(host);
}

bool Request::ParseTarget() {
  path.clear();
  query.clear();
  // Only origin-form ("/path?query") is accepted: that is what clients send to
  // an origin server, and it keeps the scheme and authority out of routing.
  // A fragment never belongs in a request; it is ignored.
  if (target.empty() || target[0] != '/') return false;
  const std::string escaped = EscapeBeyondRfc3986(std::string_view(target).substr(0, target.find('#')));
  auto url = urls::parse_origin_form(escaped);
  if (!url) return false;  // a malformed escape
  // An encoded '/' would make segment boundaries ambiguous once decoded (the
  // router splits the decoded path), so it is refused rather than guessed at.
  // Every '%' of a checked path starts an escape, so a search finds them all.
  const urls::pct_string_view raw_path = url->encoded_path();
  if (raw_path.find("%2F") != std::string_view::npos || raw_path.find("%2f") != std::string_view::npos) return false;
  if (!DecodeWithoutNul(raw_path, /*plus_as_space=*/false, &path)) return false;
  if (!DecodePairs(url->encoded_params(), /*utf8=*/false, &query)) {
    path.clear();
    query.clear();
    return false;
  }
  return true;
}

void Response::SetHeader(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) {
      v = std::move(value);
      return;
    }
  }
  headers.emplace_back(std::move(name), std::move(value));
}

std::string_view Response::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (EqualsIgnoreCase(k, name)) return v;
  }
  return {};
}

Response Response::Json(int status, std::string body) {
  Response r;
  r.status = status;
  // JSON text is UTF-8, but what it quotes from a request (an id in the
  // path, a query value) is whatever bytes were sent: those are replaced.
  r.body = IsValidUtf8(body) ? std::move(body) : ValidUtf8(body);
  r.SetHeader("Content-Type", kJsonContentType);
  return r;
}

Response Response::Text(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(body);
  r.SetHeader("Content-Type", std::move(content_type));
  return r;
}

Response Response::NoContent() {
  Response r;
  r.status = 204;
  return r;
}

bool TryParseForm(std::string_view body, std::vector<std::pair<std::string, std::string>>* out) {
  out->clear();
  // Strict decoding: a bad escape or a NUL (%00 or raw) refuses the whole
  // form, and so do bytes that aren't UTF-8 once decoded (they would reach
  // storage, where PostgreSQL refuses them and SQLite keeps them).
  const std::string escaped = EscapeBeyondRfc3986(body);
  auto params = urls::parse_query(escaped);
  if (!params || !DecodePairs(*params, /*utf8=*/true, out)) {
    out->clear();  // refused whole: none of the pairs before the bad one either
    return false;
  }
  return true;
}

std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view body) {
  std::vector<std::pair<std::string, std::string>> out;
  TryParseForm(body, &out);
  return out;
}

bool IsFormRequest(const Request& req) {
  std::string_view type = req.Header("Content-Type");
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  while (!type.empty() && (type.front() == ' ' || type.front() == '\t')) type.remove_prefix(1);
  return EqualsIgnoreCase(type, "application/x-www-form-urlencoded");
}

std::string FormValue(const std::vector<std::pair<std::string, std::string>>& form, std::string_view key) {
  for (const auto& [k, v] : form)
    if (k == key) return v;
  return {};
}

}  // namespace gh::http
