// Route permissions with real tokens through the in-process router (findings
// #4 and #7 of the security review): a user's token acts only within the
// delegated scopes the app was given AND the user's directory roles; an app's
// token only within the application permissions an administrator granted it.
// Also: the permission catalogue, requiredResourceAccess on /applications,
// /servicePrincipals with their appRoleAssignments, /oauth2PermissionGrants,
// and the invitation rule for apps.
#include <gtest/gtest.h>

#include <set>

#include "cli/auth.h"
#include "core/strings.h"
#include "environments/app_service.h"
#include "identity/consent.h"
#include "identity/graph_permissions.h"
#include "support/app_consent.h"
#include "support/test_env.h"

namespace gh::api {
namespace {

using gh::testing::TestEnv;
namespace json = boost::json;

constexpr const char* kGraph = "00000003-0000-0000-c000-000000000000";

class PermissionsApiTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");
  std::string admin = gh::testing::AdminUserToken(env, contoso);

  // A user token of `user_id` for `client_id` with exactly `scopes` (what
  // the sign-in code would have put in it after consent).
  std::string UserToken(const std::string& user_id, const std::vector<std::string>& scopes,
                        const std::string& client_id = "11111111-2222-4333-8444-555555555555") {
    identity::TokenService::UserTokenRequest req;
    req.tenant_id = contoso.res.tenant.id;
    req.client_id = client_id;
    req.user_id = user_id;
    req.scopes = scopes;
    req.with_id_token = false;
    auto t = env.tokens->IssueUserTokens(req);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? t->access_token : "";
  }

  // Registers an app through Graph (as the automation client), adds a secret,
  // and returns {object id, appId, secret}.
  struct App {
    std::string id, app_id, secret;
  };
  App RegisterApp(const std::string& name, const std::string& extra = "") {
    auto r = env.Call("POST", "/v1.0/applications", contoso.token,
                      R"({"displayName":")" + name + R"(")" + extra + "}");
    EXPECT_EQ(r.status, 201) << r.body;
    App a;
    a.id = std::string(TestEnv::Json(r).at("id").as_string());
    a.app_id = std::string(TestEnv::Json(r).at("appId").as_string());
    auto p = env.Call("POST", "/v1.0/applications/" + a.id + "/addPassword", contoso.token, "{}");
    EXPECT_EQ(p.status, 200) << p.body;
    a.secret = std::string(TestEnv::Json(p).at("secretText").as_string());
    return a;
  }
  std::string AppToken(const App& a) {
    auto t = env.tokens->ClientCredentials("contoso.test", a.app_id, a.secret, "https://graph.microsoft.com/.default");
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? t->access_token : "";
  }
  std::string GraphSpId() { return identity::GraphServicePrincipalId(contoso.res.tenant.id); }
  std::string RoleId(const std::string& name) { return std::string(identity::FindPermission(name)->role_id); }

  static void ExpectDenied(const http::Response& r) {
    EXPECT_EQ(r.status, 403) << r.body;
    if (r.status == 403) {
      EXPECT_EQ(TestEnv::ErrorCode(r), "Authorization_RequestDenied") << r.body;
    }
  }

  std::string CreateUser(const std::string& nick) {
    auto r = env.Call("POST", "/v1.0/users", contoso.token,
                      R"({"accountEnabled":true,"displayName":")" + nick + R"(","mailNickname":")" + nick +
                          R"(","userPrincipalName":")" + nick + R"(@contoso.test","passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(TestEnv::Json(r).at("id").as_string());
  }
  void GiveRole(const std::string& user_id, std::string_view role) {
    auto r = env.Call("POST", "/v1.0/roleManagement/directory/roleAssignments", contoso.token,
                      R"({"principalId":")" + user_id + R"(","roleDefinitionId":")" + std::string(role) +
                          R"(","directoryScopeId":"/"})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
};

// ---- the catalogue

