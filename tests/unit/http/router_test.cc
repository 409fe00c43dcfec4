#include "http/router.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "metrics/registry.h"

namespace gh::http {
namespace {

// Renders errors as "<CodeName>|<reason>|<message>" with a status per code, so
// tests can assert what the router asked for without the Graph mapper.
Response RenderForTest(const Request&, const Status& s) {
  int status = 500;
  switch (s.code()) {
    case Code::kNotFound:
      status = 404;
      break;
    case Code::kInvalidArgument:
      status = s.reason() == "Request_MethodNotAllowed" ? 405 : 400;
      break;
    case Code::kUnauthenticated:
      status = 401;
      break;
    case Code::kPermissionDenied:
      status = 403;
      break;
    default:
      break;
  }
  return Response::Text(status, std::string(CodeName(s.code())) + "|" + s.reason() + "|" + s.message());
}

class FakeAuth : public Authenticator {
 public:
  StatusOr<identity::Principal> Authenticate(const Request& req) override {
    ++calls;
    std::string_view h = req.Header("Authorization");
    if (h == "Bearer admin") {
      identity::Principal p;
      p.roles = {"User.ReadWrite.All"};
      return p;
    }
    if (h == "Bearer reader") {
      identity::Principal p;
      p.roles = {"User.Read.All"};
      return p;
    }
    return Unauthenticated("Access token is empty or invalid.", "InvalidAuthenticationToken");
  }
  int calls = 0;
};

Handler Echo(std::string tag) {
  return [tag](RouteContext& ctx) {
    std::string body = tag;
    for (const auto& [k, v] : ctx.params) body += " " + k + "=" + v;
    return Response::Text(200, body);
  };
}

Permission NeedsWrite() {
  return {"User.ReadWrite.All", [](const identity::Principal& p) { return p.HasRole("User.ReadWrite.All"); }};
}
Permission AnyCaller() { return {"authenticated", nullptr}; }

class RouterTest : public ::testing::Test {
 protected:
  RouterTest()
      : router_(
            {
                {"GET", "/v1.0/users", Echo("list"), AnyCaller(), "List users"},
                {"POST", "/v1.0/users", Echo("create"), NeedsWrite(), "Create a user"},
                {"GET", "/v1.0/users/{id}", Echo("get"), AnyCaller(), "Get a user"},
                {"PATCH", "/v1.0/users/{id}", Echo("patch"), NeedsWrite(), "Update a user"},
                {"DELETE", "/v1.0/users/{id}", Echo("delete"), NeedsWrite(), "Delete a user"},
                {"GET", "/v1.0/users/$count", Echo("count"), AnyCaller(), "Count users"},
                {"POST", "/v1.0/groups/{id}/members/$ref", Echo("addmember"), NeedsWrite(), "Add member"},
                {"DELETE", "/v1.0/groups/{gid}/members/{mid}/$ref", Echo("rmmember"), NeedsWrite(), "Remove"},
                {"GET", "/healthz", Echo("ok"), Permission::Public(), "Health"},
                {"GET", "/boom",
                 [](RouteContext&) -> Response { throw std::runtime_error("SELECT secret FROM t"); },
                 Permission::Public(), "Throws"},
                {"GET", "/page",
                 [](RouteContext& ctx) {
                   return Response::Text(200, ctx.principal ? "page with principal" : "page without principal");
                 },
                 NeedsWrite(), "A page that checks its own session", nullptr, Credential::kSession},
            },
            &auth_, RenderForTest) {}

  Response Call(std::string method, std::string target, std::string token = "admin") {
    Request r;
    r.method = std::move(method);
    r.target = std::move(target);
    EXPECT_TRUE(r.ParseTarget());
    if (!token.empty()) r.headers.emplace_back("Authorization", "Bearer " + token);
    r.request_id = "11111111-2222-4333-8444-555555555555";
    return router_.Handle(r);
  }

