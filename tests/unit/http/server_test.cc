// Real sockets on 127.0.0.1, port 0. TLS uses a throw-away self-signed
// certificate made with the openssl command into a temporary folder.
#include "http/server.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <thread>

namespace gh::http {
namespace {

namespace fs = std::filesystem;

struct CertFiles {
  fs::path dir, cert, key;
};

const CertFiles& TestCert() {
  static const CertFiles files = [] {
    CertFiles f;
    f.dir = fs::temp_directory_path() / ("gh_http_test_" + std::to_string(::getpid()));
    fs::create_directories(f.dir);
    f.cert = f.dir / "cert.pem";
    f.key = f.dir / "key.pem";
    std::string cmd =
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 1 -subj "
        "/CN=localhost "
        "-addext subjectAltName=DNS:localhost,IP:127.0.0.1 -keyout '" +
        f.key.string() + "' -out '" + f.cert.string() + "' >/dev/null 2>&1";
    if (std::system(cmd.c_str()) != 0) std::abort();
    return f;
  }();
  return files;
}

size_t Collect(char* p, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(p, size * n);
  return size * n;
}

struct Reply {
  long status = 0;
  std::string body;
  std::string headers;
  CURLcode code = CURLE_OK;
};

// One client connection (curl keeps it alive between calls on the same handle).
class Client {
 public:
  Client() : curl_(curl_easy_init()) {}
  ~Client() { curl_easy_cleanup(curl_); }

  Reply Send(const std::string& url, const std::string& method = "GET", const std::string& body = "",
             const std::vector<std::string>& headers = {}) {
    Reply r;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_CAINFO, TestCert().cert.c_str());
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &r.body);
    curl_easy_setopt(curl_, CURLOPT_HEADERFUNCTION, Collect);
    curl_easy_setopt(curl_, CURLOPT_HEADERDATA, &r.headers);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 10L);
    curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    if (method == "POST") {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, body.data());
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDSIZE, static_cast<long>(body.size()));
    } else {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
      curl_easy_setopt(curl_, CURLOPT_CUSTOMREQUEST, method.c_str());
    }
    curl_slist* list = nullptr;
    for (const auto& h : headers) list = curl_slist_append(list, h.c_str());
    curl_easy_setopt(curl_, CURLOPT_HTTPHEADER, list);
    r.code = curl_easy_perform(curl_);
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &r.status);
    curl_slist_free_all(list);
    return r;
  }
  long NewConnections() {
    long n = -1;
    curl_easy_getinfo(curl_, CURLINFO_NUM_CONNECTS, &n);
    return n;
  }

 private:
  CURL* curl_;
};

Response Echo(const Request& req) {
  if (req.path == "/slow") std::this_thread::sleep_for(std::chrono::milliseconds(300));
  if (req.path == "/throw") throw std::runtime_error("secret detail");
  return Response::Text(200, req.method + " " + req.path + " " + std::to_string(req.body.size()) + " " +
                                 (req.secure ? "tls" : "plain") + " " + req.remote_address);
}

// Runs a server on a background thread for the life of the fixture.
class Running {
 public:
  explicit Running(ServerOptions opts, Server::RequestHandler handler = Echo) {
    opts.port = 0;
    if (opts.tls) {
      opts.tls_cert_file = TestCert().cert.string();
      opts.tls_key_file = TestCert().key.string();
    }
    auto s = Server::Create(std::move(opts), std::move(handler));
    if (!s.ok()) ADD_FAILURE() << s.status().ToString();
    server = std::move(s).value();
    done = std::async(std::launch::async, [this] { server->Run(false); });
  }
  ~Running() {
    server->Stop();
    done.wait();
  }
  std::string Url(const std::string& path, bool tls = true) const {
    return std::string(tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(server->port()) + path;
  }

  std::unique_ptr<Server> server;
  std::future<void> done;
};

TEST(ServerTest, TlsGetRoundTrip) {
  Running run(ServerOptions{});
  Client c;
  Reply r = c.Send(run.Url("/v1.0/users%2Bx?$top=1"), "GET", "",
                   {"client-request-id: 0f8fad5b-d9cb-469f-a165-70867728950e"});
  ASSERT_EQ(r.code, CURLE_OK) << curl_easy_strerror(r.code);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "GET /v1.0/users+x 0 tls 127.0.0.1");
  EXPECT_NE(r.headers.find("request-id: 0f8fad5b-d9cb-469f-a165-70867728950e"), std::string::npos)
      << r.headers;
  EXPECT_NE(r.headers.find("Server: gatehouse"), std::string::npos);
  EXPECT_NE(r.headers.find("Date: "), std::string::npos);
}

