// Self-service sign-up of personal accounts in-process: the "Create one" link
// on the password page, the sign-up form, the emailed verification code, and
// the refusals (wrong, burnt and expired codes, existing accounts not
// revealed, non-consumer domains, weak or mismatched passwords).
#include <gtest/gtest.h>

#include <regex>

#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::Field;
using gh::testing::SetCookieValue;
using gh::testing::Unescape;

using gh::testing::TestEnv;

constexpr const char* kPassword = "Str0ng-Passw0rd!";

bool Has(const http::Response& r, const std::string& text) { return r.body.find(text) != std::string::npos; }

class SignupFlowTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  gh::testing::Browser browser{*env.router, "127.0.0.1"};
  std::string& cookies = browser.cookies;  // the browser's Cookie header
  http::Response Browse(const std::string& method, const std::string& target, const std::string& body = {}) {
    return browser.Go(method, target, body);
  }

  void SetUp() override { ASSERT_TRUE(env.signin->EnsureConsumersTenant().ok()); }

  // Opens the sign-up form and submits it; returns the response (the "we sent a code" page on success).
  http::Response StartSignUp(const std::string& email, const std::string& password,
                             const std::string& confirm = {}, const std::string& continue_to = "/done") {
    auto form = Browse("GET", "/signup?continue=" + http::PercentEncode(continue_to) + "&email=" +
                                  http::PercentEncode(email));
    EXPECT_EQ(form.status, 200) << form.body;
    EXPECT_NE(form.body.find("value=\"" + email + "\""), std::string::npos) << form.body;  // prefilled
    csrf_ = Field(form.body, "csrf");
    return Browse("POST", "/signup",
                  "csrf=" + csrf_ + "&step=form&continue=" + http::PercentEncode(continue_to) +
                      "&email=" + http::PercentEncode(email) + "&display_name=Pat%20Example&password=" +
                      http::PercentEncode(password) + "&confirm=" +
                      http::PercentEncode(confirm.empty() ? password : confirm));
  }

  http::Response Verify(const std::string& email, const std::string& code, const std::string& continue_to = "/done") {
    return Browse("POST", "/signup", "csrf=" + csrf_ + "&step=verify&continue=" + http::PercentEncode(continue_to) +
                                         "&email=" + http::PercentEncode(email) + "&code=" + code);
  }

  StatusOr<directory::User> Account(const std::string& upn) {
    return env.directory->GetUser(std::string(wire::kConsumersTenantId), upn);
  }

  bool CanSignIn(const std::string& email, const std::string& password) {
    return env.signin->SignInWithPassword(contoso.res.tenant.id, email, password, "10.9.9.9").ok();
  }

  std::string csrf_;
};

TEST_F(SignupFlowTest, PasswordPageOffersSignUpForPersonalAddresses) {
  auto login = Browse("GET", "/login?tenant=" + contoso.res.tenant.id + "&continue=%2Fback");
  ASSERT_EQ(login.status, 200);
  std::string form = "csrf=" + Field(login.body, "csrf") + "&tenant=" + contoso.res.tenant.id + "&continue=%2Fback";
  auto r = Browse("POST", "/login", form + "&step=email&email=pat%40outlook.com");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(Has(r, "Enter password"));
  EXPECT_TRUE(Has(r, "Create one"));
  std::smatch m;
  ASSERT_TRUE(std::regex_search(r.body, m, std::regex("href=\"(/signup[^\"]*)\"")));
  std::string href = Unescape(m[1].str());
  EXPECT_NE(href.find("email=pat%40outlook.com"), std::string::npos) << href;
  EXPECT_NE(href.find("continue=%2Fback"), std::string::npos) << href;
  // A wrong password gets the link too: it says nothing about whether the account exists.
  r = Browse("POST", "/login", form + "&step=password&email=pat%40outlook.com&password=nope-nope-1");
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(Has(r, "Create one"));
  // Work addresses have no sign-up.
  r = Browse("POST", "/login", form + "&step=email&email=admin%40contoso.test");
  EXPECT_FALSE(Has(r, "Create one"));
}

TEST_F(SignupFlowTest, SignUpVerifyThenSignInWithThePassword) {
  auto sent = StartSignUp("Pat@Outlook.com", kPassword);
  ASSERT_EQ(sent.status, 200) << sent.body;
  EXPECT_TRUE(Has(sent, "We sent a code"));
  ASSERT_EQ(env.last_otp.first, "pat@outlook.com");
  ASSERT_EQ(env.last_otp.second.size(), 8u);
  EXPECT_EQ(Account("pat@outlook.com").status().code(), Code::kNotFound);  // pending until verified
  EXPECT_FALSE(CanSignIn("pat@outlook.com", kPassword));

  auto done = Verify("Pat@Outlook.com", env.last_otp.second);
  ASSERT_EQ(done.status, 302) << done.body;
  EXPECT_EQ(done.Header("Location"), "/done");
  EXPECT_FALSE(SetCookieValue(done, "gh_session").empty());
  auto session = env.signin->ResolveSession(SetCookieValue(done, "gh_session"));
  ASSERT_TRUE(session.ok());
  EXPECT_EQ(session->home_tenant_id, wire::kConsumersTenantId);

  auto user = Account("pat@outlook.com");
  ASSERT_TRUE(user.ok()) << user.status().ToString();
  EXPECT_EQ(user->user_type, directory::UserType::kMember);
  EXPECT_EQ(user->mail.value_or(""), "pat@outlook.com");
  EXPECT_EQ(user->display_name, "Pat Example");
  EXPECT_TRUE(user->password_hash.starts_with("$argon2id$")) << user->password_hash;
  EXPECT_EQ(session->user_id, user->id);
  // The new password signs in; the code is single use.
  EXPECT_TRUE(CanSignIn("pat@outlook.com", kPassword));
  EXPECT_FALSE(CanSignIn("pat@outlook.com", "Other-Passw0rd!"));
  EXPECT_EQ(Verify("pat@outlook.com", env.last_otp.second).status, 401);
}