  FakeAuth auth_;
  Router router_;
};

TEST_F(RouterTest, LiteralBeatsParameter) {
  EXPECT_EQ(Call("GET", "/v1.0/users/$count").body, "count");
  EXPECT_EQ(Call("GET", "/v1.0/users/abc").body, "get id=abc");
  EXPECT_EQ(Call("GET", "/v1.0/users").body, "list");
  EXPECT_EQ(Call("GET", "/v1.0/users/").body, "list");
}

TEST_F(RouterTest, ParameterTakesDecodedUpn) {
  Response r = Call("GET", "/v1.0/users/alice_fabrikam.com%23EXT%23@contoso.com");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "get id=alice_fabrikam.com#EXT#@contoso.com");
}

TEST_F(RouterTest, MultipleParamsAndRefLiteral) {
  EXPECT_EQ(Call("DELETE", "/v1.0/groups/g1/members/m2/$ref").body, "rmmember gid=g1 mid=m2");
  EXPECT_EQ(Call("POST", "/v1.0/groups/g1/members/$ref").body, "addmember id=g1");
}

TEST_F(RouterTest, UnknownPathIs404WithFirstUnmatchedSegment) {
  Response r = Call("GET", "/v1.0/usrs");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.body, "NotFound|Request_ResourceNotFound|Resource not found for the segment 'usrs'.");
  EXPECT_EQ(Call("GET", "/v1.0/users/x/y/z").body,
            "NotFound|Request_ResourceNotFound|Resource not found for the segment 'y'.");
  EXPECT_EQ(auth_.calls, 0);  // nothing is authenticated for a path that doesn't exist
}

TEST_F(RouterTest, WrongMethodIs405WithAllow) {
  Response r = Call("PUT", "/v1.0/users/abc");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(
      r.body,
      "InvalidArgument|Request_MethodNotAllowed|The HTTP method 'PUT' is not allowed for this resource.");
  EXPECT_EQ(r.Header("Allow"), "GET, PATCH, DELETE");
  EXPECT_EQ(Call("DELETE", "/v1.0/users/$count").Header("Allow"), "GET");
}

TEST_F(RouterTest, MissingOrBadTokenIs401WithChallenge) {
  Response none = Call("GET", "/v1.0/users", "");
  EXPECT_EQ(none.status, 401);
  EXPECT_EQ(none.body, "Unauthenticated|InvalidAuthenticationToken|Access token is empty or invalid.");
  EXPECT_EQ(none.Header("WWW-Authenticate"), "Bearer realm=\"gatehouse\"");
  Response bad = Call("GET", "/v1.0/users", "garbage");
  EXPECT_EQ(bad.status, 401);
  EXPECT_EQ(bad.Header("WWW-Authenticate"), "Bearer realm=\"gatehouse\", error=\"invalid_token\"");
}

TEST_F(RouterTest, PermissionDeniedIs403) {
  Response r = Call("POST", "/v1.0/users", "reader");
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(
      r.body,
      "PermissionDenied|Authorization_RequestDenied|Insufficient privileges to complete the operation.");
  EXPECT_EQ(Call("POST", "/v1.0/users", "admin").body, "create");
  EXPECT_EQ(Call("GET", "/v1.0/users", "reader").body, "list");  // null predicate: any caller
}

