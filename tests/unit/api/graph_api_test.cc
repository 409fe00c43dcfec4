// The Graph routes in-process (no sockets): status codes, bodies, error shapes,
// tenant confinement and permission checks, one family at a time.
#include <gtest/gtest.h>

#include "api/graph/wire.h"
#include "http/message.h"
#include "support/test_env.h"

namespace gh::api {
namespace {

using gh::testing::TestEnv;
namespace json = boost::json;

class GraphApiTest : public ::testing::Test {
 protected:
  TestEnv env;
  TestEnv::TenantHandle contoso = env.Tenant("Contoso", "contoso.test");
  TestEnv::TenantHandle fabrikam = env.Tenant("Fabrikam", "fabrikam.test");

  std::string NewUserBody(const std::string& nick, const std::string& extra = "") {
    return R"({"accountEnabled":true,"displayName":")" + nick + R"(","mailNickname":")" + nick +
           R"(","userPrincipalName":")" + nick + R"(@contoso.test","passwordProfile":{"password":"Str0ng-Passw0rd!"})" +
           extra + "}";
  }
  std::string CreateUser(const std::string& nick) {
    auto r = env.Call("POST", "/v1.0/users", contoso.token, NewUserBody(nick));
    EXPECT_EQ(r.status, 201) << r.body;
    return std::string(TestEnv::Json(r).at("id").as_string());
  }
  static std::string ToUpperCopy(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
  }
  void ExpectError(const http::Response& r, int status, const std::string& code = "") {
    EXPECT_EQ(r.status, status) << r.body;
    auto v = TestEnv::Json(r);
    ASSERT_TRUE(v.as_object().contains("error")) << r.body;
    if (!code.empty()) {
      EXPECT_EQ(TestEnv::ErrorCode(r), code) << r.body;
    }
    EXPECT_FALSE(v.at("error").at("message").as_string().empty());
    EXPECT_EQ(v.at("error").at("innerError").at("request-id").as_string(), "00000000-0000-4000-8000-000000000000");
  }
};

TEST_F(GraphApiTest, UsersRoundTrip) {
  std::string id = CreateUser("ada");
  auto get = env.Call("GET", "/v1.0/users/ada@contoso.test?$select=id,userType,accountEnabled", contoso.token);
  ASSERT_EQ(get.status, 200);
  auto v = TestEnv::Json(get);
  EXPECT_EQ(v.at("id").as_string(), id);
  EXPECT_EQ(v.at("userType").as_string(), "Member");
  EXPECT_FALSE(v.as_object().contains("displayName"));  // only what was selected
  EXPECT_EQ(env.Call("PATCH", "/v1.0/users/" + id, contoso.token, R"({"usageLocation":"NO"})").status, 204);
  EXPECT_EQ(TestEnv::Json(env.Call("GET", "/v1.0/users/" + id + "?$select=usageLocation", contoso.token))
                .at("usageLocation")
                .as_string(),
            "NO");
  EXPECT_EQ(env.Call("DELETE", "/v1.0/users/" + id, contoso.token).status, 204);
  ExpectError(env.Call("GET", "/v1.0/users/" + id, contoso.token), 404, "Request_ResourceNotFound");
}

TEST_F(GraphApiTest, UserBadInputChangesNothing) {
  for (const std::string& body :
       {std::string("{"), std::string("42"), NewUserBody("u1", R"(,"shoeSize":44)"),
        NewUserBody("u2", R"(,"externalUserState":"Accepted")"), NewUserBody("u3", R"(,"accountEnabled":"true")"),
        NewUserBody("u4", R"(,"usageLocation":"XX")"), NewUserBody("u5", R"(,"mail":"not an address")"),
        std::string(R"({"displayName":"missing the rest"})")}) {
    auto r = env.Call("POST", "/v1.0/users", contoso.token, body);
    ExpectError(r, 400);
  }
  auto list = TestEnv::Json(env.Call("GET", "/v1.0/users?$count=true", contoso.token, "",
                                     {{"ConsistencyLevel", "eventual"}}));
  EXPECT_EQ(list.at("@odata.count").as_int64(), 1);  // only the admin
  std::string id = CreateUser("keep");
  ExpectError(env.Call("PATCH", "/v1.0/users/" + id, contoso.token, R"({"displayName":"ok","surname":7})"), 400);
  EXPECT_EQ(TestEnv::Json(env.Call("GET", "/v1.0/users/" + id, contoso.token)).at("displayName").as_string(), "keep");
}

