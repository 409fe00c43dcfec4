// Consent in the browser, in-process (finding #4, and #18 as it concerns the
// scopes shown on consent): an app may ask only for what it declares; what
// the user hasn't consented to is asked on a real consent page (CSRF, Accept
// / Cancel, the app and each permission's sentence); non-administrators can't
// consent to what needs an administrator ("Need admin approval"); an
// administrator may consent for the organisation; tokens carry only what is
// consented and refresh never widens them; the device flow asks the same way.
#include <gtest/gtest.h>

#include <regex>

#include "identity/jwt.h"
#include "store/consent_repository.h"
#include "support/app_consent.h"
#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::Field;
using gh::testing::TestEnv;
using gh::testing::Unescape;
namespace json = boost::json;

constexpr const char* kRedirect = "http://localhost:7777/cb";
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-more-entropy";
constexpr const char* kMemberPassword = "Mia-Passw0rd!";

class ConsentFlowTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  gh::testing::Browser browser{*env.router, "127.0.0.7"};
  directory::Client app;  // declares sign-in scopes and User.Read.All; nobody has consented
  std::string member_id;

  void SetUp() override {
    app = gh::testing::RegisterConsentedApp(env, contoso.res.tenant.id, "Expense Reports", {}, {kRedirect},
                                            {"openid", "profile", "offline_access", "User.Read", "User.Read.All"},
                                            /*consent=*/false);
    auto m = env.Call("POST", "/v1.0/users", contoso.token,
                      R"({"accountEnabled":true,"displayName":"Mia","mailNickname":"mia",)"
                      R"("userPrincipalName":"mia@contoso.test","passwordProfile":{"password":"Mia-Passw0rd!"}})");
    ASSERT_EQ(m.status, 201) << m.body;
    member_id = std::string(TestEnv::Json(m).at("id").as_string());
  }

  std::string AuthorizeUrl(const std::string& scope, const std::string& extra = "") {
    return "/" + contoso.res.tenant.id + "/oauth2/v2.0/authorize?client_id=" + app.app_id +
           "&redirect_uri=" + http::PercentEncode(kRedirect) + "&response_type=code&scope=" +
           http::PercentEncode(scope) + "&state=st&code_challenge=" + identity::PkceChallenge(kVerifier) +
           "&code_challenge_method=S256" + extra;
  }

  // Signs in through the pages and returns where /authorize lands afterwards.
  http::Response SignInAt(const std::string& authorize, const std::string& email, const std::string& password) {
    auto r = browser.Go("GET", authorize);
    if (r.status != 302 || !std::string(r.Header("Location")).starts_with("/login?")) return r;
    r = browser.Go("GET", std::string(r.Header("Location")));
    std::string form = "csrf=" + Field(r.body, "csrf") + "&tenant=" + Field(r.body, "tenant") +
                       "&continue=" + http::PercentEncode(Unescape(Field(r.body, "continue")));
    browser.Go("POST", "/login", form + "&step=email&email=" + http::PercentEncode(email));
    r = browser.Go("POST", "/login", form + "&step=password&email=" + http::PercentEncode(email) +
                                         "&password=" + http::PercentEncode(password));
    EXPECT_EQ(r.status, 302) << r.body;
    return browser.Go("GET", std::string(r.Header("Location")));
  }

  // Posts the consent page's form.
  http::Response Answer(const http::Response& page, const std::string& action, bool organization = false) {
    std::string body = "csrf=" + Field(page.body, "csrf") + "&kind=" + Field(page.body, "kind") +
                       "&tenant=" + http::PercentEncode(Unescape(Field(page.body, "tenant"))) +
                       "&request=" + http::PercentEncode(Unescape(Field(page.body, "request"))) +
                       "&user_code=" + http::PercentEncode(Unescape(Field(page.body, "user_code"))) +
                       "&action=" + action + (organization ? "&organization=1" : "");
    return browser.Go("POST", "/consent", body);
  }

  static std::string Param(const http::Response& r, const std::string& name) {
    std::string loc(r.Header("Location"));
    std::smatch m;
    std::regex re("[?&]" + name + "=([^&]+)");
    return std::regex_search(loc, m, re) ? http::PercentDecode(m[1].str(), false) : "";
  }

  json::object Redeem(const std::string& code) {
    http::Request req;
    req.method = "POST";
    req.target = "/contoso.test/oauth2/v2.0/token";
    req.body = "grant_type=authorization_code&client_id=" + app.app_id + "&code=" + http::PercentEncode(code) +
               "&redirect_uri=" + http::PercentEncode(kRedirect) + "&code_verifier=" + kVerifier;
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    req.request_id = "r";
    EXPECT_TRUE(req.ParseTarget());
    auto r = env.router->Handle(req);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? TestEnv::Json(r).as_object() : json::object{};
  }

  http::Response Refresh(const std::string& refresh_token) {
    http::Request req;
    req.method = "POST";
    req.target = "/contoso.test/oauth2/v2.0/token";
    req.body = "grant_type=refresh_token&client_id=" + app.app_id + "&refresh_token=" + refresh_token +
               "&scope=" + http::PercentEncode("openid offline_access User.Read User.Read.All");
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    req.request_id = "r";
    EXPECT_TRUE(req.ParseTarget());
    return env.router->Handle(req);
  }

  static std::string Scp(const json::object& tokens) {
    auto claims = identity::DecodeJwtPayloadUnverified(std::string(tokens.at("access_token").as_string()));
    if (!claims.ok() || !claims->contains("scp")) return "";
    return std::string(claims->at("scp").as_string());
  }

  std::vector<store::PermissionGrantRow> Grants() {
    auto g = identity::Consent(*env.store, env.clock, env.random).ListGrants(contoso.res.tenant.id, app.id);
    EXPECT_TRUE(g.ok());
    return g.ok() ? *g : std::vector<store::PermissionGrantRow>{};
  }
};