TEST(GraphPermissionCatalogTest, IdsAreUniqueAndWellFormed) {
  std::set<std::string> ids, names;
  for (const auto& p : identity::GraphPermissions()) {
    EXPECT_TRUE(names.insert(std::string(p.name)).second) << p.name;
    EXPECT_FALSE(p.scope_id.empty() && p.role_id.empty()) << p.name;
    for (auto id : {p.scope_id, p.role_id}) {
      if (id.empty()) continue;
      EXPECT_TRUE(IsUuid(std::string(id))) << p.name << " " << id;
      EXPECT_TRUE(ids.insert(std::string(id)).second) << "duplicate id " << id;
    }
    if (!p.scope_id.empty()) {
      EXPECT_FALSE(p.consent_text.empty()) << p.name;
    }
    if (!p.role_id.empty()) {
      EXPECT_FALSE(p.role_name.empty()) << p.name;
    }
  }
  // Graph's real ids (a sample).
  EXPECT_EQ(identity::FindPermission("User.Read")->scope_id, "e1fe6dd8-ba31-4d61-89e7-88639da4683d");
  EXPECT_EQ(identity::FindPermission("User.Read.All")->role_id, "df021288-bdef-4463-88db-98f22de89214");
  EXPECT_EQ(identity::FindPermission("Directory.AccessAsUser.All")->scope_id, "0e263e50-5827-48a4-b97c-d940288653c7");
  EXPECT_EQ(identity::FindRoleById("741F803B-C850-494E-B5DF-CDE7C675A1CA")->name, "User.ReadWrite.All");
  EXPECT_FALSE(identity::FindPermission("User.Read")->admin_consent);
  EXPECT_TRUE(identity::FindPermission("User.ReadWrite.All")->admin_consent);
  EXPECT_TRUE(identity::FindPermission("Environment.ReadWrite.All")->gatehouse);
}

TEST(GraphPermissionCatalogTest, TheCliAsksForExactlyItsPreauthorisedScopes) {
  std::istringstream in(cli::kCliScope);
  std::vector<std::string> asked;
  for (std::string w; in >> w;) asked.push_back(w);
  EXPECT_EQ(asked, identity::PreauthorizedScopes(wire::kCliClientId));
  EXPECT_TRUE(identity::PreauthorizedScopes("11111111-2222-4333-8444-555555555555").empty());
}

// ---- finding #4: delegated scopes are enforced, together with the role

TEST_F(PermissionsApiTest, ASignInOnlyAppsTokenCantWriteTheDirectoryEvenForAGlobalAdministrator) {
  std::string t = UserToken(contoso.res.admin.id, {"User.Read"});
  ExpectDenied(env.Call("POST", "/v1.0/users", t,
                        R"({"accountEnabled":true,"displayName":"Eve","mailNickname":"eve",)"
                        R"("userPrincipalName":"eve@contoso.test","passwordProfile":{"password":"Str0ng-Passw0rd!"}})"));
  ExpectDenied(env.Call("POST", "/v1.0/roleManagement/directory/roleAssignments", t,
                        R"({"principalId":")" + contoso.res.admin.id +
                            R"(","roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10","directoryScopeId":"/"})"));
  ExpectDenied(env.Call("PATCH", "/v1.0/policies/authorizationPolicy", t, R"({"allowInvitesFrom":"everyone"})"));
  ExpectDenied(env.Call("GET", "/v1.0/users", t));
  ExpectDenied(env.Call("POST", "/v1.0/invitations", t,
                        R"({"invitedUserEmailAddress":"x@example.org","inviteRedirectUrl":"https://a.test"})"));
  ExpectDenied(env.Call("PATCH", "/api/v1/tenantSettings", t, R"({"powerPlatform":{}})"));
  // Nothing changed.
  EXPECT_EQ(env.Call("GET", "/v1.0/users/eve@contoso.test", contoso.token).status, 404);
  EXPECT_EQ(TestEnv::Json(env.Call("GET", "/v1.0/policies/authorizationPolicy", contoso.token))
                .at("allowInvitesFrom").as_string(),
            "adminsAndGuestInviters");
}

TEST_F(PermissionsApiTest, AScopeAloneIsNotEnoughTheRoleIsStillNeeded) {
  std::string mia = CreateUser("mia");
  std::string t = UserToken(mia, {"User.ReadWrite.All", "RoleManagement.ReadWrite.Directory"});
  ExpectDenied(env.Call("POST", "/v1.0/users", t,
                        R"({"accountEnabled":true,"displayName":"X","mailNickname":"x",)"
                        R"("userPrincipalName":"x@contoso.test","passwordProfile":{"password":"Str0ng-Passw0rd!"}})"));
  ExpectDenied(env.Call("POST", "/v1.0/roleManagement/directory/roleAssignments", t,
                        R"({"principalId":")" + mia +
                            R"(","roleDefinitionId":"62e90394-69f5-4237-9190-012177145e10","directoryScopeId":"/"})"));
}

