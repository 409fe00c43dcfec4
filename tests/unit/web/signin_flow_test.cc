// The whole browser sign-in in-process: authorize → sign-in pages → code →
// token endpoint, plus the negative paths (CSRF, PKCE, redirect URI, code and
// refresh-token reuse, lockout, one-time passcodes, device code).
#include <gtest/gtest.h>

#include <regex>

#include "core/encoding.h"
#include "identity/jwt.h"
#include "support/app_consent.h"
#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::Field;
using gh::testing::SetCookieValue;
using gh::testing::Unescape;

using gh::testing::TestEnv;
namespace json = boost::json;

constexpr const char* kRedirect = "http://localhost:7777/cb";
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-more-entropy";

class SigninFlowTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  std::string app_id;
  gh::testing::Browser browser{*env.router, "127.0.0.1"};
  std::string& cookies = browser.cookies;  // the browser's Cookie header
  http::Response Browse(const std::string& method, const std::string& target, const std::string& body = {}) {
    return browser.Go(method, target, body);
  }

  void SetUp() override {
    // Declares what it asks for; an administrator consented for everyone.
    app_id = gh::testing::RegisterConsentedApp(env, contoso.res.tenant.id, "Sales app", {"https://app.example/cb"},
                                               {kRedirect}, {"openid", "offline_access", "User.Read"})
                 .app_id;
  }

  std::string AuthorizeUrl(const std::string& extra = "") {
    return "/" + contoso.res.tenant.id + "/oauth2/v2.0/authorize?client_id=" + app_id +
           "&redirect_uri=" + http::PercentEncode(kRedirect) +
           "&response_type=code&scope=openid%20offline_access%20User.Read&state=xyz&nonce=n-0S6" +
           "&code_challenge=" + identity::PkceChallenge(kVerifier) + "&code_challenge_method=S256" + extra;
  }

  // Signs in through the pages; returns the final response (the redirect to the app).
  http::Response SignIn(const std::string& email, const std::string& password) {
    auto r = Browse("GET", AuthorizeUrl());
    EXPECT_EQ(r.status, 302);
    std::string login = std::string(r.Header("Location"));
    EXPECT_TRUE(login.starts_with("/login?")) << login;
    r = Browse("GET", login);
    EXPECT_EQ(r.status, 200);
    std::string form = "csrf=" + Field(r.body, "csrf") + "&tenant=" + Field(r.body, "tenant") +
                       "&continue=" + http::PercentEncode(Unescape(Field(r.body, "continue")));
    r = Browse("POST", "/login", form + "&step=email&email=" + http::PercentEncode(email));
    EXPECT_EQ(r.status, 200) << r.body;
    EXPECT_NE(r.body.find("Enter password"), std::string::npos);
    r = Browse("POST", "/login", form + "&step=password&email=" + http::PercentEncode(email) +
                                     "&password=" + http::PercentEncode(password));
    if (r.status != 302) return r;
    return Browse("GET", std::string(r.Header("Location")));
  }

  std::string CodeFrom(const http::Response& r) {
    std::string loc(r.Header("Location"));
    EXPECT_TRUE(loc.starts_with(kRedirect)) << loc;
    EXPECT_NE(loc.find("state=xyz"), std::string::npos);
    std::smatch m;
    std::regex re("[?&]code=([^&]+)");
    return std::regex_search(loc, m, re) ? http::PercentDecode(m[1].str(), false) : "";
  }

  http::Response TokenCall(const std::string& body) {
    http::Request req;
    req.method = "POST";
    req.target = "/contoso.test/oauth2/v2.0/token";
    req.body = body;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    req.request_id = "r";
    EXPECT_TRUE(req.ParseTarget());
    return env.router->Handle(req);
  }

  http::Response Redeem(const std::string& code, const std::string& verifier = kVerifier,
                        const std::string& redirect = kRedirect) {
    return TokenCall("grant_type=authorization_code&client_id=" + app_id + "&code=" + http::PercentEncode(code) +
                     "&redirect_uri=" + http::PercentEncode(redirect) + "&code_verifier=" + verifier);
  }

  static json::object Claims(const std::string& jwt) {
    auto payload = identity::DecodeJwtPayloadUnverified(jwt);
    return payload.ok() ? *payload : json::object{};
  }
};

