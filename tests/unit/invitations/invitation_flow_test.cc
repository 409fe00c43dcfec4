// Invitations end to end in-process: Graph POST /invitations, the policies
// that refuse invitations (with the rule named), the redemption journey in the
// browser pages, sign-in as a guest afterwards, and the security properties
// (email match, single use, expiry, replaced links, no clear-text tickets).
#include <gtest/gtest.h>

#include <fstream>
#include <optional>
#include <regex>
#include <sstream>

#include "identity/jwt.h"
#include "support/app_consent.h"
#include "support/browser.h"
#include "support/test_env.h"

namespace gh::invitations {
namespace {

using gh::testing::Field;
using gh::testing::SetCookieValue;
using gh::testing::Unescape;

using gh::testing::TestEnv;
namespace json = boost::json;

class InvitationFlowTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");
  gh::testing::Browser browser{*env.router, "127.0.0.2"};
  std::string& cookies = browser.cookies;  // the browser's Cookie header
  http::Response Browse(const std::string& method, const std::string& target, const std::string& body = {}) {
    return browser.Go(method, target, body);
  }

  void SetUp() override {
    for (const char* nick : {"alice", "bob"}) {
      auto r = env.Call("POST", "/v1.0/users", fabrikam.token,
                        std::string(R"({"accountEnabled":true,"displayName":")") + nick +
                            R"(","mailNickname":")" + nick + R"(","userPrincipalName":")" + nick +
                            R"(@fabrikam.test","mail":")" + nick +
                            R"(@fabrikam.test","passwordProfile":{"password":"Fabr1kam-Passw0rd!"}})");
      ASSERT_EQ(r.status, 201) << r.body;
    }
  }

  // Contoso's Global Administrator invites (an app may invite only when the
  // policy lets members invite; the default lets administrators).
  std::string admin_token = gh::testing::AdminUserToken(env, contoso);
  http::Response Invite(const std::string& email, const std::string& extra = "", const std::string& token = "") {
    return env.Call("POST", "/v1.0/invitations", token.empty() ? admin_token : token,
                    R"({"invitedUserEmailAddress":")" + email +
                        R"(","inviteRedirectUrl":"https://apps.contoso.test/welcome","sendInvitationMessage":true)" +
                        extra + "}");
  }

  // Follows the redeem link through sign-in to the consent page.
  http::Response OpenLinkAndSignIn(const std::string& redeem_url, const std::string& email, const std::string& pw) {
    auto r = Browse("GET", redeem_url);
    if (r.status != 302) return r;
    std::string login(r.Header("Location"));
    EXPECT_TRUE(login.starts_with("/login?")) << login;
    r = Browse("GET", login);
    std::string form = "csrf=" + Field(r.body, "csrf") + "&tenant=" + Field(r.body, "tenant") + "&continue=" +
                       http::PercentEncode(Unescape(Field(r.body, "continue"))) + "&email=" + http::PercentEncode(email);
    r = Browse("POST", "/login", form + "&step=email");
    r = Browse("POST", "/login", form + "&step=password&password=" + http::PercentEncode(pw));
    EXPECT_EQ(r.status, 302) << r.body;
    return Browse("GET", std::string(r.Header("Location")));
  }

  http::Response Accept(const http::Response& consent, const std::string& action = "accept") {
    return Browse("POST", "/redeem",
                  "csrf=" + Field(consent.body, "csrf") + "&tenant=" + Field(consent.body, "tenant") +
                      "&user=" + Field(consent.body, "user") + "&ticket=" + Field(consent.body, "ticket") +
                      "&action=" + action);
  }

  json::value UserState(const std::string& id) {
    return TestEnv::Json(env.Call("GET", "/v1.0/users/" + id + "?$select=externalUserState,identities,userType,"
                                  "creationType,userPrincipalName,mail", contoso.token));
  }
};

