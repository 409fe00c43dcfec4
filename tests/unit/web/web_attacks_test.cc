// Attacks on the browser-facing pages through the in-process router with
// real sessions and tokens (security review #5, #19, #20, #22, #28): open
// redirects after sign-in and sign-up, NUL and invalid UTF-8 in forms, the
// prompt=none identity leak, database error text on pages and in Graph
// errors, and sign-out by a cross-site GET.
#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <regex>

#include "core/random.h"
#include "support/app_consent.h"
#include "support/browser.h"
#include "support/test_env.h"
#include "web/cookies.h"

namespace gh::web {
namespace {

using gh::testing::Field;
using gh::testing::TestEnv;
using gh::testing::Unescape;

constexpr const char* kPassword = "Adm1n-Passw0rd!";
constexpr const char* kRedirect = "http://localhost:7777/cb";
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-more-entropy";

// Continue targets an attacker puts in a sign-in or sign-up link. Each one,
// taken as a Location by a browser, leaves the site (browsers drop tabs and
// newlines, read '\' as '/', and follow "//host" and "scheme:").
const std::vector<std::string>& OffSiteTargets() {
  static const std::vector<std::string> targets = {
      "/\t/evil.example",  "/\n/evil.example", "/\r/evil.example",   "/\\evil.example", "\\/evil.example",
      "//evil.example",    "/ /evil.example",  "https://evil.example", "javascript:alert(1)", "/\x0b/evil.example",
      "/\x7f/evil.example", "\t//evil.example", "/%09/evil.example\t", "//\tevil.example", "/\x01/evil.example",
  };
  return targets;
}

// A Location that stays on this site: an absolute path, not "//", made only of
// printable ASCII without backslashes.
bool StaysOnSite(std::string_view location) {
  if (location.empty() || location[0] != '/' || (location.size() > 1 && (location[1] == '/' || location[1] == '\\')))
    return false;
  for (unsigned char c : location)
    if (c <= 0x20 || c >= 0x7f || c == '\\') return false;
  return true;
}

TEST(SafeContinueTest, OnlySameSitePathsPass) {
  for (const auto& t : OffSiteTargets()) EXPECT_EQ(SafeContinue(t), "") << "accepted: " << t;
  for (const std::string t : {"/", "/portal/contoso.test", "/x?y=1&z=%2F%2Fa#frag", "/contoso/oauth2/v2.0/authorize?a=b"})
    EXPECT_EQ(SafeContinue(t), t);
  EXPECT_EQ(SafeContinue(""), "");
  EXPECT_EQ(SafeContinue("relative"), "");
  EXPECT_EQ(SafeContinue("/caf\xc3\xa9"), "");  // raw non-ASCII: browsers encode it; we don't guess
}

class WebAttacksTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");
  gh::testing::Browser browser{*env.router, "127.0.0.1"};
  std::string app_id;

  void SetUp() override {
    ASSERT_TRUE(env.signin->EnsureConsumersTenant().ok());
    app_id = gh::testing::RegisterConsentedApp(env, contoso.res.tenant.id, "Sales app", {"https://app.example/cb"},
                                               {kRedirect}, {"openid", "User.Read"})
                 .app_id;
  }

  // Signs in on /login of `tenant_id` with `continue_to` in the form; returns the password step's answer.
  http::Response SignIn(const std::string& tenant_id, const std::string& email, const std::string& continue_to = "") {
    auto page = browser.Go("GET", "/login?tenant=" + tenant_id);
    EXPECT_EQ(page.status, 200) << page.body;
    std::string form = "csrf=" + Field(page.body, "csrf") + "&tenant=" + tenant_id +
                       "&continue=" + http::PercentEncode(continue_to) + "&email=" + http::PercentEncode(email);
    browser.Go("POST", "/login", form + "&step=email");
    return browser.Go("POST", "/login", form + "&step=password&password=" + http::PercentEncode(kPassword));
  }

  std::string AuthorizeUrl(const std::string& extra = "") {
    return "/" + contoso.res.tenant.id + "/oauth2/v2.0/authorize?client_id=" + app_id +
           "&redirect_uri=" + http::PercentEncode(kRedirect) +
           "&response_type=code&scope=openid%20User.Read&state=xyz&nonce=n1" +
           "&code_challenge=" + identity::PkceChallenge(kVerifier) + "&code_challenge_method=S256" + extra;
  }