TEST_F(SigninFlowTest, MemberSignsInWithPkceAndGetsTokens) {
  auto r = SignIn("admin@contoso.test", "Adm1n-Passw0rd!");
  ASSERT_EQ(r.status, 302) << r.body;
  std::string code = CodeFrom(r);
  ASSERT_FALSE(code.empty());
  auto t = Redeem(code);
  ASSERT_EQ(t.status, 200) << t.body;
  auto body = TestEnv::Json(t);
  auto id = Claims(std::string(body.at("id_token").as_string()));
  EXPECT_EQ(id.at("aud").as_string(), app_id);
  EXPECT_EQ(id.at("nonce").as_string(), "n-0S6");
  EXPECT_EQ(id.at("tid").as_string(), contoso.res.tenant.id);
  EXPECT_EQ(id.at("acct").as_int64(), 0);
  EXPECT_EQ(id.at("preferred_username").as_string(), "admin@contoso.test");
  auto access = Claims(std::string(body.at("access_token").as_string()));
  EXPECT_EQ(access.at("scp").as_string(), "User.Read");
  EXPECT_EQ(access.at("idp").as_string(), "https://localhost:8443/" + contoso.res.tenant.id + "/v2.0");
  // The user's token works on Graph only within the scopes the app was given
  // (User.Read: the user's own profile), whatever the user's roles (Global
  // Administrator here): listing the directory is refused.
  auto list = env.Call("GET", "/v1.0/users?$top=1", std::string(body.at("access_token").as_string()));
  EXPECT_EQ(list.status, 403) << list.body;
  // A code is single use.
  EXPECT_EQ(TestEnv::Json(Redeem(code)).at("error").as_string(), "invalid_grant");
  // A second authorize in the same browser needs no password (SSO).
  auto again = Browse("GET", AuthorizeUrl());
  EXPECT_EQ(again.status, 302);
  EXPECT_FALSE(CodeFrom(again).empty());
}

TEST_F(SigninFlowTest, RefreshTokensRotateAndReuseRevokesTheFamily) {
  auto t = Redeem(CodeFrom(SignIn("admin@contoso.test", "Adm1n-Passw0rd!")));
  std::string rt1(TestEnv::Json(t).at("refresh_token").as_string());
  auto r2 = TokenCall("grant_type=refresh_token&client_id=" + app_id + "&refresh_token=" + rt1);
  ASSERT_EQ(r2.status, 200) << r2.body;
  std::string rt2(TestEnv::Json(r2).at("refresh_token").as_string());
  EXPECT_NE(rt1, rt2);
  // Replaying the rotated token revokes every token of the grant, rt2 included.
  EXPECT_EQ(TestEnv::Json(TokenCall("grant_type=refresh_token&client_id=" + app_id + "&refresh_token=" + rt1))
                .at("error").as_string(), "invalid_grant");
  EXPECT_EQ(TestEnv::Json(TokenCall("grant_type=refresh_token&client_id=" + app_id + "&refresh_token=" + rt2))
                .at("error").as_string(), "invalid_grant");
}

TEST_F(SigninFlowTest, PkceRedirectAndExpiryAreEnforced) {
  std::string code = CodeFrom(SignIn("admin@contoso.test", "Adm1n-Passw0rd!"));
  EXPECT_EQ(TestEnv::Json(Redeem(code, "wrong-verifier-wrong-verifier-wrong-verifier-00")).at("error").as_string(),
            "invalid_grant");
  EXPECT_EQ(TestEnv::Json(Redeem(code, kVerifier, "https://app.example/cb")).at("error").as_string(), "invalid_grant");
  auto fresh = Browse("GET", AuthorizeUrl());
  std::string code2 = CodeFrom(fresh);
  env.clock.Advance(11 * 60 * 1000);
  EXPECT_EQ(TestEnv::Json(Redeem(code2)).at("error").as_string(), "invalid_grant");
}