TEST_F(InvitationFlowTest, InviteRedeemAndSignInAsAGuest) {
  auto group = env.Call("POST", "/v1.0/groups", contoso.token,
                        R"({"displayName":"Sales env","mailNickname":"salesenv","mailEnabled":false,"securityEnabled":true})");
  std::string gid(TestEnv::Json(group).at("id").as_string());
  auto inv = Invite("alice@fabrikam.test", R"J(,"invitedUserDisplayName":"Alice (Fabrikam)","groupIds":[")J" + gid +
                                               R"("],"invitedUserMessageInfo":{"customizedMessageBody":"Welcome!","messageLanguage":"fr-FR"})");
  ASSERT_EQ(inv.status, 201) << inv.body;
  auto body = TestEnv::Json(inv);
  EXPECT_EQ(body.at("status").as_string(), "PendingAcceptance");
  EXPECT_EQ(body.at("invitedUserType").as_string(), "Guest");
  std::string user_id(body.at("invitedUser").at("id").as_string());
  std::string redeem(body.at("inviteRedeemUrl").as_string());
  EXPECT_TRUE(redeem.starts_with(std::string(TestEnv::kBase) + "/redeem?tenant=" + contoso.res.tenant.id)) << redeem;
  auto user = UserState(user_id);
  EXPECT_EQ(user.at("userPrincipalName").as_string(), "alice_fabrikam.test#EXT#@contoso.test");
  EXPECT_EQ(user.at("userType").as_string(), "Guest");
  EXPECT_EQ(user.at("creationType").as_string(), "Invitation");
  EXPECT_EQ(user.at("externalUserState").as_string(), "PendingAcceptance");
  ASSERT_EQ(env.sent_invitations.size(), 1u);
  EXPECT_EQ(env.sent_invitations[0].language, "fr-FR");
  EXPECT_EQ(env.sent_invitations[0].redeem_url, redeem);
  auto members = TestEnv::Json(env.Call("GET", "/v1.0/groups/" + gid + "/members", contoso.token));
  EXPECT_EQ(members.at("value").as_array().size(), 1u);

  // The ticket is never stored in clear.
  std::string ticket = redeem.substr(redeem.find("ticket=") + 7);
  ticket = ticket.substr(0, ticket.find('&'));
  std::ifstream db(env.db_path(), std::ios::binary);
  std::stringstream bytes;
  bytes << db.rdbuf();
  EXPECT_EQ(bytes.str().find(ticket), std::string::npos);

  auto consent = OpenLinkAndSignIn(redeem, "alice@fabrikam.test", "Fabr1kam-Passw0rd!");
  ASSERT_EQ(consent.status, 200) << consent.body;
  EXPECT_NE(consent.body.find("Review permissions"), std::string::npos);
  EXPECT_NE(consent.body.find("Contoso"), std::string::npos);
  // Cancel leaves the invitation pending.
  auto cancelled = Accept(consent, "cancel");
  EXPECT_EQ(cancelled.status, 200);
  EXPECT_EQ(UserState(user_id).at("externalUserState").as_string(), "PendingAcceptance");
  consent = Browse("GET", redeem);
  auto accepted = Accept(consent);
  ASSERT_EQ(accepted.status, 302) << accepted.body;
  EXPECT_EQ(accepted.Header("Location"), "https://apps.contoso.test/welcome");
  user = UserState(user_id);
  EXPECT_EQ(user.at("externalUserState").as_string(), "Accepted");
  bool bound = false;
  for (const auto& i : user.at("identities").as_array())
    bound |= i.at("signInType").as_string() == "federated" &&
             i.at("issuer").as_string() == std::string(TestEnv::kBase) + "/" + fabrikam.res.tenant.id + "/v2.0";
  EXPECT_TRUE(bound) << json::serialize(user);

  // Redeeming twice is refused with a page, not a crash.
  auto again = Browse("GET", redeem);
  EXPECT_EQ(again.status, 410);
  EXPECT_NE(again.body.find("already been accepted"), std::string::npos);

  // The guest now signs in to Contoso through Fabrikam: tid Contoso, idp Fabrikam, acct 1.
  // An app that signs people in; an administrator consented to that for everyone.
  auto app = std::optional(gh::testing::RegisterConsentedApp(env, contoso.res.tenant.id, "Portal",
                                                             {"https://apps.contoso.test/cb"}, {}, {"openid"}));
  auto secret = env.clients->AddPassword(directory::Actor::System(), contoso.res.tenant.id, app->id, "s", 0);
  ASSERT_TRUE(secret.ok());
  auto authz = Browse("GET", "/" + contoso.res.tenant.id + "/oauth2/v2.0/authorize?client_id=" + app->app_id +
                                 "&redirect_uri=https%3A%2F%2Fapps.contoso.test%2Fcb&response_type=code&scope=openid&state=s");
  ASSERT_EQ(authz.status, 302) << authz.body;
  std::string loc(authz.Header("Location"));
  std::string code = http::PercentDecode(loc.substr(loc.find("code=") + 5, loc.find("&state") - loc.find("code=") - 5), false);
  http::Request tok;
  tok.method = "POST";
  tok.target = "/contoso.test/oauth2/v2.0/token";
  tok.body = "grant_type=authorization_code&client_id=" + app->app_id + "&client_secret=" + secret->second +
             "&code=" + http::PercentEncode(code) + "&redirect_uri=https%3A%2F%2Fapps.contoso.test%2Fcb";
  tok.headers = {{"Content-Type", "application/x-www-form-urlencoded"}};
  tok.request_id = "r";
  ASSERT_TRUE(tok.ParseTarget());
  auto tokens = env.router->Handle(tok);
  ASSERT_EQ(tokens.status, 200) << tokens.body;
  auto id = identity::DecodeJwtPayloadUnverified(std::string(TestEnv::Json(tokens).at("id_token").as_string()));
  ASSERT_TRUE(id.ok());
  EXPECT_EQ(id->at("tid").as_string(), contoso.res.tenant.id);
  EXPECT_EQ(id->at("oid").as_string(), user_id);
  EXPECT_EQ(id->at("idp").as_string(), std::string(TestEnv::kBase) + "/" + fabrikam.res.tenant.id + "/v2.0");
  EXPECT_EQ(id->at("acct").as_int64(), 1);
}

