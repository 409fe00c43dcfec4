// The portal's Licenses pages in-process, through a cookie-keeping browser:
// the products with their seats and plans, Add a product, one product's
// holders and seats, the default usage location, and who may do what.
#include <gtest/gtest.h>

#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::TestEnv;

constexpr const char* kPassword = "Str0ng-Passw0rd!";
constexpr const char* kSales = "1e1a282c-9c54-43a2-9310-98ef728faace";       // DYN365_ENTERPRISE_SALES
constexpr const char* kE3 = "05e9a617-0261-4cee-bb44-138d3ef5d965";          // SPE_E3
constexpr const char* kPowerApps = "b30411f5-fea1-4a59-9ad9-3db7c7ead579";   // POWERAPPS_PER_USER

bool Has(const std::string& html, const std::string& needle) { return html.find(needle) != std::string::npos; }

class PortalLicensesTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  std::string tenant_id = contoso.res.tenant.id;
  std::string base = "/portal/" + tenant_id;
  gh::testing::Browser browser{*env.router, "127.0.0.22"};
  directory::Actor system = directory::Actor::System();

  void SetUp() override {
    ASSERT_TRUE(env.licensing->AddSku(system, tenant_id, "DYN365_ENTERPRISE_SALES", 5).ok());
    ASSERT_TRUE(env.licensing->AddSku(system, tenant_id, "SPE_E3", 10).ok());
  }

  http::Response SignInAsAdmin(const std::string& target) {
    return browser.SignInTo(target, "admin@contoso.test", "Adm1n-Passw0rd!");
  }

  directory::User MakeUser(const std::string& name, std::optional<std::string> usage_location = "NO") {
    directory::NewUser u;
    u.user_principal_name = name + "@contoso.test";
    u.display_name = name;
    u.mail_nickname = name;
    u.password = kPassword;
    u.usage_location = std::move(usage_location);
    auto made = env.directory->CreateUser(system, tenant_id, u);
    if (!made.ok()) throw std::runtime_error(made.status().ToString());
    return *made;
  }

  void GiveRole(const directory::User& u, std::string_view role) {
    ASSERT_TRUE(env.directory->AssignRole(system, tenant_id, std::string(role), u.id).ok());
  }

  int64_t Seats(const std::string& sku_id) { return env.licensing->GetSku(tenant_id, sku_id).value().prepaid_enabled; }
  std::string DefaultUsageLocation() { return env.directory->GetTenant(tenant_id).value().default_usage_location; }
};

TEST_F(PortalLicensesTest, ListsTheProductsWithSeatsPlansAndAccess) {
  auto ann = MakeUser("ann");
  ASSERT_TRUE(env.licensing->AssignUserLicenses(system, tenant_id, ann.id, {{{kSales, {}}}, {}}).ok());
  auto page = SignInAsAdmin(base + "/licenses");
  ASSERT_EQ(page.status, 200) << page.body;
  std::string sales_row = page.body.substr(page.body.find("<a href=\"" + base + "/licenses/" + kSales + "\">"));
  sales_row = sales_row.substr(0, sales_row.find("</tr>"));
  EXPECT_TRUE(Has(sales_row, ">Dynamics 365 Sales Enterprise Edition</a></td><td>DYN365_ENTERPRISE_SALES</td>"))
      << sales_row;
  EXPECT_TRUE(Has(sales_row, "data-seats=\"enabled\">5<"));
  EXPECT_TRUE(Has(sales_row, "data-seats=\"consumed\">1<"));
  EXPECT_TRUE(Has(sales_row, "data-seats=\"available\">4<"));
  EXPECT_TRUE(Has(sales_row, "DYN365_ENTERPRISE_SALES, POWERAPPS_DYN_APPS, CDS_DYN_APPS, FLOW_DYN_APPS"));
  EXPECT_TRUE(Has(sales_row, "<td>Yes, with Dataverse</td>"));
  std::string e3_row = page.body.substr(page.body.find("<a href=\"" + base + "/licenses/" + kE3 + "\">"));
  EXPECT_TRUE(Has(e3_row.substr(0, e3_row.find("</tr>")), "<td>No</td>"));
}

TEST_F(PortalLicensesTest, AddsAProductWithSeats) {
  auto page = SignInAsAdmin(base + "/licenses");
  EXPECT_TRUE(Has(page.body, "<select id=\"product\" name=\"product\"\n          >\n    <option value=\"\">Choose a product</option>"))
      << page.body;  // the picker starts on no product
  EXPECT_TRUE(Has(page.body, std::string("<option value=\"") + kPowerApps + "\" >Power Apps per user plan"));
  EXPECT_FALSE(Has(page.body, std::string("<option value=\"") + kSales));  // subscribed already
  auto r = browser.Submit(page.body, base + "/licenses", std::string("product=") + kPowerApps + "&seats=3");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), base + "/licenses");
  EXPECT_EQ(Seats(kPowerApps), 3);
  EXPECT_FALSE(Has(browser.Go("GET", base + "/licenses").body, std::string("<option value=\"") + kPowerApps));
}

