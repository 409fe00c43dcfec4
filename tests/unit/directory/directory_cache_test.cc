// Directory reads from memory (directory/directory_cache.h): a user by id or
// UPN, a group by id and a caller's roles answer from memory after the first
// read, and every write — on this node at once, on another node through the
// change feed — is seen by the next read. Driven through the in-process
// router with real tokens; the race and the bound against the cache itself.
#include "directory/directory_cache.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <thread>

#include "core/random.h"
#include "identity/graph_permissions.h"
#include "support/test_env.h"

namespace gh::directory {
namespace {

using gh::testing::TestEnv;

constexpr const char* kUserAdministrator = "fe930be7-5e62-47db-91af-98c3a49a38b1";

class DirectoryCacheTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");

  http::Response Create(const std::string& token, const std::string& nick) {
    return env.Call("POST", "/v1.0/users", token,
                    R"({"accountEnabled":true,"displayName":")" + nick + R"(","mailNickname":")" + nick +
                        R"(","userPrincipalName":")" + nick +
                        R"(@contoso.test","passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
  }
  std::string CreateUser(const std::string& nick) {
    auto r = Create(contoso.token, nick);
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(TestEnv::Json(r).at("id").as_string());
  }
  std::string DisplayName(const std::string& id_or_upn) {
    auto r = env.Call("GET", "/v1.0/users/" + id_or_upn, contoso.token);
    if (r.status != 200) return "HTTP " + std::to_string(r.status);
    return std::string(TestEnv::Json(r).at("displayName").as_string());
  }
  // A token of `user_id` for the built-in CLI, with the administrative scopes:
  // what it may do depends only on the roles the user holds when it is used.
  std::string TokenOf(const std::string& user_id) {
    identity::TokenService::UserTokenRequest req;
    req.tenant_id = contoso.res.tenant.id;
    req.client_id = std::string(wire::kCliClientId);
    req.user_id = user_id;
    req.idp = env.tokens->Issuer(contoso.res.tenant.id);
    req.scopes = identity::FirstPartyAdminScopes();
    req.with_id_token = false;
    auto issued = env.tokens->IssueUserTokens(req);
    EXPECT_TRUE(issued.ok()) << issued.status().ToString();
    return issued.ok() ? issued->access_token : "";
  }
};

TEST_F(DirectoryCacheTest, ASecondReadOfAUserComesFromMemory) {
  const std::string id = CreateUser("ada");
  ASSERT_EQ(DisplayName(id), "ada");
  const int64_t misses = env.directory_cache->misses(), hits = env.directory_cache->hits();
  ASSERT_EQ(DisplayName(id), "ada");
  ASSERT_EQ(DisplayName("ADA@contoso.test"), "ada");  // the UPN index, any case
  EXPECT_EQ(env.directory_cache->misses(), misses);
  EXPECT_EQ(env.directory_cache->hits(), hits + 2);
}

TEST_F(DirectoryCacheTest, AnUpdateIsSeenByTheNextRead) {
  const std::string id = CreateUser("ada");
  ASSERT_EQ(DisplayName(id), "ada");
  auto patched = env.Call("PATCH", "/v1.0/users/" + id, contoso.token, R"({"displayName":"Ada Lovelace"})");
  ASSERT_EQ(patched.status, 204) << patched.body;
  EXPECT_EQ(DisplayName(id), "Ada Lovelace");
}

TEST_F(DirectoryCacheTest, ARenamedUserIsNoLongerFoundByTheOldName) {
  const std::string id = CreateUser("ada");
  ASSERT_EQ(DisplayName("ada@contoso.test"), "ada");
  auto patched =
      env.Call("PATCH", "/v1.0/users/" + id, contoso.token, R"({"userPrincipalName":"lovelace@contoso.test"})");
  ASSERT_EQ(patched.status, 204) << patched.body;
  EXPECT_EQ(DisplayName("ada@contoso.test"), "HTTP 404");
  EXPECT_EQ(DisplayName("lovelace@contoso.test"), "ada");
}

TEST_F(DirectoryCacheTest, ADeletedUserIsGone) {
  const std::string id = CreateUser("ada");
  ASSERT_EQ(DisplayName(id), "ada");
  ASSERT_EQ(env.Call("DELETE", "/v1.0/users/" + id, contoso.token).status, 204);
  EXPECT_EQ(DisplayName(id), "HTTP 404");
}

TEST_F(DirectoryCacheTest, AGroupUpdateIsSeenByTheNextRead) {
  auto g = env.Call("POST", "/v1.0/groups", contoso.token,
                    R"({"displayName":"Ops","mailEnabled":false,"mailNickname":"ops","securityEnabled":true})");
  ASSERT_EQ(g.status, 201) << g.body;
  const std::string gid(TestEnv::Json(g).at("id").as_string());
  auto name = [&] {
    return std::string(TestEnv::Json(env.Call("GET", "/v1.0/groups/" + gid, contoso.token)).at("displayName").as_string());
  };
  ASSERT_EQ(name(), "Ops");
  ASSERT_EQ(name(), "Ops");
  ASSERT_EQ(env.Call("PATCH", "/v1.0/groups/" + gid, contoso.token, R"({"displayName":"Operations"})").status, 204);
  EXPECT_EQ(name(), "Operations");
}

// The roles a request is authorised with are the ones held now: granted, a
// request may; revoked, the next request may not — with the same token.
TEST_F(DirectoryCacheTest, ACallersRolesFollowAssignmentAndRemoval) {
  const std::string bob = CreateUser("bob");
  const std::string token = TokenOf(bob);
  auto create = [&](const std::string& nick) { return Create(token, nick).status; };
  ASSERT_EQ(create("one"), 403);
  ASSERT_EQ(create("two"), 403);  // the refusal read from memory
  auto a = env.Call("POST", "/v1.0/roleManagement/directory/roleAssignments", contoso.token,
                    R"({"principalId":")" + bob + R"(","roleDefinitionId":")" + kUserAdministrator +
                        R"(","directoryScopeId":"/"})");
  ASSERT_EQ(a.status, 201) << a.body;
  EXPECT_EQ(create("three"), 201);
  const std::string assignment(TestEnv::Json(a).at("id").as_string());
  ASSERT_EQ(env.Call("DELETE", "/v1.0/roleManagement/directory/roleAssignments/" + assignment, contoso.token).status,
            204);
  EXPECT_EQ(create("four"), 403);
}