TEST_F(RouterTest, PublicRouteSkipsAuthentication) {
  Response r = Call("GET", "/healthz", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(auth_.calls, 0);
}

// A session route's handler checks the session and the permission: the router
// asks for no token and checks none, whatever the request carries.
TEST_F(RouterTest, SessionRouteIsLeftToItsHandler) {
  for (const char* token : {"", "garbage", "reader", "admin"}) {
    Response r = Call("GET", "/page", token);
    EXPECT_EQ(r.status, 200) << token;
    EXPECT_EQ(r.body, "page without principal") << token;
    EXPECT_TRUE(r.Header("WWW-Authenticate").empty()) << token;
  }
  EXPECT_EQ(auth_.calls, 0);
}

TEST_F(RouterTest, HandlerExceptionIs500WithoutDetails) {
  Response r = Call("GET", "/boom", "");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(r.body.find("SELECT"), std::string::npos);
  EXPECT_NE(r.body.find("11111111-2222-4333-8444-555555555555"), std::string::npos);
  EXPECT_EQ(r.body.substr(0, 9), "Internal|");
}

TEST_F(RouterTest, HeadUsesGetRouteWithoutBody) {
  Response r = Call("HEAD", "/healthz", "");
  EXPECT_EQ(r.status, 200);
  EXPECT_TRUE(r.body.empty());
  EXPECT_EQ(r.Header("Content-Length"), "2");
}

TEST(RouterStandaloneTest, NoAuthenticatorMeansProtectedRoutesRefuse) {
  Router router({{"GET", "/x", Echo("x"), {"authenticated", nullptr}, "x"}}, nullptr, RenderForTest);
  Request r;
  r.method = "GET";
  r.target = "/x";
  ASSERT_TRUE(r.ParseTarget());
  EXPECT_EQ(router.Handle(r).status, 401);
}

// A session route's large body is admitted by its own check alone (here with
// no Authenticator at all), before the body is read.
TEST(RouterStandaloneTest, SessionRouteAdmitsALargeBodyThroughItsOwnCheck) {
  Route upload{"POST", "/upload", Echo("upload"), {"Upload", nullptr}, "Upload"};
  upload.credential = Credential::kSession;
  upload.admit_large_body = [](RouteContext& ctx) -> std::optional<Response> {
    if (ctx.request.Header("Cookie") == "session=ok") return std::nullopt;
    return Response::Text(303, "sign in first");
  };
  Router router({upload}, nullptr, RenderForTest);
  Request head;
  head.method = "POST";
  head.target = "/upload";
  ASSERT_TRUE(head.ParseTarget());
  auto refused = router.AdmitLargeBody(head);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 303);
  head.headers.emplace_back("Cookie", "session=ok");
  EXPECT_FALSE(router.AdmitLargeBody(head));
}

// Requests are counted by the matched route's template, never the path; a
// request no route matched counts as route="unmatched"; failures the router
// renders itself (401, 403, 500) count under their route.
TEST_F(RouterTest, InstrumentCountsByRouteTemplate) {
  metrics::Registry registry;
  router_.Instrument(registry);
  Call("GET", "/v1.0/users/alice");
  Call("GET", "/v1.0/users/bob");
  Call("GET", "/v1.0/users/bob", "");     // 401
  Call("POST", "/v1.0/users", "reader");  // 403
  Call("GET", "/boom");                   // 500
  Call("GET", "/nowhere");                // 404
  Call("PUT", "/healthz");                // 405
  std::string text = registry.Expose();
  auto has = [&](const std::string& line) { return text.find(line + "\n") != std::string::npos; };
  EXPECT_TRUE(has("http_requests_total{method=\"GET\",route=\"/v1.0/users/{id}\",status=\"200\"} 2")) << text;
  EXPECT_TRUE(has("http_requests_total{method=\"GET\",route=\"/v1.0/users/{id}\",status=\"401\"} 1"));
  EXPECT_TRUE(has("http_requests_total{method=\"POST\",route=\"/v1.0/users\",status=\"403\"} 1"));
  EXPECT_TRUE(has("http_requests_total{method=\"GET\",route=\"/boom\",status=\"500\"} 1"));
  EXPECT_TRUE(has("http_requests_total{method=\"GET\",route=\"unmatched\",status=\"404\"} 1"));
  EXPECT_TRUE(has("http_requests_total{method=\"PUT\",route=\"unmatched\",status=\"405\"} 1"));
  EXPECT_TRUE(has("http_request_duration_seconds_count{method=\"GET\",route=\"/v1.0/users/{id}\"} 3"));
  EXPECT_EQ(text.find("alice"), std::string::npos);
}

}  // namespace
}  // namespace gh::http
