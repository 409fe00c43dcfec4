#pragma once
// Transport-neutral HTTP request and response. The server converts Beast's
// messages to and from these, so routing and handlers compile and test without
// sockets or Beast headers.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace gh::http {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

struct Request {
  std::string method;                                      // upper case, "GET"
  std::string target;                                      // as received: path and query, still encoded
  std::string path;                                        // percent-decoded path without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded, in order
  HeaderList headers;
  std::string body;
  std::string remote_address;
  bool secure = false;     // arrived over TLS
  std::string request_id;  // set by the server (or taken from client-request-id)

  // Case-insensitive header lookup; empty when absent.
  std::string_view Header(std::string_view name) const;
  std::optional<std::string> Query(std::string_view name) const;
  // "https://host:port" as the client addressed us (Host header + scheme).
  std::string BaseUrl() const;

  // Builds path and query from target (Boost.URL's origin-form); false when
  // the target is malformed: not origin-form, a bad escape or a NUL anywhere,
  // or an encoded '/' in the path. Bytes RFC 3986 wants escaped but Beast
  // lets through ('{', '|', UTF-8) are taken as if escaped. The query's pairs
  // are decoded with '+' as a space; empty pairs are skipped.
  bool ParseTarget();
};

struct Response {
  int status = 200;
  HeaderList headers;
  std::string body;

  void SetHeader(std::string name, std::string value);
  std::string_view Header(std::string_view name) const;

  static Response Json(int status, std::string body);
  static Response Text(int status, std::string body, std::string content_type = "text/plain; charset=utf-8");
  static Response NoContent();
};

// Lenient: a string with a malformed escape comes back as written. Use
// TryPercentDecode to reject.
std::string PercentDecode(std::string_view s, bool plus_as_space);
// Strict: false on a truncated or non-hex escape and on a NUL, %00 or raw
// (NUL never reaches handlers or storage). `out` is unspecified on failure.
bool TryPercentDecode(std::string_view s, bool plus_as_space, std::string* out);
std::string PercentEncode(std::string_view s);  // RFC 3986 unreserved kept
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
// application/x-www-form-urlencoded → ordered, decoded pairs. False (and
// `out` empty) when any name or value has a malformed escape, a NUL (%00 or
// raw) or bytes that aren't UTF-8 once decoded: such a form is refused whole,
// never half-read.
bool TryParseForm(std::string_view body, std::vector<std::pair<std::string, std::string>>* out);
// TryParseForm, with no pairs at all for a refused form (so a CSRF field is
// missing too). The Router refuses such forms with 400 before any handler
// runs; this is the second line.
std::vector<std::pair<std::string, std::string>> ParseForm(std::string_view body);
// True when the request's Content-Type is application/x-www-form-urlencoded.
bool IsFormRequest(const Request& req);
// The value of the first pair named `key`, or empty.
std::string FormValue(const std::vector<std::pair<std::string, std::string>>& form, std::string_view key);

}  // namespace gh::http
