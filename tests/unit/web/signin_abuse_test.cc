// Attack tests for sign-in abuse resistance (security review #12, #13, #18,
// #23; issue 17), through the in-process router with the fake clock for
// everything that depends on time: smart lockout with familiar addresses and
// decaying counts, per-/64 address limits, sign-up / one-time-code / device
// code throttles counted before any work, the bounded Argon2 pool, the device
// approval page, the tenant's device-code switch, and the purge.
#include <gtest/gtest.h>

#include <future>
#include <set>
#include <regex>
#include <thread>

#include "app/routes.h"
#include "identity/password_pool.h"
#include "store/signin_repository.h"
#include "support/browser.h"
#include "support/test_env.h"
#include "web/signin_routes.h"

namespace gh::web {
namespace {

using gh::testing::Field;
using gh::testing::TestEnv;
namespace json = boost::json;

constexpr const char* kAdmin = "admin@contoso.test";
constexpr const char* kPassword = "Adm1n-Passw0rd!";
constexpr const char* kUsual = "198.51.100.10";     // where the admin always signs in
constexpr const char* kAttacker = "203.0.113.66";  // never signed in successfully

bool Has(const http::Response& r, const std::string& text) { return r.body.find(text) != std::string::npos; }

class SigninAbuseTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");

  // One password sign-in through the pages, from `remote`.
  http::Response PasswordSignIn(const std::string& remote, const std::string& email, const std::string& password) {
    gh::testing::Browser b(*env.router, remote);
    auto page = b.Go("GET", "/login?tenant=" + contoso.res.tenant.id);
    EXPECT_EQ(page.status, 200) << page.body;
    std::string form = "csrf=" + Field(page.body, "csrf") + "&tenant=" + contoso.res.tenant.id + "&continue=";
    auto step = b.Go("POST", "/login", form + "&step=email&email=" + http::PercentEncode(email));
    EXPECT_EQ(step.status, 200) << step.body;
    return b.Go("POST", "/login", form + "&step=password&email=" + http::PercentEncode(email) +
                                      "&password=" + http::PercentEncode(password));
  }
  bool SignedIn(const http::Response& r) { return r.status == 200 && Has(r, "signed in"); }

  http::Response DeviceCode(const std::string& remote, const std::string& scope = "openid offline_access",
                            const std::string& tenant = "contoso.test") {
    http::Request req;
    req.method = "POST";
    req.target = "/" + tenant + "/oauth2/v2.0/devicecode";
    req.body = "client_id=" + std::string(wire::kCliClientId) + "&scope=" + http::PercentEncode(scope);
    req.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
    req.remote_address = remote;
    req.request_id = "r";
    EXPECT_TRUE(req.ParseTarget());
    return env.router->Handle(req);
  }