TEST_F(InvitationFlowTest, EachInvitationIsAuditedOnceAndSaysWhetherItCreatedTheGuest) {
  auto first = Invite("alice@fabrikam.test");
  ASSERT_EQ(first.status, 201) << first.body;
  std::string user_id(TestEnv::Json(first).at("invitedUser").at("id").as_string());
  env.clock.Advance(1000);  // "newest first" compares times, then random ids
  ASSERT_EQ(Invite("alice@fabrikam.test").status, 201);  // sent again to the same guest
  auto log = TestEnv::Json(env.Call("GET", "/v1.0/auditLogs/directoryAudits?$top=50", contoso.token));
  std::vector<json::object> mine;
  for (const auto& e : log.at("value").as_array())
    if (e.at("targetResources").at(0).at("id").as_string() == user_id) mine.push_back(e.as_object());
  ASSERT_EQ(mine.size(), 2u);  // newest first
  for (const auto& e : mine) EXPECT_EQ(e.at("activityDisplayName"), "Invite external user");
  EXPECT_EQ(mine[0].at("additionalDetails").at("guestCreated"), false);
  EXPECT_EQ(mine[1].at("additionalDetails").at("guestCreated"), true);
  EXPECT_EQ(mine[1].at("additionalDetails").at("invitedUserEmailAddress"), "alice@fabrikam.test");
}

