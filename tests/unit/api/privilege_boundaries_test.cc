// Credentials end when trust ends, and personal accounts have no directory:
// tokens and sessions issued through the real grants (TestEnv's in-process
// server with a fake clock), then used after the user's password changes,
// after the family's absolute lifetime, without the client secret the grant
// began with, or in the consumers tenant.
#include <gtest/gtest.h>

#include "identity/signin.h"
#include "support/app_consent.h"
#include "support/test_env.h"

namespace gh::api {
namespace {

using gh::testing::TestEnv;

constexpr const char* kWeb = "https://app.example/cb";
constexpr const char* kPublic = "http://localhost:7777/cb";
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-more-entropy";
constexpr int64_t kDay = 24LL * 3600 * 1000;

class PrivilegeBoundariesTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  std::string app_id, secret, member_id;

  void SetUp() override {
    // A confidential web app that also has a public (PKCE) redirect URI.
    // It declares what it asks for, and an administrator consented for everyone.
    auto app = gh::testing::RegisterConsentedApp(env, contoso.res.tenant.id, "Both kinds", {kWeb}, {kPublic},
                                                 {"openid", "offline_access", "User.Read"});
    app_id = app.app_id;
    auto pw = env.clients->AddPassword(directory::Actor::System(), contoso.res.tenant.id, app.id, "test",
                                       env.clock.NowMillis() + 365 * kDay);
    ASSERT_TRUE(pw.ok()) << pw.status().ToString();
    secret = pw->second;
    auto member = env.Call("POST", "/v1.0/users", contoso.token,
                           R"({"accountEnabled":true,"displayName":"Mia","mailNickname":"mia",)"
                           R"("userPrincipalName":"mia@contoso.test","passwordProfile":{"password":"Mia-Passw0rd!"}})");
    ASSERT_EQ(member.status, 201) << member.body;
    member_id = std::string(TestEnv::Json(member).at("id").as_string());
  }

  identity::Session SignIn(const std::string& password = "Mia-Passw0rd!") {
    auto s = env.signin->SignInWithPassword(contoso.res.tenant.id, "mia@contoso.test", password, "10.1.1.1");
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : identity::Session{};
  }

  // Tokens through the authorization code grant: the web redirect with the
  // secret, or the public one with PKCE only.
  StatusOr<identity::TokenSet> Tokens(const identity::Session& session, bool web) {
    std::vector<std::pair<std::string, std::string>> q = {{"client_id", app_id},
                                                          {"redirect_uri", web ? kWeb : kPublic},
                                                          {"response_type", "code"},
                                                          {"scope", "openid offline_access User.Read"},
                                                          {"code_challenge", identity::PkceChallenge(kVerifier)},
                                                          {"code_challenge_method", "S256"}};
    GH_ASSIGN_OR_RETURN(auto req, env.signin->ValidateAuthorize(contoso.res.tenant.id, q));
    GH_ASSIGN_OR_RETURN(auto principal, env.signin->PrincipalIn(session, contoso.res.tenant.id));
    GH_ASSIGN_OR_RETURN(auto code, env.signin->IssueCode(req, session, principal));
    return env.signin->RedeemCode(contoso.res.tenant.id, app_id, web ? secret : "", code, web ? kWeb : kPublic,
                                  kVerifier);
  }

