// The only file that includes Beast/Asio: the transport. It owns sockets, TLS,
// timeouts, body limits, keep-alive and graceful shutdown, and hands each
// request, as a plain http::Request, to the RequestHandler on a worker pool.
#include "http/server.h"

#include "core/address.h"

#include <openssl/ssl.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <atomic>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/redirect_error.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <chrono>
#include <csignal>
#include <ctime>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include "core/random.h"
#include "core/strings.h"

namespace gh::http {

int HandlerWorkers(const ServerOptions& opts) {
  return opts.workers > 0 ? opts.workers : std::max(8, 2 * opts.threads);
}

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using tcp = boost::asio::ip::tcp;
using boost::system::error_code;

constexpr auto kShutdownTimeout = std::chrono::seconds(2);
// After a 413 the client may still be sending the body; reading (and dropping)
// some of it before closing keeps the kernel from answering with a RST that
// would destroy our 413 before the client reads it.
constexpr size_t kMaxDrainBytes = 1 << 20;

// The JSON body for errors the transport answers itself (the request never
// reached the router, so the Graph error mapper can't render them).
std::string TransportErrorBody(std::string_view code, std::string_view message, std::string_view request_id,
                               std::string_view date) {
  return std::string(R"({"error":{"code":")") + std::string(code) + R"(","message":")" +
         std::string(message) + R"(","innerError":{"date":")" + std::string(date) + R"(","request-id":")" +
         std::string(request_id) + R"(","client-request-id":")" + std::string(request_id) + R"("}}})";
}

std::string HttpDate() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, "%a, %d %b %Y %H:%M:%S GMT", &tm);
  return buf;
}

std::string IsoNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

bool HasCrLf(std::string_view s) { return s.find_first_of("\r\n") != std::string_view::npos; }

// True when the Host header names this machine as "localhost" (any port),
// where HSTS would pin every local development server to HTTPS.
bool IsLocalhost(std::string_view host) {
  if (!host.empty() && host.front() == '[') return false;  // an IPv6 literal: browsers ignore HSTS there
  host = host.substr(0, host.find(':'));
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  constexpr std::string_view kLocal = "localhost", kSub = ".localhost";
  return EqualsIgnoreCase(host, kLocal) ||
         (host.size() > kSub.size() && EqualsIgnoreCase(host.substr(host.size() - kSub.size()), kSub));
}

// One accepted connection as Stop() sees it. Every field is touched only on the
// connection's strand (`executor`).
struct Connection {
  asio::any_io_executor executor;
  beast::tcp_stream* tcp = nullptr;  // the lowest layer, while the session runs
  bool busy = false;                 // a request is being read, handled or answered
};

class ServerImpl final : public Server {
 public:
  ServerImpl(ServerOptions opts, RequestHandler handler)
      : opts_(std::move(opts)),
        handler_(std::move(handler)),
        control_(asio::make_strand(ioc_)),
        acceptor_(control_),
        workers_(static_cast<size_t>(HandlerWorkers(opts_))) {}

  ~ServerImpl() override {
    workers_.stop();
    workers_.join();
  }

  Status Init() {
    if (opts_.tls) {
      ssl_.emplace(asio::ssl::context::tls_server);
      ssl_->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use);
      SSL_CTX_set_min_proto_version(ssl_->native_handle(), TLS1_2_VERSION);
      error_code ec;
      ssl_->use_certificate_chain_file(opts_.tls_cert_file, ec);
      if (ec) {
        return InvalidArgument("Cannot load the TLS certificate chain from '" + opts_.tls_cert_file +
                               "': " + ec.message());
      }
      ssl_->use_private_key_file(opts_.tls_key_file, asio::ssl::context::pem, ec);
      if (ec) {
        return InvalidArgument("Cannot load the TLS private key from '" + opts_.tls_key_file +
                               "': " + ec.message());
      }
      if (SSL_CTX_check_private_key(ssl_->native_handle()) != 1) {
        return InvalidArgument("The TLS private key in '" + opts_.tls_key_file +
                               "' does not match the certificate in '" + opts_.tls_cert_file + "'.");
      }
    }