TEST_F(GraphApiTest, QueryOptionErrors) {
  ExpectError(env.Call("GET", "/v1.0/users?$filter=displayName%20eq", contoso.token), 400);
  ExpectError(env.Call("GET", "/v1.0/users?$filter=shoeSize%20eq%2044", contoso.token), 400, "Request_UnsupportedQuery");
  ExpectError(env.Call("GET", "/v1.0/users?$top=0", contoso.token), 400);
  ExpectError(env.Call("GET", "/v1.0/users?$select=shoeSize", contoso.token), 400);
  ExpectError(env.Call("GET", "/v1.0/users?$count=true", contoso.token), 400);
  ExpectError(env.Call("GET", "/v1.0/users?$orderby=displayName", contoso.token), 400);
  ExpectError(env.Call("GET", "/v1.0/users?$skiptoken=garbage!", contoso.token), 400);
}

// The API's filterable properties are the one list (api/graph/wire.h); the
// store only maps them to columns. Every one of them must reach a column:
// a name the store didn't map would be a 500, not an answer.
TEST_F(GraphApiTest, EveryFilterablePropertyReachesTheStore) {
  for (const auto& [path, properties] : {std::pair{"/v1.0/users", &graph::UserFilterable()},
                                         std::pair{"/v1.0/groups", &graph::GroupFilterable()}}) {
    for (const auto& [name, type] : *properties) {
      for (const std::string& clause : {name + " eq null", name + " ne null"}) {
        auto r = env.Call("GET", std::string(path) + "?$filter=" + http::PercentEncode(clause), contoso.token);
        EXPECT_EQ(r.status, 200) << clause << ": " << r.body;
      }
      std::string value = type == http::PropertyType::kBool   ? "true"
                          : type == http::PropertyType::kGuid ? "'00000000-0000-4000-8000-000000000001'"
                                                              : "'x'";
      auto r = env.Call("GET", std::string(path) + "?$filter=" + http::PercentEncode(name + " in (" + value + ")"),
                        contoso.token);
      EXPECT_EQ(r.status, 200) << name << ": " << r.body;
    }
  }
}

// A chain of `or`s nests one level per operator: the API refuses what the
// store wouldn't translate, with a 400, before the store is called.
TEST_F(GraphApiTest, AFilterTooDeepForTheStoreIsABadRequest) {
  auto chain = [](int clauses) {
    std::string f = "mail eq 'a'";
    for (int i = 1; i < clauses; ++i) f += " or mail eq 'a'";
    return "/v1.0/users?$filter=" + http::PercentEncode(f);
  };
  EXPECT_EQ(env.Call("GET", chain(65), contoso.token).status, 200);  // 64 operators
  ExpectError(env.Call("GET", chain(66), contoso.token), 400, "BadRequest");
  ExpectError(env.Call("GET", chain(200), contoso.token), 400, "BadRequest");
}

// An error that quotes bytes of the request that aren't UTF-8 has them
// replaced: the body stays JSON a strict client can read.
TEST_F(GraphApiTest, ErrorsQuotingBytesThatAreNotUtf8AreStillJson) {
  ExpectError(env.Call("GET", "/v1.0/users?$filter=%ff", contoso.token), 400);
  ExpectError(env.Call("GET", "/v1.0/policies/crossTenantAccessPolicy/partners/%C3%28", contoso.token), 400);
  auto r = env.Call("GET", "/api/v1/environments/%ff", contoso.token);
  ExpectError(r, 404);
  ExpectError(env.Call("GET", "/v1.0", contoso.token), 404);  // the API's root is the API's too
  EXPECT_NE(r.body.find("\xEF\xBF\xBD"), std::string::npos) << r.body;
}

