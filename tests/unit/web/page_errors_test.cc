// One Status → page mapping (web/errors.h) for every page: the table every
// presentation shares (http/status_code.h), so the same refusal has the same
// status on the sign-in, redemption and portal pages. Before, the sign-in and
// redemption pages answered AlreadyExists (and NotFound, FailedPrecondition,
// Internal) with 503 while the portal said 409.
#include <gtest/gtest.h>

#include <memory>

#include "support/app_consent.h"
#include "support/browser.h"
#include "support/failing_store.h"
#include "support/test_env.h"
#include "web/errors.h"

namespace gh::web {
namespace {

using gh::testing::Field;
using gh::testing::TestEnv;
using gh::testing::Unescape;
using store::testing::FailingStore;

bool Has(const std::string& body, const std::string& text) { return body.find(text) != std::string::npos; }

TEST(PageStatusForTest, IsTheSharedTable) {
  EXPECT_EQ(PageStatusFor(InvalidArgument("x")), 400);
  EXPECT_EQ(PageStatusFor(Unauthenticated("x")), 401);
  EXPECT_EQ(PageStatusFor(PermissionDenied("x")), 403);
  EXPECT_EQ(PageStatusFor(NotFound("x")), 404);
  EXPECT_EQ(PageStatusFor(AlreadyExists("x")), 409);
  EXPECT_EQ(PageStatusFor(FailedPrecondition("x")), 409);
  EXPECT_EQ(PageStatusFor(ResourceExhausted("x")), 429);
  EXPECT_EQ(PageStatusFor(Internal("x")), 500);
  EXPECT_EQ(PageStatusFor(Unavailable("x")), 503);
  // The router's own refusals, for pages as for Graph.
  EXPECT_EQ(PageStatusFor(InvalidArgument("x", "Request_MethodNotAllowed")), 405);
  EXPECT_EQ(PageStatusFor(InvalidArgument("x", "Request_EntityTooLarge")), 413);
}

TEST(PageStatusForTest, InvitationLinksAreNotFoundOrGone) {
  EXPECT_EQ(PageStatusFor(FailedPrecondition("x", "invalid_ticket")), 404);
  for (const char* gone : {"already_redeemed", "superseded", "expired", "user_deleted"})
    EXPECT_EQ(PageStatusFor(FailedPrecondition("x", gone)), 410) << gone;
  // Only for the link's own reasons: another "expired" is what its code says.
  EXPECT_EQ(PageStatusFor(Unauthenticated("x", "expired")), 401);
}

TEST(FieldStatusForTest, SomethingTheFormNamesThatIsntThereIsAMistakeInTheForm) {
  EXPECT_EQ(FieldStatusFor(NotFound("No such group")), 400);
  EXPECT_EQ(FieldStatusFor(AlreadyExists("x")), 409);
  EXPECT_EQ(FieldStatusFor(Unavailable("x")), 503);
}

TEST(ErrorPageTest, ShowsTheCallersMistakeButNotTheServers) {
  http::Request req;
  req.request_id = "00000000-0000-4000-8000-0000000000e1";
  auto mine = ErrorPage(req, AlreadyExists("The name is taken."), "Can't save");
  EXPECT_EQ(mine.status, 409);
  EXPECT_TRUE(Has(mine.body, "The name is taken."));
  auto ours = ErrorPage(req, Internal("sqlite3_step: disk I/O error at /var/lib/gatehouse"), "Can't save");
  EXPECT_EQ(ours.status, 500);
  EXPECT_FALSE(Has(ours.body, "sqlite3")) << ours.body;
  EXPECT_TRUE(Has(ours.body, req.request_id));
}

// The pages themselves, over a store that fails writes with the code a test picks.
class PageErrorsTest : public ::testing::Test {
 protected:
  FailingStore* failing = nullptr;
  TestEnv env{{}, [this](store::Store& inner) {
                auto s = std::make_unique<FailingStore>(inner, 0);
                failing = s.get();
                return s;
              }};
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");
  gh::testing::Browser browser{*env.router, "127.0.0.61"};

  // The n-th write from now on (and every later one) fails with `code`.
  void FailFromWrite(int n, Code code) {
    failing->FailWith(code);
    failing->Reset(n);
  }