// As in Entra: a Helpdesk Administrator resets the passwords of users without
// administrator roles, and changes nothing else; an app needs
// User.ReadWrite.All to reset one (Directory.ReadWrite.All doesn't).
TEST_F(PermissionsApiTest, AHelpdeskAdministratorResetsOrdinaryPasswordsOnly) {
  const std::string mia = CreateUser("mia"), hd = CreateUser("hd");
  GiveRole(hd, directory::kHelpdeskAdministratorRole);
  const std::string t = UserToken(hd, {"User.ReadWrite.All"});
  const std::string reset = R"({"passwordProfile":{"password":"N3w-Passw0rd-Mia!"}})";
  EXPECT_EQ(env.Call("PATCH", "/v1.0/users/" + mia, t, reset).status, 204);
  auto signed_in = env.signin->SignInWithPassword(contoso.res.tenant.id, "mia@contoso.test", "N3w-Passw0rd-Mia!", "10.0.0.9");
  EXPECT_TRUE(signed_in.ok()) << signed_in.status().ToString();
  ExpectDenied(env.Call("PATCH", "/v1.0/users/" + mia, t, R"({"displayName":"Renamed"})"));
  ExpectDenied(env.Call("PATCH", "/v1.0/users/" + mia, t,
                        R"({"displayName":"Renamed","passwordProfile":{"password":"An0ther-Passw0rd!"}})"));
  ExpectDenied(env.Call("PATCH", "/v1.0/users/" + mia, t, R"({"accountEnabled":false})"));
  ExpectDenied(env.Call("PATCH", "/v1.0/users/" + contoso.res.admin.id, t, reset));  // a Global Administrator
  auto still = env.Call("GET", "/v1.0/users/" + mia + "?$select=displayName,accountEnabled", contoso.token);
  EXPECT_EQ(TestEnv::Json(still).at("displayName").as_string(), "mia");
  EXPECT_TRUE(TestEnv::Json(still).at("accountEnabled").as_bool());

  App directory_writer = RegisterApp("Directory writer");
  EXPECT_EQ(env.Call("POST", "/v1.0/servicePrincipals/" + directory_writer.id + "/appRoleAssignments", admin,
                     R"({"principalId":")" + directory_writer.id + R"(","resourceId":")" + GraphSpId() +
                         R"(","appRoleId":")" + RoleId("Directory.ReadWrite.All") + R"("})")
                .status,
            201);
  ExpectDenied(env.Call("PATCH", "/v1.0/users/" + mia, AppToken(directory_writer), reset));
}