// The partner rules of PolicyService, through Graph (the portal calls the
// same operations): another tenant's GUID, listed once; the one to change or
// remove exists.
TEST_F(GraphApiTest, CrossTenantPartnerRules) {
  const std::string partners = "/v1.0/policies/crossTenantAccessPolicy/partners";
  const std::string fab = fabrikam.res.tenant.id;
  auto added = env.Call("POST", partners, contoso.token, R"({"tenantId":")" + ToUpperCopy(fab) + R"("})");
  ASSERT_EQ(added.status, 201) << added.body;
  EXPECT_EQ(TestEnv::Json(added).at("tenantId").as_string(), fab);  // stored lower-case
  ExpectError(env.Call("POST", partners, contoso.token, R"({"tenantId":")" + fab + R"("})"), 409, "Request_Conflict");
  ExpectError(env.Call("POST", partners, contoso.token, R"({"tenantId":")" + contoso.res.tenant.id + R"("})"), 400);
  ExpectError(env.Call("POST", partners, contoso.token, R"({"tenantId":"fabrikam.test"})"), 400);
  ExpectError(env.Call("POST", partners, contoso.token, R"({"inboundTrust":null})"), 400);
  const std::string unknown = "/00000000-0000-4000-8000-00000000beef";
  ExpectError(env.Call("PATCH", partners + unknown, contoso.token, R"({"b2bCollaborationInbound":null})"), 404,
              "Request_ResourceNotFound");
  ExpectError(env.Call("DELETE", partners + unknown, contoso.token), 404, "Request_ResourceNotFound");
  EXPECT_EQ(env.Call("DELETE", partners + "/" + fab, contoso.token).status, 204);
  ExpectError(env.Call("GET", partners + "/" + fab, contoso.token), 404, "Request_ResourceNotFound");
  // Nothing refused was written: the list is empty again.
  EXPECT_TRUE(TestEnv::Json(env.Call("GET", partners, contoso.token)).at("value").as_array().empty());
}

TEST_F(GraphApiTest, PagingFollowsNextLinkWithoutRepeats) {
  for (int i = 0; i < 7; ++i) CreateUser("page" + std::to_string(i));
  std::set<std::string> seen;
  std::string target = "/v1.0/users?$top=3&$filter=startswith(displayName,'page')";
  int pages = 0;
  while (!target.empty()) {
    auto v = TestEnv::Json(env.Call("GET", target, contoso.token));
    for (const auto& u : v.at("value").as_array()) EXPECT_TRUE(seen.insert(std::string(u.at("id").as_string())).second);
    target.clear();
    if (auto* next = v.as_object().if_contains("@odata.nextLink")) {
      std::string link(next->as_string());
      ASSERT_EQ(link.rfind(TestEnv::kBase, 0), 0u) << link;
      target = link.substr(std::string(TestEnv::kBase).size());
    }
    ASSERT_LT(++pages, 10);
  }
  EXPECT_EQ(seen.size(), 7u);
  EXPECT_EQ(pages, 3);
}

TEST_F(GraphApiTest, GroupsAndMembersFamily) {
  std::string user = CreateUser("member");
  auto g = env.Call("POST", "/v1.0/groups", contoso.token,
                    R"({"displayName":"Sales","mailNickname":"sales","mailEnabled":false,"securityEnabled":true})");
  ASSERT_EQ(g.status, 201) << g.body;
  std::string gid(TestEnv::Json(g).at("id").as_string());
  std::string ref = R"({"@odata.id":"https://graph.microsoft.com/v1.0/directoryObjects/)" + user + "\"}";
  EXPECT_EQ(env.Call("POST", "/v1.0/groups/" + gid + "/members/$ref", contoso.token, ref).status, 204);
  ExpectError(env.Call("POST", "/v1.0/groups/" + gid + "/members/$ref", contoso.token, ref), 400, "Request_BadRequest");
  ExpectError(env.Call("POST", "/v1.0/groups/" + gid + "/members/$ref", contoso.token, R"({"@odata.id":"x"})"), 400);
  ExpectError(env.Call("POST", "/v1.0/groups/" + gid + "/members/$ref", contoso.token, R"({"member":"x"})"), 400);
  ExpectError(env.Call("POST", "/v1.0/groups", contoso.token, R"({"displayName":"x"})"), 400);
  ExpectError(env.Call("PATCH", "/v1.0/groups/" + gid, contoso.token, R"({"groupTypes":["Unified"]})"), 400);
  ExpectError(env.Call("GET", "/v1.0/groups/nope", contoso.token), 400);
  auto members = TestEnv::Json(env.Call("GET", "/v1.0/groups/" + gid + "/members", contoso.token));
  ASSERT_EQ(members.at("value").as_array().size(), 1u);
  EXPECT_EQ(members.at("value").at(0).at("@odata.type").as_string(), "#microsoft.graph.user");
  EXPECT_EQ(env.Call("DELETE", "/v1.0/groups/" + gid + "/members/" + user + "/$ref", contoso.token).status, 204);
  ExpectError(env.Call("DELETE", "/v1.0/groups/" + gid + "/members/" + user + "/$ref", contoso.token), 404);
}

