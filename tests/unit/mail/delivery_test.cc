// Real delivery: SmtpTransport + MailSender against a throw-away aiosmtpd
// server (smtp_sink.py) on a loopback port, and FileTransport into a folder.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "mail/templates.h"
#include "unit/mail/mail_test_util.h"

extern char** environ;

namespace gh::mail::testing {
namespace {

namespace fs = std::filesystem;
namespace json = boost::json;

// Debian's interpreter: python3-aiosmtpd is installed for it, and a python3
// earlier on PATH (pyenv, venv) may not have it.
std::string Python() {
  const char* p = std::getenv("GATEHOUSE_TEST_PYTHON");
  return p ? p : "/usr/bin/python3";
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The sink process: started in the constructor, killed in the destructor.
class SmtpSink {
 public:
  explicit SmtpSink(const std::string& reject_domain) {
    dir_ = fs::temp_directory_path() / ("gh-smtp-sink-" + SecureRandom().NewUuid());
    fs::create_directories(dir_ / "mail");
    std::string script = (fs::path(__FILE__).parent_path() / "smtp_sink.py").string();
    std::string port_file = (dir_ / "port").string(), out = (dir_ / "mail").string(), py = Python();
    std::vector<char*> argv{py.data(), script.data(), port_file.data(), out.data(),
                            const_cast<char*>(reject_domain.c_str()), nullptr};
    if (posix_spawn(&pid_, py.c_str(), nullptr, nullptr, argv.data(), environ) != 0) pid_ = -1;
    for (int i = 0; i < 200 && pid_ > 0 && !fs::exists(port_file); ++i)
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (fs::exists(port_file)) port_ = std::stoi(ReadFile(port_file));
  }
  ~SmtpSink() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status;
      ::waitpid(pid_, &status, 0);
    }
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  int port() const { return port_; }

  // The n-th received message (1-based) as decoded by Python's email parser.
  json::object Received(int n) const {
    fs::path p = dir_ / "mail" / (std::to_string(n) + ".json");
    for (int i = 0; i < 100 && !fs::exists(p); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    if (!fs::exists(p)) return {};
    return json::parse(ReadFile(p)).as_object();
  }
  int Count() const {
    int n = 0;
    for (auto& e : fs::directory_iterator(dir_ / "mail")) n += e.path().extension() == ".json";
    return n;
  }

 private:
  fs::path dir_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// A loopback port nothing listens on (bound, then closed).
int DeadPort() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a);
  socklen_t len = sizeof a;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len);
  ::close(fd);
  return ntohs(a.sin_port);
}

std::string Str(const json::object& o, const char* key) {
  auto* v = o.if_contains(key);
  return v && v->is_string() ? std::string(v->as_string()) : "";
}

class DeliveryTest : public MailStoreTest {
 protected:
  void SetUp() override {
    MailStoreTest::SetUp();
    if (IsSkipped()) return;
    if (std::system((Python() + " -c 'import aiosmtpd' 2>/dev/null").c_str()) != 0)
      GTEST_SKIP() << Python() << " cannot import aiosmtpd (Debian: python3-aiosmtpd)";
  }