// Through a role-assignable group: joining grants the group's role, leaving
// takes it away.
TEST_F(DirectoryCacheTest, ACallersRolesFollowARoleAssignableGroupsMembership) {
  const std::string bob = CreateUser("bob");
  const std::string token = TokenOf(bob);
  auto g = env.Call("POST", "/v1.0/groups", contoso.token,
                    R"({"displayName":"Admins","mailEnabled":false,"mailNickname":"admins","securityEnabled":true,"isAssignableToRole":true})");
  ASSERT_EQ(g.status, 201) << g.body;
  const std::string gid(TestEnv::Json(g).at("id").as_string());
  ASSERT_EQ(env.Call("POST", "/v1.0/roleManagement/directory/roleAssignments", contoso.token,
                     R"({"principalId":")" + gid + R"(","roleDefinitionId":")" + kUserAdministrator +
                         R"(","directoryScopeId":"/"})")
                .status,
            201);
  auto create = [&](const std::string& nick) { return Create(token, nick).status; };
  ASSERT_EQ(create("one"), 403);
  ASSERT_EQ(env.Call("POST", "/v1.0/groups/" + gid + "/members/$ref", contoso.token,
                     R"({"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/)" + bob + R"("})")
                .status,
            204);
  EXPECT_EQ(create("two"), 201);
  ASSERT_EQ(env.Call("DELETE", "/v1.0/groups/" + gid + "/members/" + bob + "/$ref", contoso.token).status, 204);
  EXPECT_EQ(create("three"), 403);
}

// A disabled user's token stops working at the next request.
TEST_F(DirectoryCacheTest, ADisabledCallerIsRefusedAtTheNextRequest) {
  const std::string bob = CreateUser("bob");
  const std::string token = TokenOf(bob);
  ASSERT_EQ(env.Call("GET", "/contoso.test/oidc/userinfo", token).status, 200);
  ASSERT_EQ(env.Call("GET", "/contoso.test/oidc/userinfo", token).status, 200);
  ASSERT_EQ(env.Call("PATCH", "/v1.0/users/" + bob, contoso.token, R"({"accountEnabled":false})").status, 204);
  EXPECT_EQ(env.Call("GET", "/contoso.test/oidc/userinfo", token).status, 401);
}

