#pragma once
// JSON calls to a Gatehouse server with a bearer token, and the one place
// where the CLI turns an error (a Graph or OAuth error body, an unreachable
// server, a usage mistake) into a one-line message and an exit code.
#include <boost/json.hpp>
#include <functional>
#include <string>

#include "cli/http_client.h"
#include "core/status.h"

namespace gh::cli {

// Exit codes of every client command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailed = 1;       // denied, not found, refused by the server
inline constexpr int kExitUsage = 2;        // bad command line (Status reason "usage")
inline constexpr int kExitUnreachable = 3;  // cannot reach the server, or signing in is needed

// Local command-line mistakes: exit code 2.
inline Status UsageError(std::string message) { return InvalidArgument(std::move(message), "usage"); }

int ExitCodeFor(const Status& s);

// A non-2xx response as a Status whose message is "error <code>: <message>":
// the code and message of Graph's {"error":{"code","message"}} or OAuth's
// {"error","error_description"}, else the HTTP status and the start of the
// body. 401 becomes Unauthenticated (exit 3), 5xx 503/502/504 Unavailable.
Status ErrorFromResponse(const HttpResponse& r);

// The form encoding of OAuth requests.
std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& fields);

class ApiClient {
 public:
  // `base` is the server URL without a trailing slash; `token` the bearer token.
  ApiClient(HttpClient& http, std::string base, std::string token)
      : http_(http), base_(std::move(base)), token_(std::move(token)) {}

  // `path` is relative to the server ("/v1.0/users?…") or an absolute URL
  // (an @odata.nextLink). A 204 or empty body returns null.
  StatusOr<boost::json::value> Get(const std::string& path);
  StatusOr<boost::json::value> Post(const std::string& path, const boost::json::value& body);
  StatusOr<boost::json::value> Patch(const std::string& path, const boost::json::value& body);
  StatusOr<boost::json::value> Delete(const std::string& path);
  // A POST whose body is not JSON (a CSV upload); the answer is JSON.
  StatusOr<boost::json::value> PostText(const std::string& path, const std::string& content_type, std::string body);
  // A GET whose answer is not JSON (a CSV download): the body as is.
  StatusOr<std::string> GetText(const std::string& path);

  // Every item of a collection's "value"; follows @odata.nextLink when
  // `all` (calling `on_page` with the running count), else the first page
  // only, reporting whether more exist through `more`.
  StatusOr<boost::json::array> List(const std::string& path, bool all, bool* more = nullptr,
                                    const std::function<void(size_t)>& on_page = {});

  const std::string& base() const { return base_; }

 private:
  StatusOr<boost::json::value> Call(const std::string& method, const std::string& path, const std::string* body,
                                    const std::string& content_type = "application/json");
  StatusOr<HttpResponse> Send(const std::string& method, const std::string& path, const std::string* body,
                              const std::string& content_type, const std::string& accept);

  HttpClient& http_;
  std::string base_;
  std::string token_;
};

// Percent-encodes a path segment or query value.
std::string Escape(std::string_view s);

}  // namespace gh::cli