  std::string SessionCookie() {
    std::smatch m;
    return std::regex_search(browser.cookies, m, std::regex("gh_session=([^;]+)")) ? m[1].str() : "";
  }
  bool HasSession() { return env.signin->ResolveSession(SessionCookie()).ok(); }
};

TEST_F(WebAttacksTest, SignInNeverRedirectsOffSite) {
  for (const auto& target : OffSiteTargets()) {
    browser.cookies.clear();
    // The link's continue= is dropped on the page...
    auto page = browser.Go("GET", "/login?tenant=" + contoso.res.tenant.id + "&continue=" + http::PercentEncode(target));
    ASSERT_EQ(page.status, 200);
    EXPECT_EQ(Unescape(Field(page.body, "continue")), "") << target;
    // ...and a forged form field is dropped after the password.
    auto r = SignIn(contoso.res.tenant.id, "admin@contoso.test", target);
    if (r.status == 302 || r.status == 303) {
      EXPECT_TRUE(StaysOnSite(r.Header("Location"))) << "Location: " << r.Header("Location");
    } else {
      EXPECT_EQ(r.status, 200) << r.body;
      EXPECT_NE(r.body.find("You&#39;re signed in"), std::string::npos) << r.body;
    }
  }
  // A same-site continue still works.
  browser.cookies.clear();
  auto ok = SignIn(contoso.res.tenant.id, "admin@contoso.test", "/portal/contoso.test?x=1");
  EXPECT_EQ(ok.status, 302);
  EXPECT_EQ(ok.Header("Location"), "/portal/contoso.test?x=1");
}

TEST_F(WebAttacksTest, SignUpNeverRedirectsOffSite) {
  int n = 0;
  for (const auto& target : OffSiteTargets()) {
    browser.cookies.clear();
    std::string email = "pat" + std::to_string(n++) + "@outlook.com";
    auto form = browser.Go("GET", "/signup?continue=" + http::PercentEncode(target));
    ASSERT_EQ(form.status, 200);
    EXPECT_EQ(Unescape(Field(form.body, "continue")), "") << target;
    std::string csrf = Field(form.body, "csrf");
    auto sent = browser.Go("POST", "/signup",
                           "csrf=" + csrf + "&step=form&continue=" + http::PercentEncode(target) +
                               "&email=" + http::PercentEncode(email) + "&display_name=Pat&password=" +
                               http::PercentEncode(kPassword) + "&confirm=" + http::PercentEncode(kPassword));
    ASSERT_EQ(sent.status, 200) << sent.body;
    ASSERT_EQ(env.last_otp.first, email);
    auto r = browser.Go("POST", "/signup",
                        "csrf=" + csrf + "&step=verify&continue=" + http::PercentEncode(target) + "&email=" +
                            http::PercentEncode(email) + "&code=" + env.last_otp.second);
    if (r.status == 302 || r.status == 303) {
      EXPECT_TRUE(StaysOnSite(r.Header("Location"))) << "Location: " << r.Header("Location");
    } else {
      EXPECT_EQ(r.status, 200) << r.body;
    }
  }
}

TEST_F(WebAttacksTest, FormsWithNulOrInvalidUtf8AreRefusedBeforeAnyHandler) {
  auto form = browser.Go("GET", "/signup");
  std::string csrf = Field(form.body, "csrf");
  for (const std::string bad : {"Pat%00Example", "Pat%FFExample", "Pat%C3%28", "Pat%ED%A0%80", "%",
                                "Pat\x01%00"}) {
    env.last_otp = {};
    auto r = browser.Go("POST", "/signup",
                        "csrf=" + csrf + "&step=form&email=nul@outlook.com&display_name=" + bad +
                            "&password=" + http::PercentEncode(kPassword) + "&confirm=" + http::PercentEncode(kPassword));
    EXPECT_EQ(r.status, 400) << bad << "\n" << r.body;
    EXPECT_TRUE(env.last_otp.first.empty()) << "the sign-up went ahead with " << bad;
  }
  // The same in a field name, and on the token endpoint (a Graph-shaped 400).
  auto r = browser.Go("POST", "/signup", "csrf=" + csrf + "&step=form&na%00me=x");
  EXPECT_EQ(r.status, 400);
  auto token = env.Call("POST", "/contoso.test/oauth2/v2.0/token", "",
                        "grant_type=client_credentials&client_id=a%00b",
                        {{"Content-Type", "application/x-www-form-urlencoded"}});
  EXPECT_EQ(token.status, 400) << token.body;
  EXPECT_EQ(TestEnv::ErrorCode(token), "Request_BadRequest");
  // A clean form still goes through.
  r = browser.Go("POST", "/signup",
                 "csrf=" + csrf + "&step=form&email=clean@outlook.com&display_name=Pat%20%C3%89mile&password=" +
                     http::PercentEncode(kPassword) + "&confirm=" + http::PercentEncode(kPassword));
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(env.last_otp.first, "clean@outlook.com");
}

TEST_F(WebAttacksTest, PromptNoneTellsAnotherTenantsClientNothingAboutTheUser) {
  // Signed in at Fabrikam; Contoso's app asks silently who is there.
  ASSERT_EQ(SignIn(fabrikam.res.tenant.id, "admin@fabrikam.test").status, 200);
  ASSERT_TRUE(HasSession());
  auto r = browser.Go("GET", AuthorizeUrl("&prompt=none"));
  ASSERT_EQ(r.status, 302) << r.body;
  std::string location(r.Header("Location"));
  EXPECT_TRUE(location.starts_with(std::string(kRedirect) + "?")) << location;
  EXPECT_NE(location.find("error=interaction_required"), std::string::npos) << location;
  EXPECT_EQ(location.find("error_description"), std::string::npos) << location;
  EXPECT_EQ(location.find("fabrikam"), std::string::npos) << location;
  EXPECT_EQ(location.find("admin"), std::string::npos) << location;
  EXPECT_NE(location.find("state=xyz"), std::string::npos) << location;
  // Not signed in at all: login_required.
  browser.cookies.clear();
  r = browser.Go("GET", AuthorizeUrl("&prompt=none"));
  EXPECT_NE(std::string(r.Header("Location")).find("error=login_required"), std::string::npos);
  // A member of the app's tenant still signs in silently.
  ASSERT_EQ(SignIn(contoso.res.tenant.id, "admin@contoso.test").status, 200);
  r = browser.Go("GET", AuthorizeUrl("&prompt=none"));
  EXPECT_NE(std::string(r.Header("Location")).find("code="), std::string::npos) << r.Header("Location");
}

TEST_F(WebAttacksTest, AGetCannotSignYouOut) {
  ASSERT_EQ(SignIn(contoso.res.tenant.id, "admin@contoso.test").status, 200);
  ASSERT_TRUE(HasSession());
  // What an <img src="https://gatehouse/logout"> on any page would do.
  for (const std::string& path : {std::string("/logout"), "/" + contoso.res.tenant.id + "/oauth2/v2.0/logout",
                                 "/contoso.test/oauth2/v2.0/logout?post_logout_redirect_uri=" +
                                     http::PercentEncode(kRedirect) + "&client_id=" + app_id}) {
    auto r = browser.Go("GET", path);
    EXPECT_EQ(r.status, 200) << path << "\n" << r.body;
    EXPECT_NE(r.body.find("Sign out?"), std::string::npos) << r.body;
    EXPECT_TRUE(HasSession()) << "signed out by GET " << path;
    for (const auto& [k, v] : r.headers)
      if (http::EqualsIgnoreCase(k, "Set-Cookie")) {
        EXPECT_FALSE(v.starts_with("gh_session=")) << v;
      }
  }
  // A cross-site POST has no CSRF token: refused, still signed in.
  auto forged = browser.Go("POST", "/logout", "csrf=forged-forged-forged-forged-forged-forged");
  EXPECT_EQ(forged.status, 400);
  EXPECT_TRUE(HasSession());
  // The confirmation page's own form signs out.
  auto confirm = browser.Go("GET", "/logout");
  std::string session = SessionCookie();
  auto out = browser.Submit(confirm.body, "/logout", "");
  EXPECT_EQ(out.status, 200) << out.body;
  EXPECT_NE(out.body.find("You signed out"), std::string::npos);
  EXPECT_FALSE(env.signin->ResolveSession(session).ok());
}

TEST_F(WebAttacksTest, EndSessionSignsOutAtOnceOnlyWithTheUsersOwnIdTokenHint) {
  // The app's own sign-in: an ID token for admin@contoso.
  ASSERT_EQ(SignIn(contoso.res.tenant.id, "admin@contoso.test").status, 200);
  auto r = browser.Go("GET", AuthorizeUrl());
  std::smatch m;
  std::string loc(r.Header("Location"));
  ASSERT_TRUE(std::regex_search(loc, m, std::regex("[?&]code=([^&]+)"))) << loc;
  http::Request token;
  token.method = "POST";
  token.target = "/contoso.test/oauth2/v2.0/token";
  token.body = "grant_type=authorization_code&client_id=" + app_id + "&code=" + m[1].str() +
               "&redirect_uri=" + http::PercentEncode(kRedirect) + "&code_verifier=" + kVerifier;
  token.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  token.request_id = "r";
  ASSERT_TRUE(token.ParseTarget());
  auto t = env.router->Handle(token);
  ASSERT_EQ(t.status, 200) << t.body;
  std::string id_token(TestEnv::Json(t).at("id_token").as_string());
  const std::string end = "/" + contoso.res.tenant.id + "/oauth2/v2.0/logout";

  // An unregistered post_logout_redirect_uri is refused, nothing changes.
  r = browser.Go("GET", end + "?id_token_hint=" + id_token + "&post_logout_redirect_uri=" +
                            http::PercentEncode("https://evil.example/"));
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_TRUE(HasSession());
  // A forged or foreign hint doesn't sign out without asking.
  r = browser.Go("GET", end + "?id_token_hint=" + id_token.substr(0, id_token.size() - 4) + "AAAA");
  EXPECT_NE(r.body.find("Sign out?"), std::string::npos);
  EXPECT_TRUE(HasSession());
  // The user's own hint from the app: signed out, back to the app's registered URI with its state.
  std::string session = SessionCookie();
  r = browser.Go("GET", end + "?id_token_hint=" + id_token + "&post_logout_redirect_uri=" +
                            http::PercentEncode(kRedirect) + "&state=s1");
  EXPECT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(r.Header("Location"), std::string(kRedirect) + "?state=s1");
  EXPECT_FALSE(env.signin->ResolveSession(session).ok());
}

// ---- The server's own failures show no details (#20)

class ServerErrorTest : public ::testing::Test {
 protected:
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("gh-web-errors-" + SecureRandom().NewUuid());
  std::string db = (std::filesystem::create_directories(dir), (dir / "t.db").string());
  TestEnv env{db};
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  gh::testing::Browser browser{*env.router, "127.0.0.1"};