TEST_F(ConsentFlowTest, AUserConsentsOnARealPageAndTheTokenCarriesOnlyThat) {
  auto page = SignInAt(AuthorizeUrl("openid offline_access User.Read"), "mia@contoso.test", kMemberPassword);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Permissions requested"), std::string::npos);
  EXPECT_NE(page.body.find("Expense Reports"), std::string::npos);
  EXPECT_NE(page.body.find("Registered by Contoso"), std::string::npos);
  EXPECT_NE(page.body.find("Sign you in and read your profile"), std::string::npos);
  EXPECT_NE(page.body.find("data-scope=\"offline_access\""), std::string::npos);
  EXPECT_EQ(page.body.find("Consent on behalf of your organization"), std::string::npos);  // not an administrator
  EXPECT_EQ(page.Header("Location"), "");  // no code before consent
  // A forged form changes nothing.
  auto forged = browser.Go("POST", "/consent", "csrf=forged&kind=authorize&action=accept&tenant=" +
                                                   contoso.res.tenant.id + "&request=x");
  EXPECT_EQ(forged.status, 400);
  EXPECT_TRUE(Grants().empty());
  // Accept: a grant for Mia alone, then back to /authorize, which issues the code.
  auto accepted = Answer(page, "accept");
  ASSERT_EQ(accepted.status, 303) << accepted.body;
  auto grants = Grants();
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].consent_type, "Principal");
  EXPECT_EQ(grants[0].principal_id, member_id);
  EXPECT_EQ(grants[0].scopes, (std::vector<std::string>{"openid", "offline_access", "User.Read"}));
  auto back = browser.Go("GET", std::string(accepted.Header("Location")));
  ASSERT_EQ(back.status, 302) << back.body;
  auto tokens = Redeem(Param(back, "code"));
  EXPECT_EQ(Scp(tokens), "User.Read");
  EXPECT_TRUE(tokens.contains("refresh_token"));
  // Once consented, no page again.
  auto again = browser.Go("GET", AuthorizeUrl("openid offline_access User.Read"));
  EXPECT_EQ(again.status, 302);
  EXPECT_FALSE(Param(again, "code").empty());
  // The token reads Mia's own profile only.
  std::string at(tokens.at("access_token").as_string());
  EXPECT_EQ(env.Call("GET", "/v1.0/users", at).status, 403);
}