TEST_F(InvitationFlowTest, APendingOrDisabledGuestCannotSignIn) {
  auto inv = TestEnv::Json(Invite("bob@fabrikam.test"));
  std::string user_id(inv.at("invitedUser").at("id").as_string());
  // An app that signs people in; an administrator consented to that for everyone.
  auto app = std::optional(gh::testing::RegisterConsentedApp(env, contoso.res.tenant.id, "Portal",
                                                             {"https://apps.contoso.test/cb"}, {}, {"openid"}));
  std::string authorize = "/" + contoso.res.tenant.id + "/oauth2/v2.0/authorize?client_id=" + app->app_id +
                          "&redirect_uri=https%3A%2F%2Fapps.contoso.test%2Fcb&response_type=code&scope=openid";
  auto r = Browse("GET", authorize);
  r = Browse("GET", std::string(r.Header("Location")));
  std::string form = "csrf=" + Field(r.body, "csrf") + "&tenant=" + contoso.res.tenant.id + "&continue=" +
                     http::PercentEncode(Unescape(Field(r.body, "continue"))) + "&email=bob%40fabrikam.test";
  Browse("POST", "/login", form + "&step=email");
  r = Browse("POST", "/login", form + "&step=password&password=Fabr1kam-Passw0rd!");
  r = Browse("GET", std::string(r.Header("Location")));
  EXPECT_EQ(r.status, 403);
  EXPECT_NE(r.body.find("accepted the invitation"), std::string::npos) << r.body;
  // After redemption a disabled guest is refused too.
  auto consent = Browse("GET", std::string(inv.at("inviteRedeemUrl").as_string()));
  ASSERT_EQ(Accept(consent).status, 302);
  EXPECT_EQ(Browse("GET", authorize).status, 302);
  ASSERT_EQ(env.Call("PATCH", "/v1.0/users/" + user_id, contoso.token, R"({"accountEnabled":false})").status, 204);
  auto refused = Browse("GET", authorize);
  EXPECT_EQ(refused.status, 403);
  EXPECT_NE(refused.body.find("disabled"), std::string::npos);
}

TEST_F(InvitationFlowTest, TheSignedInEmailMustMatchTheInvitation) {
  auto inv = TestEnv::Json(Invite("bob@fabrikam.test"));
  auto consent = OpenLinkAndSignIn(std::string(inv.at("inviteRedeemUrl").as_string()), "alice@fabrikam.test",
                                   "Fabr1kam-Passw0rd!");
  ASSERT_EQ(consent.status, 200);
  EXPECT_NE(consent.body.find("was sent to bob@fabrikam.test"), std::string::npos);
  auto r = Accept(consent);
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(UserState(std::string(inv.at("invitedUser").at("id").as_string())).at("externalUserState").as_string(),
            "PendingAcceptance");
}

TEST_F(InvitationFlowTest, LinksExpireAreReplacedAndAreTenantBound) {
  auto first = TestEnv::Json(Invite("alice@fabrikam.test"));
  std::string old_link(first.at("inviteRedeemUrl").as_string());
  auto second = TestEnv::Json(Invite("alice@fabrikam.test"));
  EXPECT_EQ(second.at("invitedUser").at("id"), first.at("invitedUser").at("id")) << "same guest, new ticket";
  EXPECT_EQ(Browse("GET", old_link).status, 410);
  std::string link(second.at("inviteRedeemUrl").as_string());
  // Another tenant's id in the link: unknown invitation.
  std::string other = link;
  other.replace(other.find(contoso.res.tenant.id), contoso.res.tenant.id.size(), fabrikam.res.tenant.id);
  EXPECT_EQ(Browse("GET", other).status, 404);
  EXPECT_EQ(Browse("GET", link.substr(0, link.find("ticket=") + 7) + "forged").status, 404);
  EXPECT_EQ(Browse("GET", "/redeem?tenant=x&user=y&ticket=z").status, 404);
  env.clock.Advance(91LL * 24 * 3600 * 1000);
  auto expired = Browse("GET", link);
  EXPECT_EQ(expired.status, 410);
  EXPECT_NE(expired.body.find("expired"), std::string::npos);
}