TEST_F(PermissionsApiTest, ScopeAndRoleTogetherAdmit) {
  std::string t = UserToken(contoso.res.admin.id, {"User.ReadWrite.All"});
  auto r = env.Call("POST", "/v1.0/users", t,
                    R"({"accountEnabled":true,"displayName":"Ok","mailNickname":"ok",)"
                    R"("userPrincipalName":"ok@contoso.test","passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
  EXPECT_EQ(r.status, 201) << r.body;
  // The scope covers users, not roles or policies.
  ExpectDenied(env.Call("PATCH", "/v1.0/policies/authorizationPolicy", t, R"({"allowInvitesFrom":"everyone"})"));
  // Directory.AccessAsUser.All stands for Graph's scopes, not Gatehouse's own.
  std::string broad = UserToken(contoso.res.admin.id, {"Directory.AccessAsUser.All"});
  EXPECT_EQ(env.Call("GET", "/v1.0/users", broad).status, 200);
  ExpectDenied(env.Call("GET", "/api/v1/tenantSettings", broad));
}

// ---- finding #7 and application permissions

TEST_F(PermissionsApiTest, AnAppWithNoGrantedPermissionCanDoNothing) {
  App a = RegisterApp("Web SSO app");
  std::string t = AppToken(a);
  ExpectDenied(env.Call("GET", "/v1.0/users", t));
  ExpectDenied(env.Call("POST", "/v1.0/invitations", t,
                        R"({"invitedUserEmailAddress":"x@example.org","inviteRedirectUrl":"https://a.test"})"));
  // Sharing an app: refused, and the app stays unshared.
  auto envs = TestEnv::Json(env.Call("GET", "/api/v1/environments", contoso.token)).at("value").as_array();
  ASSERT_FALSE(envs.empty());
  std::string env_id(envs[0].at("id").as_string());
  auto made = env.apps->Create(directory::Actor::System(), contoso.res.tenant.id, env_id,
                          {"Expenses", "canvas", false, contoso.res.admin.id});
  ASSERT_TRUE(made.ok()) << made.status().ToString();
  ExpectDenied(env.Call("POST", "/api/v1/environments/" + env_id + "/apps/" + made->id + "/share", t,
                        R"({"everyone":true})"));
  ExpectDenied(env.Call("GET", "/api/v1/environments/" + env_id + "/apps", t));
  auto after = env.apps->Get(contoso.res.tenant.id, env_id, made->id);
  ASSERT_TRUE(after.ok());
  EXPECT_FALSE(after->shared_with_everyone);
  // Granted Environment.ReadWrite.All by an administrator, it may share.
  auto g = env.Call("POST", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments", admin,
                    R"({"principalId":")" + a.id + R"(","resourceId":")" + GraphSpId() + R"(","appRoleId":")" +
                        RoleId("Environment.ReadWrite.All") + R"("})");
  ASSERT_EQ(g.status, 201) << g.body;
  EXPECT_EQ(env.Call("POST", "/api/v1/environments/" + env_id + "/apps/" + made->id + "/share", AppToken(a),
                     R"({"everyone":true})").status,
            200);
}

TEST_F(PermissionsApiTest, AnAdministratorGrantsAndRevokesApplicationPermissions) {
  App a = RegisterApp("Reporting");
  ExpectDenied(env.Call("GET", "/v1.0/users", AppToken(a)));
  const std::string grant = R"({"principalId":")" + a.id + R"(","resourceId":")" + GraphSpId() +
                            R"(","appRoleId":")" + RoleId("User.Read.All") + R"("})";
  // Not by a User Administrator, nor by the app itself, nor with a sign-in-only token.
  std::string ua = CreateUser("uma");
  GiveRole(ua, directory::kUserAdministratorRole);
  ExpectDenied(env.Call("POST", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments",
                        UserToken(ua, identity::FirstPartyAdminScopes(), std::string(wire::kCliClientId)), grant));
  ExpectDenied(env.Call("POST", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments", AppToken(a), grant));
  ExpectDenied(env.Call("POST", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments",
                        UserToken(contoso.res.admin.id, {"User.Read"}), grant));
  // A Global Administrator grants it: the app's next token carries it.
  auto r = env.Call("POST", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments", admin, grant);
  ASSERT_EQ(r.status, 201) << r.body;
  std::string assignment(TestEnv::Json(r).at("id").as_string());
  EXPECT_EQ(TestEnv::Json(r).at("appRoleId").as_string(), RoleId("User.Read.All"));
  EXPECT_EQ(env.Call("GET", "/v1.0/users", AppToken(a)).status, 200);
  ExpectDenied(env.Call("POST", "/v1.0/users", AppToken(a), "{}"));  // reading is not writing
  auto list = TestEnv::Json(env.Call("GET", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments", admin));
  ASSERT_EQ(list.at("value").as_array().size(), 1u);
  EXPECT_EQ(list.at("value").at(0).at("resourceId").as_string(), GraphSpId());
  // Bad grants: an unknown role, another resource, another principal.
  EXPECT_EQ(env.Call("POST", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments", admin,
                     R"({"principalId":")" + a.id + R"(","resourceId":")" + GraphSpId() +
                         R"(","appRoleId":"00000000-0000-4000-8000-000000000000"})").status,
            400);
  EXPECT_EQ(env.Call("POST", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments", admin,
                     R"({"principalId":")" + a.id + R"(","resourceId":")" + a.id + R"(","appRoleId":")" +
                         RoleId("User.Read.All") + R"("})").status,
            400);
  EXPECT_EQ(env.Call("POST", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments", admin,
                     R"({"principalId":")" + contoso.res.admin.id + R"(","resourceId":")" + GraphSpId() +
                         R"(","appRoleId":")" + RoleId("User.Read.All") + R"("})").status,
            400);
  // Revoked: the next token has it no more.
  EXPECT_EQ(env.Call("DELETE", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments/" + assignment, admin).status,
            204);
  ExpectDenied(env.Call("GET", "/v1.0/users", AppToken(a)));
  EXPECT_EQ(env.Call("DELETE", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments/" + assignment, admin).status,
            404);
}

TEST_F(PermissionsApiTest, AppsInviteOnlyWhenMembersMayInvite) {
  App a = RegisterApp("Onboarding");
  ASSERT_EQ(env.Call("POST", "/v1.0/servicePrincipals/" + a.id + "/appRoleAssignments", admin,
                     R"({"principalId":")" + a.id + R"(","resourceId":")" + GraphSpId() + R"(","appRoleId":")" +
                         RoleId("User.Invite.All") + R"("})").status,
            201);
  const std::string invite = R"({"invitedUserEmailAddress":"guest@example.org","inviteRedirectUrl":"https://a.test"})";
  // Default: invitations limited to administrators and Guest Inviters.
  auto r = env.Call("POST", "/v1.0/invitations", AppToken(a), invite);
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_NE(r.body.find("authorizationPolicy.allowInvitesFrom"), std::string::npos) << r.body;
  EXPECT_EQ(env.Call("GET", "/v1.0/users/guest_example.org%23EXT%23%40contoso.test", contoso.token).status, 404);
  // The bulk route too.
  EXPECT_EQ(env.Call("POST", "/api/v1/bulkInvitations?redirectUrl=https://a.test/", AppToken(a),
                     "email\nbulk@example.org\n", {{"Content-Type", "text/csv"}})
                .status,
            403);
  // Members may invite: so may the app.
  ASSERT_EQ(env.Call("PATCH", "/v1.0/policies/authorizationPolicy", contoso.token,
                     R"({"allowInvitesFrom":"adminsGuestInvitersAndAllMembers"})").status,
            204);
  r = env.Call("POST", "/v1.0/invitations", AppToken(a), invite);
  EXPECT_EQ(r.status, 201) << r.body;
  // Users need the delegated scope to invite through an app.
  ExpectDenied(env.Call("POST", "/v1.0/invitations", UserToken(contoso.res.admin.id, {"User.Read"}),
                        R"({"invitedUserEmailAddress":"other@example.org","inviteRedirectUrl":"https://a.test"})"));
  EXPECT_EQ(env.Call("POST", "/v1.0/invitations", UserToken(contoso.res.admin.id, {"User.Invite.All"}),
                     R"({"invitedUserEmailAddress":"other@example.org","inviteRedirectUrl":"https://a.test"})")
                .status,
            201);
}

// ---- requiredResourceAccess, servicePrincipals, oauth2PermissionGrants

TEST_F(PermissionsApiTest, ApplicationsDeclareWhatTheyMayAskFor) {
  const std::string rra = R"(,"requiredResourceAccess":[{"resourceAppId":")" + std::string(kGraph) +
                          R"(","resourceAccess":[{"id":"E1FE6DD8-BA31-4D61-89E7-88639DA4683D","type":"Scope"},)"
                          R"({"id":"df021288-bdef-4463-88db-98f22de89214","type":"Role"}]}])";
  App a = RegisterApp("Declares", rra);
  auto got = TestEnv::Json(env.Call("GET", "/v1.0/applications/" + a.id, contoso.token));
  const auto& access = got.at("requiredResourceAccess").at(0).at("resourceAccess").as_array();
  ASSERT_EQ(access.size(), 2u);
  EXPECT_EQ(access[0].at("id").as_string(), "e1fe6dd8-ba31-4d61-89e7-88639da4683d");  // stored lower-case
  EXPECT_EQ(access[1].at("type").as_string(), "Role");
  // Declaring grants nothing.
  ExpectDenied(env.Call("GET", "/v1.0/users", AppToken(a)));
  // Unknown ids, resources and types: 400, and nothing changes.
  auto bad = [&](const std::string& body) {
    auto r = env.Call("PATCH", "/v1.0/applications/" + a.id, contoso.token, body);
    EXPECT_EQ(r.status, 400) << body << " " << r.body;
    if (r.status == 400) {
      EXPECT_EQ(TestEnv::ErrorCode(r), "Request_BadRequest");
    }
  };
  bad(R"({"requiredResourceAccess":[{"resourceAppId":")" + std::string(kGraph) +
      R"(","resourceAccess":[{"id":"00000000-0000-4000-8000-000000000000","type":"Scope"}]}]})");
  bad(R"({"requiredResourceAccess":[{"resourceAppId":")" + std::string(kGraph) +
      R"(","resourceAccess":[{"id":"df021288-bdef-4463-88db-98f22de89214","type":"Scope"}]}]})");  // a Role's id
  bad(R"({"requiredResourceAccess":[{"resourceAppId":"00000002-0000-0000-c000-000000000000","resourceAccess":[]}]})");
  bad(R"({"requiredResourceAccess":[{"resourceAppId":")" + std::string(kGraph) +
      R"(","resourceAccess":[{"id":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","type":"Delegated"}]}]})");
  bad(R"({"requiredResourceAccess":{"resourceAppId":"x"}})");
  bad(R"({"requiredResourceAccess":[{"resourceAppId":")" + std::string(kGraph) +
      R"(","resourceAccess":[{"id":"e1fe6dd8-ba31-4d61-89e7-88639da4683d"}]}]})");
  auto still = TestEnv::Json(env.Call("GET", "/v1.0/applications/" + a.id, contoso.token));
  EXPECT_EQ(still.at("requiredResourceAccess"), got.at("requiredResourceAccess"));
  // PATCH replaces the declaration.
  EXPECT_EQ(env.Call("PATCH", "/v1.0/applications/" + a.id, contoso.token, R"({"requiredResourceAccess":[]})").status,
            204);
  EXPECT_TRUE(TestEnv::Json(env.Call("GET", "/v1.0/applications/" + a.id, contoso.token))
                  .at("requiredResourceAccess").as_array().empty());
}