  StatusOr<identity::TokenSet> Refresh(const std::string& refresh_token, const std::string& with_secret = "") {
    return env.signin->Refresh(contoso.res.tenant.id, app_id, with_secret, refresh_token);
  }
};

// Finding 16: a confidential grant's refresh token needs the secret, even
// though the app also has a public redirect URI.
TEST_F(PrivilegeBoundariesTest, AConfidentialGrantIsRefreshedOnlyWithItsSecret) {
  auto web = Tokens(SignIn(), true);
  ASSERT_TRUE(web.ok()) << web.status().ToString();
  auto stolen = Refresh(web->refresh_token);
  ASSERT_FALSE(stolen.ok());
  EXPECT_EQ(stolen.status().reason(), "invalid_client");
  auto with_secret = Refresh(web->refresh_token, secret);
  ASSERT_TRUE(with_secret.ok()) << with_secret.status().ToString();
  // …and its rotation keeps needing it.
  EXPECT_EQ(Refresh(with_secret->refresh_token).status().reason(), "invalid_client");

  auto pub = Tokens(SignIn(), false);
  ASSERT_TRUE(pub.ok()) << pub.status().ToString();
  EXPECT_TRUE(Refresh(pub->refresh_token).ok()) << "a public grant refreshes without a secret";
}

// Finding 8: a refresh family ends 90 days after its sign-in, however often it is used.
TEST_F(PrivilegeBoundariesTest, ARefreshFamilyHasAnAbsoluteLifetime) {
  auto tokens = Tokens(SignIn(), false);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  std::string rt = tokens->refresh_token;
  for (int i = 0; i < 2; ++i) {
    env.clock.Advance(40 * kDay);
    auto next = Refresh(rt);
    ASSERT_TRUE(next.ok()) << "day " << (i + 1) * 40 << ": " << next.status().ToString();
    rt = next->refresh_token;
  }
  env.clock.Advance(11 * kDay);  // day 91
  auto late = Refresh(rt);
  ASSERT_FALSE(late.ok());
  EXPECT_EQ(late.status().reason(), "invalid_grant");
}

// Finding 8: a password reset by an administrator ends the user's sessions and refresh tokens.
TEST_F(PrivilegeBoundariesTest, APasswordResetEndsSessionsAndRefreshTokens) {
  identity::Session session = SignIn();
  auto tokens = Tokens(session, false);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  env.clock.Advance(5000);
  auto reset = env.Call("PATCH", "/v1.0/users/" + member_id, contoso.token,
                        R"({"passwordProfile":{"password":"N3w-Passw0rd!x"}})");
  ASSERT_EQ(reset.status, 204) << reset.body;
  EXPECT_EQ(Refresh(tokens->refresh_token).status().reason(), "invalid_grant");
  identity::Session fresh = SignIn("N3w-Passw0rd!x");
  // The cookie of the old session no longer resolves; the new one does.
  EXPECT_FALSE(env.signin->ResolveSession(session.token).ok());
  EXPECT_TRUE(env.signin->ResolveSession(fresh.token).ok());
  env.clock.Advance(1000);
  auto again = Tokens(fresh, false);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_TRUE(Refresh(again->refresh_token).ok());
}

// Finding 6: the consumers tenant has no directory to list.
TEST_F(PrivilegeBoundariesTest, APersonalAccountCannotListOtherPersonalAccounts) {
  const std::string consumers(wire::kConsumersTenantId);
  ASSERT_TRUE(env.signin->EnsureConsumersTenant().ok());
  for (std::string who : {"ann", "eve"}) {
    ASSERT_TRUE(env.signin->SignUpConsumer(who + "@outlook.com", who, "Personal-Passw0rd!", "10.9.9.9").ok());
    ASSERT_TRUE(env.signin->VerifyConsumerSignUp(who + "@outlook.com", env.last_otp.second, "10.9.9.9").ok());
  }
  // The app may read every profile of a directory: the consumers tenant has
  // none, whatever the token holds.
  auto app = gh::testing::RegisterConsentedApp(env, consumers, "Personal app", {}, {kPublic},
                                               {"openid", "User.Read", "User.Read.All"});
  auto session = env.signin->SignInWithPassword(consumers, "eve@outlook.com", "Personal-Passw0rd!", "10.9.9.9");
  ASSERT_TRUE(session.ok()) << session.status().ToString();
  auto req = env.signin->ValidateAuthorize(consumers, {{"client_id", app.app_id},
                                                      {"redirect_uri", kPublic},
                                                      {"response_type", "code"},
                                                      {"scope", "openid User.Read User.Read.All"},
                                                      {"code_challenge", identity::PkceChallenge(kVerifier)},
                                                      {"code_challenge_method", "S256"}});
  ASSERT_TRUE(req.ok()) << req.status().ToString();
  auto eve = env.signin->PrincipalIn(*session, consumers);
  ASSERT_TRUE(eve.ok()) << eve.status().ToString();
  auto code = env.signin->IssueCode(*req, *session, *eve);
  ASSERT_TRUE(code.ok()) << code.status().ToString();
  auto tokens = env.signin->RedeemCode(consumers, app.app_id, "", *code, kPublic, kVerifier);
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  ASSERT_NE(tokens->scope.find("User.Read.All"), std::string::npos) << "the scope is not what refuses";

  for (std::string path : {"/v1.0/users", "/v1.0/users?$filter=startswith(mail,'a')", "/v1.0/groups"}) {
    auto r = env.Call("GET", path, tokens->access_token);
    EXPECT_EQ(r.status, 403) << path << ": " << r.body;
    EXPECT_EQ(r.body.find("ann@outlook.com"), std::string::npos) << path;
  }
  EXPECT_EQ(env.Call("GET", "/v1.0/users/" + eve->id, tokens->access_token).status, 200) << "one's own profile";
}

}  // namespace
}  // namespace gh::api
