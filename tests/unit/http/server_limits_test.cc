// Attacks on the transport over real sockets on 127.0.0.1 (security review
// #10, #13, #21): connection floods, slow headers, huge unauthenticated
// uploads, spoofed X-Forwarded-For, and the headers every response carries.
// Waits are bounded; nothing asserts on durations.
#include <arpa/inet.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <future>
#include <thread>

#include "http/server.h"

namespace gh::http {
namespace {

namespace fs = std::filesystem;

const fs::path& CertDir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("gh_http_limits_" + std::to_string(::getpid()));
    fs::create_directories(d);
    std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj /CN=localhost "
        "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
        (d / "key.pem").string() + "' -out '" + (d / "cert.pem").string() + "' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) std::abort();
    return d;
  }();
  return dir;
}

std::atomic<int> handled{0};

Response Echo(const Request& req) {
  ++handled;
  return Response::Text(200, req.method + " " + std::to_string(req.body.size()) + " " +
                                 (req.secure ? "secure" : "plain") + " " + req.remote_address);
}

class Running {
 public:
  explicit Running(ServerOptions opts) {
    opts.port = 0;
    if (opts.tls) {
      opts.tls_cert_file = (CertDir() / "cert.pem").string();
      opts.tls_key_file = (CertDir() / "key.pem").string();
    }
    auto s = Server::Create(std::move(opts), Echo);
    if (!s.ok()) ADD_FAILURE() << s.status().ToString();
    server = std::move(s).value();
    done = std::async(std::launch::async, [this] { server->Run(false); });
  }
  ~Running() {
    server->Stop();
    done.wait();
  }
  uint16_t port() const { return server->port(); }
  std::unique_ptr<Server> server;
  std::future<void> done;
};

ServerOptions Plain() {
  ServerOptions o;
  o.tls = false;
  return o;
}

// A plain TCP connection to the server.
class Conn {
 public:
  explicit Conn(uint16_t port) : fd_(::socket(AF_INET, SOCK_STREAM, 0)) {
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_port = htons(port);
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connected_ = ::connect(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0;
    timeval tv{10, 0};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  }
  ~Conn() { Close(); }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }
  bool connected() const { return connected_; }
  int fd() const { return fd_; }
  void Send(const std::string& bytes) { (void)::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL); }
  // One whole response (headers and a Content-Length body), or what arrived
  // before the server closed; "" when it closed without a word. `timed_out`
  // tells a silent server (recv timeout) from a closed connection.
  std::string ReadResponse(bool* timed_out = nullptr) {
    std::string out;
    char buf[4096];
    if (timed_out) *timed_out = false;
    while (true) {
      size_t end = out.find("\r\n\r\n");
      if (end != std::string::npos) {
        size_t cl = out.find("Content-Length: ");
        size_t length = cl == std::string::npos ? 0 : std::stoul(out.substr(cl + 16));
        if (out.size() >= end + 4 + length) return out;
      }
      ssize_t n = ::recv(fd_, buf, sizeof buf, 0);
      if (n > 0) {
        out.append(buf, static_cast<size_t>(n));
        continue;
      }
      if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK) && timed_out) *timed_out = true;
      return out;
    }
  }
  std::string Get(const std::string& path, const std::string& extra_headers = "") {
    Send("GET " + path + " HTTP/1.1\r\nHost: a\r\n" + extra_headers + "\r\n");
    return ReadResponse();
  }

 private:
  int fd_;
  bool connected_ = false;
};

bool Served(const std::string& response) { return response.starts_with("HTTP/1.1 200"); }

