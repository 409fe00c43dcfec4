#include "http/message.h"

#include <cctype>

#include "core/encoding.h"

namespace gh::http {
namespace {

// What Microsoft Graph sends for JSON bodies. Clients that only look at the
// media type see "application/json"; OData-aware clients see the parameters
// they expect from Graph.
constexpr char kJsonContentType[] =
    "application/json; odata.metadata=minimal; odata.streaming=true; IEEE754Compatible=false; charset=utf-8";

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

char AsciiLower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

}  // namespace

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (AsciiLower(a[i]) != AsciiLower(b[i])) return false;
  }
  return true;
}

bool TryPercentDecode(std::string_view s, bool plus_as_space, std::string* out) {
  out->clear();
  out->reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%') {
      if (i + 2 >= s.size()) return false;  // fewer than two characters follow
      int hi = HexValue(s[i + 1]);
      int lo = HexValue(s[i + 2]);
      if (hi < 0 || lo < 0) return false;
      char decoded = static_cast<char>(hi * 16 + lo);
      if (decoded == '\0') return false;
      out->push_back(decoded);
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out->push_back(' ');
    } else {
      out->push_back(c);
    }
  }
  return true;
}

std::string PercentDecode(std::string_view s, bool plus_as_space) {
  std::string out;
  if (TryPercentDecode(s, plus_as_space, &out)) return out;
  // Lenient fallback: keep malformed escapes as they are.
  out.clear();
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else if (s[i] == '+' && plus_as_space) {
      out.push_back(' ');
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string PercentEncode(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

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
  if (target.empty() || target[0] != '/') return false;
  std::string_view t = target;
  if (size_t hash = t.find('#'); hash != std::string_view::npos) t = t.substr(0, hash);
  std::string_view raw_path = t;
  std::string_view raw_query;
  if (size_t q = t.find('?'); q != std::string_view::npos) {
    raw_path = t.substr(0, q);
    raw_query = t.substr(q + 1);
  }
  // An encoded '/' would make segment boundaries ambiguous once decoded (the
  // router splits the decoded path), so it is refused rather than guessed at.
  for (size_t i = 0; i + 2 < raw_path.size(); ++i) {
    if (raw_path[i] == '%' && raw_path[i + 1] == '2' && (raw_path[i + 2] == 'f' || raw_path[i + 2] == 'F')) {
      return false;
    }
  }
  if (!TryPercentDecode(raw_path, /*plus_as_space=*/false, &path)) return false;

  while (!raw_query.empty()) {
    size_t amp = raw_query.find('&');
    std::string_view pair = raw_query.substr(0, amp);
    raw_query = amp == std::string_view::npos ? std::string_view() : raw_query.substr(amp + 1);
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string name, value;
    if (!TryPercentDecode(pair.substr(0, eq), /*plus_as_space=*/true, &name)) return false;
    if (eq != std::string_view::npos && !TryPercentDecode(pair.substr(eq + 1), true, &value)) return false;
    query.emplace_back(std::move(name), std::move(value));
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
  // Strict decoding: a bad escape or %00 refuses the whole form, and so do a
  // raw NUL and bytes that aren't UTF-8 once decoded (they would reach
  // storage, where PostgreSQL refuses them and SQLite keeps them).
  auto decode = [](std::string_view pair, std::string* name, std::string* value) {
    size_t eq = pair.find('=');
    if (!TryPercentDecode(pair.substr(0, eq), /*plus_as_space=*/true, name)) return false;
    if (eq != std::string_view::npos && !TryPercentDecode(pair.substr(eq + 1), true, value)) return false;
    if (name->find('\0') != std::string::npos || value->find('\0') != std::string::npos) return false;
    return IsValidUtf8(*name) && IsValidUtf8(*value);
  };
  size_t start = 0;
  while (start < body.size()) {
    size_t amp = body.find('&', start);
    if (amp == std::string_view::npos) amp = body.size();
    std::string_view pair = body.substr(start, amp - start);
    start = amp + 1;
    if (pair.empty()) continue;
    std::string name, value;
    if (!decode(pair, &name, &value)) {
      out->clear();  // refused whole: none of the pairs before the bad one either
      return false;
    }
    out->emplace_back(std::move(name), std::move(value));
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