  ~ServerErrorTest() override {
    std::error_code ec;
    std::filesystem::remove_all(dir, ec);
  }

  // What an operator's mistake or a broken migration does: the database
  // answers every query on the table with its own error text.
  void BreakTable(const std::string& table) {
    sqlite3* raw = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &raw), SQLITE_OK);
    char* err = nullptr;
    int rc = sqlite3_exec(raw, ("PRAGMA foreign_keys=OFF; DROP TABLE " + table).c_str(), nullptr, nullptr, &err);
    EXPECT_EQ(rc, SQLITE_OK) << (err ? err : "");
    sqlite3_free(err);
    sqlite3_close(raw);
  }

  static void ExpectNoDetails(const std::string& body) {
    for (const char* leak : {"no such table", "SQL", "sqlite", "SQLITE", "rolled back"})
      EXPECT_EQ(body.find(leak), std::string::npos) << "'" << leak << "' in:\n" << body;
  }
};

TEST_F(ServerErrorTest, GraphAndPortalAnswerAGenericTextWithTheRequestId) {
  auto signed_in = browser.SignInTo("/portal/contoso.test", "admin@contoso.test", kPassword);
  ASSERT_EQ(signed_in.status, 200) << signed_in.body;
  BreakTable("groups");

  auto graph = env.Call("GET", "/v1.0/groups", contoso.token);
  ASSERT_GE(graph.status, 500) << graph.body;
  ExpectNoDetails(graph.body);
  EXPECT_NE(graph.body.find("00000000-0000-4000-8000-000000000000"), std::string::npos) << graph.body;

  auto page = browser.Go("GET", "/portal/contoso.test/groups");
  ASSERT_GE(page.status, 500) << page.body;
  ExpectNoDetails(page.body);
  EXPECT_NE(page.body.find("00000000-0000-4000-8000-00000000b10e"), std::string::npos) << page.body;
}

}  // namespace
}  // namespace gh::web