TEST_F(GraphApiTest, RolesFamily) {
  std::string user = CreateUser("helper");
  auto a = env.Call("POST", "/v1.0/roleManagement/directory/roleAssignments", contoso.token,
                    R"({"principalId":")" + user + R"(","roleDefinitionId":"95e79109-95c0-4d8e-aee3-d01accf2d47b","directoryScopeId":"/"})");
  ASSERT_EQ(a.status, 201) << a.body;
  ExpectError(env.Call("POST", "/v1.0/roleManagement/directory/roleAssignments", contoso.token,
                       R"({"principalId":")" + user + R"(","roleDefinitionId":"95e79109-95c0-4d8e-aee3-d01accf2d47b"})"),
              400);
  ExpectError(env.Call("POST", "/v1.0/roleManagement/directory/roleAssignments", contoso.token,
                       R"({"principalId":")" + user + R"(","roleDefinitionId":"95e79109-95c0-4d8e-aee3-d01accf2d47b","directoryScopeId":"/administrativeUnits/1"})"),
              400);
  ExpectError(env.Call("GET", "/v1.0/directoryRoles/00000000-0000-0000-0000-000000000000", contoso.token), 404);
  auto listed = TestEnv::Json(env.Call(
      "GET", "/v1.0/roleManagement/directory/roleAssignments?$filter=principalId%20eq%20'" + user + "'", contoso.token));
  EXPECT_EQ(listed.at("value").as_array().size(), 1u);
}

TEST_F(GraphApiTest, TenantConfinement) {
  std::string id = CreateUser("private");
  ExpectError(env.Call("GET", "/v1.0/users/" + id, fabrikam.token), 404);
  ExpectError(env.Call("GET", "/v1.0/users/private@contoso.test", fabrikam.token), 404);
  ExpectError(env.Call("PATCH", "/v1.0/users/" + id, fabrikam.token, R"({"displayName":"x"})"), 404);
  ExpectError(env.Call("DELETE", "/v1.0/users/" + id, fabrikam.token), 404);
  auto list = TestEnv::Json(env.Call("GET", "/v1.0/users", fabrikam.token));
  for (const auto& u : list.at("value").as_array()) EXPECT_NE(u.at("id").as_string(), id);
  EXPECT_EQ(env.Call("GET", "/v1.0/users/" + id, contoso.token).status, 200);
}

TEST_F(GraphApiTest, AuthenticationAndPermissions) {
  ExpectError(env.Call("GET", "/v1.0/users", ""), 401, "InvalidAuthenticationToken");
  ExpectError(env.Call("GET", "/v1.0/users", "garbage"), 401, "InvalidAuthenticationToken");
  // A client without directory permissions is refused with 403.
  auto weak = env.clients->RegisterConfidential(directory::Actor::System(), contoso.res.tenant.id, "Reader", {});
  ASSERT_TRUE(weak.ok());
  auto tok = env.tokens->ClientCredentials("contoso.test", weak->client.app_id, weak->secret,
                                           "https://graph.microsoft.com/.default");
  ASSERT_TRUE(tok.ok());
  ExpectError(env.Call("GET", "/v1.0/users", tok->access_token), 403, "Authorization_RequestDenied");
  ExpectError(env.Call("PUT", "/v1.0/users", contoso.token), 405, "Request_MethodNotAllowed");
  ExpectError(env.Call("GET", "/v1.0/nothing", contoso.token), 404);
}

TEST_F(GraphApiTest, TokenEndpointUsesEntraErrorShape) {
  http::HeaderList form{{"Content-Type", "application/x-www-form-urlencoded"}};
  auto call = [&](const std::string& body) {
    http::Request req;
    req.method = "POST";
    req.target = "/contoso.test/oauth2/v2.0/token";
    req.body = body;
    req.headers = form;
    req.request_id = "r";
    EXPECT_TRUE(req.ParseTarget());
    return env.router->Handle(req);
  };
  auto ok = call("grant_type=client_credentials&client_id=" + contoso.res.client_id + "&client_secret=" +
                 contoso.res.client_secret + "&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
  EXPECT_EQ(ok.status, 200) << ok.body;
  auto bad = call("grant_type=client_credentials&client_id=" + contoso.res.client_id +
                  "&client_secret=nope&scope=https%3A%2F%2Fgraph.microsoft.com%2F.default");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(TestEnv::Json(bad).at("error").as_string(), "invalid_client");
  auto no_grant = call("client_id=x");
  EXPECT_EQ(no_grant.status, 400);
  EXPECT_EQ(TestEnv::Json(no_grant).at("error").as_string(), "invalid_request");
}

}  // namespace
}  // namespace gh::api