TEST_F(PortalLicensesTest, RefusesAProductWithoutChoiceOrSeatsNextToTheField) {
  auto page = SignInAsAdmin(base + "/licenses");
  auto r = browser.Submit(page.body, base + "/licenses", std::string("product=") + kPowerApps + "&seats=three");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "aria-invalid=\"true\" aria-describedby=\"seats-error\""));
  EXPECT_TRUE(Has(r.body, "id=\"seats-error\" role=\"alert\">Enter the number of seats"));
  EXPECT_TRUE(Has(r.body, "value=\"three\""));  // what was typed stays
  EXPECT_TRUE(Has(r.body, std::string("<option value=\"") + kPowerApps + "\" selected>"));
  r = browser.Submit(page.body, base + "/licenses", "product=&seats=3");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"product-error\" role=\"alert\">Choose a product."));
  r = browser.Submit(page.body, base + "/licenses", "product=NOT_A_PRODUCT&seats=3");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"product-error\""));
  r = browser.Submit(page.body, base + "/licenses", std::string("product=") + kPowerApps + "&seats=2000000");
  EXPECT_EQ(r.status, 400);
  EXPECT_TRUE(Has(r.body, "id=\"seats-error\""));
  EXPECT_EQ(env.licensing->ListSkus(tenant_id).value().size(), 2u);
}

TEST_F(PortalLicensesTest, ChangesSeatsAndRefusesNegativeOrNonNumbers) {
  auto page = SignInAsAdmin(base + "/licenses/" + kSales);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "<h1>Dynamics 365 Sales Enterprise Edition</h1>"));
  EXPECT_TRUE(Has(page.body, "name=\"seats\" type=\"number\" min=\"0\" value=\"5\""));
  const std::string action = base + "/licenses/" + kSales + "/seats";
  auto r = browser.Submit(page.body, action, "seats=12");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(r.Header("Location"), base + "/licenses/" + kSales);
  EXPECT_EQ(Seats(kSales), 12);
  for (const char* bad : {"-1", "abc", "", "1.5", "2000000"}) {
    r = browser.Submit(page.body, action, std::string("seats=") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(Has(r.body, "aria-invalid=\"true\" aria-describedby=\"seats-error\"")) << bad;
    EXPECT_TRUE(Has(r.body, "id=\"seats-error\" role=\"alert\">")) << bad;
  }
  EXPECT_EQ(Seats(kSales), 12);
  EXPECT_EQ(browser.Go("GET", base + "/licenses/00000000-0000-4000-8000-000000000000").status, 404);
}

TEST_F(PortalLicensesTest, ListsWhoHoldsTheProductDirectlyOrThroughAGroup) {
  auto ann = MakeUser("ann");
  auto ben = MakeUser("ben");
  auto cai = MakeUser("cai", std::nullopt);  // no usage location: the group can't license her
  ASSERT_TRUE(env.licensing->AssignUserLicenses(system, tenant_id, ann.id, {{{kSales, {}}}, {}}).ok());
  directory::NewGroup g;
  g.display_name = "Sales";
  g.mail_nickname = "sales";
  auto sales = env.directory->CreateGroup(system, tenant_id, g).value();
  for (const auto& u : {ann, ben, cai}) ASSERT_TRUE(env.directory->AddMember(system, tenant_id, sales.id, u.id).ok());
  ASSERT_TRUE(env.licensing->AssignGroupLicenses(system, tenant_id, sales.id, {{{kSales, {}}}, {}}).ok());

  auto page = SignInAsAdmin(base + "/licenses/" + kSales);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_TRUE(Has(page.body, "data-seats=\"consumed\">2<"));
  const std::string group_link = "<a href=\"" + base + "/groups/" + sales.id + "\">Sales</a> (group)";
  EXPECT_TRUE(Has(page.body, "<a href=\"" + base + "/users/" + ann.id + "\">ann</a>")) << page.body;
  EXPECT_TRUE(Has(page.body, "<td>Direct, " + group_link + "</td>\n<td>Active</td>"));
  EXPECT_TRUE(Has(page.body, "<a href=\"" + base + "/users/" + ben.id + "\">ben</a>"));
  EXPECT_TRUE(Has(page.body, "<td>" + group_link + "</td>\n<td>Active</td>"));
  EXPECT_TRUE(Has(page.body, "<td>Error (ProhibitedInUsageLocationViolation)</td>"));
  EXPECT_TRUE(Has(page.body, "DYN365_ENTERPRISE_SALES</td><td><code>2da8e897-7791-486b-b08f-cc63c8129df7</code>"));
  EXPECT_FALSE(Has(browser.Go("GET", base + "/licenses/" + kE3).body, "/users/" + ann.id));
}