TEST(ServerTest, FreshRequestIdWhenClientIdIsNotAGuid) {
  Running run(ServerOptions{});
  Client c;
  Reply r = c.Send(run.Url("/x"), "GET", "", {"client-request-id: hello"});
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.headers.find("client-request-id: hello"), std::string::npos) << r.headers;
  size_t at = r.headers.find("\nrequest-id: ");
  ASSERT_NE(at, std::string::npos) << r.headers;
  EXPECT_NE(r.headers.substr(at + 13, 5), "hello");
  EXPECT_EQ(r.headers.substr(at + 13 + 14, 1), "4");  // a version-4 UUID
}

TEST(ServerTest, KeepAliveReusesTheConnection) {
  Running run(ServerOptions{});
  Client c;
  EXPECT_EQ(c.Send(run.Url("/a")).status, 200);
  EXPECT_EQ(c.NewConnections(), 1);
  Reply second = c.Send(run.Url("/b"), "POST", "hello");
  EXPECT_EQ(second.status, 200);
  EXPECT_EQ(second.body, "POST /b 5 tls 127.0.0.1");
  EXPECT_EQ(c.NewConnections(), 0);
}

TEST(ServerTest, OversizedBodyIs413) {
  ServerOptions opts;
  opts.max_body_bytes = 1024;
  Running run(opts);
  Client c;
  Reply r = c.Send(run.Url("/upload"), "POST", std::string(4096, 'x'));
  ASSERT_EQ(r.code, CURLE_OK) << curl_easy_strerror(r.code);
  EXPECT_EQ(r.status, 413);
  EXPECT_NE(
      r.body.find(
          R"({"error":{"code":"Request_EntityTooLarge","message":"The request body is larger than the limit of 1024 bytes.")"),
      std::string::npos)
      << r.body;
  // A body within the limit still works on a new connection.
  Client c2;
  EXPECT_EQ(c2.Send(run.Url("/upload"), "POST", std::string(1024, 'x')).status, 200);
}

TEST(ServerTest, HandlerExceptionIs500WithoutDetails) {
  Running run(ServerOptions{});
  Client c;
  Reply r = c.Send(run.Url("/throw"));
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("secret"), std::string::npos);
}

TEST(ServerTest, PlainHttpMode) {
  ServerOptions opts;
  opts.tls = false;
  Running run(opts);
  Client c;
  Reply r = c.Send(run.Url("/plain", /*tls=*/false));
  ASSERT_EQ(r.code, CURLE_OK) << curl_easy_strerror(r.code);
  EXPECT_EQ(r.body, "GET /plain 0 plain 127.0.0.1");
}

// Sends raw bytes over plain TCP and returns everything the server answers.
std::string RawExchange(uint16_t port, const std::string& bytes) {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0) return "connect failed";
  timeval tv{5, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  ::send(fd, bytes.data(), bytes.size(), 0);
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::recv(fd, buf, sizeof buf, 0)) > 0) out.append(buf, static_cast<size_t>(n));
  ::close(fd);
  return out;
}