// A fresh connection served within a bounded number of tries (the server
// releases a closed connection's slot asynchronously).
bool EventuallyServed(uint16_t port) {
  for (int i = 0; i < 100; ++i) {
    Conn c(port);
    if (Served(c.Get("/again"))) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

TEST(ServerLimitsTest, ConnectionsOverThePerAddressCapAreRefused) {
  ServerOptions o = Plain();
  o.max_connections_per_address = 3;
  Running run(o);
  std::vector<std::unique_ptr<Conn>> held;
  for (int i = 0; i < 3; ++i) {
    held.push_back(std::make_unique<Conn>(run.port()));
    ASSERT_TRUE(Served(held.back()->Get("/held"))) << i;  // kept alive
  }
  // The fourth from the same address is closed without being served.
  Conn extra(run.port());
  bool timed_out = true;
  extra.Send("GET /extra HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(extra.ReadResponse(&timed_out), "");
  EXPECT_FALSE(timed_out) << "the server should close an over-cap connection, not leave it hanging";
  // The held ones still work; when one goes, a new one is admitted.
  EXPECT_TRUE(Served(held[0]->Get("/still")));
  held[2]->Close();
  EXPECT_TRUE(EventuallyServed(run.port()));
}

TEST(ServerLimitsTest, ConnectionsOverTheGlobalCapAreRefused) {
  ServerOptions o = Plain();
  o.max_connections = 2;
  o.max_connections_per_address = 0;
  Running run(o);
  Conn a(run.port()), b(run.port());
  ASSERT_TRUE(Served(a.Get("/a")));
  ASSERT_TRUE(Served(b.Get("/b")));
  Conn c(run.port());
  bool timed_out = true;
  c.Send("GET /c HTTP/1.1\r\nHost: a\r\n\r\n");
  EXPECT_EQ(c.ReadResponse(&timed_out), "");
  EXPECT_FALSE(timed_out);
  a.Close();
  EXPECT_TRUE(EventuallyServed(run.port()));
}

TEST(ServerLimitsTest, ATrustedProxyIsExemptFromThePerAddressCap) {
  ServerOptions o = Plain();
  o.max_connections_per_address = 1;
  o.trusted_proxies = TrustedProxies::Parse({"127.0.0.1"}).value();
  Running run(o);
  Conn a(run.port()), b(run.port()), c(run.port());
  EXPECT_TRUE(Served(a.Get("/a")));
  EXPECT_TRUE(Served(b.Get("/b")));
  EXPECT_TRUE(Served(c.Get("/c")));
}

TEST(ServerLimitsTest, SlowHeadersAreCutOffAtTheHeaderDeadlineNotTheIdleLimit) {
  ServerOptions o = Plain();
  o.header_timeout_seconds = 1;
  o.idle_timeout_seconds = 60;
  Running run(o);
  Conn slow(run.port());
  slow.Send("GET /slowloris HTTP/1.1\r\nHost: a\r\nX-A: 1\r\n");  // and never the blank line
  bool timed_out = true;
  EXPECT_EQ(slow.ReadResponse(&timed_out), "");
  EXPECT_FALSE(timed_out) << "still open after the 10 s receive timeout, far past the 1 s header deadline";
}

TEST(ServerLimitsTest, AnIdleKeepAliveConnectionGetsTheIdleLimitNotTheHeaderDeadline) {
  ServerOptions o = Plain();
  o.header_timeout_seconds = 1;
  o.idle_timeout_seconds = 60;
  Running run(o);
  Conn c(run.port());
  ASSERT_TRUE(Served(c.Get("/first")));
  std::this_thread::sleep_for(std::chrono::milliseconds(1500));  // past the header deadline, idle
  EXPECT_TRUE(Served(c.Get("/second")));
}

TEST(ServerLimitsTest, ForwardedForIsIgnoredFromAnUntrustedPeerAndHonouredFromATrustedProxy) {
  {
    Running run(Plain());
    Conn c(run.port());
    std::string r = c.Get("/", "X-Forwarded-For: 198.51.100.7\r\n");
    EXPECT_NE(r.find("plain 127.0.0.1"), std::string::npos) << r;
  }
  {
    ServerOptions o = Plain();
    o.trusted_proxies = TrustedProxies::Parse({"127.0.0.0/8"}).value();
    Running run(o);
    Conn c(run.port());
    std::string r = c.Get("/", "X-Forwarded-For: 203.0.113.1, 198.51.100.7\r\n");
    EXPECT_NE(r.find("plain 198.51.100.7"), std::string::npos) << r;
  }
}

// ---- Headers on every response

size_t CollectInto(char* p, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

// Response headers of a GET over TLS with curl (`host` as the Host header).
std::string TlsHeaders(uint16_t port, const std::string& path, const std::string& host = "") {
  CURL* curl = curl_easy_init();
  std::string headers, body;
  std::string url = "https://127.0.0.1:" + std::to_string(port) + path;
  curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl, CURLOPT_CAINFO, (CertDir() / "cert.pem").c_str());
  curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, CollectInto);
  curl_easy_setopt(curl, CURLOPT_HEADERDATA, &headers);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, CollectInto);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 10L);
  curl_slist* list = nullptr;
  if (!host.empty()) list = curl_slist_append(list, ("Host: " + host).c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
  CURLcode rc = curl_easy_perform(curl);
  curl_slist_free_all(list);
  curl_easy_cleanup(curl);
  EXPECT_EQ(rc, CURLE_OK) << curl_easy_strerror(rc);
  return headers;
}

TEST(ServerLimitsTest, EveryResponseSaysNosniffAndHttpsOnesSendHsts) {
  {
    ServerOptions o;
    Running run(o);
    std::string h = TlsHeaders(run.port(), "/page");
    EXPECT_NE(h.find("X-Content-Type-Options: nosniff"), std::string::npos) << h;
    EXPECT_NE(h.find("Strict-Transport-Security: max-age=31536000"), std::string::npos) << h;
    // Not for "localhost": HSTS is per host, and would pin every local dev server to HTTPS.
    std::string local = TlsHeaders(run.port(), "/page", "localhost:8443");
    EXPECT_NE(local.find("X-Content-Type-Options: nosniff"), std::string::npos) << local;
    EXPECT_EQ(local.find("Strict-Transport-Security"), std::string::npos) << local;
  }
  {
    Running run(Plain());
    Conn c(run.port());
    std::string r = c.Get("/plain");
    EXPECT_NE(r.find("X-Content-Type-Options: nosniff"), std::string::npos) << r;
    EXPECT_EQ(r.find("Strict-Transport-Security"), std::string::npos) << r;
    // The transport's own answers too (here a malformed request).
    Conn bad(run.port());
    bad.Send("GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n");
    std::string err = bad.ReadResponse();
    EXPECT_EQ(err.substr(0, 12), "HTTP/1.1 400") << err;
    EXPECT_NE(err.find("X-Content-Type-Options: nosniff"), std::string::npos) << err;
  }
  {
    // Plain HTTP behind a TLS-terminating proxy with an https public URL.
    ServerOptions o = Plain();
    o.public_https = true;
    Running run(o);
    Conn c(run.port());
    std::string r = c.Get("/behind-proxy", "Host: gatehouse.example\r\n");
    EXPECT_NE(r.find("Strict-Transport-Security: max-age=31536000"), std::string::npos) << r;
    EXPECT_NE(r.find("GET 0 secure"), std::string::npos) << r;  // so cookies get Secure
  }
}

// ---- Large bodies: read only once admitted from the headers

ServerOptions UploadServer() {
  ServerOptions o = Plain();
  o.max_body_bytes = 1024;
  o.max_upload_bytes = 256 * 1024 * 1024;
  // As the router does: only /upload takes large bodies, and only with a good token.
  o.admit_large_body = [](const Request& head) -> std::optional<Response> {
    if (head.path != "/upload") return Response::Json(413, R"({"error":{"code":"Request_EntityTooLarge"}})");
    if (head.Header("Authorization") == "Bearer good") return std::nullopt;
    return Response::Json(401, R"({"error":{"code":"InvalidAuthenticationToken","message":"no"}})");
  };
  return o;
}

struct Pushed {
  size_t accepted = 0;  // body bytes the kernel took from us before the server answered or closed
  std::string response;
};

// Sends `headers` and then up to `body_bytes` of body as fast as the server
// takes it, stopping when it answers, closes, or takes nothing for 3 s.
Pushed Push(uint16_t port, const std::string& headers, size_t body_bytes) {
  Pushed out;
  Conn c(port);
  c.Send(headers);
  int flags = ::fcntl(c.fd(), F_GETFL, 0);
  ::fcntl(c.fd(), F_SETFL, flags | O_NONBLOCK);
  std::string chunk(64 * 1024, 'x');
  char buf[4096];
  while (out.accepted < body_bytes) {
    pollfd p{c.fd(), POLLIN | POLLOUT, 0};
    if (::poll(&p, 1, 3000) <= 0) break;  // nothing moves: the server stopped reading
    if (p.revents & (POLLIN | POLLHUP | POLLERR)) break;
    ssize_t n = ::send(c.fd(), chunk.data(), std::min(chunk.size(), body_bytes - out.accepted), MSG_NOSIGNAL);
    if (n <= 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) continue;
      break;
    }
    out.accepted += static_cast<size_t>(n);
  }
  ::fcntl(c.fd(), F_SETFL, flags);
  ssize_t n;
  while ((n = ::recv(c.fd(), buf, sizeof buf, 0)) > 0) out.response.append(buf, static_cast<size_t>(n));
  return out;
}

