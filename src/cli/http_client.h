#pragma once
// The client commands' HTTP transport: one libcurl easy handle (connections
// are reused), TLS verification always on (against a CA file when given, the
// system store otherwise), connect and total timeouts. Knows nothing of Graph;
// api_client.h turns responses into values and errors.
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"

namespace gh::cli {

struct HttpRequest {
  std::string method = "GET";
  std::string url;
  std::vector<std::string> headers;  // "Name: value"
  std::string body;
};

struct HttpResponse {
  long status = 0;
  std::string content_type;
  std::string body;
};

struct HttpOptions {
  std::string ca_file;             // PEM bundle to verify the server with; empty: the system store
  long connect_timeout_seconds = 10;
  long timeout_seconds = 60;
};

class HttpClient {
 public:
  explicit HttpClient(HttpOptions options);
  ~HttpClient();
  HttpClient(const HttpClient&) = delete;
  HttpClient& operator=(const HttpClient&) = delete;

  // Any HTTP status is a response. Unavailable (reason "unreachable") when
  // the server cannot be reached: DNS, connection refused, TLS verification,
  // timeout; the message names the URL and curl's explanation.
  StatusOr<HttpResponse> Send(const HttpRequest& request);

 private:
  HttpOptions options_;
  void* curl_;  // CURL*
};

}  // namespace gh::cli
