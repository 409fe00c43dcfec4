// Delegated directory reads with users' own tokens: members read users and
// groups; guests as authorizationPolicy.guestUserRoleId allows (same as
// members / limited / restricted); writes still need a directory role.
#include <gtest/gtest.h>

#include "api/directory_reads.h"
#include "directory/model/policies.h"
#include "support/app_consent.h"
#include "support/test_env.h"

namespace gh::api {
namespace {

using gh::testing::TestEnv;

constexpr const char* kRedirect = "http://localhost:7777/cb";
constexpr const char* kVerifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-more-entropy";

class DirectoryReadsTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  std::string app_id;
  std::string member_id, guest_id, group_id;

  void SetUp() override {
    // The app declares what it reads with, and an administrator consented for everyone.
    app_id = gh::testing::RegisterConsentedApp(env, contoso.res.tenant.id, "Reader app", {}, {kRedirect},
                                               {"openid", "User.Read", "User.Read.All", "Directory.Read.All"})
                 .app_id;
    auto member = env.Call("POST", "/v1.0/users", contoso.token,
                           R"({"accountEnabled":true,"displayName":"Mia","mailNickname":"mia",)"
                           R"("userPrincipalName":"mia@contoso.test","passwordProfile":{"password":"Mia-Passw0rd!"}})");
    ASSERT_EQ(member.status, 201) << member.body;
    member_id = std::string(TestEnv::Json(member).at("id").as_string());
    auto guest = env.Call("POST", "/v1.0/users", contoso.token,
                          R"({"accountEnabled":true,"displayName":"Gita","mailNickname":"gita",)"
                          R"("userPrincipalName":"gita_example.org#EXT#@contoso.test","mail":"gita@example.org",)"
                          R"("userType":"Guest","passwordProfile":{"password":"Unused-Passw0rd!"}})");
    ASSERT_EQ(guest.status, 201) << guest.body;
    guest_id = std::string(TestEnv::Json(guest).at("id").as_string());
    auto group = env.Call("POST", "/v1.0/groups", contoso.token,
                          R"({"displayName":"Sales","mailNickname":"sales","mailEnabled":false,"securityEnabled":true})");
    ASSERT_EQ(group.status, 201) << group.body;
    group_id = std::string(TestEnv::Json(group).at("id").as_string());
  }

  // A user token for `session`, issued through the authorization code grant.
  std::string TokenFor(const identity::Session& session, const std::string& scope) {
    auto req = env.signin->ValidateAuthorize(
        contoso.res.tenant.id, {{"client_id", app_id},
                                {"redirect_uri", kRedirect},
                                {"response_type", "code"},
                                {"scope", scope},
                                {"code_challenge", identity::PkceChallenge(kVerifier)},
                                {"code_challenge_method", "S256"}});
    EXPECT_TRUE(req.ok()) << req.status().ToString();
    auto principal = env.signin->PrincipalIn(session, contoso.res.tenant.id);
    EXPECT_TRUE(principal.ok()) << principal.status().ToString();
    auto code = env.signin->IssueCode(*req, session, *principal);
    EXPECT_TRUE(code.ok()) << code.status().ToString();
    auto tokens = env.signin->RedeemCode(contoso.res.tenant.id, app_id, "", *code, kRedirect, kVerifier);
    EXPECT_TRUE(tokens.ok()) << tokens.status().ToString();
    return tokens.ok() ? tokens->access_token : "";
  }

  std::string MemberToken(const std::string& scope = "openid https://graph.microsoft.com/.default") {
    auto s = env.signin->SignInWithPassword(contoso.res.tenant.id, "mia@contoso.test", "Mia-Passw0rd!", "10.1.1.1");
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return TokenFor(*s, scope);
  }

  std::string GuestToken(const std::string& scope = "openid https://graph.microsoft.com/.default") {
    EXPECT_TRUE(env.signin->StartOneTimePasscode(contoso.res.tenant.id, "gita@example.org", "10.1.1.2").ok());
    auto s = env.signin->SignInWithOneTimePasscode(contoso.res.tenant.id, "gita@example.org", env.last_otp.second,
                                                   "10.1.1.2");
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return TokenFor(*s, scope);
  }

  void SetGuestLevel(std::string_view role_id) {
    auto p = env.policies->UpdateAuthorizationPolicy(directory::Actor::System(), contoso.res.tenant.id,
                                  [&](directory::AuthorizationPolicy& p) {
                                    p.guest_user_role_id = std::string(role_id);
                                    return OkStatus();
                                  });
    ASSERT_TRUE(p.ok()) << p.status().ToString();
  }

