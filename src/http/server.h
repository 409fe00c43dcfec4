#pragma once
// HTTP/1.1 server (Boost.Beast on an Asio thread pool) over TLS by default.
// The connection coroutine owns timeouts, body limits, keep-alive and
// graceful shutdown; requests are handed to a plain function.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/message.h"

namespace gh::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8443;  // 0 = pick a free port (see Server::port())
  bool tls = true;
  std::string tls_cert_file;  // PEM chain
  std::string tls_key_file;   // PEM private key
  int threads = 2;
  size_t max_body_bytes = 8 * 1024 * 1024;
  // File uploads may be larger: paths starting with one of these ('*' stands
  // for one path segment).
  std::vector<std::string> upload_paths = {"/api/v1/bulkInvitations", "/portal/*/bulk"};
  size_t max_upload_bytes = 256 * 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;
  int idle_timeout_seconds = 60;
  int request_timeout_seconds = 30;
};

// Behaviour on the wire, for callers and clients:
// - Each request gets request_id = its `client-request-id` header when that is a
//   GUID, else a fresh UUID v4; responses carry `request-id`,
//   `client-request-id`, `Date` and `Server: gatehouse`. Connection,
//   Content-Length and Transfer-Encoding are the server's; a handler's values
//   for them are ignored (except Content-Length on HEAD, see Router).
// - The transport answers by itself, with a Graph-shaped JSON error and then
//   closes: 413 Request_EntityTooLarge (body over max_body_bytes, or
//   max_upload_bytes for upload_paths), 431 (headers
//   over max_header_bytes), 400 BadRequest (malformed HTTP). A target that
//   Request::ParseTarget refuses gets 400 and the connection stays open.
// - The handler runs on a worker pool of max(2, threads) threads, never on an
//   I/O thread, so it may block; it must be thread-safe. An exception escaping
//   it becomes a 500 without details.
// - One log line per request (spdlog info), without the query string.
class Server {
 public:
  using RequestHandler = std::function<Response(const Request&)>;
  // Binds and listens (so port() is valid on return) and loads the TLS files.
  // Errors: InvalidArgument naming the file for unreadable or mismatched TLS
  // files or a bad host; Unavailable when the address can't be bound.
  static StatusOr<std::unique_ptr<Server>> Create(ServerOptions opts, RequestHandler handler);
  virtual ~Server() = default;

  virtual uint16_t port() const = 0;
  // Runs the I/O threads (this one plus threads-1) until Stop() or SIGINT/
  // SIGTERM (when install_signal_handlers); in-flight requests finish and are
  // answered with Connection: close before Run() returns. Call once.
  virtual void Run(bool install_signal_handlers) = 0;
  // Thread-safe, idempotent, may be called before Run() or from a handler:
  // stops accepting, closes idle keep-alive connections, lets busy ones finish.
  virtual void Stop() = 0;
};

}  // namespace gh::http