TEST_F(ConsentFlowTest, CancelReturnsAccessDeniedToTheApp) {
  auto page = SignInAt(AuthorizeUrl("openid User.Read"), "mia@contoso.test", kMemberPassword);
  ASSERT_EQ(page.status, 200) << page.body;
  auto r = Answer(page, "cancel");
  ASSERT_EQ(r.status, 302) << r.body;
  EXPECT_TRUE(std::string(r.Header("Location")).starts_with(kRedirect));
  EXPECT_EQ(Param(r, "error"), "access_denied");
  EXPECT_EQ(Param(r, "state"), "st");
  EXPECT_TRUE(Grants().empty());
}

TEST_F(ConsentFlowTest, ANonAdministratorCantConsentToWhatNeedsAnAdministrator) {
  auto page = SignInAt(AuthorizeUrl("openid User.Read.All"), "mia@contoso.test", kMemberPassword);
  EXPECT_EQ(page.status, 403) << page.body;
  EXPECT_NE(page.body.find("Need admin approval"), std::string::npos);
  EXPECT_NE(page.body.find("Read all users&#39; full profiles"), std::string::npos) << page.body;
  // Posting an Accept anyway (the page has no such button) records nothing.
  auto forced = Answer(page, "accept");
  EXPECT_EQ(forced.status, 403) << forced.body;
  auto forced_org = Answer(page, "accept", true);
  EXPECT_EQ(forced_org.status, 403) << forced_org.body;
  EXPECT_TRUE(Grants().empty());
  // Silent sign-in says consent is required, without a page.
  auto silent = browser.Go("GET", AuthorizeUrl("openid User.Read.All", "&prompt=none"));
  ASSERT_EQ(silent.status, 302);
  EXPECT_EQ(Param(silent, "error"), "consent_required");
}

TEST_F(ConsentFlowTest, AnAdministratorConsentsForTheOrganization) {
  auto page = SignInAt(AuthorizeUrl("openid User.Read User.Read.All"), "admin@contoso.test", "Adm1n-Passw0rd!");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Consent on behalf of your organization"), std::string::npos);
  EXPECT_NE(page.body.find("needs an administrator"), std::string::npos);
  auto accepted = Answer(page, "accept", true);
  ASSERT_EQ(accepted.status, 303) << accepted.body;
  auto grants = Grants();
  ASSERT_EQ(grants.size(), 1u);
  EXPECT_EQ(grants[0].consent_type, "AllPrincipals");
  EXPECT_TRUE(grants[0].principal_id.empty());
  // Mia now signs in with no page at all, and reads the directory (she's a member).
  browser.cookies.clear();
  auto mia = SignInAt(AuthorizeUrl("openid User.Read User.Read.All"), "mia@contoso.test", kMemberPassword);
  ASSERT_EQ(mia.status, 302) << mia.body;
  EXPECT_EQ(Scp(Redeem(Param(mia, "code"))), "User.Read User.Read.All");
  // prompt=consent asks again, even so.
  auto re = browser.Go("GET", AuthorizeUrl("openid User.Read", "&prompt=consent"));
  EXPECT_EQ(re.status, 200) << re.body;
  EXPECT_NE(re.body.find("Permissions requested"), std::string::npos);
}

TEST_F(ConsentFlowTest, AppsMayAskOnlyForWhatTheyDeclare) {
  for (const char* scope : {"openid User.ReadWrite.All", "openid Mail.Read", "openid api://other/Read",
                            "openid LicenseAssignment.ReadWrite.All"}) {
    auto r = browser.Go("GET", AuthorizeUrl(scope));
    ASSERT_EQ(r.status, 302) << scope << " " << r.body;
    EXPECT_EQ(Param(r, "error"), "invalid_scope") << scope;
  }
  // .default means what the app declares.
  auto page = SignInAt(AuthorizeUrl("openid https://graph.microsoft.com/.default"), "admin@contoso.test",
                       "Adm1n-Passw0rd!");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("data-scope=\"User.Read.All\""), std::string::npos);
  EXPECT_EQ(page.body.find("data-scope=\"User.ReadWrite.All\""), std::string::npos);
  // A consent form whose request was altered to ask for more is refused.
  std::string body = "csrf=" + Field(page.body, "csrf") + "&kind=authorize&tenant=" + contoso.res.tenant.id +
                     "&request=" +
                     http::PercentEncode("client_id=" + app.app_id + "&redirect_uri=" + http::PercentEncode(kRedirect) +
                                         "&response_type=code&scope=User.ReadWrite.All&code_challenge=" +
                                         identity::PkceChallenge(kVerifier) + "&code_challenge_method=S256") +
                     "&action=accept&organization=1";
  EXPECT_EQ(browser.Go("POST", "/consent", body).status, 400);
  EXPECT_TRUE(Grants().empty());
}