TEST(ServerTest, MalformedRequestIs400AndClose) {
  ServerOptions opts;
  opts.tls = false;
  Running run(opts);
  std::string out = RawExchange(run.server->port(), "GET /x HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n");
  EXPECT_EQ(out.substr(0, 12), "HTTP/1.1 400") << out;
  EXPECT_NE(out.find(R"({"error":{"code":"BadRequest","message":"Malformed HTTP request.")"),
            std::string::npos);
  std::string bad_target =
      RawExchange(run.server->port(), "GET /a%00 HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(bad_target.substr(0, 12), "HTTP/1.1 400") << bad_target;
}

TEST(ServerTest, HeadSendsHeadersOnly) {
  ServerOptions opts;
  opts.tls = false;
  Running run(opts);
  std::string out =
      RawExchange(run.server->port(), "HEAD /x HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(out.substr(0, 12), "HTTP/1.1 200") << out;
  EXPECT_NE(out.find("Content-Length: 25"), std::string::npos) << out;  // "HEAD /x 0 plain 127.0.0.1"
  EXPECT_EQ(out.substr(out.size() - 4), "\r\n\r\n");
}

TEST(ServerTest, StopLetsInFlightRequestFinish) {
  std::atomic<bool> slow_started{false};
  Running run(ServerOptions{}, [&](const Request& req) {
    if (req.path == "/slow") slow_started = true;
    return Echo(req);  // sleeps 300 ms on /slow
  });
  Client idle;  // an idle keep-alive connection must not hold shutdown up
  ASSERT_EQ(idle.Send(run.Url("/warm")).status, 200);

  auto slow = std::async(std::launch::async, [&] {
    Client c;
    return c.Send(run.Url("/slow"));
  });
  while (!slow_started) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto t0 = std::chrono::steady_clock::now();
  run.server->Stop();
  Reply r = slow.get();
  EXPECT_EQ(r.code, CURLE_OK) << curl_easy_strerror(r.code);
  EXPECT_EQ(r.status, 200);
  EXPECT_NE(r.headers.find("Connection: close"), std::string::npos) << r.headers;
  ASSERT_EQ(run.done.wait_for(std::chrono::seconds(5)), std::future_status::ready);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(4));
}

TEST(ServerTest, ExpectContinueGets413BeforeTheBodyOr100ThenTheAnswer) {
  ServerOptions opts;
  opts.tls = false;
  opts.max_body_bytes = 100;
  Running run(opts);
  std::string big =
      RawExchange(run.server->port(),
                  "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n");
  EXPECT_EQ(big.substr(0, 12), "HTTP/1.1 413") << big;
  EXPECT_NE(big.find("Connection: close"), std::string::npos);
  std::string small = RawExchange(run.server->port(),
                                  "POST /x HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\nExpect: "
                                  "100-continue\r\nConnection: close\r\n\r\nabc");
  EXPECT_EQ(small.substr(0, 25), "HTTP/1.1 100 Continue\r\n\r\n") << small;
  EXPECT_NE(small.find("HTTP/1.1 200"), std::string::npos) << small;
}

TEST(ServerTest, OversizedHeaderIs431) {
  ServerOptions opts;
  opts.tls = false;
  opts.max_header_bytes = 1024;
  Running run(opts);
  std::string out = RawExchange(
      run.server->port(), "GET /x HTTP/1.1\r\nHost: a\r\nX-Big: " + std::string(4000, 'b') + "\r\n\r\n");
  EXPECT_EQ(out.substr(0, 12), "HTTP/1.1 431") << out;
}

TEST(ServerTest, IdleConnectionIsClosedAfterTimeout) {
  ServerOptions opts;
  opts.tls = false;
  opts.idle_timeout_seconds = 1;
  Running run(opts);
  auto t0 = std::chrono::steady_clock::now();
  std::string out = RawExchange(run.server->port(), "");  // says nothing; the server hangs up
  EXPECT_EQ(out, "");
  auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_GE(waited, std::chrono::milliseconds(900));
  EXPECT_LT(waited, std::chrono::seconds(4));
}

TEST(ServerTest, SigtermStopsRunWhenHandlersInstalled) {
  ServerOptions opts;
  opts.tls = false;
  opts.port = 0;
  auto s = Server::Create(opts, Echo);
  ASSERT_TRUE(s.ok());
  std::unique_ptr<Server> server = std::move(s).value();
  auto done = std::async(std::launch::async, [&] { server->Run(/*install_signal_handlers=*/true); });
  // Wait until the server answers, so the signal set is installed.
  Client c;
  for (int i = 0; i < 100 && c.Send("http://127.0.0.1:" + std::to_string(server->port()) + "/").status != 200;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ::kill(::getpid(), SIGTERM);
  EXPECT_EQ(done.wait_for(std::chrono::seconds(5)), std::future_status::ready);
}

TEST(ServerTest, BadCertificateFileIsInvalidArgument) {
  ServerOptions opts;
  opts.port = 0;
  opts.tls_cert_file = "/nonexistent/cert.pem";
  opts.tls_key_file = TestCert().key.string();
  auto s = Server::Create(opts, Echo);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
  EXPECT_NE(s.status().message().find("/nonexistent/cert.pem"), std::string::npos);
  opts.tls_cert_file = TestCert().cert.string();
  opts.tls_key_file = "/nonexistent/key.pem";
  s = Server::Create(opts, Echo);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.status().message().find("/nonexistent/key.pem"), std::string::npos);
}

}  // namespace
}  // namespace gh::http