  // Seconds left on the lock a refusal names ("Try again in N seconds").
  static int64_t LockSeconds(const http::Response& r) {
    std::smatch m;
    std::regex re("Try again in ([0-9]+) seconds");
    return std::regex_search(r.body, m, re) ? std::stoll(m[1].str()) : -1;
  }
};

// ---- #13 smart lockout -----------------------------------------------------------------

TEST_F(SigninAbuseTest, LockedFromElsewhereTheOwnerStillSignsInFromTheirUsualAddress) {
  ASSERT_TRUE(SignedIn(PasswordSignIn(kUsual, kAdmin, kPassword)));  // the admin's usual address
  for (int i = 0; i < 5; ++i) EXPECT_EQ(PasswordSignIn(kAttacker, kAdmin, "Wrong-" + std::to_string(i)).status, 401);
  // Locked for the attacker, even with the right password…
  auto attacker = PasswordSignIn(kAttacker, kAdmin, kPassword);
  EXPECT_EQ(attacker.status, 429);
  EXPECT_TRUE(Has(attacker, "temporarily locked"));
  EXPECT_EQ(attacker.Header("Retry-After"), "60");
  // …and from any other address the account never signed in from…
  EXPECT_EQ(PasswordSignIn("192.0.2.200", kAdmin, kPassword).status, 429);
  // …but not for the owner at their usual address.
  EXPECT_TRUE(SignedIn(PasswordSignIn(kUsual, kAdmin, kPassword)));
  EXPECT_TRUE(SignedIn(PasswordSignIn(kUsual, kAdmin, kPassword)));
}

TEST_F(SigninAbuseTest, OneWrongPasswordAnHourNeverLocksTheAccount) {
  // Before: every failure counted for ever, so one an hour kept a known admin
  // locked out for good.
  for (int hour = 0; hour < 48; ++hour) {
    EXPECT_EQ(PasswordSignIn(kAttacker, kAdmin, "Guess-" + std::to_string(hour)).status, 401) << hour;
    env.clock.Advance(3600'000);
  }
  EXPECT_EQ(PasswordSignIn(kAttacker, kAdmin, "Guess-48").status, 401);
  // Five minutes after the latest guess not even the attacker's side is
  // locked: the owner gets in from an address they never used before.
  env.clock.Advance(5 * 60'000);
  EXPECT_TRUE(SignedIn(PasswordSignIn("192.0.2.201", kAdmin, kPassword)));
}

TEST_F(SigninAbuseTest, FailureCountsDecay) {
  for (int i = 0; i < 4; ++i) EXPECT_EQ(PasswordSignIn(kAttacker, kAdmin, "Wrong-a").status, 401);
  // Twenty quiet minutes forget two failures (one per ten minutes)…
  env.clock.Advance(20 * 60'000);
  // …so two more make four, not six: below the threshold of five.
  for (int i = 0; i < 2; ++i) EXPECT_EQ(PasswordSignIn(kAttacker, kAdmin, "Wrong-b").status, 401);
  EXPECT_TRUE(SignedIn(PasswordSignIn("192.0.2.202", kAdmin, kPassword)));
}

TEST_F(SigninAbuseTest, LockoutIsBoundedHoweverLongTheAttackGoesOn) {
  // The attacker fails again the moment each lock ends, for hours.
  int64_t longest = 0;
  for (int round = 0; round < 40; ++round) {
    auto r = PasswordSignIn(kAttacker, kAdmin, "Wrong-" + std::to_string(round));
    if (r.status == 429) {
      int64_t s = LockSeconds(r);
      ASSERT_GT(s, 0) << r.body;
      longest = std::max(longest, s);
      env.clock.Advance(s * 1000);
    } else {
      EXPECT_EQ(r.status, 401);
    }
  }
  EXPECT_GT(longest, 0) << "the attack did lock the account";
  EXPECT_LE(longest, 15 * 60 + 1) << "no lock lasts longer than lockout_max_ms";
  // Once it stops, the owner is back within the bound, from anywhere.
  env.clock.Advance(15 * 60'000 + 1000);
  EXPECT_TRUE(SignedIn(PasswordSignIn("192.0.2.203", kAdmin, kPassword)));
}

TEST_F(SigninAbuseTest, AnIpv6SubscriberCantEscapeTheAddressLimitByRotatingItsSlash64) {
  // 30 failures (for 30 different unknown accounts, so no account locks) from
  // 30 addresses of one /64…
  for (int i = 0; i < 30; ++i)
    EXPECT_EQ(PasswordSignIn("2001:db8:7:7::" + std::to_string(i + 1), "nobody" + std::to_string(i) + "@contoso.test",
                             "Wrong-1")
                  .status,
              401);
  // …use up that /64's budget: a 31st address in it is refused before any check…
  auto r = PasswordSignIn("2001:db8:7:7:abcd::1", kAdmin, kPassword);
  EXPECT_EQ(r.status, 429);
  EXPECT_TRUE(Has(r, "Too many sign-in attempts from your network"));
  // …while the neighbouring /64 is untouched.
  EXPECT_TRUE(SignedIn(PasswordSignIn("2001:db8:7:8::1", kAdmin, kPassword)));
}

// ---- Argon2 on a bounded pool ----------------------------------------------------------

TEST_F(SigninAbuseTest, WhenThePasswordPoolIsFullSignInIsABriefRefusalNotAStall) {
  identity::PasswordPool pool({/*slots=*/1, /*public_in_flight=*/1, /*max_wait_ms=*/0});
  env.signin->SetPasswordPool(&pool);
  std::promise<void> inside, release;
  std::thread flood([&] {
    (void)pool.Run(identity::PasswordPool::Caller::kPublic, [&] {
      inside.set_value();
      release.get_future().wait();
    });
  });
  inside.get_future().wait();
  auto r = PasswordSignIn(kUsual, kAdmin, kPassword);
  release.set_value();
  flood.join();
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_TRUE(Has(r, "The server is busy"));
  EXPECT_EQ(r.Header("Retry-After"), "1");
  // Refused before verification: it counted as no failure, and the next try works.
  EXPECT_TRUE(SignedIn(PasswordSignIn(kUsual, kAdmin, kPassword)));
  env.signin->SetPasswordPool(nullptr);
}

// ---- #12 sign-up ---------------------------------------------------------------------

class SignupAbuseTest : public SigninAbuseTest {
 protected:
  void SetUp() override { ASSERT_TRUE(env.signin->EnsureConsumersTenant().ok()); }

  http::Response StartSignUp(gh::testing::Browser& b, const std::string& email) {
    auto form = b.Go("GET", "/signup");
    if (form.status != 200) return form;
    return b.Go("POST", "/signup",
                "csrf=" + Field(form.body, "csrf") + "&step=form&continue=&email=" + http::PercentEncode(email) +
                    "&display_name=Flood&password=Str0ng-Passw0rd!&confirm=Str0ng-Passw0rd!");
  }
};

TEST_F(SignupAbuseTest, AFloodFromOneAddressStopsBeingHashedAndMailedAfterTheLimit) {
  identity::PasswordPool pool({2, 2, 1000});
  env.signin->SetPasswordPool(&pool);
  gh::testing::Browser flood(*env.router, "203.0.113.99");
  const int limit = identity::SigninConfig{}.signup_per_address;
  std::set<std::string> mailed;
  for (int i = 0; i < limit; ++i) {
    std::string email = "spam" + std::to_string(i) + "@outlook.com";
    ASSERT_EQ(StartSignUp(flood, email).status, 200) << i;
    mailed.insert(env.last_otp.first);
  }
  EXPECT_EQ(mailed.size(), static_cast<size_t>(limit));
  EXPECT_EQ(pool.completed(), limit);
  for (int i = 0; i < 25; ++i) {
    env.last_otp = {};
    auto r = StartSignUp(flood, "more" + std::to_string(i) + "@hotmail.com");
    EXPECT_EQ(r.status, 429) << i;
    EXPECT_EQ(r.Header("Retry-After"), "60");
    EXPECT_TRUE(env.last_otp.first.empty()) << "nothing mailed";
  }
  EXPECT_EQ(pool.completed(), limit) << "nothing hashed either";
  // Another address still signs up.
  gh::testing::Browser someone(*env.router, "192.0.2.50");
  EXPECT_EQ(StartSignUp(someone, "real.person@live.com").status, 200);
  EXPECT_EQ(env.last_otp.first, "real.person@live.com");
  // The window passes, the address may try again.
  env.clock.Advance(identity::SigninConfig{}.signup_window_ms);
  EXPECT_EQ(StartSignUp(flood, "later@outlook.com").status, 200);
  env.signin->SetPasswordPool(nullptr);
}

TEST_F(SignupAbuseTest, AServerWideLimitHoldsAgainstManyAddresses) {
  identity::SigninConfig config;
  config.signup_global = 3;
  identity::SigninService signin(*env.store, *env.directory, *env.tokens, env.clock, env.random, config);
  int sent = 0;
  signin.SetOtpSender([&](store::Transaction&, const directory::Tenant&, const std::string&, const std::string&,
                          int64_t) {
    ++sent;
    return OkStatus();
  });
  for (int i = 0; i < 3; ++i)
    ASSERT_TRUE(signin.SignUpConsumer("g" + std::to_string(i) + "@outlook.com", "G", "Str0ng-Passw0rd!",
                                      "192.0.2." + std::to_string(i + 1))
                    .ok());
  Status s = signin.SignUpConsumer("g9@outlook.com", "G", "Str0ng-Passw0rd!", "192.0.2.99");
  EXPECT_EQ(s.code(), Code::kResourceExhausted);
  EXPECT_EQ(sent, 3);
}

TEST_F(SignupAbuseTest, SignUpCanBeTurnedOff) {
  identity::SigninConfig config;
  config.signup_enabled = false;
  identity::SigninService signin(*env.store, *env.directory, *env.tokens, env.clock, env.random, config);
  signin.SetOtpSender([](store::Transaction&, const directory::Tenant&, const std::string&, const std::string&,
                         int64_t) { return Internal("must not send"); });
  http::Router router(SigninRoutes({signin, *env.directory, env.random, TestEnv::kBase, *env.tokens}), env.auth.get(),
                      app::RenderError);
  gh::testing::Browser b(router, "192.0.2.60");
  auto page = b.Go("GET", "/signup");
  EXPECT_EQ(page.status, 403);
  EXPECT_TRUE(Has(page, "Creating accounts is turned off"));
  // A hand-made POST is refused too, and nothing is stored.
  auto csrf_page = b.Go("GET", "/login?tenant=" + contoso.res.tenant.id);
  auto post = b.Go("POST", "/signup",
                   "csrf=" + Field(csrf_page.body, "csrf") +
                       "&step=form&email=x%40outlook.com&display_name=X&password=Str0ng-Passw0rd!&confirm=Str0ng-Passw0rd!");
  EXPECT_EQ(post.status, 403) << post.body;
  EXPECT_FALSE(env.directory->GetUser(std::string(wire::kConsumersTenantId), "x@outlook.com").ok());
  // No "Create one" link on a personal address's password page.
  auto login = b.Go("GET", "/login?tenant=" + contoso.res.tenant.id);
  auto pw = b.Go("POST", "/login", "csrf=" + Field(login.body, "csrf") + "&tenant=" + contoso.res.tenant.id +
                                       "&continue=&step=email&email=someone%40outlook.com");
  EXPECT_EQ(pw.status, 200);
  EXPECT_FALSE(Has(pw, "/signup"));
}

// ---- one-time passcodes ------------------------------------------------------------------

TEST_F(SigninAbuseTest, OneAddressCanOnlyAskForSoManyOneTimeCodes) {
  const int limit = identity::SigninConfig{}.otp_sends_per_address;
  for (int i = 0; i < limit; ++i)
    ASSERT_TRUE(env.signin->StartOneTimePasscode(contoso.res.tenant.id, "r" + std::to_string(i) + "@example.org",
                                                 "203.0.113.5")
                    .ok())
        << i;
  Status s = env.signin->StartOneTimePasscode(contoso.res.tenant.id, "another@example.org", "203.0.113.5");
  EXPECT_EQ(s.code(), Code::kResourceExhausted);
  EXPECT_TRUE(env.signin->StartOneTimePasscode(contoso.res.tenant.id, "another@example.org", "192.0.2.5").ok());
}

// ---- #23 device codes: throttled per address ---------------------------------------------

TEST_F(SigninAbuseTest, DeviceCodeRequestsFromOneAddressAreThrottled) {
  const int limit = identity::SigninConfig{}.device_per_address;
  for (int i = 0; i < limit; ++i) ASSERT_EQ(DeviceCode("203.0.113.7").status, 200) << i;
  auto r = DeviceCode("203.0.113.7");
  EXPECT_EQ(r.status, 429) << r.body;
  EXPECT_EQ(TestEnv::Json(r).at("error").as_string(), "slow_down");
  EXPECT_EQ(r.Header("Retry-After"), "60");
  // Others aren't affected, and the address gets its budget back later.
  EXPECT_EQ(DeviceCode("192.0.2.7").status, 200);
  env.clock.Advance(identity::SigninConfig{}.device_window_ms);
  EXPECT_EQ(DeviceCode("203.0.113.7").status, 200);
}

// ---- #18 the device approval page --------------------------------------------------------

TEST_F(SigninAbuseTest, TheDeviceApprovalPageShowsWhatIsAskedFromWhereAndWhen) {
  auto dc = DeviceCode("203.0.113.44", "openid offline_access https://graph.microsoft.com/User.ReadWrite.All");
  ASSERT_EQ(dc.status, 200) << dc.body;
  std::string user_code(TestEnv::Json(dc).at("user_code").as_string());
  gh::testing::Browser b(*env.router, kUsual);
  auto r = b.Go("GET", "/devicelogin?user_code=" + user_code);
  ASSERT_EQ(r.status, 302);
  auto page = b.Go("GET", std::string(r.Header("Location")));
  std::string form = "csrf=" + Field(page.body, "csrf") + "&tenant=" + contoso.res.tenant.id + "&continue=" +
                     http::PercentEncode(gh::testing::Unescape(Field(page.body, "continue")));
  b.Go("POST", "/login", form + "&step=email&email=admin%40contoso.test");
  auto done = b.Go("POST", "/login", form + "&step=password&email=admin%40contoso.test&password=" +
                                         http::PercentEncode(kPassword));
  ASSERT_EQ(done.status, 302) << done.body;
  auto confirm = b.Go("GET", std::string(done.Header("Location")));
  ASSERT_EQ(confirm.status, 200) << confirm.body;
  EXPECT_TRUE(Has(confirm, "Gatehouse CLI"));
  EXPECT_TRUE(Has(confirm, "offline_access"));
  EXPECT_TRUE(Has(confirm, "Maintain access to data you have given it access to"));
  EXPECT_TRUE(Has(confirm, "User.ReadWrite.All"));
  EXPECT_TRUE(Has(confirm, "Read and write all users"));
  EXPECT_TRUE(Has(confirm, "203.0.113.44")) << "the address that started the code";
  EXPECT_TRUE(Has(confirm, FormatIso8601(env.clock.NowMillis()).substr(0, 16))) << "and when";
}

// ---- #18 tenants can turn the device code flow off --------------------------------------

TEST_F(SigninAbuseTest, ATenantWithTheDeviceCodeFlowOffRefusesIt) {
  // A code started while it was on…
  auto early = DeviceCode("192.0.2.70");
  ASSERT_EQ(early.status, 200);
  std::string user_code(TestEnv::Json(early).at("user_code").as_string());

  auto policy = TestEnv::Json(env.Call("GET", "/v1.0/policies/authorizationPolicy", contoso.token));
  EXPECT_TRUE(policy.at("allowDeviceCodeFlow").as_bool()) << "on by default";
  EXPECT_EQ(env.Call("PATCH", "/v1.0/policies/authorizationPolicy", contoso.token, R"({"allowDeviceCodeFlow":"no"})")
                .status,
            400);
  auto off = env.Call("PATCH", "/v1.0/policies/authorizationPolicy", contoso.token, R"({"allowDeviceCodeFlow":false})");
  ASSERT_EQ(off.status, 204) << off.body;
  policy = TestEnv::Json(env.Call("GET", "/v1.0/policies/authorizationPolicy", contoso.token));
  EXPECT_FALSE(policy.at("allowDeviceCodeFlow").as_bool());

  auto refused = DeviceCode("192.0.2.70");
  EXPECT_EQ(refused.status, 400) << refused.body;
  auto err = TestEnv::Json(refused);
  EXPECT_EQ(err.at("error").as_string(), "unauthorized_client");
  EXPECT_NE(std::string(err.at("error_description").as_string()).find("AADSTS53003"), std::string::npos);
  EXPECT_EQ(err.at("error_codes").as_array().at(0).as_int64(), 53003);
  // …can't be approved any more either.
  gh::testing::Browser b(*env.router, kUsual);
  auto r = b.Go("GET", "/devicelogin?user_code=" + user_code);
  ASSERT_EQ(r.status, 302);
  auto page = b.Go("GET", std::string(r.Header("Location")));
  std::string form = "csrf=" + Field(page.body, "csrf") + "&tenant=" + contoso.res.tenant.id + "&continue=" +
                     http::PercentEncode(gh::testing::Unescape(Field(page.body, "continue")));
  b.Go("POST", "/login", form + "&step=email&email=admin%40contoso.test");
  auto done = b.Go("POST", "/login", form + "&step=password&email=admin%40contoso.test&password=" +
                                         http::PercentEncode(kPassword));
  auto confirm = b.Go("GET", std::string(done.Header("Location")));
  auto approve = b.Go("POST", "/devicelogin",
                      "csrf=" + Field(confirm.body, "csrf") + "&user_code=" + user_code + "&step=approve");
  EXPECT_EQ(approve.status, 403) << approve.body;
  EXPECT_TRUE(Has(approve, "AADSTS53003"));
  // Other tenants are unaffected; turned back on, it works again.
  env.Tenant("Fabrikam", "fabrikam.test");
  EXPECT_EQ(DeviceCode("192.0.2.70", "openid", "fabrikam.test").status, 200);
  ASSERT_EQ(env.Call("PATCH", "/v1.0/policies/authorizationPolicy", contoso.token, R"({"allowDeviceCodeFlow":true})")
                .status,
            204);
  EXPECT_EQ(DeviceCode("192.0.2.70").status, 200);
}

TEST_F(SigninAbuseTest, ThePortalTurnsTheDeviceCodeFlowOffWhereTheOtherAuthorizationSettingsAre) {
  gh::testing::Browser admin(*env.router, kUsual);
  const std::string page_url = "/portal/" + contoso.res.tenant.id + "/external-collaboration";
  auto page = admin.SignInTo(page_url, kAdmin, kPassword);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page, "<legend>Device code sign-in</legend>"));
  EXPECT_TRUE(Has(page, R"(name="allowDeviceCodeFlow" value="true" checked)")) << page.body;
  const std::string rest = "guestUserRoleId=" + std::string(directory::kGuestLimitedRole) +
                           "&allowInvitesFrom=adminsAndGuestInviters&mode=allowAll&domains=";
  // A value no option has is refused, and nothing changes.
  EXPECT_EQ(admin.Submit(page.body, page_url, rest + "&allowDeviceCodeFlow=maybe").status, 400);
  EXPECT_EQ(DeviceCode("192.0.2.80").status, 200);
  auto saved = admin.Submit(page.body, page_url, rest + "&allowDeviceCodeFlow=false");
  ASSERT_EQ(saved.status, 303) << saved.body;
  EXPECT_EQ(DeviceCode("192.0.2.80").status, 400);
  auto shown = admin.Go("GET", page_url);
  EXPECT_TRUE(Has(shown, R"(name="allowDeviceCodeFlow" value="false" checked)"));
  // A form without the field (from before the setting existed) leaves it as it is.
  ASSERT_EQ(admin.Submit(shown.body, page_url, rest).status, 303);
  EXPECT_EQ(DeviceCode("192.0.2.80").status, 400);
  ASSERT_EQ(admin.Submit(shown.body, page_url, rest + "&allowDeviceCodeFlow=true").status, 303);
  EXPECT_EQ(DeviceCode("192.0.2.80").status, 200);
}

// ---- #23 the purge ----------------------------------------------------------------------

TEST_F(SigninAbuseTest, ExpiredRowsArePurgedAndLiveOnesKept) {
  // Rows of every kind, made the way requests make them.
  ASSERT_TRUE(SignedIn(PasswordSignIn(kUsual, kAdmin, kPassword)));           // a session, a familiar address
  EXPECT_EQ(PasswordSignIn(kAttacker, kAdmin, "Wrong-1").status, 401);          // lockout and address counters
  for (int i = 0; i < 5; ++i) ASSERT_EQ(DeviceCode("203.0.113.8").status, 200);  // device codes
  ASSERT_TRUE(env.signin->StartOneTimePasscode(contoso.res.tenant.id, "x@example.org", "203.0.113.8").ok());
  auto nothing = env.signin->PurgeExpired();
  ASSERT_TRUE(nothing.ok()) << nothing.status().ToString();
  EXPECT_EQ(nothing->device_codes + nothing->sessions + nothing->otps, 0) << "nothing has expired yet";

  // A day later the device codes, counters and session are long expired (the
  // familiar address is remembered for 60 days).
  env.clock.Advance(24 * 3600'000);
  auto purged = env.signin->PurgeExpired();
  ASSERT_TRUE(purged.ok()) << purged.status().ToString();
  EXPECT_EQ(purged->device_codes, 5);
  EXPECT_EQ(purged->sessions, 1);
  EXPECT_GE(purged->throttles, 3);
  auto again = env.signin->PurgeExpired();
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->Total(), 0);
  // What was purged was dead: the familiar address still counts.
  for (int i = 0; i < 5; ++i) EXPECT_EQ(PasswordSignIn(kAttacker, kAdmin, "Wrong-2").status, 401);
  EXPECT_EQ(PasswordSignIn(kAttacker, kAdmin, kPassword).status, 429);
  EXPECT_TRUE(SignedIn(PasswordSignIn(kUsual, kAdmin, kPassword)));
}

}  // namespace
}  // namespace gh::web
