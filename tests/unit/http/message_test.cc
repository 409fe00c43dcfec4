#include "http/message.h"

#include <gtest/gtest.h>

namespace gh::http {
namespace {

Request WithTarget(std::string target) {
  Request r;
  r.target = std::move(target);
  return r;
}

TEST(MessageTest, ParseTargetSplitsPathAndQuery) {
  Request r = WithTarget("/v1.0/users?$filter=displayName%20eq%20'Al+B'&$top=5&flag");
  ASSERT_TRUE(r.ParseTarget());
  EXPECT_EQ(r.path, "/v1.0/users");
  ASSERT_EQ(r.query.size(), 3u);
  EXPECT_EQ(r.query[0].first, "$filter");
  EXPECT_EQ(r.query[0].second, "displayName eq 'Al B'");
  EXPECT_EQ(r.Query("$top"), "5");
  EXPECT_EQ(r.Query("flag"), "");
  EXPECT_EQ(r.Query("$skip"), std::nullopt);
}

TEST(MessageTest, ParseTargetDecodesUpnWithHash) {
  Request r = WithTarget("/v1.0/users/alice_fabrikam.com%23EXT%23@contoso.com");
  ASSERT_TRUE(r.ParseTarget());
  EXPECT_EQ(r.path, "/v1.0/users/alice_fabrikam.com#EXT#@contoso.com");
}

TEST(MessageTest, PlusIsLiteralInPathButSpaceInQuery) {
  Request r = WithTarget("/a+b?q=a+b%2B");
  ASSERT_TRUE(r.ParseTarget());
  EXPECT_EQ(r.path, "/a+b");
  EXPECT_EQ(r.Query("q"), "a b+");
}

TEST(MessageTest, ParseTargetRejectsBadEscapes) {
  for (const char* t : {"/a%", "/a%2", "/a%zz", "/a%00b", "/x?q=%0", "/x?q=%00", "/x?%g1=2", "/a%2Fb",
                        "/a%2fb", "users", "", "http://host/x"}) {
    Request r = WithTarget(t);
    EXPECT_FALSE(r.ParseTarget()) << t;
  }
}

TEST(MessageTest, HeaderLookupIsCaseInsensitive) {
  Request r;
  r.headers = {{"Content-Type", "text/csv"}, {"client-request-id", "x"}};
  EXPECT_EQ(r.Header("content-type"), "text/csv");
  EXPECT_EQ(r.Header("CLIENT-REQUEST-ID"), "x");
  EXPECT_EQ(r.Header("Authorization"), "");
}

TEST(MessageTest, BaseUrlUsesHostAndScheme) {
  Request r;
  r.headers = {{"host", "gh.example:8443"}};
  r.secure = true;
  EXPECT_EQ(r.BaseUrl(), "https://gh.example:8443");
  r.secure = false;
  EXPECT_EQ(r.BaseUrl(), "http://gh.example:8443");
}

TEST(MessageTest, ResponseHelpers) {
  Response j = Response::Json(201, "{}");
  EXPECT_EQ(j.status, 201);
  EXPECT_EQ(j.Header("content-type").substr(0, 16), "application/json");
  j.SetHeader("content-type", "text/plain");
  EXPECT_EQ(j.headers.size(), 1u);
  EXPECT_EQ(j.Header("Content-Type"), "text/plain");
  Response t = Response::Text(200, "hi");
  EXPECT_EQ(t.Header("Content-Type"), "text/plain; charset=utf-8");
  Response n = Response::NoContent();
  EXPECT_EQ(n.status, 204);
  EXPECT_TRUE(n.body.empty());
}

TEST(MessageTest, PercentEncodeRoundTrips) {
  std::string s = "alice_fabrikam.com#EXT#@contoso.com/ü ~";
  EXPECT_EQ(PercentEncode("a b#/~"), "a%20b%23%2F~");
  EXPECT_EQ(PercentDecode(PercentEncode(s), false), s);
  EXPECT_EQ(PercentDecode("100%", false), "100%");  // lenient form keeps bad escapes
  std::string out;
  EXPECT_FALSE(TryPercentDecode("100%", false, &out));
}

// Found by fuzz_http: a form refused for a bad pair still handed back the
// pairs before it, though TryParseForm promises none (regression input
// fuzz/corpus/http/regression_refused_form_keeps_no_pairs).
TEST(MessageTest, ARefusedFormLeavesNoPairs) {
  std::vector<std::pair<std::string, std::string>> out = {{"stale", "value"}};
  EXPECT_FALSE(TryParseForm(std::string_view("csrf=token&name=a\0b", 19), &out));
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(TryParseForm("csrf=token&x=%E0%80%AF", &out));
  EXPECT_TRUE(out.empty());
  EXPECT_FALSE(TryParseForm("csrf=token&x=%zz", &out));
  EXPECT_TRUE(out.empty());
  EXPECT_TRUE(ParseForm("csrf=token&x=%00").empty());
  EXPECT_TRUE(TryParseForm("csrf=token&x=ok", &out));
  EXPECT_EQ(out.size(), 2u);
}

}  // namespace
}  // namespace gh::http
