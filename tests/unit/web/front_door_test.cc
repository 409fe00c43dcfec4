// The front door: "/" offers the admin portal and "My environments" by the
// organisation's domain; the form's target redirects there or says what is
// wrong with what was typed.
#include <gtest/gtest.h>

#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::TestEnv;

class FrontDoorTest : public ::testing::Test {
 protected:
  TestEnv env;
  gh::testing::Browser browser{*env.router, "127.0.0.51"};
};

TEST_F(FrontDoorTest, OffersThePortalAndMyEnvironments) {
  auto r = browser.Go("GET", "/");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_NE(r.body.find("Open the admin portal"), std::string::npos);
  EXPECT_NE(r.body.find("See the environments you can open"), std::string::npos);
}

TEST_F(FrontDoorTest, RedirectsByDomain) {
  auto portal = browser.Go("GET", "/go?to=portal&domain=%20Contoso.COM%20");
  EXPECT_EQ(portal.status, 302);
  EXPECT_EQ(portal.Header("Location"), "/portal/contoso.com");
  auto mine = browser.Go("GET", "/go?to=my&domain=fabrikam.com");
  EXPECT_EQ(mine.status, 302);
  EXPECT_EQ(mine.Header("Location"), "/my/fabrikam.com");
}

TEST_F(FrontDoorTest, ABadDomainIsExplainedNextToTheForm) {
  for (const char* q : {"/go?to=portal&domain=", "/go?to=portal&domain=a/b", "/go?to=my&domain=..x",
                        "/go?to=portal&domain=%3Cscript%3E", "/go?to=elsewhere&domain=contoso.com"}) {
    auto r = browser.Go("GET", q);
    EXPECT_EQ(r.status, 400) << q;
    EXPECT_NE(r.body.find("role=\"alert\""), std::string::npos) << q;
    EXPECT_EQ(r.body.find("<script>"), std::string::npos) << q;  // what was typed comes back escaped
  }
}

}  // namespace
}  // namespace gh::web