  static void ExpectDenied(const http::Response& r) {
    EXPECT_EQ(r.status, 403) << r.body;
    if (r.status == 403) {
      EXPECT_EQ(TestEnv::ErrorCode(r), "Authorization_RequestDenied");
      EXPECT_EQ(TestEnv::Json(r).at("error").at("message").as_string(),
                "Insufficient privileges to complete the operation.");
    }
  }
};

TEST_F(DirectoryReadsTest, MembersReadUsersAndGroups) {
  std::string t = MemberToken();
  EXPECT_EQ(env.Call("GET", "/v1.0/users", t).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/users/" + guest_id, t).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/groups", t).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/groups/" + group_id, t).status, 200);
  // Reads, not writes.
  ExpectDenied(env.Call("PATCH", "/v1.0/users/" + guest_id, t, R"({"jobTitle":"x"})"));
  ExpectDenied(env.Call("POST", "/v1.0/groups", t,
                        R"({"displayName":"X","mailNickname":"x","mailEnabled":false,"securityEnabled":true})"));
}

TEST_F(DirectoryReadsTest, MembersNeedADirectoryReadScope) {
  std::string t = MemberToken("openid User.Read");
  ExpectDenied(env.Call("GET", "/v1.0/users", t));
  EXPECT_EQ(env.Call("GET", "/v1.0/users", MemberToken("openid User.Read.All")).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/groups", MemberToken("openid Directory.Read.All")).status, 200);
}

TEST_F(DirectoryReadsTest, GuestSameAsMembers) {
  SetGuestLevel(directory::kGuestSameAsMembersRole);
  std::string t = GuestToken();
  EXPECT_EQ(env.Call("GET", "/v1.0/users", t).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/users/" + member_id, t).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/users/" + guest_id, t).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/groups", t).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/groups/" + group_id, t).status, 200);
}

TEST_F(DirectoryReadsTest, GuestLimitedReadsByIdButCannotEnumerate) {
  SetGuestLevel(directory::kGuestLimitedRole);
  std::string t = GuestToken();
  ExpectDenied(env.Call("GET", "/v1.0/users", t));
  ExpectDenied(env.Call("GET", "/v1.0/groups", t));
  EXPECT_EQ(env.Call("GET", "/v1.0/users/" + member_id, t).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/users/" + guest_id, t).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/groups/" + group_id, t).status, 200);
}

