// The admin portal in-process, through a
// cookie-keeping browser: sign-in redirect, the users list (search, filters,
// paging), New guest user, bulk invitations (the template, the upload form
// with errors next to the file field, the job page, cancel, the results
// file), who may use it, and the one request pipeline every portal route goes
// through (its route table rows, its steps in order, the bulk upload's
// admission before the body is read).
#include <gtest/gtest.h>

#include <map>

#include "support/app_consent.h"
#include "support/browser.h"
#include "support/test_env.h"

namespace gh::web {
namespace {

using gh::testing::Field;
using gh::testing::TestEnv;
using gh::testing::Unescape;

constexpr const char* kBoundary = "----portalTestBoundary";

std::string Multipart(const std::string& csrf, const std::string& csv, const std::string& redirect = "https://apps.contoso.test/") {
  std::string b = kBoundary;
  auto field = [&](const std::string& name, const std::string& value) {
    return "--" + b + "\r\nContent-Disposition: form-data; name=\"" + name + "\"\r\n\r\n" + value + "\r\n";
  };
  return field("csrf", csrf) + field("redirectUrl", redirect) + field("sendEmail", "true") + "--" + b +
         "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"guests.csv\"\r\nContent-Type: text/csv\r\n\r\n" +
         csv + "\r\n--" + b + "--\r\n";
}

constexpr const char* kMemberPassword = "Str0ng-Passw0rd!";

bool Has(const std::string& html, const std::string& text) { return html.find(text) != std::string::npos; }

class PortalTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  gh::testing::Browser browser{*env.router, "127.0.0.4"};
  std::string base = "/portal/" + contoso.res.tenant.id;

  http::Response SignInTo(const std::string& target, const std::string& email, const std::string& password) {
    return browser.SignInTo(target, email, password);
  }

  // A member who signs in with kMemberPassword, holding `role` when given.
  std::string Member(const std::string& nick, std::string_view role = {}) {
    auto r = env.Call("POST", "/v1.0/users", contoso.token,
                      R"({"accountEnabled":true,"displayName":")" + nick + R"(","mailNickname":")" + nick +
                          R"(","userPrincipalName":")" + nick + R"(@contoso.test","passwordProfile":{"password":")" +
                          kMemberPassword + R"("}})");
    EXPECT_EQ(r.status, 201) << r.body;
    std::string id(TestEnv::Json(r).at("id").as_string());
    if (!role.empty()) {
      EXPECT_TRUE(env.directory->AssignRole(directory::Actor::System(), contoso.res.tenant.id, std::string(role), id)
                      .ok());
    }
    return id;
  }

  http::Response Upload(const std::string& page_html, const std::string& csv) {
    return browser.Go("POST", base + "/bulk", Multipart(Field(page_html, "csrf"), csv),
                      std::string("multipart/form-data; boundary=") + kBoundary);
  }
};