    error_code ec;
    tcp::resolver resolver(ioc_);
    auto results = resolver.resolve(opts_.host, std::to_string(opts_.port), tcp::resolver::passive, ec);
    if (ec || results.empty()) {
      return InvalidArgument("Cannot resolve the listen address '" + opts_.host + "': " + ec.message());
    }
    tcp::endpoint endpoint = results.begin()->endpoint();
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) {
      return Unavailable("Cannot listen on " + opts_.host + ":" + std::to_string(opts_.port) + ": " +
                         ec.message());
    }
    port_ = acceptor_.local_endpoint(ec).port();
    return OkStatus();
  }

  uint16_t port() const override { return port_; }

  void Run(bool install_signal_handlers) override {
    if (install_signal_handlers) {
      signals_.emplace(control_, SIGINT, SIGTERM);
      signals_->async_wait(asio::bind_executor(control_, [this](error_code ec, int sig) {
        if (ec) return;
        spdlog::info("signal {} received, shutting down", sig);
        Stop();
      }));
    }
    asio::co_spawn(control_, Accept(), asio::detached);
    spdlog::info("listening on {}://{}:{}", opts_.tls ? "https" : "http", opts_.host, port_);

    std::vector<std::thread> threads;
    for (int i = 1; i < std::max(1, opts_.threads); ++i) threads.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : threads) t.join();
    signals_.reset();
    spdlog::info("server stopped");
  }

  void Stop() override {
    if (stopping_.exchange(true)) return;
    asio::post(control_, [this] {
      error_code ec;
      acceptor_.close(ec);
      if (signals_) signals_->cancel(ec);
      std::lock_guard lock(mu_);
      for (const auto& conn : connections_) {
        // An idle keep-alive connection (waiting for a request) is closed now; a
        // busy one finishes its request and answers with Connection: close.
        asio::dispatch(conn->executor, [conn] {
          if (!conn->busy && conn->tcp != nullptr) conn->tcp->cancel();
        });
      }
    });
  }

 private:
  asio::awaitable<void> Accept() {
    while (!stopping_) {
      tcp::socket socket(asio::make_strand(ioc_));
      error_code ec;
      co_await acceptor_.async_accept(socket, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) {
        if (stopping_ || ec == asio::error::operation_aborted) co_return;
        // E.g. out of file descriptors: back off briefly instead of spinning.
        spdlog::warn("accept failed: {}", ec.message());
        asio::steady_timer timer(control_, std::chrono::milliseconds(100));
        co_await timer.async_wait(asio::redirect_error(asio::use_awaitable, ec));
        continue;
      }
      std::string counted_key;
      if (!AdmitConnection(socket, counted_key)) {
        socket.close(ec);
        continue;
      }
      auto executor = socket.get_executor();
      asio::co_spawn(executor, Session(std::move(socket), std::move(counted_key)), asio::detached);
    }
  }

  // Applies the connection caps to a just-accepted socket. On admission the
  // connection is counted (Session uncounts it at its end); `key` is its
  // per-address key, empty when the address is exempt.
  bool AdmitConnection(tcp::socket& socket, std::string& key) {
    error_code ec;
    auto ep = socket.remote_endpoint(ec);
    if (ec) return false;  // already gone
    const std::string peer = ep.address().to_string();
    std::lock_guard lock(mu_);
    const char* refused = nullptr;
    if (opts_.max_connections > 0 && open_connections_ >= opts_.max_connections) {
      refused = "the server's connection cap";
    } else if (opts_.max_connections_per_address > 0 && !opts_.trusted_proxies.Contains(peer)) {
      key = AddressKey(peer);
      if (per_address_[key] >= opts_.max_connections_per_address) refused = "the per-address connection cap";
    }
    if (refused) {
      ++refused_connections_;
      // At most one line every 10 s: a flood must not flood the log too.
      auto now = std::chrono::steady_clock::now();
      if (now - last_refusal_log_ > std::chrono::seconds(10)) {
        spdlog::warn("connection from {} refused: {} ({} refused so far)", peer, refused, refused_connections_);
        last_refusal_log_ = now;
      }
      key.clear();
      return false;
    }
    ++open_connections_;
    if (!key.empty()) ++per_address_[key];
    return true;
  }

  void ReleaseConnection(const std::string& key) {
    std::lock_guard lock(mu_);
    --open_connections_;
    if (key.empty()) return;
    auto it = per_address_.find(key);
    if (it != per_address_.end() && --it->second <= 0) per_address_.erase(it);
  }

  // Registers the connection for Stop(), runs TLS or plain HTTP over it, and
  // contains every exception (one catch per connection).
  asio::awaitable<void> Session(tcp::socket socket, std::string counted_key) {
    auto conn = std::make_shared<Connection>();
    conn->executor = socket.get_executor();
    error_code ec;
    auto ep = socket.remote_endpoint(ec);
    std::string remote = ec ? "unknown" : ep.address().to_string();
    {
      std::lock_guard lock(mu_);
      connections_.insert(conn);
    }
    try {
      if (ssl_) {
        beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), *ssl_);
        conn->tcp = &beast::get_lowest_layer(stream);
        if (!stopping_) {
          conn->tcp->expires_after(std::chrono::seconds(opts_.header_timeout_seconds));
          co_await stream.async_handshake(asio::ssl::stream_base::server,
                                          asio::redirect_error(asio::use_awaitable, ec));
          if (!ec) {
            bool clean = co_await Serve(stream, *conn, remote, /*secure=*/true);
            if (clean) {
              conn->tcp->expires_after(kShutdownTimeout);
              co_await stream.async_shutdown(asio::redirect_error(asio::use_awaitable, ec));
            }
          }
        }
        conn->tcp = nullptr;
      } else {
        beast::tcp_stream stream(std::move(socket));
        conn->tcp = &stream;
        if (!stopping_) {
          co_await Serve(stream, *conn, remote, /*secure=*/opts_.public_https);
          stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        }
        conn->tcp = nullptr;
      }
    } catch (const std::exception& e) {
      conn->tcp = nullptr;
      spdlog::debug("connection from {} ended: {}", remote, e.what());
    }
    {
      std::lock_guard lock(mu_);
      connections_.erase(conn);
    }
    ReleaseConnection(counted_key);
  }

  // Serves requests until the peer closes, an error, a timeout or shutdown.
  // Returns true when the connection should be closed gracefully (TLS
  // close_notify), false when it is already broken.
  template <class Stream>
  asio::awaitable<bool> Serve(Stream& stream, Connection& conn, const std::string& remote, bool secure) {
    beast::tcp_stream& tcp = beast::get_lowest_layer(stream);
    beast::flat_buffer buffer;
    error_code ec;
    while (true) {
      conn.busy = false;
      if (stopping_) co_return true;

      // Keep-alive: wait for the next request's first byte, then give its
      // headers a deadline of their own (a slow-headers client holds a
      // connection for header_timeout_seconds, not the idle limit).
      if (buffer.size() == 0) {
        tcp.expires_after(std::chrono::seconds(opts_.idle_timeout_seconds));
        size_t n = co_await stream.async_read_some(buffer.prepare(4096), asio::redirect_error(asio::use_awaitable, ec));
        if (ec) co_return false;  // closed, idle too long, or shutdown
        buffer.commit(n);
      }
      conn.busy = true;
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(opts_.max_header_bytes));
      // The body limit is decided from the headers (below); Beast would
      // otherwise refuse a large Content-Length before we can ask.
      parser.body_limit(boost::none);

      tcp.expires_after(std::chrono::seconds(opts_.header_timeout_seconds));
      co_await bhttp::async_read_header(stream, buffer, parser,
                                        asio::redirect_error(asio::use_awaitable, ec));
      const auto start = std::chrono::steady_clock::now();
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout ||
          ec == asio::error::operation_aborted)
        co_return false;

      Request req;
      bool target_ok = false;
      std::optional<Response> early;  // answered from the headers; the body is never read
      bool too_large = false;         // a Content-Length over the limit: 413 without reading
      bool expects_continue = false;
      size_t body_limit = opts_.max_body_bytes;
      if (!ec) {
        const auto& head = parser.get();
        req.method = std::string(head.method_string());
        req.target = std::string(head.target());
        std::vector<std::string_view> forwarded_for;
        for (const auto& f : head) {
          req.headers.emplace_back(std::string(f.name_string()), std::string(f.value()));
          if (EqualsIgnoreCase(f.name_string(), "X-Forwarded-For")) forwarded_for.push_back(f.value());
        }
        req.remote_address =
            opts_.trusted_proxies.empty() ? remote : opts_.trusted_proxies.ClientAddress(remote, forwarded_for);
        req.secure = secure;
        std::string_view client_id = req.Header("client-request-id");
        req.request_id = IsUuid(client_id) ? ToLower(client_id) : random_.NewUuid();
        target_ok = req.ParseTarget();

        // A body over the default limit is read only for a request that the
        // admission hook accepts from its headers (an authenticated upload).
        auto length = parser.content_length();
        const bool large = parser.chunked() || (length && *length > opts_.max_body_bytes);
        if (large && !target_ok) {
          early = Response::Json(
              400, TransportErrorBody("BadRequest", "The request URL is malformed.", req.request_id, IsoNow()));
        } else if (large && opts_.admit_large_body) {
          early = co_await asio::co_spawn(
              workers_, [this, &req]() -> asio::awaitable<std::optional<Response>> { co_return AdmitLarge(req); },
              asio::use_awaitable);
          if (!early) body_limit = std::max(body_limit, opts_.max_upload_bytes);
          // A chunked body may well be small: where large ones aren't taken
          // (413), it is read within the default limit like any other.
          if (early && early->status == 413 && !length) early.reset();
        }
        // Beast enforces the limit on chunked bodies as they arrive; a
        // declared length over it is refused here, before any of it is read.
        parser.body_limit(body_limit);
        too_large = !early && length && *length > body_limit;
        expects_continue = EqualsIgnoreCase(head[bhttp::field::expect], "100-continue");

        if (!early && !too_large) {
          // Answer "Expect: 100-continue" only when we mean to read the body.
          if (expects_continue) {
            bhttp::response<bhttp::empty_body> cont{bhttp::status::continue_, 11};
            tcp.expires_after(std::chrono::seconds(opts_.request_timeout_seconds));
            co_await bhttp::async_write(stream, cont, asio::redirect_error(asio::use_awaitable, ec));
            if (ec) co_return false;
          }
          tcp.expires_after(std::chrono::seconds(opts_.request_timeout_seconds));
          co_await bhttp::async_read(stream, buffer, parser, asio::redirect_error(asio::use_awaitable, ec));
        }
      }

      if (too_large || ec == bhttp::error::body_limit) {
        co_await WriteTransportError(stream, parser.get(), remote, secure, start, 413, "Request_EntityTooLarge",
                                     "The request body is larger than the limit of " +
                                         std::to_string(body_limit) + " bytes.");
        if (!expects_continue || ec == bhttp::error::body_limit) co_await Drain(stream);
        co_return false;
      }
      if (ec == bhttp::error::header_limit) {
        co_await WriteTransportError(stream, parser.get(), remote, secure, start, 431,
                                     "Request_HeaderFieldsTooLarge",
                                     "The request headers are larger than the limit of " +
                                         std::to_string(opts_.max_header_bytes) + " bytes.");
        co_return false;
      }
      if (ec) {
        // Beast's parse errors (bad method, bad target, bad version, bad field...)
        // mean the peer spoke broken HTTP: say so once, then close.
        if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category() &&
            ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message) {
          co_await WriteTransportError(stream, parser.get(), remote, secure, start, 400, "BadRequest",
                                       "Malformed HTTP request.");
        }
        co_return false;  // timeouts, resets, TLS errors, truncated messages: nothing to answer
      }

      auto& breq = parser.get();
      std::string_view client_id = req.Header("client-request-id");
      Response res;
      const bool answered_early = early.has_value();
      if (early) {
        res = std::move(*early);
      } else if (!target_ok) {
        req.body = std::move(breq.body());
        res = Response::Json(
            400, TransportErrorBody("BadRequest", "The request URL is malformed.", req.request_id, IsoNow()));
      } else {
        req.body = std::move(breq.body());
        // Off the I/O threads: handlers may block on the database.
        res = co_await asio::co_spawn(
            workers_, [this, &req]() -> asio::awaitable<Response> { co_return Invoke(req); },
            asio::use_awaitable);
      }

      const bool keep_alive = breq.keep_alive() && !stopping_ && !answered_early;
      bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(res.status), breq.version()};
      std::optional<std::string> explicit_length;
      for (auto& [name, value] : res.headers) {
        if (EqualsIgnoreCase(name, "Content-Length")) {
          explicit_length = value;
          continue;
        }
        if (EqualsIgnoreCase(name, "Connection") || EqualsIgnoreCase(name, "Transfer-Encoding")) continue;
        if (HasCrLf(name) || HasCrLf(value)) {
          spdlog::warn("dropping response header with CR/LF request_id={}", req.request_id);
          continue;
        }
        out.insert(name, value);
      }
      out.set(bhttp::field::server, "gatehouse");
      out.set(bhttp::field::date, HttpDate());
      SetHardeningHeaders(out, secure, req.Header("Host"));
      out.set("request-id", req.request_id);
      out.set("client-request-id",
              client_id.empty() ? req.request_id : std::string(client_id.substr(0, 128)));
      if (HasCrLf(out["client-request-id"])) out.set("client-request-id", req.request_id);
      out.keep_alive(keep_alive);
      const size_t body_bytes = res.body.size();
      if (req.method == "HEAD") {
        // Frame as the GET would have been, send no body.
        out.set(bhttp::field::content_length,
                explicit_length ? *explicit_length : std::to_string(body_bytes));
      } else {
        out.body() = std::move(res.body);
        out.prepare_payload();
      }

      tcp.expires_after(std::chrono::seconds(opts_.request_timeout_seconds));
      if (req.method == "HEAD") {
        bhttp::response_serializer<bhttp::string_body> sr{out};
        sr.split(true);
        co_await bhttp::async_write_header(stream, sr, asio::redirect_error(asio::use_awaitable, ec));
      } else {
        co_await bhttp::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
      }
      LogRequest(req.method, req.target, res.status, start, body_bytes, req.request_id,
                 req.remote_address == remote ? remote : req.remote_address + " via " + remote);
      if (ec) co_return false;
      if (answered_early) {
        // The client may be sending the body we refused: read (and drop) a
        // bounded part of it so our answer isn't lost to a reset, then close.
        if (!expects_continue) co_await Drain(stream);
        co_return false;
      }
      if (!keep_alive) co_return true;
    }
  }

  std::optional<Response> AdmitLarge(const Request& head) {
    try {
      return opts_.admit_large_body(head);
    } catch (const std::exception& e) {
      spdlog::error("unhandled exception admitting a large body request_id={} what=\"{}\"", head.request_id,
                    e.what());
    } catch (...) {
      spdlog::error("unhandled exception admitting a large body request_id={}", head.request_id);
    }
    return Response::Json(500, TransportErrorBody("InternalServerError",
                                                  "An unexpected error occurred. Quote request-id " +
                                                      head.request_id + " when reporting it.",
                                                  head.request_id, IsoNow()));
  }

  // On every response: no MIME sniffing (a CSV or JSON body must never be
  // run as HTML or script), and HSTS over HTTPS.
  template <class Message>
  void SetHardeningHeaders(Message& out, bool secure, std::string_view host) const {
    out.set("X-Content-Type-Options", "nosniff");
    if (secure && !opts_.hsts.empty() && !IsLocalhost(host)) out.set("Strict-Transport-Security", opts_.hsts);
  }

  Response Invoke(const Request& req) {
    try {
      return handler_(req);
    } catch (const std::exception& e) {
      spdlog::error("unhandled exception request_id={} what=\"{}\"", req.request_id, e.what());
    } catch (...) {
      spdlog::error("unhandled exception request_id={} what=(non-std exception)", req.request_id);
    }
    return Response::Json(500, TransportErrorBody("InternalServerError",
                                                  "An unexpected error occurred. Quote request-id " +
                                                      req.request_id + " when reporting it.",
                                                  req.request_id, IsoNow()));
  }

  template <class Stream>
  asio::awaitable<void> WriteTransportError(Stream& stream, const bhttp::request<bhttp::string_body>& breq,
                                            const std::string& remote, bool secure,
                                            std::chrono::steady_clock::time_point start, int status,
                                            std::string_view code, const std::string& message) {
    std::string request_id = random_.NewUuid();
    bhttp::response<bhttp::string_body> out{static_cast<bhttp::status>(status), 11};
    out.set(bhttp::field::content_type, "application/json; charset=utf-8");
    out.set(bhttp::field::server, "gatehouse");
    out.set(bhttp::field::date, HttpDate());
    out.set("request-id", request_id);
    SetHardeningHeaders(out, secure, breq[bhttp::field::host]);
    out.keep_alive(false);
    out.body() = TransportErrorBody(code, message, request_id, IsoNow());
    out.prepare_payload();
    error_code ec;
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(opts_.request_timeout_seconds));
    co_await bhttp::async_write(stream, out, asio::redirect_error(asio::use_awaitable, ec));
    std::string method(breq.method_string());
    LogRequest(method.empty() ? "-" : method, std::string(breq.target()), status, start, out.body().size(),
               request_id, remote);
  }

  template <class Stream>
  asio::awaitable<void> Drain(Stream& stream) {
    char scratch[16 * 1024];
    size_t total = 0;
    error_code ec;
    beast::get_lowest_layer(stream).expires_after(kShutdownTimeout);
    while (total < kMaxDrainBytes) {
      size_t n = co_await stream.async_read_some(asio::buffer(scratch),
                                                 asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      total += n;
    }
  }

  static void LogRequest(std::string_view method, std::string_view target, int status,
                         std::chrono::steady_clock::time_point start, size_t bytes,
                         std::string_view request_id, std::string_view remote) {
    // The query string is left out: it may carry secrets (codes, tokens).
    std::string_view path = target.substr(0, target.find('?'));
    if (HasCrLf(path)) path = "-";
    double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    spdlog::info("method={} path={} status={} duration_ms={:.1f} bytes={} request_id={} remote={}", method,
                 path, status, ms, bytes, request_id, remote);
  }

  ServerOptions opts_;
  RequestHandler handler_;
  asio::io_context ioc_;
  asio::strand<asio::io_context::executor_type> control_;  // acceptor, signals, Stop()
  tcp::acceptor acceptor_;
  std::optional<asio::ssl::context> ssl_;
  std::optional<asio::signal_set> signals_;
  asio::thread_pool workers_;
  SecureRandom random_;
  uint16_t port_ = 0;
  std::atomic<bool> stopping_{false};
  std::mutex mu_;  // guards what follows
  std::set<std::shared_ptr<Connection>> connections_;
  int open_connections_ = 0;                  // admitted and not yet ended
  std::map<std::string, int> per_address_;    // open connections by AddressKey of the peer
  uint64_t refused_connections_ = 0;
  std::chrono::steady_clock::time_point last_refusal_log_{};
};

}  // namespace

StatusOr<std::unique_ptr<Server>> Server::Create(ServerOptions opts, RequestHandler handler) {
  if (!handler) return InvalidArgument("Server::Create needs a request handler.");
  if (opts.tls && (opts.tls_cert_file.empty() || opts.tls_key_file.empty())) {
    return InvalidArgument("TLS is enabled but no certificate or key file was given.");
  }
  auto server = std::make_unique<ServerImpl>(std::move(opts), std::move(handler));
  GH_RETURN_IF_ERROR(server->Init());
  return std::unique_ptr<Server>(std::move(server));
}

}  // namespace gh::http
