// Environment URL squatting across tenants (security review #15): the URL
// /env/{uniqueName} names no tenant, so a name taken by one organisation
// can't be taken by another, and the URL always reaches the organisation
// that has it — through the API and the portal, for created and Default
// environments alike.
#include <gtest/gtest.h>

#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::TestEnv;

class EnvironmentSquattingTest : public ::testing::Test {
 protected:
  TestEnv env;
  // Fabrikam's tenant is the older one: the old lookup walked tenants in
  // creation order, so its squatted copy won.
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  gh::testing::Browser browser{*env.router, "127.0.0.42"};

  http::Response Create(const TestEnv::TenantHandle& t, const std::string& unique) {
    return env.Call("POST", "/api/v1/environments", t.token,
                    R"({"displayName":"Sales","uniqueName":")" + unique + R"(","type":"Production"})");
  }
  size_t Count(const TestEnv::TenantHandle& t) {
    auto r = env.Call("GET", "/api/v1/environments", t.token);
    EXPECT_EQ(r.status, 200) << r.body;
    return TestEnv::Json(r).at("value").as_array().size();
  }
  // Where /env/{name} sends someone who isn't signed in: its tenant's sign-in.
  std::string SignInTenantOf(const std::string& unique) {
    auto r = browser.Go("GET", "/env/" + unique);
    if (r.status != 302) return "status " + std::to_string(r.status);
    std::string location(r.Header("Location"));
    auto at = location.find("tenant=");
    return location.substr(at + 7, location.find('&', at) - at - 7);
  }
};

TEST_F(EnvironmentSquattingTest, ANameTakenInOneTenantCannotBeTakenInAnother) {
  ASSERT_EQ(Create(contoso, "contoso-sales").status, 201);
  const size_t before = Count(fabrikam);
  auto squat = Create(fabrikam, "contoso-sales");
  EXPECT_EQ(squat.status, 400) << squat.body;
  EXPECT_NE(squat.body.find("is taken"), std::string::npos) << squat.body;
  EXPECT_EQ(Count(fabrikam), before);  // nothing created
  EXPECT_EQ(SignInTenantOf("contoso-sales"), contoso.res.tenant.id);
}

TEST_F(EnvironmentSquattingTest, AnotherOrganisationsDefaultNameCannotBeTaken) {
  // Contoso's Default environment is contoso-default (made on first use).
  ASSERT_EQ(Count(contoso), 1u);
  for (const char* name : {"contoso-default", "someone-else-default", "default"}) {
    auto squat = Create(fabrikam, name);
    EXPECT_EQ(squat.status, 400) << name << ": " << squat.body;
  }
  EXPECT_EQ(SignInTenantOf("contoso-default"), contoso.res.tenant.id);
}

TEST_F(EnvironmentSquattingTest, TwoOrganisationsWithOneNameGetTwoDefaultEnvironments) {
  TestEnv::TenantHandle other = env.Tenant("Contoso", "contoso-two.test");
  ASSERT_EQ(Count(contoso), 1u);
  ASSERT_EQ(Count(other), 1u);
  auto first = TestEnv::Json(env.Call("GET", "/api/v1/environments", contoso.token)).at("value").at(0);
  auto second = TestEnv::Json(env.Call("GET", "/api/v1/environments", other.token)).at("value").at(0);
  std::string a(first.at("uniqueName").as_string()), b(second.at("uniqueName").as_string());
  EXPECT_EQ(a, "contoso-default");
  EXPECT_NE(a, b);
  EXPECT_TRUE(b.starts_with("contoso-default-")) << b;
  EXPECT_EQ(SignInTenantOf(a), contoso.res.tenant.id);
  EXPECT_EQ(SignInTenantOf(b), other.res.tenant.id);
}

TEST_F(EnvironmentSquattingTest, AnUnknownNameIsNotFound) {
  EXPECT_EQ(browser.Go("GET", "/env/nobody-has-this").status, 404);
}

}  // namespace
}  // namespace gh::web
