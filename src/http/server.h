#pragma once
// HTTP/1.1 server (Boost.Beast on an Asio thread pool) over TLS by default.
// The connection coroutine owns timeouts, body limits, keep-alive and
// graceful shutdown; requests are handed to a plain function.
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "http/client_address.h"
#include "http/message.h"

namespace gh::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8443;  // 0 = pick a free port (see Server::port())
  bool tls = true;
  std::string tls_cert_file;  // PEM chain
  std::string tls_key_file;   // PEM private key
  int threads = 2;  // I/O threads
  // Threads that run handlers, which block on the database and on password
  // hashing; 0 = HandlerWorkers()'s default.
  int workers = 0;
  size_t max_body_bytes = 8 * 1024 * 1024;
  // A body over max_body_bytes (or chunked, of unknown length) is read only
  // when admit_large_body, asked with the request's headers alone (body
  // empty), returns nullopt; then up to max_upload_bytes. Otherwise its
  // response (401, 403, 413…) is sent at once and the body is never read, so
  // an unauthenticated client can't make the server hold more than
  // max_body_bytes. Null: every body over max_body_bytes is a 413. It runs on
  // the worker pool, like the handler. A 413 from it for a chunked body means
  // "no large bodies here": that body is read up to max_body_bytes as usual.
  std::function<std::optional<Response>(const Request& head)> admit_large_body;
  size_t max_upload_bytes = 256 * 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;
  // Keep-alive: how long a connection may wait for its next request's first byte.
  int idle_timeout_seconds = 60;
  // From a request's first byte to the end of its headers; also the TLS handshake.
  int header_timeout_seconds = 10;
  // Reading the body, and writing the response.
  int request_timeout_seconds = 30;
  // Connections served at once: in all, and per client address (IPv6 by its
  // /64, see core/address.h). A connection over either cap is closed as soon as
  // it is accepted. Trusted proxies are exempt from the per-address cap (all
  // their clients share their address). 0 = no cap.
  int max_connections = 1000;
  int max_connections_per_address = 100;
  // Reverse proxies whose X-Forwarded-For is believed (see TrustedProxies);
  // Request::remote_address is then the client they saw.
  TrustedProxies trusted_proxies;
  // Plain HTTP behind a TLS-terminating proxy, with an https public URL:
  // requests count as secure (Request::secure: Secure cookies, HSTS).
  bool public_https = false;
  // Strict-Transport-Security on every response to a secure request, except
  // when the Host is "localhost" (HSTS is per host name, not per port: it
  // would force HTTPS on every other local development server); empty = none.
  std::string hsts = "max-age=31536000";
};

// Behaviour on the wire, for callers and clients:
// - Every response carries X-Content-Type-Options: nosniff, and
//   Strict-Transport-Security (see ServerOptions::hsts) when secure.
// - Request::remote_address is the TCP peer, or the client a trusted proxy
//   names in X-Forwarded-For (ServerOptions::trusted_proxies).
// - Each request gets request_id = its `client-request-id` header when that is a
//   GUID, else a fresh UUID v4; responses carry `request-id`,
//   `client-request-id`, `Date` and `Server: gatehouse`. Connection,
//   Content-Length and Transfer-Encoding are the server's; a handler's values
//   for them are ignored (except Content-Length on HEAD, see Router).
// - The transport answers by itself, with a Graph-shaped JSON error and then
//   closes: 413 Request_EntityTooLarge (body over max_body_bytes, or
//   max_upload_bytes once admit_large_body admitted it), 431 (headers
//   over max_header_bytes), 400 BadRequest (malformed HTTP). A target that
//   Request::ParseTarget refuses gets 400 and the connection stays open.
// - The handler runs on a pool of HandlerWorkers(opts) threads, never on an
//   I/O thread, so it may block; it must be thread-safe. An exception escaping
//   it becomes a 500 without details.
// - One log line per request (spdlog info), without the query string.
// `workers` when set, else max(8, 2 × threads): enough that a few sign-ins
// hashing passwords (tens of ms each) don't hold up the rest of the API.
int HandlerWorkers(const ServerOptions& opts);

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