TEST_F(ConsentFlowTest, RefreshNarrowsToWhatIsStillConsentedAndNeverWidens) {
  auto page = SignInAt(AuthorizeUrl("openid offline_access User.Read"), "admin@contoso.test", "Adm1n-Passw0rd!");
  ASSERT_EQ(page.status, 200);
  auto back = browser.Go("GET", std::string(Answer(page, "accept").Header("Location")));
  auto tokens = Redeem(Param(back, "code"));
  ASSERT_EQ(Scp(tokens), "User.Read");
  std::string rt(tokens.at("refresh_token").as_string());
  // Consent to more later doesn't widen this grant's tokens (the refresh asks for more in vain).
  ASSERT_TRUE(identity::Consent(*env.store, env.clock, env.random)
                  .GrantByUser(contoso.res.tenant.id,
                               env.signin->ConsentClientOf(*env.signin->FindClient(contoso.res.tenant.id, app.app_id)),
                               contoso.res.admin, {std::string(directory::kGlobalAdministratorRole)},
                               {"User.Read.All"}, true)
                  .ok());
  auto r = Refresh(rt);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Scp(TestEnv::Json(r).as_object()), "User.Read");
  rt = std::string(TestEnv::Json(r).at("refresh_token").as_string());
  // Withdrawn consent narrows it: the user's grant now keeps offline access only.
  for (auto& g : Grants()) {
    if (g.consent_type != "Principal") continue;
    ASSERT_TRUE(identity::Consent(*env.store, env.clock, env.random)
                    .UpdateGrantScopes(directory::Actor::System(), contoso.res.tenant.id, g.id,
                                       {"openid", "offline_access"})
                    .ok());
  }
  r = Refresh(rt);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(Scp(TestEnv::Json(r).as_object()), "");
}

TEST_F(ConsentFlowTest, TheDeviceFlowAsksForConsentToo) {
  auto dc = [&](const std::string& scope) {
    http::Request req;
    req.method = "POST";
    req.target = "/contoso.test/oauth2/v2.0/devicecode";
    req.body = "client_id=" + app.app_id + "&scope=" + http::PercentEncode(scope);
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    req.request_id = "r";
    EXPECT_TRUE(req.ParseTarget());
    return env.router->Handle(req);
  };
  // Undeclared: refused at the start.
  auto refused = dc("openid Directory.ReadWrite.All");
  EXPECT_EQ(refused.status, 400);
  EXPECT_EQ(TestEnv::Json(refused).at("error").as_string(), "invalid_scope");
  auto started = dc("openid offline_access User.Read");
  ASSERT_EQ(started.status, 200) << started.body;
  std::string user_code(TestEnv::Json(started).at("user_code").as_string());
  ASSERT_EQ(SignInAt(AuthorizeUrl("openid", "&prompt=login"), "mia@contoso.test", kMemberPassword).status, 200);
  auto confirm = browser.Go("GET", "/devicelogin?user_code=" + user_code);
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  auto page = browser.Go("POST", "/devicelogin",
                         "csrf=" + Field(confirm.body, "csrf") + "&user_code=" + user_code + "&step=approve");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("Permissions requested"), std::string::npos);
  EXPECT_NE(page.body.find("Sign you in and read your profile"), std::string::npos);
  auto done = Answer(page, "accept");
  EXPECT_EQ(done.status, 200) << done.body;
  EXPECT_NE(done.body.find("signed in"), std::string::npos);
  ASSERT_EQ(Grants().size(), 1u);
  EXPECT_EQ(Grants()[0].principal_id, member_id);
}

}  // namespace
}  // namespace gh::web