  // The sign-in form's fields for `email` at the password step of `target`'s sign-in.
  std::string PasswordStep(const std::string& target, const std::string& email) {
    auto r = browser.Go("GET", target);
    if (r.status == 302 || r.status == 303) r = browser.Go("GET", std::string(r.Header("Location")));
    std::string form = "csrf=" + Field(r.body, "csrf") + "&tenant=" + Field(r.body, "tenant") +
                       "&continue=" + http::PercentEncode(Unescape(Field(r.body, "continue"))) +
                       "&email=" + http::PercentEncode(email);
    browser.Go("POST", "/login", form + "&step=email");
    return form + "&step=password&password=" + http::PercentEncode("Adm1n-Passw0rd!");
  }
};

// The sign-up pages answered with the sign-in pages' mapping (anything but
// 400, 401, 403 and 429 was 503).
TEST_F(PageErrorsTest, AConflictIs409OnTheSignUpPageAsInThePortal) {
  ASSERT_TRUE(env.signin->EnsureConsumersTenant().ok());
  auto form = browser.Go("GET", "/signup");
  ASSERT_EQ(form.status, 200) << form.body;
  const std::string fields = "csrf=" + Field(form.body, "csrf") + "&email=pat%40outlook.com";
  auto sent = browser.Go("POST", "/signup",
                         fields + "&step=form&display_name=Pat&password=Str0ng-Passw0rd%21&confirm=Str0ng-Passw0rd%21");
  ASSERT_EQ(sent.status, 200) << sent.body;
  const std::string verify = fields + "&step=verify&code=" + env.last_otp.second;
  // Verifying writes the account, then its audit entry: the audit entry is refused.
  FailFromWrite(2, Code::kAlreadyExists);
  auto r = browser.Go("POST", "/signup", verify);
  EXPECT_EQ(r.status, 409) << r.body;
  EXPECT_TRUE(Has(r.body, "injected failure")) << r.body;  // the caller's kind of failure: shown

  FailFromWrite(2, Code::kUnavailable);
  r = browser.Go("POST", "/signup", verify);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_FALSE(Has(r.body, "injected failure")) << r.body;  // the server's: a generic sentence
}

TEST_F(PageErrorsTest, AConflictIs409OnTheRedemptionPage) {
  auto inv = env.Call("POST", "/v1.0/invitations", gh::testing::AdminUserToken(env, contoso),
                      R"({"invitedUserEmailAddress":"admin@fabrikam.test","inviteRedirectUrl":"https://apps.contoso.test/"})");
  ASSERT_EQ(inv.status, 201) << inv.body;
  const std::string link(TestEnv::Json(inv).at("inviteRedeemUrl").as_string());
  auto signed_in = browser.Go("POST", "/login", PasswordStep(link, "admin@fabrikam.test"));
  ASSERT_EQ(signed_in.status, 302) << signed_in.body;
  auto consent = browser.Go("GET", std::string(signed_in.Header("Location")));
  ASSERT_EQ(consent.status, 200) << consent.body;
  const std::string accept = "csrf=" + Field(consent.body, "csrf") + "&tenant=" + Field(consent.body, "tenant") +
                             "&user=" + Field(consent.body, "user") + "&ticket=" + Field(consent.body, "ticket") +
                             "&action=accept";
  FailFromWrite(1, Code::kAlreadyExists);
  auto r = browser.Go("POST", "/redeem", accept);
  EXPECT_EQ(r.status, 409) << r.body;
  failing->Reset(0);
  EXPECT_EQ(browser.Go("POST", "/redeem", accept).status, 302);  // nothing was half-written
}

TEST_F(PageErrorsTest, TheRoutersRefusalsOfPagesAreTheSameTable) {
  auto missing = browser.Go("GET", "/no/such/page");
  EXPECT_EQ(missing.status, 404);
  EXPECT_TRUE(Has(missing.body, "<h1>Page not found</h1>")) << missing.body;
  auto wrong_method = browser.Go("DELETE", "/login");
  EXPECT_EQ(wrong_method.status, 405);
  EXPECT_FALSE(Has(wrong_method.body, "\"error\"")) << "a page, not a Graph error";
}

}  // namespace
}  // namespace gh::web