TEST_F(PortalLicensesTest, SetsTheDefaultUsageLocation) {
  auto page = SignInAsAdmin(base + "/licenses");
  EXPECT_TRUE(Has(page.body, "data-default-usage-location=\"\">none<"));
  const std::string action = base + "/licenses/default-usage-location";
  auto r = browser.Submit(page.body, action, "defaultUsageLocation=no");
  ASSERT_EQ(r.status, 303) << r.body;
  EXPECT_EQ(DefaultUsageLocation(), "NO");
  EXPECT_TRUE(Has(browser.Go("GET", base + "/licenses").body, "data-default-usage-location=\"NO\">NO<"));
  for (const char* bad : {"ZZ", "Norway"}) {
    r = browser.Submit(page.body, action, std::string("defaultUsageLocation=") + bad);
    EXPECT_EQ(r.status, 400) << bad;
    EXPECT_TRUE(Has(r.body, "id=\"defaultUsageLocation-error\" role=\"alert\">")) << r.body;
    EXPECT_TRUE(Has(r.body, "aria-invalid=\"true\""));
  }
  EXPECT_EQ(DefaultUsageLocation(), "NO");
  ASSERT_EQ(browser.Submit(page.body, action, "defaultUsageLocation=").status, 303);  // empty clears it
  EXPECT_EQ(DefaultUsageLocation(), "");
}

// As in Entra, a License Administrator assigns licences but doesn't buy
// products or seats (a Billing Administrator's task), nor set the default
// usage location.
TEST_F(PortalLicensesTest, ALicenseAdministratorBuysNothingAndKeepsTheDefaultLocation) {
  auto lena = MakeUser("lena");
  GiveRole(lena, directory::kLicenseAdministratorRole);
  auto page = browser.SignInTo(base + "/licenses", "lena@contoso.test", kPassword);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_FALSE(Has(page.body, "Add product"));
  EXPECT_FALSE(Has(page.body, "Save default usage location"));
  EXPECT_EQ(browser.Submit(page.body, base + "/licenses/default-usage-location", "defaultUsageLocation=NO").status,
            403);
  EXPECT_EQ(DefaultUsageLocation(), "");
  EXPECT_EQ(browser.Submit(page.body, base + "/licenses/" + std::string(kSales) + "/seats", "seats=7").status, 403);
  EXPECT_EQ(browser.Submit(page.body, base + "/licenses", std::string("product=") + kPowerApps + "&seats=1").status,
            403);
  EXPECT_EQ(Seats(kSales), 5);
}

TEST_F(PortalLicensesTest, AReaderSeesNoFormsAndChangesNothing) {
  auto megan = MakeUser("megan");
  GiveRole(megan, directory::kPowerPlatformAdministratorRole);
  auto page = browser.SignInTo(base + "/licenses/" + std::string(kSales), "megan@contoso.test", kPassword);
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_FALSE(Has(page.body, "Save seats"));
  EXPECT_FALSE(Has(browser.Go("GET", base + "/licenses").body, "Add product"));
  EXPECT_EQ(browser.Submit(page.body, base + "/licenses/" + std::string(kSales) + "/seats", "seats=7").status, 403);
  EXPECT_EQ(browser.Submit(page.body, base + "/licenses", std::string("product=") + kPowerApps + "&seats=1").status,
            403);
  EXPECT_EQ(Seats(kSales), 5);
  EXPECT_EQ(env.licensing->ListSkus(tenant_id).value().size(), 2u);
}

TEST_F(PortalLicensesTest, AUserWithoutARoleIsTurnedAway) {
  MakeUser("lynne");
  EXPECT_EQ(browser.SignInTo(base + "/licenses", "lynne@contoso.test", kPassword).status, 403);
  EXPECT_EQ(browser.Go("GET", base + "/licenses/" + std::string(kSales)).status, 403);
  EXPECT_EQ(browser.Go("POST", base + "/licenses/" + std::string(kSales) + "/seats", "csrf=x&seats=9").status, 403);
  EXPECT_EQ(Seats(kSales), 5);
}

TEST_F(PortalLicensesTest, AFormWithoutItsTokenChangesNothing) {
  SignInAsAdmin(base + "/licenses");
  EXPECT_EQ(browser.Go("POST", base + "/licenses/" + std::string(kSales) + "/seats", "seats=9").status, 403);
  EXPECT_EQ(browser.Go("POST", base + "/licenses", std::string("csrf=forged&product=") + kPowerApps + "&seats=1").status,
            403);
  EXPECT_EQ(browser.Go("POST", base + "/licenses/default-usage-location", "defaultUsageLocation=NO").status, 403);
  EXPECT_EQ(Seats(kSales), 5);
  EXPECT_EQ(env.licensing->ListSkus(tenant_id).value().size(), 2u);
  EXPECT_EQ(DefaultUsageLocation(), "");
}

}  // namespace
}  // namespace gh::web