TEST_F(SigninFlowTest, BadRequestsAreShownNotRedirected) {
  auto r = Browse("GET", "/" + contoso.res.tenant.id + "/oauth2/v2.0/authorize?client_id=" + app_id +
                             "&redirect_uri=https%3A%2F%2Fevil.example%2Fcb&response_type=code&scope=openid");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(r.Header("Location").empty());
  EXPECT_NE(r.body.find("AADSTS50011"), std::string::npos);
  // A public redirect without PKCE goes back to the app as an error.
  r = Browse("GET", "/" + contoso.res.tenant.id + "/oauth2/v2.0/authorize?client_id=" + app_id + "&redirect_uri=" +
                        http::PercentEncode(kRedirect) + "&response_type=code&scope=openid&state=s1");
  EXPECT_EQ(r.status, 302);
  EXPECT_NE(std::string(r.Header("Location")).find("error=invalid_request"), std::string::npos);
  r = Browse("GET", "/nowhere.test/oauth2/v2.0/authorize?client_id=" + app_id);
  EXPECT_EQ(r.status, 400);
}

TEST_F(SigninFlowTest, FormsWithoutTheCsrfTokenAreRefused) {
  auto r = Browse("POST", "/login", "tenant=" + contoso.res.tenant.id + "&step=password&email=admin%40contoso.test"
                                    "&password=Adm1n-Passw0rd!&csrf=forged");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(SetCookieValue(r, "gh_session").empty());
}

TEST_F(SigninFlowTest, WrongPasswordsLockTheAccountWithoutRevealingIt) {
  for (int i = 0; i < 5; ++i) {
    auto r = SignIn("admin@contoso.test", "wrong-password");
    EXPECT_EQ(r.status, 401);
    EXPECT_NE(r.body.find("Your account or password is incorrect"), std::string::npos);
  }
  auto locked = SignIn("admin@contoso.test", "Adm1n-Passw0rd!");
  EXPECT_EQ(locked.status, 429);
  EXPECT_NE(locked.body.find("temporarily locked"), std::string::npos);
  // An unknown account gets the same answer as a wrong password.
  auto unknown = SignIn("nobody@contoso.test", "whatever-1");
  EXPECT_EQ(unknown.status, 401);
  EXPECT_NE(unknown.body.find("Your account or password is incorrect"), std::string::npos);
  env.clock.Advance(2 * 60 * 1000);
  EXPECT_EQ(SignIn("admin@contoso.test", "Adm1n-Passw0rd!").status, 302);
}

TEST_F(SigninFlowTest, GuestSignsInWithAnEmailedOneTimePasscode) {
  auto created = env.Call("POST", "/v1.0/users", contoso.token,
                          R"({"accountEnabled":true,"displayName":"Gita","mailNickname":"gita",)"
                          R"("userPrincipalName":"gita_example.org#EXT#@contoso.test","mail":"gita@example.org",)"
                          R"("userType":"Guest","passwordProfile":{"password":"Unused-Passw0rd!"}})");
  ASSERT_EQ(created.status, 201) << created.body;
  auto r = Browse("GET", AuthorizeUrl());
  r = Browse("GET", std::string(r.Header("Location")));
  std::string form = "csrf=" + Field(r.body, "csrf") + "&tenant=" + contoso.res.tenant.id +
                     "&continue=" + http::PercentEncode(Unescape(Field(r.body, "continue"))) + "&email=gita%40example.org";
  r = Browse("POST", "/login", form + "&step=email");
  ASSERT_EQ(r.status, 200);
  EXPECT_NE(r.body.find("Enter code"), std::string::npos);
  ASSERT_EQ(env.last_otp.first, "gita@example.org");
  r = Browse("POST", "/login", form + "&step=otp&code=00000000");
  EXPECT_EQ(r.status, 401);
  r = Browse("POST", "/login", form + "&step=otp&code=" + env.last_otp.second);
  ASSERT_EQ(r.status, 302) << r.body;
  auto t = Redeem(CodeFrom(Browse("GET", std::string(r.Header("Location")))));
  ASSERT_EQ(t.status, 200) << t.body;
  auto id = Claims(std::string(TestEnv::Json(t).at("id_token").as_string()));
  EXPECT_EQ(id.at("acct").as_int64(), 1);
  EXPECT_EQ(id.at("idp").as_string(), "mail");
  // The code was single use.
  EXPECT_EQ(Browse("POST", "/login", form + "&step=otp&code=" + env.last_otp.second).status, 401);
}