  Mail InvitationMail(const std::string& to, const std::string& lang) {
    auto r = RenderInvitation({lang, "Contoso", "Adele Vance", to, "Welcome <b>aboard</b>",
                               "https://gh.example/redeem?ticket=T0k3n&tenant=contoso", ""});
    EXPECT_TRUE(r.ok());
    Mail m;
    m.tenant_id = NewId();
    m.kind = "invitation";
    m.to = {to};
    m.cc = {"manager@fabrikam.example"};
    m.from_name = FromNameFor("Contoso");
    m.reply_to = "adele@contoso.example";
    m.SetContent(*r);
    return m;
  }
};

TEST_P(DeliveryTest, InvitationArrivesOverSmtp) {
  SmtpSink sink("");
  ASSERT_GT(sink.port(), 0) << "the SMTP sink did not start";
  auto config = ParseSmtpUrl("smtp://127.0.0.1:" + std::to_string(sink.port()) + "?starttls=try");
  ASSERT_TRUE(config.ok());
  auto transport = NewSmtpTransport(*config);
  std::string id = Enqueue(InvitationMail("alice@fabrikam.example", "fr-FR"));
  MailSender sender(*store_, *transport, clock_, {.from_address = "invites@gh.example"});
  auto stats = sender.RunOnce();
  GH_ASSERT_OK(stats);
  EXPECT_EQ(stats->sent, 1) << Get(id).last_error;

  json::object got = sink.Received(1);
  ASSERT_FALSE(got.empty());
  EXPECT_EQ(Str(got, "mail_from"), "invites@gh.example");
  EXPECT_EQ(got.at("rcpt_tos"), (json::array{"alice@fabrikam.example", "manager@fabrikam.example"}));
  EXPECT_EQ(Str(got, "to"), "alice@fabrikam.example");
  EXPECT_EQ(Str(got, "cc"), "manager@fabrikam.example");
  EXPECT_EQ(Str(got, "from"), "Contoso via Gatehouse <invites@gh.example>");
  EXPECT_EQ(Str(got, "subject"), "Contoso vous a invité à accéder aux applications de son organisation");
  EXPECT_EQ(Str(got, "message_id"), "<" + id + "@gh.example>");
  const std::string url = "https://gh.example/redeem?ticket=T0k3n&tenant=contoso";
  EXPECT_NE(Str(got, "text").find(url), std::string::npos);
  EXPECT_NE(Str(got, "html").find("href=\"https://gh.example/redeem?ticket=T0k3n&amp;tenant=contoso\""),
            std::string::npos);
  EXPECT_NE(Str(got, "html").find("Welcome &lt;b&gt;aboard&lt;/b&gt;"), std::string::npos);
  EXPECT_TRUE(Get(id).sent_at.has_value());
}

TEST_P(DeliveryTest, RejectedRecipientIsPermanent) {
  SmtpSink sink("nowhere.example");
  ASSERT_GT(sink.port(), 0);
  auto transport =
      NewSmtpTransport(*ParseSmtpUrl("smtp://127.0.0.1:" + std::to_string(sink.port()) + "?starttls=none"));
  std::string id = Enqueue(InvitationMail("ghost@nowhere.example", "en-US"));
  MailSender sender(*store_, *transport, clock_, {.from_address = "invites@gh.example"});
  auto stats = sender.RunOnce();
  GH_ASSERT_OK(stats);
  EXPECT_EQ(stats->gave_up, 1);
  store::OutboxMessage m = Get(id);
  EXPECT_TRUE(m.gave_up);
  EXPECT_NE(m.last_error.find("550"), std::string::npos) << m.last_error;
  EXPECT_EQ(sink.Count(), 0);
}

TEST_P(DeliveryTest, StarttlsRequiredButNotOfferedIsRetried) {
  SmtpSink sink("");
  ASSERT_GT(sink.port(), 0);
  auto transport =
      NewSmtpTransport(*ParseSmtpUrl("smtp://127.0.0.1:" + std::to_string(sink.port()) + "?starttls=required"));
  std::string id = Enqueue(InvitationMail("alice@fabrikam.example", "en-US"));
  MailSender sender(*store_, *transport, clock_, {.from_address = "invites@gh.example"});
  EXPECT_EQ(sender.RunOnce()->failed, 1);
  EXPECT_FALSE(Get(id).gave_up);
  EXPECT_EQ(sink.Count(), 0);  // never sent in the clear
}

TEST_P(DeliveryTest, NobodyListeningIsTransientAndRetriedLater) {
  SmtpConfig config = *ParseSmtpUrl("smtp://127.0.0.1:" + std::to_string(DeadPort()) + "?starttls=none");
  config.connect_timeout_ms = 2000;
  auto transport = NewSmtpTransport(config);
  std::string id = Enqueue(InvitationMail("alice@fabrikam.example", "en-US"));
  MailSender sender(*store_, *transport, clock_, {.from_address = "invites@gh.example"});
  auto stats = sender.RunOnce();
  GH_ASSERT_OK(stats);
  EXPECT_EQ(stats->failed, 1);
  store::OutboxMessage m = Get(id);
  EXPECT_FALSE(m.gave_up);
  EXPECT_EQ(m.attempts, 1);
  EXPECT_EQ(m.next_attempt_at, clock_.NowMillis() + 30'000);
  EXPECT_FALSE(m.last_error.empty());

  // Later a server is there: the retry delivers it.
  SmtpSink sink("");
  ASSERT_GT(sink.port(), 0);
  auto good = NewSmtpTransport(*ParseSmtpUrl("smtp://127.0.0.1:" + std::to_string(sink.port()) + "?starttls=none"));
  MailSender later(*store_, *good, clock_, {.from_address = "invites@gh.example"});
  EXPECT_EQ(later.RunOnce()->claimed, 0);  // not due yet
  clock_.Advance(30'000);
  EXPECT_EQ(later.RunOnce()->sent, 1);
  EXPECT_EQ(Str(sink.Received(1), "to"), "alice@fabrikam.example");
}

TEST_P(DeliveryTest, FileTransportWritesEmlAtomically) {
  fs::path dir = fs::temp_directory_path() / ("gh-outbox-" + NewId()) / "outbox";
  auto transport = NewFileTransport(dir.string());
  std::string id = Enqueue(InvitationMail("alice@fabrikam.example", "en-US"));
  MailSender sender(*store_, *transport, clock_, {.from_address = "invites@gh.example"});
  EXPECT_EQ(sender.RunOnce()->sent, 1);
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(dir)) files.push_back(e.path());
  ASSERT_EQ(files.size(), 1u);  // no temporary left behind
  EXPECT_EQ(files[0].extension(), ".eml");
  EXPECT_NE(files[0].filename().string().find(id), std::string::npos);
  std::string eml = ReadFile(files[0]);
  EXPECT_NE(eml.find("To: alice@fabrikam.example\r\n"), std::string::npos);
  EXPECT_NE(eml.find("Subject: Contoso invited you to access applications within their organization\r\n"),
            std::string::npos);
  EXPECT_EQ(fs::status(dir).permissions() & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  std::error_code ec;
  fs::remove_all(dir.parent_path(), ec);
}

INSTANTIATE_TEST_SUITE_P(Backends, DeliveryTest, ::testing::Values("sqlite", "postgres"),
                         store::testing::BackendName);

}  // namespace
}  // namespace gh::mail::testing
