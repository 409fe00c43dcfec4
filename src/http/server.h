#pragma once
// HTTP/1.1 server (Boost.Beast on an Asio thread pool) over TLS by default.
// The connection coroutine owns timeouts, body limits, keep-alive and
// graceful shutdown; requests are handed to a plain function.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/message.h"

namespace gh::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 8443;           // 0 = pick a free port (see Server::port())
  bool tls = true;
  std::string tls_cert_file;      // PEM chain
  std::string tls_key_file;       // PEM private key
  int threads = 2;
  size_t max_body_bytes = 8 * 1024 * 1024;
  size_t max_header_bytes = 16 * 1024;
  int idle_timeout_seconds = 60;
  int request_timeout_seconds = 30;
};

class Server {
 public:
  using RequestHandler = std::function<Response(const Request&)>;
  static StatusOr<std::unique_ptr<Server>> Create(ServerOptions opts, RequestHandler handler);
  virtual ~Server() = default;

  virtual uint16_t port() const = 0;
  // Runs until Stop() or SIGINT/SIGTERM (when install_signal_handlers); in-flight
  // requests finish before Run() returns.
  virtual void Run(bool install_signal_handlers) = 0;
  virtual void Stop() = 0;  // thread-safe
};

}  // namespace gh::http