TEST_F(InvitationFlowTest, ResetRedemptionIssuesANewLinkAndRebinds) {
  auto inv = TestEnv::Json(Invite("alice@fabrikam.test"));
  std::string user_id(inv.at("invitedUser").at("id").as_string());
  auto consent = OpenLinkAndSignIn(std::string(inv.at("inviteRedeemUrl").as_string()), "alice@fabrikam.test",
                                   "Fabr1kam-Passw0rd!");
  ASSERT_EQ(Accept(consent).status, 302);
  auto reset = Invite("bob@fabrikam.test", R"(,"resetRedemption":true,"invitedUser":{"id":")" + user_id + R"("})");
  ASSERT_EQ(reset.status, 201) << reset.body;
  auto state = UserState(user_id);
  EXPECT_EQ(state.at("externalUserState").as_string(), "PendingAcceptance");
  EXPECT_EQ(state.at("mail").as_string(), "bob@fabrikam.test");
  for (const auto& i : state.at("identities").as_array()) EXPECT_NE(i.at("signInType").as_string(), "federated");
  cookies.clear();
  auto c2 = OpenLinkAndSignIn(std::string(TestEnv::Json(reset).at("inviteRedeemUrl").as_string()), "bob@fabrikam.test",
                              "Fabr1kam-Passw0rd!");
  ASSERT_EQ(Accept(c2).status, 302);
  EXPECT_EQ(UserState(user_id).at("externalUserState").as_string(), "Accepted");
  EXPECT_EQ(Invite("x@example.org", R"(,"resetRedemption":true)").status, 400);
}