TEST_F(SignupFlowTest, WrongCodesAreRefusedAndBurnTheCode) {
  ASSERT_EQ(StartSignUp("lee@hotmail.com", kPassword).status, 200);
  std::string code = env.last_otp.second;
  std::string wrong = code == "12345678" ? "87654321" : "12345678";
  auto r = Verify("lee@hotmail.com", wrong);
  EXPECT_EQ(r.status, 401);
  EXPECT_TRUE(Has(r, "That code didn"));
  EXPECT_FALSE(Account("lee@hotmail.com").ok());
  for (int i = 0; i < 4; ++i) EXPECT_EQ(Verify("lee@hotmail.com", wrong).status, 401);
  // Five failures lock the address for a while (as sign-in does)...
  EXPECT_EQ(Verify("lee@hotmail.com", code).status, 429);
  // ...and five wrong guesses burnt the code: after the lock the right code no longer works either.
  env.clock.Advance(2 * 60 * 1000);
  EXPECT_EQ(Verify("lee@hotmail.com", code).status, 401);
  EXPECT_FALSE(Account("lee@hotmail.com").ok());
}

TEST_F(SignupFlowTest, CodesExpireAndANewSignUpReplacesTheOldCode) {
  ASSERT_EQ(StartSignUp("kim@live.com", kPassword).status, 200);
  std::string first = env.last_otp.second;
  env.clock.Advance(31 * 60 * 1000);
  EXPECT_EQ(Verify("kim@live.com", first).status, 401);
  ASSERT_EQ(StartSignUp("kim@live.com", kPassword).status, 200);
  std::string second = env.last_otp.second;
  ASSERT_EQ(StartSignUp("kim@live.com", kPassword).status, 200);
  if (second != env.last_otp.second) {
    EXPECT_EQ(Verify("kim@live.com", second).status, 401);
  }
  EXPECT_EQ(Verify("kim@live.com", env.last_otp.second).status, 302);
  EXPECT_TRUE(Account("kim@live.com").ok());
}

TEST_F(SignupFlowTest, ExistingAccountIsNotRevealedNorChanged) {
  ASSERT_EQ(StartSignUp("sam@msn.com", kPassword).status, 200);
  ASSERT_EQ(Verify("sam@msn.com", env.last_otp.second).status, 302);
  auto before = Account("sam@msn.com");
  ASSERT_TRUE(before.ok());
  cookies.clear();
  env.last_otp = {};
  auto again = StartSignUp("sam@msn.com", "An0ther-Passw0rd!");
  // The same page as for a new address, but nothing was sent.
  EXPECT_EQ(again.status, 200);
  EXPECT_TRUE(Has(again, "We sent a code"));
  EXPECT_TRUE(env.last_otp.first.empty());
  EXPECT_EQ(Verify("sam@msn.com", "12345678").status, 401);
  auto after = Account("sam@msn.com");
  ASSERT_TRUE(after.ok());
  EXPECT_EQ(after->password_hash, before->password_hash);
  EXPECT_EQ(after->display_name, before->display_name);
  EXPECT_TRUE(CanSignIn("sam@msn.com", kPassword));
  EXPECT_FALSE(CanSignIn("sam@msn.com", "An0ther-Passw0rd!"));
}

TEST_F(SignupFlowTest, OnlyConsumerDomainsAndStrongMatchingPasswords) {
  auto r = StartSignUp("eve@contoso.test", kPassword);
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r, "Only personal addresses"));
  r = StartSignUp("eve@example.org", kPassword);
  EXPECT_EQ(r.status, 400);
  r = StartSignUp("eve@outlook.com", "short");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r, "password complexity"));
  r = StartSignUp("eve@outlook.com", kPassword, "Different-Passw0rd!");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r, "don"));
  EXPECT_TRUE(env.last_otp.first.empty());
  // The service refuses too, whatever the pages do.
  Status s = env.signin->SignUpConsumer("eve@contoso.test", "Eve", kPassword, "10.0.0.1");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.reason(), "not_consumer_domain");
  EXPECT_FALSE(env.directory->GetUser(contoso.res.tenant.id, "eve@contoso.test").ok());
}

TEST_F(SignupFlowTest, FormsWithoutTheCsrfTokenAreRefused) {
  auto r = Browse("POST", "/signup", "csrf=forged&step=form&email=x%40outlook.com&display_name=X&password=" +
                                         http::PercentEncode(kPassword) + "&confirm=" + http::PercentEncode(kPassword));
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(env.last_otp.first.empty());
}

TEST_F(SignupFlowTest, SendsAreThrottledPerAddress) {
  for (int i = 0; i < 5; ++i) ASSERT_EQ(StartSignUp("flood@outlook.com", kPassword).status, 200) << i;
  EXPECT_EQ(StartSignUp("flood@outlook.com", kPassword).status, 429);
}

}  // namespace
}  // namespace gh::web