// A row read from the store while a change to its tenant is applied is not
// kept: it may predate the change.
TEST_F(DirectoryCacheTest, ARowReadDuringAChangeIsNotKept) {
  DirectoryCache& cache = *env.directory_cache;
  const std::string tenant = contoso.res.tenant.id;
  User u;
  u.id = "11111111-1111-4111-8111-111111111111";
  u.tenant_id = tenant;
  u.user_principal_name = "old@contoso.test";
  int loads = 0;
  auto load_during_change = [&]() -> StatusOr<User> {
    ++loads;
    cache.Apply({store::Change{0, tenant, store::ChangeKind::kUser, {u.id}, false, 0}});
    return u;
  };
  ASSERT_TRUE(cache.UserById(tenant, u.id, load_during_change).ok());
  ASSERT_TRUE(cache.UserById(tenant, u.id, load_during_change).ok());
  EXPECT_EQ(loads, 2) << "the first read was kept although a change was applied while it ran";
  auto plain = [&]() -> StatusOr<User> {
    ++loads;
    return u;
  };
  ASSERT_TRUE(cache.UserById(tenant, u.id, plain).ok());
  ASSERT_TRUE(cache.UserById(tenant, u.id, plain).ok());
  EXPECT_EQ(loads, 3);
}

TEST(DirectoryCacheAlone, AnswersFromTheStoreWhileTheFeedIsNotCurrent) {
  TestEnv env;
  store::ChangeFeed never_started(*env.store);
  DirectoryCache cache(never_started);
  int loads = 0;
  auto load = [&]() -> StatusOr<Group> {
    ++loads;
    Group g;
    g.id = "g";
    return g;
  };
  ASSERT_TRUE(cache.GroupById("t", "g", load).ok());
  ASSERT_TRUE(cache.GroupById("t", "g", load).ok());
  EXPECT_EQ(loads, 2);
  EXPECT_EQ(cache.hits(), 0);
}

TEST(DirectoryCacheAlone, KeepsAtMostItsLimitAndWhatIsStillRead) {
  TestEnv env;  // a started feed: memory may answer
  DirectoryCache cache(*env.feed, DirectoryCache::Options{.users_per_tenant = 4});
  int loads = 0;
  auto read = [&](const std::string& id) {
    auto r = cache.UserById("t", id, [&]() -> StatusOr<User> {
      ++loads;
      User u;
      u.id = id;
      u.user_principal_name = id + "@t.test";
      return u;
    });
    EXPECT_TRUE(r.ok());
  };
  read("hot");
  for (int i = 0; i < 10; ++i) {
    read("cold" + std::to_string(i));
    read("hot");  // read again and again: never dropped
  }
  EXPECT_EQ(loads, 11);
  read("cold0");  // long gone
  EXPECT_EQ(loads, 12);
}

TEST(DirectoryCacheAcrossNodes, AnUpdateOnOneNodeReachesTheOtherNodesReads) {
  const char* url = std::getenv("GATEHOUSE_TEST_POSTGRES_URL");
  if (url == nullptr) GTEST_SKIP() << "GATEHOUSE_TEST_POSTGRES_URL is not set (script/with-postgres sets it)";
  TestEnv a(url), b(url);
  const std::string domain = "cache-" + SecureRandom().NewUuid().substr(0, 8) + ".test";
  auto t = a.Tenant("Nodes", domain);
  auto user = a.Call("POST", "/v1.0/users", t.token,
                     R"({"accountEnabled":true,"displayName":"Ned","mailNickname":"ned","userPrincipalName":"ned@)" +
                         domain + R"(","passwordProfile":{"password":"Str0ng-Passw0rd!"}})");
  ASSERT_EQ(user.status, 201) << user.body;
  const std::string ned(TestEnv::Json(user).at("id").as_string());
  auto name_on_b = [&] {
    auto r = b.Call("GET", "/v1.0/users/" + ned, t.token);
    return r.status == 200 ? std::string(TestEnv::Json(r).at("displayName").as_string()) : "";
  };
  ASSERT_EQ(name_on_b(), "Ned");
  ASSERT_EQ(name_on_b(), "Ned");  // now from B's memory
  ASSERT_EQ(a.Call("PATCH", "/v1.0/users/" + ned, t.token, R"({"displayName":"Edward"})").status, 204);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
  while (name_on_b() != "Edward" && std::chrono::steady_clock::now() < deadline)
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(name_on_b(), "Edward") << "node B kept serving the name node A had changed";
}

}  // namespace
}  // namespace gh::directory