TEST_F(InvitationFlowTest, BadInvitationsAreRefusedAndChangeNothing) {
  auto expect = [&](const http::Response& r, int status, const std::string& text) {
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_NE(r.body.find(text), std::string::npos) << r.body;
  };
  expect(Invite("not-an-address"), 400, "invitedUserEmailAddress");
  expect(Invite("a+b@example.org"), 400, "'+'");
  expect(Invite("admin@contoso.test"), 400, "verified domain of this directory");
  for (const char* url : {"javascript:alert(1)", "http://evil.example/", "https://user:pw@evil.example/",
                          "//evil.example", "https://evil.example\\@good", "not a url"}) {
    auto r = env.Call("POST", "/v1.0/invitations", admin_token,
                      std::string(R"({"invitedUserEmailAddress":"z@example.org","inviteRedirectUrl":")") + url + R"("})");
    EXPECT_EQ(r.status, 400) << url << " " << r.body;
  }
  expect(env.Call("POST", "/v1.0/invitations", admin_token, R"({"invitedUserEmailAddress":"z@example.org"})"), 400,
         "inviteRedirectUrl");
  expect(env.Call("POST", "/v1.0/invitations", admin_token,
                  R"({"invitedUserEmailAddress":"z@example.org","inviteRedirectUrl":"https://a.test","color":"red"})"),
         400, "color");
  // An address that is already a member of the tenant.
  ASSERT_EQ(env.Call("POST", "/v1.0/users", contoso.token,
                     R"({"accountEnabled":true,"displayName":"M","mailNickname":"m","userPrincipalName":"m@contoso.test",)"
                     R"("mail":"m@example.org","passwordProfile":{"password":"Str0ng-Passw0rd!"}})")
                .status,
            201);
  expect(Invite("m@example.org"), 400, "already exists in the directory");
  auto guests = TestEnv::Json(env.Call("GET", "/v1.0/users?$filter=userType%20eq%20'Guest'", contoso.token));
  EXPECT_EQ(guests.at("value").as_array().size(), 0u);
  EXPECT_TRUE(env.sent_invitations.empty());
}

TEST_F(InvitationFlowTest, PoliciesDecideWhoMayInviteWhomAndNameTheRule) {
  // A plain member may not invite under the default (adminsAndGuestInviters).
  auto member = env.Call("POST", "/v1.0/users", contoso.token,
                         R"({"accountEnabled":true,"displayName":"Meg","mailNickname":"meg","userPrincipalName":"meg@contoso.test",)"
                         R"("passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
  ASSERT_EQ(member.status, 201);
  auto policy = TestEnv::Json(env.Call("GET", "/v1.0/policies/authorizationPolicy", contoso.token));
  EXPECT_EQ(policy.at("allowInvitesFrom").as_string(), "adminsAndGuestInviters");
  // Domain deny list.
  ASSERT_EQ(env.Call("PATCH", "/api/v1/collaborationRestrictions", contoso.token,
                     R"({"mode":"denyList","domains":["blocked.example"]})").status, 200);
  // Graph: a policy refusal is 400 Request_BadRequest; who may invite is 403 Authorization_RequestDenied.
  auto r = Invite("eve@blocked.example");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(TestEnv::ErrorCode(r), "Request_BadRequest");
  EXPECT_NE(r.body.find("collaboration.deniedDomains"), std::string::npos);
  // Contoso's inbound default blocks everyone; a partner override for Fabrikam lets them in.
  ASSERT_EQ(env.Call("PATCH", "/v1.0/policies/crossTenantAccessPolicy/default", contoso.token,
                     R"({"b2bCollaborationInbound":{"usersAndGroups":{"accessType":"blocked","targets":[{"target":"AllUsers","targetType":"user"}]}}})")
                .status,
            204);
  r = Invite("alice@fabrikam.test");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(TestEnv::ErrorCode(r), "Request_BadRequest");
  EXPECT_NE(r.body.find("crossTenant.inbound.usersAndGroups"), std::string::npos);
  EXPECT_NE(r.body.find("blocked by cross-tenant access settings"), std::string::npos);
  ASSERT_EQ(env.Call("POST", "/v1.0/policies/crossTenantAccessPolicy/partners", contoso.token,
                     R"({"tenantId":")" + fabrikam.res.tenant.id +
                         R"(","b2bCollaborationInbound":{"usersAndGroups":{"accessType":"allowed","targets":[{"target":"AllUsers","targetType":"user"}]}}})")
                .status,
            201);
  EXPECT_EQ(Invite("alice@fabrikam.test").status, 201);
  // Fabrikam's outbound policy blocks Bob from collaborating anywhere.
  auto bob = TestEnv::Json(env.Call("GET", "/v1.0/users/bob@fabrikam.test", fabrikam.token));
  ASSERT_EQ(env.Call("PATCH", "/v1.0/policies/crossTenantAccessPolicy/default", fabrikam.token,
                     R"({"b2bCollaborationOutbound":{"usersAndGroups":{"accessType":"blocked","targets":[{"target":")" +
                         std::string(bob.at("id").as_string()) + R"(","targetType":"user"}]}}})")
                .status,
            204);
  r = Invite("bob@fabrikam.test");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("crossTenant.outbound.usersAndGroups"), std::string::npos);
  // Nobody may invite at all.
  ASSERT_EQ(env.Call("PATCH", "/v1.0/policies/authorizationPolicy", contoso.token, R"({"allowInvitesFrom":"none"})").status,
            204);
  r = Invite("someone@example.org");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(TestEnv::ErrorCode(r), "Authorization_RequestDenied");
  EXPECT_NE(r.body.find("authorizationPolicy.allowInvitesFrom"), std::string::npos);
  // Bad policy bodies.
  EXPECT_EQ(env.Call("PATCH", "/v1.0/policies/authorizationPolicy", contoso.token, R"({"allowInvitesFrom":"nobody"})").status, 400);
  EXPECT_EQ(env.Call("PATCH", "/v1.0/policies/authorizationPolicy", contoso.token, R"({"guestUserRoleId":"x"})").status, 400);
  EXPECT_EQ(env.Call("POST", "/v1.0/policies/crossTenantAccessPolicy/partners", contoso.token, R"({"tenantId":"nope"})").status, 400);
  EXPECT_EQ(env.Call("GET", "/v1.0/policies/crossTenantAccessPolicy/partners/00000000-0000-4000-8000-000000000000",
                     contoso.token).status, 404);
}

}  // namespace
}  // namespace gh::invitations