TEST_F(PortalTest, AnAdminUploadsWatchesAndDownloadsTheResults) {
  auto page = SignInTo(base + "/bulk", "admin@contoso.test", "Adm1n-Passw0rd!");
  ASSERT_EQ(page.status, 200) << page.body;
  EXPECT_NE(page.body.find("No bulk invitations yet."), std::string::npos);
  EXPECT_NE(page.body.find("Contoso · admin@contoso.test"), std::string::npos);  // the portal's header
  auto tpl = browser.Go("GET", base + "/bulk/template.csv");
  EXPECT_EQ(tpl.status, 200);
  EXPECT_TRUE(tpl.body.starts_with("version:v1.0,,,\r\nEmail address to invite [inviteeEmail] Required,"));

  auto r = Upload(page.body, tpl.body + "ann@partner.example,https://myapps.microsoft.com,true,Welcome\r\nnot-an-address,,,\r\n");
  ASSERT_EQ(r.status, 303) << r.body;
  std::string job_page(r.Header("Location"));
  ASSERT_TRUE(job_page.starts_with(base + "/bulk/")) << job_page;
  auto queued = browser.Go("GET", job_page);
  EXPECT_NE(queued.body.find("http-equiv=\"refresh\""), std::string::npos);  // refreshes itself while it runs
  EXPECT_NE(queued.body.find("Cancel the job"), std::string::npos);

  env.bulk_runner->RunAll();
  auto done = browser.Go("GET", job_page);
  EXPECT_NE(done.body.find("data-status=\"completedWithErrors\""), std::string::npos) << done.body;
  EXPECT_NE(done.body.find("data-count=\"succeeded\">1<"), std::string::npos);
  EXPECT_NE(done.body.find("data-count=\"failed\">1<"), std::string::npos);
  EXPECT_EQ(done.body.find("http-equiv=\"refresh\""), std::string::npos);
  auto results = browser.Go("GET", job_page + "/results");
  EXPECT_EQ(results.status, 200);
  EXPECT_EQ(results.Header("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_NE(results.body.find("\n3,ann@partner.example,invited,"), std::string::npos) << results.body;
  EXPECT_NE(results.body.find("\n4,not-an-address,invalid,"), std::string::npos);
  ASSERT_EQ(env.sent_invitations.size(), 1u);
  EXPECT_EQ(env.sent_invitations[0].custom_message, "Welcome");
  // The job is listed with its counts.
  auto list = browser.Go("GET", base + "/bulk");
  EXPECT_NE(list.body.find("guests.csv"), std::string::npos);
}

TEST_F(PortalTest, RefusalsAreShownNextToTheFileField) {
  auto page = SignInTo(base + "/bulk", "admin@contoso.test", "Adm1n-Passw0rd!");
  auto r = Upload(page.body, "Name,Company\nAnn,Partner\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("aria-invalid=\"true\""), std::string::npos);
  EXPECT_NE(r.body.find("id=\"file-error\""), std::string::npos);
  EXPECT_NE(r.body.find("no column with the address"), std::string::npos);
  // A forged form (no CSRF token) changes nothing.
  r = browser.Go("POST", base + "/bulk", Multipart("forged", "email\nann@partner.example\n"),
                 std::string("multipart/form-data; boundary=") + kBoundary);
  EXPECT_EQ(r.status, 403);
  auto jobs = env.bulk->List(contoso.res.tenant.id, "", 10);
  ASSERT_TRUE(jobs.ok());
  EXPECT_TRUE(jobs->items.empty());
}

TEST_F(PortalTest, CancelFromTheJobPage) {
  auto page = SignInTo(base + "/bulk", "admin@contoso.test", "Adm1n-Passw0rd!");
  auto r = Upload(page.body, "email\na@p.example\nb@p.example\nc@p.example\nd@p.example\ne@p.example\n");
  std::string job_page(r.Header("Location"));
  auto job = browser.Go("GET", job_page);
  r = browser.Go("POST", job_page + "/cancel", "csrf=" + Field(job.body, "csrf"));
  EXPECT_EQ(r.status, 303);
  env.bulk_runner->RunAll();
  EXPECT_NE(browser.Go("GET", job_page).body.find("data-status=\"cancelled\""), std::string::npos);
}

TEST_F(PortalTest, OnlyAdministratorsGetIn) {
  auto user = env.Call("POST", "/v1.0/users", contoso.token,
                       R"({"accountEnabled":true,"displayName":"Meg","mailNickname":"meg","userPrincipalName":"meg@contoso.test",)"
                       R"("passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
  ASSERT_EQ(user.status, 201);
  auto r = SignInTo(base, "meg@contoso.test", "Str0ng-Passw0rd!");
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("Guest Inviters"), std::string::npos);
  EXPECT_EQ(gh::testing::Browser(*env.router, "127.0.0.5").Go("GET", "/portal/nowhere.test").status, 404);
}

TEST_F(PortalTest, NewGuestUserInvitesOneAndShowsRefusalsAtTheField) {
  auto page = SignInTo(base + "/users/invite", "admin@contoso.test", "Adm1n-Passw0rd!");
  ASSERT_EQ(page.status, 200) << page.body;
  std::string csrf = "csrf=" + Field(page.body, "csrf");
  auto r = browser.Go("POST", base + "/users/invite",
                      csrf + "&email=not-an-address&redirectUrl=https%3A%2F%2Fmyapps.microsoft.com&sendEmail=true");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("id=\"email-error\""), std::string::npos) << r.body;
  EXPECT_NE(r.body.find("value=\"not-an-address\""), std::string::npos);  // what was typed stays
  r = browser.Go("POST", base + "/users/invite", csrf + "&email=ann%40partner.example&redirectUrl=javascript%3Ax");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("id=\"redirect-error\""), std::string::npos) << r.body;
  r = browser.Go("POST", base + "/users/invite",
                 csrf + "&email=ann%40partner.example&displayName=Ann+Lee&redirectUrl=https%3A%2F%2Fmyapps.microsoft.com"
                        "&message=Welcome&sendEmail=true");
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_NE(r.body.find("data-status=\"PendingAcceptance\""), std::string::npos);
  EXPECT_NE(Unescape(Field(r.body, "redeem")).find("https://localhost:8443/redeem?"), std::string::npos) << r.body;
  ASSERT_EQ(env.sent_invitations.size(), 1u);
  EXPECT_EQ(env.sent_invitations[0].custom_message, "Welcome");
  // Without the form's token nothing happens.
  EXPECT_EQ(browser.Go("POST", base + "/users/invite", "csrf=forged&email=ben%40partner.example").status, 403);
  EXPECT_EQ(env.sent_invitations.size(), 1u);
}

