// The client commands against a real server: `gatehouse init` twice into a
// temporary data folder, `gatehouse serve` on port 0, then the CLI run as
// subprocesses (client credentials, and the device-code login driven through
// the sign-in pages with libcurl), asserting output and exit codes.
#include <curl/curl.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace {
namespace fs = std::filesystem;
namespace json = boost::json;
using Clock = std::chrono::steady_clock;

constexpr const char* kPassword = "Adm1n-Passw0rd!";

std::string Binary() {
  if (const char* bin = std::getenv("GATEHOUSE_BIN")) return bin;
  // Default: the gatehouse built beside this test binary.
  return (fs::read_symlink("/proc/self/exe").parent_path() / "gatehouse").string();
}

// A child process with stdout and stderr on pipes and stdin from /dev/null.
class Process {
 public:
  Process(const std::vector<std::string>& args, const std::vector<std::string>& env) {
    int out[2], err[2];
    if (::pipe2(out, O_CLOEXEC) != 0 || ::pipe2(err, O_CLOEXEC) != 0) std::abort();
    pid_ = ::fork();
    if (pid_ == 0) {
      int null = ::open("/dev/null", O_RDONLY);
      ::dup2(null, 0);
      ::dup2(out[1], 1);
      ::dup2(err[1], 2);
      for (const auto& e : env) ::putenv(const_cast<char*>(e.c_str()));
      std::vector<char*> argv;
      for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    ::close(out[1]);
    ::close(err[1]);
    out_ = out[0];
    err_ = err[0];
  }
  ~Process() {
    if (pid_ > 0 && !exited_) {
      ::kill(pid_, SIGTERM);
      Wait(std::chrono::seconds(10));
      if (!exited_) ::kill(pid_, SIGKILL), Wait(std::chrono::seconds(5));
    }
    ::close(out_);
    ::close(err_);
  }

  // Reads what is available (up to `timeout`) into stdout()/stderr(); false at EOF of both.
  bool Pump(std::chrono::milliseconds timeout) {
    pollfd fds[2] = {{out_open_ ? out_ : -1, POLLIN, 0}, {err_open_ ? err_ : -1, POLLIN, 0}};
    if (!out_open_ && !err_open_) return false;
    if (::poll(fds, 2, static_cast<int>(timeout.count())) <= 0) return true;
    char buf[4096];
    for (int i = 0; i < 2; ++i) {
      if (!(fds[i].revents & (POLLIN | POLLHUP))) continue;
      ssize_t n = ::read(fds[i].fd, buf, sizeof buf);
      if (n > 0) (i == 0 ? out_text_ : err_text_).append(buf, static_cast<size_t>(n));
      else (i == 0 ? out_open_ : err_open_) = false;
    }
    return true;
  }

  // Pumps until `pred()` or the deadline; returns pred().
  template <typename Pred>
  bool Until(Pred pred, std::chrono::seconds limit) {
    auto deadline = Clock::now() + limit;
    while (!pred() && Clock::now() < deadline)
      if (!Pump(std::chrono::milliseconds(100))) break;
    return pred();
  }

  // Drains the pipes and waits for the exit code (-1 on timeout).
  int Wait(std::chrono::seconds limit) {
    auto deadline = Clock::now() + limit;
    while (Clock::now() < deadline && Pump(std::chrono::milliseconds(100))) {
    }
    while (!exited_ && Clock::now() < deadline) {
      int status = 0;
      if (::waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      } else {
        ::usleep(20'000);
      }
    }
    return exited_ ? code_ : -1;
  }

  const std::string& out() const { return out_text_; }
  const std::string& err() const { return err_text_; }

 private:
  pid_t pid_ = -1;
  int out_ = -1, err_ = -1;
  bool out_open_ = true, err_open_ = true, exited_ = false;
  int code_ = -1;
  std::string out_text_, err_text_;
};

struct Result {
  int code;
  std::string out, err;
};

size_t Collect(char* data, size_t size, size_t n, void* out) {
  static_cast<std::string*>(out)->append(data, size * n);
  return size * n;
}

// A browser: one curl handle with a cookie jar, redirects followed by hand.
class Browser {
 public:
  explicit Browser(const std::string& ca) : curl_(curl_easy_init()), ca_(ca) {
    curl_easy_setopt(curl_, CURLOPT_COOKIEFILE, "");
  }
  ~Browser() { curl_easy_cleanup(curl_); }

  struct Page {
    long status = 0;
    std::string body, location;
  };

  Page Go(const std::string& url, const std::string& form = {}) {
    Page p;
    curl_easy_setopt(curl_, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl_, CURLOPT_CAINFO, ca_.c_str());
    curl_easy_setopt(curl_, CURLOPT_WRITEFUNCTION, Collect);
    curl_easy_setopt(curl_, CURLOPT_WRITEDATA, &p.body);
    curl_easy_setopt(curl_, CURLOPT_TIMEOUT, 20L);
    if (form.empty()) {
      curl_easy_setopt(curl_, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(curl_, CURLOPT_POSTFIELDS, form.c_str());
    }
    EXPECT_EQ(curl_easy_perform(curl_), CURLE_OK) << url;
    curl_easy_getinfo(curl_, CURLINFO_RESPONSE_CODE, &p.status);
    char* loc = nullptr;
    curl_easy_getinfo(curl_, CURLINFO_REDIRECT_URL, &loc);
    if (loc) p.location = loc;
    return p;
  }

  std::string Escape(const std::string& s) {
    char* e = curl_easy_escape(curl_, s.c_str(), static_cast<int>(s.size()));
    std::string out = e;
    curl_free(e);
    return out;
  }

 private:
  CURL* curl_;
  std::string ca_;
};

std::string Field(const std::string& html, const std::string& name) {
  std::smatch m;
  std::regex re("name=\"" + name + "\" value=\"([^\"]*)\"");
  if (!std::regex_search(html, m, re)) return "";
  std::string s = m[1].str();
  for (auto [from, to] : {std::pair{"&amp;", "&"}, {"&#39;", "'"}, {"&quot;", "\""}, {"&lt;", "<"}, {"&gt;", ">"}})
    for (size_t p; (p = s.find(from)) != std::string::npos;) s.replace(p, std::string(from).size(), to);
  return s;
}

class CliTest : public ::testing::Test {
 protected:
  static inline fs::path root;
  static inline std::string server, ca, client_id, client_secret, admin_upn = "admin@contoso.test";
  static inline std::unique_ptr<Process> serve;

  static void SetUpTestSuite() {
    curl_global_init(CURL_GLOBAL_DEFAULT);
    char tmpl[] = "/tmp/gh-cli-test-XXXXXX";
    root = ::mkdtemp(tmpl);
    fs::path data = root / "data";
    for (auto [name, domain] : {std::pair{"Contoso", "contoso.test"}, {"Fabrikam", "fabrikam.test"}}) {
      Process init({Binary(), "init", "--data", data.string(), "--tenant", name, "--domain", domain, "--admin",
                    std::string("admin@") + domain, "--password", kPassword, "--output", "json"},
                   {});
      ASSERT_EQ(init.Wait(std::chrono::seconds(60)), 0) << init.err();
      if (std::string(domain) == "contoso.test") {
        auto o = json::parse(init.out()).as_object();
        client_id = std::string(o.at("clientId").as_string());
        client_secret = std::string(o.at("clientSecret").as_string());
        ca = std::string(o.at("caCertificate").as_string());
      }
    }
    serve = std::make_unique<Process>(
        std::vector<std::string>{Binary(), "serve", "--data", data.string(), "--listen", "127.0.0.1:0"},
        std::vector<std::string>{"GATEHOUSE_LOG_LEVEL=warn"});
    std::smatch m;
    std::regex listening("listening on (https://[^ \n]+)");
    ASSERT_TRUE(serve->Until([&] { return std::regex_search(serve->out(), m, listening); }, std::chrono::seconds(30)))
        << serve->out() << serve->err();
    server = m[1].str();
  }

  static void TearDownTestSuite() {
    serve.reset();
    std::error_code ec;
    fs::remove_all(root, ec);
  }

  static std::string ConfigHome() { return (root / "config").string(); }

  // Runs the CLI with a private config folder; `app` adds the client credentials.
  static Result Run(std::vector<std::string> args, bool app = true) {
    std::vector<std::string> argv{Binary()};
    argv.insert(argv.end(), args.begin(), args.end());
    if (app)
      argv.insert(argv.end(), {"--server", server, "--tenant", "contoso.test", "--ca-cert", ca, "--client-id",
                               client_id, "--client-secret", client_secret});
    Process p(argv, {"XDG_CONFIG_HOME=" + ConfigHome(), "HOME=" + root.string()});
    int code = p.Wait(std::chrono::seconds(30));
    return {code, p.out(), p.err()};
  }
};

TEST_F(CliTest, UsersListInEveryFormat) {
  auto j = Run({"users", "list", "--output", "json"});
  ASSERT_EQ(j.code, 0) << j.err;
  auto users = json::parse(j.out).as_array();
  ASSERT_EQ(users.size(), 1u);
  EXPECT_EQ(users[0].at("userPrincipalName").as_string(), admin_upn);

  auto csv = Run({"users", "list", "--output", "csv"});
  ASSERT_EQ(csv.code, 0) << csv.err;
  EXPECT_TRUE(csv.out.starts_with("id,displayName,userPrincipalName,mail,userType\r\n")) << csv.out;
  EXPECT_NE(csv.out.find(",admin@contoso.test,admin@contoso.test,Member\r\n"), std::string::npos) << csv.out;

  auto table = Run({"users", "list", "--output", "table", "--filter", "startswith(displayName,'Contoso')", "--all"});
  ASSERT_EQ(table.code, 0) << table.err;
  EXPECT_TRUE(std::regex_search(table.out, std::regex("^id +displayName +userPrincipalName +mail +userType\n")))
      << table.out;
  EXPECT_NE(table.out.find("Contoso Administrator  admin@contoso.test"), std::string::npos) << table.out;

  auto show = Run({"users", "show", admin_upn, "--output", "json"});
  ASSERT_EQ(show.code, 0) << show.err;
  EXPECT_EQ(json::parse(show.out).at("userPrincipalName").as_string(), admin_upn);

  auto set = Run({"users", "set", admin_upn, "--usage-location", "GB"});
  ASSERT_EQ(set.code, 0) << set.err;
  auto shown = Run({"users", "show", admin_upn, "--output", "json"});
  EXPECT_EQ(json::parse(shown.out).at("usageLocation").as_string(), "GB");

  auto missing = Run({"users", "show", "nobody@contoso.test"});
  EXPECT_EQ(missing.code, 1);
  EXPECT_NE(missing.err.find("error Request_ResourceNotFound: "), std::string::npos) << missing.err;
}

TEST_F(CliTest, AppAddListRemoveWithASecret) {
  auto add = Run({"app", "add", "CLI test app", "--web-redirect", "https://app.example/cb", "--secret", "--output",
                  "json"});
  ASSERT_EQ(add.code, 0) << add.err;
  auto created = json::parse(add.out).as_object();
  std::string app_id(created.at("appId").as_string());
  EXPECT_GE(created.at("secretText").as_string().size(), 20u);
  EXPECT_NE(add.err.find("shown once"), std::string::npos);

  auto list = Run({"app", "list", "--output", "csv"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find(app_id + ",CLI test app,https://app.example/cb"), std::string::npos) << list.out;

  // The new app can get a token with its secret.
  auto token = Run({"whoami", "--server", server, "--tenant", "contoso.test", "--ca-cert", ca, "--client-id", app_id,
                    "--client-secret", std::string(created.at("secretText").as_string()), "--output", "json"},
                   false);
  ASSERT_EQ(token.code, 0) << token.err;
  EXPECT_EQ(json::parse(token.out).at("appid").as_string(), app_id);

  auto remove = Run({"app", "remove", app_id});
  ASSERT_EQ(remove.code, 0) << remove.err;
  EXPECT_EQ(Run({"app", "list", "--output", "csv"}).out.find(app_id), std::string::npos);
  EXPECT_EQ(Run({"app", "remove", app_id}).code, 1);
}

TEST_F(CliTest, AppDeclareGrantConsentAndRevoke) {
  auto add = Run({"app", "add", "CLI perm app", "--secret", "--output", "json"});
  ASSERT_EQ(add.code, 0) << add.err;
  auto created = json::parse(add.out).as_object();
  std::string app_id(created.at("appId").as_string()), secret(created.at("secretText").as_string());
  auto users_as_app = [&] {
    return Run({"users", "list", "--server", server, "--tenant", "contoso.test", "--ca-cert", ca, "--client-id", app_id,
                "--client-secret", secret, "--output", "json"},
               false);
  };
  EXPECT_EQ(users_as_app().code, 1);  // no application permission yet
  ASSERT_EQ(Run({"app", "declare", "CLI perm app", "openid", "User.Read"}).code, 0);
  ASSERT_EQ(Run({"app", "declare", app_id, "User.Read.All", "--role"}).code, 0);
  EXPECT_EQ(Run({"app", "declare", app_id, "No.Such.Permission"}).code, 1);
  auto grant = Run({"app", "grant", app_id, "User.Read.All"});
  ASSERT_EQ(grant.code, 0) << grant.err;
  EXPECT_EQ(users_as_app().code, 0);
  ASSERT_EQ(Run({"app", "consent", app_id, "openid", "User.Read"}).code, 0);
  auto shown = Run({"app", "permissions", app_id, "--output", "json"});
  ASSERT_EQ(shown.code, 0) << shown.err;
  std::set<std::string> kinds;
  const json::value rows = json::parse(shown.out);
  for (const auto& row : rows.as_array())
    kinds.insert(std::string(row.at("kind").as_string()) + ":" + std::string(row.at("permission").as_string()));
  EXPECT_EQ(kinds, (std::set<std::string>{"declared delegated:openid", "declared delegated:User.Read",
                                          "declared application:User.Read.All", "granted application:User.Read.All",
                                          "consented delegated:openid User.Read"}))
      << shown.out;
  ASSERT_EQ(Run({"app", "revoke", app_id, "User.Read.All"}).code, 0);
  EXPECT_EQ(users_as_app().code, 1);
  EXPECT_EQ(Run({"app", "revoke", app_id, "User.Read.All"}).code, 1);  // not held any more
  ASSERT_EQ(Run({"app", "remove", app_id}).code, 0);
}

TEST_F(CliTest, LicencesAndEnvironments) {
  auto skus = Run({"license", "skus", "--output", "json"});
  ASSERT_EQ(skus.code, 0) << skus.err;
  EXPECT_TRUE(json::parse(skus.out).is_array());
  auto unknown_sku = Run({"license", "assign", admin_upn, "NO_SUCH_SKU"});
  EXPECT_EQ(unknown_sku.code, 1);
  EXPECT_NE(unknown_sku.err.find("no subscription 'NO_SUCH_SKU'"), std::string::npos) << unknown_sku.err;

  auto envs = Run({"env", "list", "--output", "json"});
  ASSERT_EQ(envs.code, 0) << envs.err;
  auto list = json::parse(envs.out).as_array();
  ASSERT_FALSE(list.empty());
  EXPECT_EQ(list[0].at("type").as_string(), "Default");

  auto created = Run({"env", "create", "CLI Sandbox", "--type", "Sandbox", "--dataverse", "--output", "json"});
  ASSERT_EQ(created.code, 0) << created.err;
  std::string unique(json::parse(created.out).at("uniqueName").as_string());
  auto assign = Run({"env", "assign-role", unique, admin_upn, "System Customizer"});
  ASSERT_EQ(assign.code, 0) << assign.err;
  auto review = Run({"roles", "review", "--env", unique, "--role", "System Customizer", "--output", "csv"});
  ASSERT_EQ(review.code, 0) << review.err;
  EXPECT_NE(review.out.find("admin@contoso.test,Contoso Administrator,Member,System Customizer,direct,"),
            std::string::npos)
      << review.out;
  // Removing needs --yes when nobody can answer the question.
  EXPECT_EQ(Run({"roles", "review", "--env", unique, "--role", "System Customizer", "--remove"}).code, 2);
  auto removed = Run({"roles", "review", "--env", unique, "--role", "System Customizer", "--remove", "--yes",
                      "--output", "json"});
  ASSERT_EQ(removed.code, 0) << removed.err;
  EXPECT_NE(removed.err.find(": removed"), std::string::npos) << removed.err;
  EXPECT_EQ(Run({"env", "assign-role", unique, admin_upn, "No Such Role"}).code, 1);

  // `why`: a checklist; exit 0 when allowed, 1 when denied (with the fixes).
  auto why = Run({"why", admin_upn, "--env", unique, "--output", "table"});
  EXPECT_TRUE(why.code == 0 || why.code == 1) << why.err;
  EXPECT_NE(why.out.find("environment.access: "), std::string::npos) << why.out << why.err;
  EXPECT_NE(why.out.find(why.code == 0 ? "✓ " : "✗ "), std::string::npos) << why.out;
  if (why.code == 1) {
    EXPECT_NE(why.err.find("may not environment.access"), std::string::npos) << why.err;
  }
  auto why_json = Run({"why", admin_upn, "--env", unique, "--output", "json"});
  EXPECT_EQ(json::parse(why_json.out).at("allowed").as_bool(), why_json.code == 0) << why_json.out;
}

// A command line as a shell splits it: words, "double-quoted" ones whole.
std::vector<std::string> ShellWords(const std::string& line) {
  std::vector<std::string> words;
  std::string word;
  bool quoted = false, any = false;
  for (char ch : line) {
    if (ch == '"') {
      quoted = !quoted;
      any = true;
    } else if (ch == ' ' && !quoted) {
      if (any) words.push_back(word);
      word.clear();
      any = false;
    } else {
      word += ch;
      any = true;
    }
  }
  if (any) words.push_back(word);
  return words;
}

// `why` names each failed check with the command that fixes it: running
// those commands as printed, one after the other, lets the user in.
TEST_F(CliTest, TheFixesWhyPrintsRunAsPrinted) {
  auto created = Run({"users", "create", "ann@contoso.test", "--display-name", "Ann", "--usage-location", "GB"});
  ASSERT_EQ(created.code, 0) << created.err;
  EXPECT_NE(created.err.find("password: Gh-"), std::string::npos) << created.err;
  ASSERT_EQ(Run({"license", "subscribe", "POWERAPPS_PER_USER", "--seats", "5"}).code, 0);
  auto group = Run({"groups", "create", "CLI Sales", "--output", "json"});
  ASSERT_EQ(group.code, 0) << group.err;
  EXPECT_EQ(json::parse(group.out).at("securityEnabled").as_bool(), true);
  auto env = Run({"env", "create", "CLI Gated", "--dataverse", "--security-group", "CLI Sales", "--output", "json"});
  ASSERT_EQ(env.code, 0) << env.err;
  const std::string unique(json::parse(env.out).at("uniqueName").as_string());
  ASSERT_EQ(Run({"env", "update", unique, "--state", "disabled"}).code, 0);

  std::vector<std::string> fixed;
  for (int round = 0; round < 8; ++round) {
    auto why = Run({"why", "ann@contoso.test", "--env", unique, "--output", "json"});
    auto answer = json::parse(why.out).as_object();
    if (answer.at("allowed").as_bool()) break;
    for (const auto& check : answer.at("checks").as_array()) {
      if (check.at("passed").as_bool()) continue;
      const std::string cli(check.at("remedy").at("cli").as_string());
      fixed.emplace_back(check.at("id").as_string());
      auto words = ShellWords(cli);
      ASSERT_GE(words.size(), 2u) << cli;
      ASSERT_EQ(words.front(), "gatehouse") << cli;
      words.erase(words.begin());
      auto fix = Run(words);
      ASSERT_EQ(fix.code, 0) << cli << ": " << fix.err;
      break;  // the first failure, then ask again
    }
  }
  EXPECT_EQ(Run({"why", "ann@contoso.test", "--env", unique}).code, 0) << "fixed: " << testing::PrintToString(fixed);
  EXPECT_EQ(fixed, (std::vector<std::string>{"environment.state", "license.environmentAccess",
                                             "environment.securityGroup", "environment.securityRole"}));
}

TEST_F(CliTest, PolicyCrossTenantAndDirectoryRoleCommands) {
  auto blocked = Run({"policy", "domains", "block", "northwind.test"});
  ASSERT_EQ(blocked.code, 0) << blocked.err;
  auto shown = json::parse(Run({"policy", "show"}).out);
  EXPECT_EQ(shown.at("collaborationRestrictions").at("mode").as_string(), "denyList");
  EXPECT_EQ(shown.at("collaborationRestrictions").at("domains"), json::array{"northwind.test"});
  // The automation client invites only while members may (Entra's rule for app-only invitations).
  ASSERT_EQ(Run({"policy", "set", "allowInvitesFrom=adminsGuestInvitersAndAllMembers"}).code, 0);
  auto kim = Run({"invite", "kim@northwind.test", "--no-email"});
  EXPECT_EQ(kim.code, 1);
  EXPECT_NE(kim.err.find("collaboration.deniedDomains"), std::string::npos) << kim.err;
  ASSERT_EQ(Run({"policy", "domains", "allow", "northwind.test"}).code, 0);
  EXPECT_EQ(json::parse(Run({"policy", "show"}).out).at("collaborationRestrictions").at("domains"), json::array{});

  ASSERT_EQ(Run({"policy", "set", "allowInvitesFrom=adminsAndGuestInviters"}).code, 0);
  EXPECT_EQ(json::parse(Run({"policy", "show"}).out).at("authorizationPolicy").at("allowInvitesFrom").as_string(),
            "adminsAndGuestInviters");
  EXPECT_EQ(Run({"policy", "set", "noSuchProperty=1"}).code, 1);

  const std::string partner = "3f1c2b7a-5d4e-4c8b-9a6f-1e2d3c4b5a69";
  ASSERT_EQ(Run({"cross-tenant", "set", partner, "--inbound", "block"}).code, 0);  // a new partner
  ASSERT_EQ(Run({"cross-tenant", "set", partner, "--outbound", "allow"}).code, 0);  // the same one, changed
  auto cta = json::parse(Run({"cross-tenant", "show"}).out);
  const auto& partners = cta.at("partners").as_array();
  ASSERT_EQ(partners.size(), 1u) << cta;
  EXPECT_EQ(partners[0].at("tenantId").as_string(), partner);
  EXPECT_EQ(partners[0].at("b2bCollaborationInbound").at("usersAndGroups").at("accessType").as_string(), "blocked");
  EXPECT_EQ(partners[0].at("b2bCollaborationOutbound").at("usersAndGroups").at("accessType").as_string(), "allowed");
  EXPECT_EQ(Run({"cross-tenant", "set", partner, "--inbound", "maybe"}).code, 2);
  EXPECT_EQ(Run({"cross-tenant", "set", "fabrikam.test", "--inbound", "allow"}).code, 2);

  ASSERT_EQ(Run({"cross-tenant", "clouds", "add", "microsoftonline.us"}).code, 0);
  EXPECT_EQ(json::parse(Run({"cross-tenant", "show"}).out).at("policy").at("allowedCloudEndpoints"),
            json::array{"microsoftonline.us"});
  ASSERT_EQ(Run({"cross-tenant", "clouds", "remove", "microsoftonline.us"}).code, 0);

  ASSERT_EQ(Run({"users", "create", "ivo@contoso.test", "--password", "Ivo-Passw0rd!"}).code, 0);
  auto role = Run({"directory-roles", "assign", "ivo@contoso.test", "Guest Inviter"});
  ASSERT_EQ(role.code, 0) << role.err;
  auto unknown = Run({"directory-roles", "assign", "ivo@contoso.test", "Emperor"});
  EXPECT_EQ(unknown.code, 1);
  EXPECT_NE(unknown.err.find("no directory role 'Emperor'"), std::string::npos) << unknown.err;
  auto m365 = Run({"groups", "create", "CLI Team", "--microsoft365", "--output", "json"});
  ASSERT_EQ(m365.code, 0) << m365.err;
  EXPECT_EQ(json::parse(m365.out).at("groupTypes"), json::array{"Unified"});
  ASSERT_EQ(Run({"groups", "add-member", "CLI Team", "ivo@contoso.test"}).code, 0);
  // Where a group may stand for a user, its name does (not only its id).
  ASSERT_EQ(Run({"groups", "create", "CLI Reviewers"}).code, 0);
  auto nested = Run({"groups", "add-member", "CLI Reviewers", "CLI Team"});
  EXPECT_EQ(nested.code, 0) << nested.err;
  auto env = Run({"env", "create", "CLI Groups", "--dataverse", "--output", "json"});
  ASSERT_EQ(env.code, 0) << env.err;
  const std::string unique(json::parse(env.out).at("uniqueName").as_string());
  auto by_group = Run({"env", "assign-role", unique, "CLI Team", "Basic User"});
  EXPECT_EQ(by_group.code, 0) << by_group.err;
  auto apps = Run({"env", "apps", unique, "--output", "json"});
  ASSERT_EQ(apps.code, 0) << apps.err;
  EXPECT_EQ(json::parse(apps.out), json::array{});
  auto no_app = Run({"env", "share-app", unique, "Expenses", "CLI Team"});
  EXPECT_EQ(no_app.code, 1);
  EXPECT_NE(no_app.err.find("no app 'Expenses' in CLI Groups"), std::string::npos) << no_app.err;
  auto no_such = Run({"env", "assign-role", unique, "No Such Team", "Basic User"});
  EXPECT_EQ(no_such.code, 1);
  EXPECT_NE(no_such.err.find("no group named 'No Such Team'"), std::string::npos) << no_such.err;
  EXPECT_EQ(Run({"groups", "add-member", "CLI Team", "nobody@contoso.test"}).code, 1);
}

// `serve --config FILE` reads the serve options from the file's [serve] section.
TEST_F(CliTest, ServeReadsItsOptionsFromAConfigFile) {
  const fs::path dir = root / "configured";
  fs::create_directories(dir);
  std::ofstream(dir / "gatehouse.toml") << "[serve]\nlisten = \"127.0.0.1:0\"\ndata = \"" << (dir / "data").string()
                                        << "\"\n";
  Process configured({Binary(), "serve", "--config", (dir / "gatehouse.toml").string()}, {"GATEHOUSE_LOG_LEVEL=warn"});
  std::regex listening("listening on https://localhost:([0-9]+)");
  std::smatch m;
  ASSERT_TRUE(configured.Until([&] { return std::regex_search(configured.out(), m, listening); },
                               std::chrono::seconds(30)))
      << configured.out() << configured.err();
  EXPECT_NE(m[1].str(), "8443");
  EXPECT_TRUE(fs::exists(dir / "data" / "gatehouse.db"));
}

TEST_F(CliTest, InviteAGuestAndListInvitations) {
  // An app (the automation client) may not invite while invitations are limited to administrators…
  auto refused = Run({"invite", "gina@partner.example", "--name", "Gina", "--no-email"});
  EXPECT_EQ(refused.code, 1);
  EXPECT_NE(refused.err.find("allowInvitesFrom"), std::string::npos) << refused.err;
  // …and may once members may.
  ASSERT_EQ(Run({"policy", "set", "allowInvitesFrom=adminsGuestInvitersAndAllMembers"}).code, 0);
  auto inv = Run({"invite", "gina@partner.example", "--name", "Gina", "--no-email", "--output", "json"});
  ASSERT_EQ(Run({"policy", "set", "allowInvitesFrom=adminsAndGuestInviters"}).code, 0);
  ASSERT_EQ(inv.code, 0) << inv.err;
  auto o = json::parse(inv.out).as_object();
  EXPECT_FALSE(o.at("invitedUser").at("id").as_string().empty());
  EXPECT_FALSE(o.at("inviteRedeemUrl").as_string().empty());
  auto list = Run({"invitations", "list", "--output", "csv"});
  ASSERT_EQ(list.code, 0) << list.err;
  EXPECT_NE(list.out.find(",Gina,gina@partner.example,PendingAcceptance,"), std::string::npos) << list.out;
  EXPECT_EQ(Run({"invite", "not-an-address"}).code, 2);
}

// Security review #28: bulk results hold each guest's working redeem link, so
// the CLI writes them for its user alone whatever the umask, and narrows a
// results file that was already there.
TEST_F(CliTest, BulkResultsAreReadableByTheirOwnerOnly) {
  const fs::path csv = root / "guests.csv", results = root / "results.csv";
  std::ofstream(csv) << "version:v1.0,,,\n"
                        "Email address to invite [inviteeEmail] Required,Redirection url [inviteRedirectURL] Required,"
                        "Send invitation message (true or false) [sendEmail],"
                        "Customized invitation message [customizedMessageBody]\n"
                        "hal@partner.example,https://apps.contoso.test/,false,\n";
  std::ofstream(results) << "an older file, open to all\n";
  fs::permissions(results, fs::perms::all);
  ASSERT_EQ(Run({"policy", "set", "allowInvitesFrom=adminsGuestInvitersAndAllMembers"}).code, 0);
  const mode_t old_umask = ::umask(0);  // the child inherits it: the most open there is
  auto bulk = Run({"invite", "--csv", csv.string(), "--no-email", "--results", results.string()});
  ::umask(old_umask);
  ASSERT_EQ(Run({"policy", "set", "allowInvitesFrom=adminsAndGuestInviters"}).code, 0);
  ASSERT_EQ(bulk.code, 0) << bulk.out << bulk.err;
  struct stat st {};
  ASSERT_EQ(::stat(results.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(results);
  const std::string written((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_NE(written.find("hal@partner.example"), std::string::npos) << written;
  EXPECT_NE(written.find("/redeem?"), std::string::npos) << "the file holds the redeem link: " << written;
}

TEST_F(CliTest, UsageMistakesExitTwoAndAuthFailuresThree) {
  EXPECT_EQ(Run({"users"}, false).code, 2);
  EXPECT_EQ(Run({"users", "list", "--top", "many"}, false).code, 2);
  EXPECT_EQ(Run({"users", "list", "--output", "xml"}, false).code, 2);
  auto bad_setting = Run({"tenant-settings", "set", "powerPlatform..x=1"}, false);
  EXPECT_EQ(bad_setting.code, 2);
  EXPECT_NE(bad_setting.err.find("empty key segment"), std::string::npos) << bad_setting.err;
  EXPECT_EQ(Run({"users", "set", admin_upn}).code, 2);  // nothing to change

  auto wrong = Run({"users", "list", "--server", server, "--tenant", "contoso.test", "--ca-cert", ca, "--client-id",
                    client_id, "--client-secret", "not-the-secret"},
                   false);
  EXPECT_EQ(wrong.code, 3);
  EXPECT_NE(wrong.err.find("gatehouse: error invalid_client: "), std::string::npos) << wrong.err;

  auto unreachable = Run({"users", "list", "--server", "https://127.0.0.1:1", "--tenant", "contoso.test",
                          "--client-id", client_id, "--client-secret", client_secret},
                         false);
  EXPECT_EQ(unreachable.code, 3);
  EXPECT_NE(unreachable.err.find("cannot reach https://127.0.0.1:1/"), std::string::npos) << unreachable.err;

  // TLS verification is on: without the local CA the server is not trusted.
  auto untrusted = Run({"users", "list", "--server", server, "--tenant", "contoso.test", "--client-id", client_id,
                        "--client-secret", client_secret},
                       false);
  EXPECT_EQ(untrusted.code, 3) << untrusted.err;
}

TEST_F(CliTest, DeviceCodeLoginThenCachedTokenWithRefresh) {
  fs::remove_all(ConfigHome());
  auto before = Run({"whoami"}, false);
  EXPECT_EQ(before.code, 3);
  EXPECT_NE(before.err.find("not signed in"), std::string::npos) << before.err;

  Process login({Binary(), "login", "--server", server, "--tenant", "contoso.test", "--ca-cert", ca},
                {"XDG_CONFIG_HOME=" + ConfigHome(), "HOME=" + root.string()});
  std::smatch m;
  std::regex code_re("enter the code ([A-Z0-9-]+)");
  ASSERT_TRUE(login.Until([&] { return std::regex_search(login.err(), m, code_re); }, std::chrono::seconds(20)))
      << login.err();
  std::string user_code = m[1].str();

  // The user approves in a browser: code page → sign-in (email, password) → confirm.
  Browser b(ca);
  auto page = b.Go(server + "/devicelogin?user_code=" + b.Escape(user_code));
  ASSERT_EQ(page.status, 302) << page.body;
  page = b.Go(page.location);
  ASSERT_EQ(page.status, 200) << page.body;
  std::string form = "csrf=" + b.Escape(Field(page.body, "csrf")) + "&tenant=" + b.Escape(Field(page.body, "tenant")) +
                     "&continue=" + b.Escape(Field(page.body, "continue")) + "&email=" + b.Escape(admin_upn);
  page = b.Go(server + "/login", form + "&step=email");
  ASSERT_EQ(page.status, 200) << page.body;
  page = b.Go(server + "/login", form + "&step=password&password=" + b.Escape(kPassword));
  ASSERT_EQ(page.status, 302) << page.body;
  page = b.Go(page.location);
  ASSERT_EQ(page.status, 200) << page.body;
  page = b.Go(server + "/devicelogin",
              "csrf=" + b.Escape(Field(page.body, "csrf")) + "&user_code=" + b.Escape(user_code) + "&step=approve");
  ASSERT_EQ(page.status, 200) << page.body;

  ASSERT_EQ(login.Wait(std::chrono::seconds(30)), 0) << login.err();
  EXPECT_NE(login.err().find("Signed in as admin@contoso.test"), std::string::npos) << login.err();

  fs::path profile = fs::path(ConfigHome()) / "gatehouse" / "profile.json";
  struct stat st {};
  ASSERT_EQ(::stat(profile.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(profile.parent_path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);

  auto who = Run({"whoami", "--output", "json"}, false);
  ASSERT_EQ(who.code, 0) << who.err;
  EXPECT_EQ(json::parse(who.out).at("preferred_username").as_string(), admin_upn);
  auto users = Run({"users", "list", "--output", "json"}, false);
  ASSERT_EQ(users.code, 0) << users.err;
  EXPECT_FALSE(json::parse(users.out).as_array().empty());

  // An expired access token is refreshed, and the rotated refresh token saved.
  auto read = [&] {
    std::ifstream in(profile);
    std::stringstream s;
    s << in.rdbuf();
    return json::parse(s.str()).as_object();
  };
  auto saved = read();
  std::string old_refresh(saved.at("refresh_token").as_string());
  saved["expires_at"] = 0;
  std::ofstream(profile, std::ios::trunc) << json::serialize(saved);
  auto refreshed = Run({"users", "list", "--output", "json"}, false);
  ASSERT_EQ(refreshed.code, 0) << refreshed.err;
  auto after = read();
  EXPECT_NE(std::string(after.at("refresh_token").as_string()), old_refresh);
  EXPECT_GT(after.at("expires_at").as_int64(), 0);

  ASSERT_EQ(Run({"logout"}, false).code, 0);
  EXPECT_EQ(Run({"whoami"}, false).code, 3);
}

}  // namespace