TEST(ServerLimitsTest, AHugeUnauthenticatedUploadIsRefusedWithoutBeingRead) {
  Running run(UploadServer());
  handled = 0;
  const size_t declared = 200u * 1024 * 1024;
  Pushed p = Push(run.port(),
                  "POST /upload HTTP/1.1\r\nHost: a\r\nContent-Type: text/csv\r\nContent-Length: " +
                      std::to_string(declared) + "\r\n\r\n",
                  declared);
  EXPECT_EQ(p.response.substr(0, 12), "HTTP/1.1 401") << p.response.substr(0, 200);
  // The server read at most a bounded drain; the rest filled socket buffers
  // and then nothing more was taken.
  EXPECT_LT(p.accepted, 32u * 1024 * 1024) << "the server kept reading an unauthenticated body";
  EXPECT_EQ(handled.load(), 0);
}

TEST(ServerLimitsTest, AChunkedUnauthenticatedUploadIsRefusedToo) {
  Running run(UploadServer());
  handled = 0;
  Conn c(run.port());
  c.Send("POST /upload HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n10\r\n0123456789abcdef\r\n");
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 401") << r;
  EXPECT_EQ(handled.load(), 0);
}

TEST(ServerLimitsTest, ASmallChunkedBodyElsewhereIsStillRead) {
  Running run(UploadServer());
  Conn c(run.port());
  c.Send("POST /other HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
  std::string r = c.ReadResponse();
  EXPECT_TRUE(Served(r)) << r;
  EXPECT_NE(r.find("POST 5 plain"), std::string::npos) << r;
  // But not past the default limit.
  Conn big(run.port());
  big.Send("POST /other HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n800\r\n" + std::string(2048, 'x') +
           "\r\n0\r\n\r\n");
  EXPECT_EQ(big.ReadResponse().substr(0, 12), "HTTP/1.1 413");
}

TEST(ServerLimitsTest, ExpectContinueGetsTheRefusalInsteadOf100) {
  Running run(UploadServer());
  Conn c(run.port());
  c.Send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 100000000\r\nExpect: 100-continue\r\n\r\n");
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 401") << r;
  EXPECT_EQ(r.find("100 Continue"), std::string::npos) << r;
}

TEST(ServerLimitsTest, AnAdmittedUploadIsReadWhole) {
  Running run(UploadServer());
  const size_t size = 4 * 1024 * 1024;
  Pushed p = Push(run.port(),
                  "POST /upload HTTP/1.1\r\nHost: a\r\nAuthorization: Bearer good\r\nConnection: close\r\n"
                  "Content-Length: " + std::to_string(size) + "\r\n\r\n",
                  size);
  EXPECT_EQ(p.accepted, size);
  EXPECT_EQ(p.response.substr(0, 12), "HTTP/1.1 200") << p.response.substr(0, 200);
  EXPECT_NE(p.response.find("POST " + std::to_string(size)), std::string::npos);
  // Small bodies never ask: the default limit applies as before.
  Conn c(run.port());
  c.Send("POST /other HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\n\r\nhello");
  EXPECT_TRUE(Served(c.ReadResponse()));
}

TEST(ServerLimitsTest, WithoutAnAdmissionHookALargeBodyIs413) {
  ServerOptions o = Plain();
  o.max_body_bytes = 1024;
  Running run(o);
  Conn c(run.port());
  c.Send("POST /upload HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
  std::string r = c.ReadResponse();
  EXPECT_EQ(r.substr(0, 12), "HTTP/1.1 413") << r;
}

}  // namespace
}  // namespace gh::http