TEST_F(PermissionsApiTest, ServicePrincipalsShowGraphsPermissionsAndTheApps) {
  App a = RegisterApp("Listed");
  auto all = TestEnv::Json(env.Call("GET", "/v1.0/servicePrincipals", admin));
  EXPECT_EQ(all.at("value").as_array().size(), 3u);  // Graph, the automation client, Listed
  auto graph = TestEnv::Json(
      env.Call("GET", "/v1.0/servicePrincipals?$filter=appId%20eq%20%27" + std::string(kGraph) + "%27", admin));
  ASSERT_EQ(graph.at("value").as_array().size(), 1u);
  const auto& sp = graph.at("value").at(0);
  EXPECT_EQ(sp.at("id").as_string(), GraphSpId());
  EXPECT_EQ(sp.at("displayName").as_string(), "Microsoft Graph");
  bool user_read = false, user_read_all = false;
  for (const auto& s : sp.at("oauth2PermissionScopes").as_array())
    user_read |= s.at("value") == "User.Read" && s.at("type") == "User";
  for (const auto& r : sp.at("appRoles").as_array())
    user_read_all |= r.at("value") == "User.Read.All" && r.at("id") == "df021288-bdef-4463-88db-98f22de89214";
  EXPECT_TRUE(user_read && user_read_all);
  EXPECT_EQ(TestEnv::Json(env.Call("GET", "/v1.0/servicePrincipals/" + a.app_id, admin)).at("id").as_string(), a.id);
  EXPECT_EQ(env.Call("GET", "/v1.0/servicePrincipals/00000000-0000-4000-8000-000000000000", admin).status, 404);
  EXPECT_EQ(env.Call("GET", "/v1.0/servicePrincipals?$filter=startswith(displayName,%27L%27)", admin).status, 400);
  // Confined to the caller's tenant.
  EXPECT_EQ(env.Call("GET", "/v1.0/servicePrincipals/" + a.id, fabrikam.token).status, 404);
  ExpectDenied(env.Call("GET", "/v1.0/servicePrincipals", UserToken(contoso.res.admin.id, {"User.Read"})));
}