TEST_F(SigninFlowTest, OneTimePasscodeGuessingBurnsTheCode) {
  ASSERT_EQ(env.Call("POST", "/v1.0/users", contoso.token,
                     R"({"accountEnabled":true,"displayName":"Hal","mailNickname":"hal",)"
                     R"("userPrincipalName":"hal_example.org#EXT#@contoso.test","mail":"hal@example.org",)"
                     R"("userType":"Guest","passwordProfile":{"password":"Unused-Passw0rd!"}})")
                .status,
            201);
  ASSERT_TRUE(env.signin->StartOneTimePasscode(contoso.res.tenant.id, "hal@example.org", "10.0.0.1").ok());
  std::string code = env.last_otp.second;
  for (int i = 0; i < 5; ++i)
    EXPECT_FALSE(env.signin->SignInWithOneTimePasscode(contoso.res.tenant.id, "hal@example.org", "11111111",
                                                       "10.0.0.1").ok());
  // Five wrong guesses killed the code: the right one no longer works.
  EXPECT_FALSE(env.signin->SignInWithOneTimePasscode(contoso.res.tenant.id, "hal@example.org", code, "10.0.0.1").ok());
  // Nobody else gets codes: unknown addresses are silently ignored.
  env.last_otp = {};
  EXPECT_TRUE(env.signin->StartOneTimePasscode(contoso.res.tenant.id, "stranger@example.org", "10.0.0.2").ok());
  EXPECT_TRUE(env.last_otp.first.empty());
}

TEST_F(SigninFlowTest, DeviceCodeFlowForTheCli) {
  auto start = TokenCall("client_id=" + std::string(wire::kCliClientId) + "&scope=openid%20offline_access");
  (void)start;
  http::Request req;
  req.method = "POST";
  req.target = "/contoso.test/oauth2/v2.0/devicecode";
  req.body = "client_id=" + std::string(wire::kCliClientId) + "&scope=openid%20offline_access";
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  req.request_id = "r";
  ASSERT_TRUE(req.ParseTarget());
  auto dc = env.router->Handle(req);
  ASSERT_EQ(dc.status, 200) << dc.body;
  auto d = TestEnv::Json(dc);
  std::string device_code(d.at("device_code").as_string()), user_code(d.at("user_code").as_string());
  auto poll = [&] {
    return TokenCall("grant_type=urn:ietf:params:oauth:grant-type:device_code&client_id=" +
                     std::string(wire::kCliClientId) + "&device_code=" + device_code);
  };
  EXPECT_EQ(TestEnv::Json(poll()).at("error").as_string(), "authorization_pending");
  // The user signs in in a browser and approves.
  ASSERT_EQ(SignIn("admin@contoso.test", "Adm1n-Passw0rd!").status, 302);
  auto page = Browse("GET", "/devicelogin?user_code=" + user_code);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Gatehouse CLI"), std::string::npos);
  auto ok = Browse("POST", "/devicelogin", "csrf=" + Field(page.body, "csrf") + "&user_code=" + user_code + "&step=approve");
  EXPECT_EQ(ok.status, 200) << ok.body;
  env.clock.Advance(6000);
  auto tokens = poll();
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  EXPECT_TRUE(TestEnv::Json(tokens).as_object().contains("refresh_token"));
  EXPECT_EQ(TestEnv::Json(poll()).at("error").as_string(), "invalid_grant");  // single use
}

}  // namespace
}  // namespace gh::web