TEST_F(DirectoryReadsTest, GuestRestrictedReadsOnlyTheirOwnProfile) {
  SetGuestLevel(directory::kGuestRestrictedRole);
  std::string t = GuestToken();
  EXPECT_EQ(env.Call("GET", "/v1.0/users/" + guest_id, t).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/users/gita_example.org%23EXT%23%40contoso.test", t).status, 200);
  ExpectDenied(env.Call("GET", "/v1.0/users/" + member_id, t));
  ExpectDenied(env.Call("GET", "/v1.0/users/00000000-0000-4000-8000-00000000dead", t));  // no existence oracle
  ExpectDenied(env.Call("GET", "/v1.0/users", t));
  ExpectDenied(env.Call("GET", "/v1.0/groups", t));
  ExpectDenied(env.Call("GET", "/v1.0/groups/" + group_id, t));
}

TEST_F(DirectoryReadsTest, GuestsCannotWrite) {
  SetGuestLevel(directory::kGuestSameAsMembersRole);
  std::string t = GuestToken();
  ExpectDenied(env.Call("PATCH", "/v1.0/users/" + guest_id, t, R"({"jobTitle":"x"})"));
  ExpectDenied(env.Call("PATCH", "/v1.0/users/" + member_id, t, R"({"jobTitle":"x"})"));
  ExpectDenied(env.Call("DELETE", "/v1.0/groups/" + group_id, t));
}

// Seed: invited users can't create Microsoft 365 groups in the inviting
// tenant. The gate's group.create rule decides, whatever role the guest holds;
// a member with the same role and scope may, and security groups stay the
// role's business.
TEST_F(DirectoryReadsTest, AGuestUserAdministratorCannotCreateMicrosoft365Groups) {
  app_id = gh::testing::RegisterConsentedApp(env, contoso.res.tenant.id, "Group writer", {}, {kRedirect},
                                             {"openid", "Group.ReadWrite.All", "Directory.ReadWrite.All"})
               .app_id;
  for (const std::string& user : {guest_id, member_id}) {
    auto r = env.Call("POST", "/v1.0/roleManagement/directory/roleAssignments", contoso.token,
                      R"({"principalId":")" + user + R"(","roleDefinitionId":")" +
                          std::string(directory::kUserAdministratorRole) + R"(","directoryScopeId":"/"})");
    ASSERT_EQ(r.status, 201) << r.body;
  }
  const std::string unified =
      R"({"displayName":"Launch","mailNickname":"launch","mailEnabled":true,"securityEnabled":false,)"
      R"("groupTypes":["Unified"]})";
  const std::string security =
      R"({"displayName":"Readers","mailNickname":"readers","mailEnabled":false,"securityEnabled":true})";

  const std::string scope = "openid https://graph.microsoft.com/.default";
  std::string guest = GuestToken(scope);
  auto refused = env.Call("POST", "/v1.0/groups", guest, unified);
  ASSERT_EQ(refused.status, 403) << refused.body;
  EXPECT_EQ(TestEnv::ErrorCode(refused), "Authorization_RequestDenied");
  EXPECT_NE(refused.body.find("Guests can't create Microsoft 365 groups in Contoso"), std::string::npos)
      << refused.body;
  auto listed = env.Call("GET", "/v1.0/groups?$filter=displayName%20eq%20'Launch'", contoso.token);
  ASSERT_EQ(listed.status, 200) << listed.body;
  EXPECT_TRUE(TestEnv::Json(listed).at("value").as_array().empty()) << "nothing was created";
  EXPECT_EQ(env.Call("POST", "/v1.0/groups", guest, security).status, 201);

  std::string member = MemberToken(scope);
  EXPECT_EQ(env.Call("POST", "/v1.0/groups", member, unified).status, 201);
}

TEST_F(DirectoryReadsTest, AdminsNeedAScopeTooAppsTheirPermission) {
  EXPECT_EQ(env.Call("GET", "/v1.0/users", contoso.token).status, 200);
  auto admin = env.signin->SignInWithPassword(contoso.res.tenant.id, "admin@contoso.test", "Adm1n-Passw0rd!",
                                              "10.1.1.3");
  ASSERT_TRUE(admin.ok());
  // A Global Administrator's token reads what the app was allowed to read, no more.
  std::string signin_only = TokenFor(*admin, "openid User.Read");
  ExpectDenied(env.Call("GET", "/v1.0/users", signin_only));
  ExpectDenied(env.Call("GET", "/v1.0/groups", signin_only));
  std::string reader = TokenFor(*admin, "openid Directory.Read.All");
  EXPECT_EQ(env.Call("GET", "/v1.0/users", reader).status, 200);
  EXPECT_EQ(env.Call("GET", "/v1.0/groups", reader).status, 200);
  // Reading scopes never write, whatever the role.
  ExpectDenied(env.Call("PATCH", "/v1.0/users/" + guest_id, reader, R"({"jobTitle":"x"})"));
}

}  // namespace
}  // namespace gh::api

namespace gh::api {
namespace {

// Graph's /me: any signed-in user reads their own profile with User.Read
// alone — which reads nobody else — and an app's token has no "me".
TEST_F(DirectoryReadsTest, MeIsTheSignedInUserWithUserReadAlone) {
  const std::string member = MemberToken("openid User.Read");
  auto me = env.Call("GET", "/v1.0/me?$select=id,userPrincipalName", member);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(TestEnv::Json(me).at("id").as_string(), member_id);
  EXPECT_EQ(TestEnv::Json(me).at("userPrincipalName").as_string(), "mia@contoso.test");
  EXPECT_EQ(env.Call("GET", "/v1.0/users/" + guest_id, member).status, 403);
  EXPECT_EQ(env.Call("GET", "/v1.0/me?$select=nope", member).status, 400);

  const std::string guest = GuestToken("openid User.Read");
  me = env.Call("GET", "/v1.0/me", guest);
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(TestEnv::Json(me).at("id").as_string(), guest_id);

  me = env.Call("GET", "/v1.0/me", contoso.token);
  EXPECT_EQ(me.status, 403) << me.body;
  EXPECT_EQ(env.Call("GET", "/v1.0/me", "").status, 401);
}

}  // namespace
}  // namespace gh::api