TEST_F(PortalTest, UsersAreListedWithSearchFiltersAndPaging) {
  for (int i = 0; i < 55; ++i) {
    auto r = env.Call("POST", "/v1.0/invitations", gh::testing::AdminUserToken(env, contoso),
                      R"({"invitedUserEmailAddress":"guest)" + std::to_string(i) +
                          R"(@partner.example","inviteRedirectUrl":"https://myapps.microsoft.com"})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  auto page = SignInTo(base + "/users?type=Guest", "admin@contoso.test", "Adm1n-Passw0rd!");  // the query survives sign-in
  ASSERT_EQ(page.status, 200) << page.body;
  auto rows = [](const std::string& html) {
    size_t n = 0;
    for (size_t p = html.find("<tr><td>"); p != std::string::npos; p = html.find("<tr><td>", p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(rows(page.body), 50u);
  EXPECT_EQ(page.body.find("admin@contoso.test</td>"), std::string::npos);  // members filtered out
  auto link = page.body.find("rel=\"next\"");
  ASSERT_NE(link, std::string::npos);
  size_t href = page.body.rfind("href=\"", link) + 6;
  auto second = browser.Go("GET", Unescape(page.body.substr(href, page.body.find('"', href) - href)));
  EXPECT_EQ(rows(second.body), 5u);
  EXPECT_EQ(second.body.find("rel=\"next\""), std::string::npos);
  auto search = browser.Go("GET", base + "/users?q=guest1&state=PendingAcceptance");
  EXPECT_EQ(rows(search.body), 11u);  // guest1, guest10..guest19
  EXPECT_NE(search.body.find("<td>PendingAcceptance</td>"), std::string::npos);
  EXPECT_EQ(rows(browser.Go("GET", base + "/users?q=guest1&state=Accepted").body), 0u);
  auto members = browser.Go("GET", base + "/users?type=Member");
  EXPECT_NE(members.body.find("admin@contoso.test</td>"), std::string::npos);
}

// Every portal page's row carries its real permission (the name the route
// table shows) and says the caller proves who they are with the session cookie.
TEST_F(PortalTest, EveryPortalRouteCarriesItsPermission) {
  std::map<std::string, std::string> permission;
  for (const auto& route : env.router->routes()) {
    if (!route.pattern.starts_with("/portal/")) continue;
    const std::string key = route.method + " " + route.pattern;
    EXPECT_EQ(route.credential, http::Credential::kSession) << key;
    EXPECT_FALSE(route.permission.is_public()) << key;
    permission[key] = route.permission.name;
  }
  EXPECT_GT(permission.size(), 50u);
  EXPECT_EQ(permission["GET /portal/{tenant}"], "portal administrator");
  EXPECT_EQ(permission["POST /portal/{tenant}/bulk"], "portal administrator");  // the invitation service decides
  EXPECT_EQ(permission["GET /portal/{tenant}/users"], "User.Read.All");
  // A form's permission is the change it makes, not the page's read.
  EXPECT_EQ(permission["POST /portal/{tenant}/users/{id}/roles"], "RoleManagement.ReadWrite.Directory");
  EXPECT_EQ(permission["POST /portal/{tenant}/groups/{id}/licenses"], "LicenseAssignment.ReadWrite.All");
  EXPECT_EQ(permission["POST /portal/{tenant}/licenses/default-usage-location"], "Organization.ReadWrite.All");
  EXPECT_EQ(permission["POST /portal/{tenant}/external-collaboration"], "Policy.ReadWrite.Authorization");
}

// The pipeline's steps, in order: the tenant (404), the session (the sign-in
// page), the portal's gate, the route's permission (a 403 naming it, before
// the form is looked at), then the form's CSRF token.
TEST_F(PortalTest, ThePipelineRefusesStepByStep) {
  EXPECT_EQ(browser.Go("GET", "/portal/nowhere.test/groups").status, 404);
  auto r = browser.Go("POST", base + "/groups", "csrf=forged&displayName=Forged&groupType=security");
  EXPECT_EQ(r.status, 303);
  EXPECT_TRUE(r.Header("Location").starts_with("/login?tenant=" + contoso.res.tenant.id + "&continue=")) << r.Header("Location");

  // A Guest Inviter opens the portal, but not the groups.
  Member("gina", directory::kGuestInviterRole);
  gh::testing::Browser gina(*env.router, "127.0.0.7");
  ASSERT_EQ(gina.SignInTo(base, "gina@contoso.test", kMemberPassword).status, 200);
  r = gina.Go("GET", base + "/groups");
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(Has(r.body, "You can&#39;t open this page")) << r.body;
  EXPECT_TRUE(Has(r.body, "It needs the Group.Read.All permission")) << r.body;
  // Her form is refused for the permission it needs, whatever its token.
  r = gina.Go("POST", base + "/groups", "csrf=forged&displayName=Forged&groupType=security");
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(Has(r.body, "You can&#39;t make this change")) << r.body;
  EXPECT_TRUE(Has(r.body, "It needs the Group.ReadWrite.All permission")) << r.body;

  // An administrator's form without its token has expired.
  ASSERT_EQ(SignInTo(base + "/groups", "admin@contoso.test", "Adm1n-Passw0rd!").status, 200);
  r = browser.Go("POST", base + "/groups", "csrf=forged&displayName=Forged&groupType=security");
  EXPECT_EQ(r.status, 403);
  EXPECT_TRUE(Has(r.body, "This form has expired")) << r.body;
  EXPECT_FALSE(Has(browser.Go("GET", base + "/groups").body, "Forged"));

  // A bearer token is no session: the portal asks for sign-in.
  r = env.router->Handle([&] {
    http::Request req;
    req.method = "GET";
    req.target = base + "/groups";
    req.headers = {{"Host", "localhost:8443"}, {"Authorization", "Bearer " + contoso.token}};
    req.secure = true;
    req.remote_address = "127.0.0.8";
    EXPECT_TRUE(req.ParseTarget());
    return req;
  }());
  EXPECT_EQ(r.status, 303);
}

// The bulk upload's large body is admitted by the pipeline's steps that need
// no body, from the headers alone: the sign-in page for nobody, the gate's 403
// for a user without a portal role, nothing (read it) for an administrator.
TEST_F(PortalTest, ALargeUploadIsAdmittedByThePipelineBeforeItsBodyIsRead) {
  auto head = [&](const std::string& cookies) {
    http::Request req;
    req.method = "POST";
    req.target = base + "/bulk";
    req.headers = {{"Host", "localhost:8443"},
                   {"Content-Type", std::string("multipart/form-data; boundary=") + kBoundary}};
    if (!cookies.empty()) req.headers.emplace_back("Cookie", cookies);
    req.secure = true;
    req.remote_address = "127.0.0.4";
    EXPECT_TRUE(req.ParseTarget());
    return req;
  };
  auto refused = env.router->AdmitLargeBody(head(""));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 303);

  Member("meg");
  gh::testing::Browser meg(*env.router, "127.0.0.9");
  EXPECT_EQ(meg.SignInTo(base, "meg@contoso.test", kMemberPassword).status, 403);
  refused = env.router->AdmitLargeBody(head(meg.cookies));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 403);

  ASSERT_EQ(SignInTo(base + "/bulk", "admin@contoso.test", "Adm1n-Passw0rd!").status, 200);
  EXPECT_FALSE(env.router->AdmitLargeBody(head(browser.cookies)));
}

}  // namespace
}  // namespace gh::web