TEST_F(PermissionsApiTest, PermissionGrantsAreAdministratorsToManage) {
  App a = RegisterApp("Consented", R"(,"requiredResourceAccess":[{"resourceAppId":")" + std::string(kGraph) +
                                       R"(","resourceAccess":[{"id":"e1fe6dd8-ba31-4d61-89e7-88639da4683d","type":"Scope"}]}])");
  const std::string body = R"({"clientId":")" + a.id + R"(","consentType":"AllPrincipals","resourceId":")" +
                           GraphSpId() + R"(","scope":"openid User.Read"})";
  // Not a non-administrator's, nor through a sign-in-only token.
  std::string ua = CreateUser("ulla");
  GiveRole(ua, directory::kUserAdministratorRole);
  ExpectDenied(env.Call("POST", "/v1.0/oauth2PermissionGrants",
                        UserToken(ua, identity::FirstPartyAdminScopes(), std::string(wire::kCliClientId)), body));
  ExpectDenied(env.Call("POST", "/v1.0/oauth2PermissionGrants", UserToken(contoso.res.admin.id, {"User.Read"}), body));
  ExpectDenied(env.Call("GET", "/v1.0/oauth2PermissionGrants", AppToken(a)));
  auto r = env.Call("POST", "/v1.0/oauth2PermissionGrants", admin, body);
  ASSERT_EQ(r.status, 201) << r.body;
  std::string id(TestEnv::Json(r).at("id").as_string());
  EXPECT_TRUE(TestEnv::Json(r).at("principalId").is_null());
  EXPECT_EQ(env.Call("POST", "/v1.0/oauth2PermissionGrants", admin, body).status, 400);  // one per client/principal
  auto list = TestEnv::Json(
      env.Call("GET", "/v1.0/oauth2PermissionGrants?$filter=clientId%20eq%20%27" + a.id + "%27", admin));
  ASSERT_EQ(list.at("value").as_array().size(), 1u);
  EXPECT_EQ(list.at("value").at(0).at("scope").as_string(), "openid User.Read");
  // A scope the app didn't declare, or one Graph doesn't have: 400, nothing changes.
  EXPECT_EQ(env.Call("PATCH", "/v1.0/oauth2PermissionGrants/" + id, admin, R"({"scope":"User.ReadWrite.All"})").status,
            400);
  EXPECT_EQ(env.Call("PATCH", "/v1.0/oauth2PermissionGrants/" + id, admin, R"({"scope":"Mail.Everything"})").status,
            400);
  EXPECT_EQ(TestEnv::Json(env.Call("GET", "/v1.0/oauth2PermissionGrants/" + id, admin)).at("scope").as_string(),
            "openid User.Read");
  // Principal grants need a user of the tenant.
  auto bad = env.Call("POST", "/v1.0/oauth2PermissionGrants", admin,
                      R"({"clientId":")" + a.id + R"(","consentType":"Principal","principalId":")" +
                          fabrikam.res.admin.id + R"(","resourceId":")" + GraphSpId() + R"(","scope":"User.Read"})");
  EXPECT_EQ(bad.status, 400) << bad.body;
  EXPECT_EQ(env.Call("PATCH", "/v1.0/oauth2PermissionGrants/" + id, admin, R"({"scope":"User.Read"})").status, 204);
  EXPECT_EQ(env.Call("DELETE", "/v1.0/oauth2PermissionGrants/" + id, admin).status, 204);
  EXPECT_EQ(env.Call("GET", "/v1.0/oauth2PermissionGrants/" + id, admin).status, 404);
  // Deleting the application removes what was consented to it.
  ASSERT_EQ(env.Call("POST", "/v1.0/oauth2PermissionGrants", admin, body).status, 201);
  ASSERT_EQ(env.Call("DELETE", "/v1.0/applications/" + a.id, contoso.token).status, 204);
  EXPECT_TRUE(TestEnv::Json(env.Call("GET", "/v1.0/oauth2PermissionGrants", admin)).at("value").as_array().empty());
}

}  // namespace
}  // namespace gh::api
