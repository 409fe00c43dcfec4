// The pure pieces of the client commands: table/CSV/JSON formatting, the
// dotted-key settings builder, the access-check reader, error mapping.
#include <gtest/gtest.h>

#include "cli/access_check.h"
#include "cli/api_client.h"
#include "cli/output.h"
#include "cli/settings_patch.h"
#include "core/csv_field.h"
#include "core/encoding.h"
#include "wire/jwt.h"
#include "wire/mail_nickname.h"

namespace gh::cli {
namespace {
namespace json = boost::json;

// The client derives a group's alias as the portal does (wire/mail_nickname.h).
TEST(WireTest, MailNicknameKeepsAsciiLettersDigitsAndDotDashUnderscore) {
  EXPECT_EQ(wire::MailNicknameFrom("Contoso Sales (EU) – 2026"), "ContosoSalesEU2026");
  EXPECT_EQ(wire::MailNicknameFrom("a.b-c_d"), "a.b-c_d");
  EXPECT_EQ(wire::MailNicknameFrom("Zoë's"), "Zos");
  EXPECT_EQ(wire::MailNicknameFrom("!!!"), "");
  EXPECT_EQ(wire::MailNicknameFrom(std::string(100, 'x')), std::string(64, 'x'));
}

// whoami reads a token's payload without the server's crypto (wire/jwt.h).
TEST(WireTest, ReadsATokensPayloadWithoutVerifying) {
  std::string token = Base64UrlEncode(R"({"alg":"RS256"})") + "." +
                      Base64UrlEncode(R"({"tid":"t1","preferred_username":"ada@contoso.com"})") + ".c2ln";
  auto claims = wire::DecodeJwtPayloadUnverified(token);
  ASSERT_TRUE(claims.ok()) << claims.status().ToString();
  EXPECT_EQ(claims->at("preferred_username").as_string(), "ada@contoso.com");
  for (std::string bad : {std::string("a.b"), std::string("a.b.c.d"), "x." + Base64UrlEncode("[1]") + ".s",
                          "x." + Base64UrlEncode("{}") + "=.s", std::string("")}) {
    auto r = wire::DecodeJwtPayloadUnverified(bad);
    EXPECT_EQ(r.status().code(), Code::kUnauthenticated) << bad;
    EXPECT_EQ(r.status().reason(), wire::kInvalidAuthenticationToken) << bad;
  }
}

TEST(OutputTest, TableAlignsColumnsByCodePoints) {
  std::string t = FormatTable({"id", "name"}, {{"1", "Zoë"}, {"22", "Al"}});
  EXPECT_EQ(t, "id  name\n1   Zoë\n22  Al\n");
}

TEST(OutputTest, TableKeepsCellsOnOneLine) {
  EXPECT_EQ(FormatTable({"a", "b"}, {{"x\ny", "z"}}), "a    b\nx y  z\n");
}

TEST(OutputTest, CsvQuotesOnlyWhatNeedsIt) {
  EXPECT_EQ(CsvField("plain"), "plain");
  EXPECT_EQ(CsvField("a,b"), "\"a,b\"");
  EXPECT_EQ(CsvField("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(CsvField("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(FormatCsv({"id", "name"}, {{"1", "O'Neil, Pat"}}), "id,name\r\n1,\"O'Neil, Pat\"\r\n");
}

TEST(OutputTest, RowsFollowDottedPathsAndRenderScalars) {
  json::array rows = json::parse(R"([{"id":"1","p":{"enabled":25},"tags":["a","b"],"ok":true,"none":null}])").as_array();
  std::vector<Column> cols{{"id", "id"}, {"enabled", "p.enabled"}, {"tags", "tags"}, {"ok", "ok"},
                           {"none", "none"}, {"missing", "x.y"}};
  EXPECT_EQ(FormatRows(rows, cols, OutputFormat::kCsv), "id,enabled,tags,ok,none,missing\r\n1,25,\"a, b\",true,,\r\n");
  // JSON is the value array itself.
  EXPECT_EQ(json::parse(FormatRows(rows, cols, OutputFormat::kJson)), json::value(rows));
}

TEST(OutputTest, PrettyJsonRoundTrips) {
  json::value v = json::parse(R"({"a":[1,{"b":"c"}],"d":{},"e":[]})");
  std::string text = PrettyJson(v);
  EXPECT_EQ(json::parse(text), v);
  EXPECT_NE(text.find("\n  \"a\": [\n    1,"), std::string::npos) << text;
}

TEST(OutputTest, FormatNamesAndTheTerminalDefault) {
  EXPECT_EQ(*ParseOutputFormat("", true), OutputFormat::kTable);
  EXPECT_EQ(*ParseOutputFormat("", false), OutputFormat::kJson);
  EXPECT_EQ(*ParseOutputFormat("csv", true), OutputFormat::kCsv);
  auto bad = ParseOutputFormat("xml", true);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(ExitCodeFor(bad.status()), kExitUsage);
}

TEST(SettingsPatchTest, DottedKeysNestAndValuesAreTyped) {
  auto patch = BuildSettingsPatch({"powerPlatform.powerApps.enableGuestsToMake=true",
                                   "powerPlatform.powerApps.disableShareWithEveryone=false",
                                   "powerPlatform.governance.limit=5", "powerPlatform.governance.ratio=0.5",
                                   "displayName=Contoso Ltd", "list=[1,2]", "quoted=\"true\"", "nothing=null"});
  ASSERT_TRUE(patch.ok()) << patch.status().ToString();
  EXPECT_EQ(json::value(*patch), json::parse(R"({"powerPlatform":{"powerApps":{"enableGuestsToMake":true,)"
                                             R"("disableShareWithEveryone":false},"governance":{"limit":5,"ratio":0.5}},)"
                                             R"("displayName":"Contoso Ltd","list":[1,2],"quoted":"true","nothing":null})"));
}

TEST(SettingsPatchTest, MistakesAreUsageErrors) {
  for (std::vector<std::string> bad : {std::vector<std::string>{"noequals"}, {"a..b=1"}, {".a=1"}, {"a=1", "a.b=2"},
                                       {"a.b=2", "a=1"}, {"a={broken"}}) {
    auto patch = BuildSettingsPatch(bad);
    ASSERT_FALSE(patch.ok()) << bad.front();
    EXPECT_EQ(ExitCodeFor(patch.status()), kExitUsage);
  }
  // The last value of a key wins.
  EXPECT_EQ(json::value(*BuildSettingsPatch({"a=1", "a=2"})), json::parse(R"({"a":2})"));
}

// The shape the server writes (wire/access_check.h), read back and rendered.
TEST(AccessCheckTest, ReadsTheServersShapeAndRendersFixes) {
  wire::AccessCheck written;
  written.allowed = false;
  written.action = "environment.access";
  written.tenant_id = "t";
  written.user = {"u", "alice@contoso.test", "Alice", "Member"};
  written.checks = {{"license.environmentAccess", true, "Has a Power Apps licence.", std::nullopt},
                    {"user.usageLocation", false, "No usage location.",
                     wire::Remedy{"Set a usage location.", "PATCH /v1.0/users/{id}",
                                  "gatehouse users set U --usage-location GB"}}};
  auto read = wire::AccessCheckFromJson(json::value(wire::ToJson(written)));
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_FALSE(read->allowed);
  ASSERT_EQ(read->checks.size(), 2u);
  EXPECT_EQ(read->user.user_principal_name, "alice@contoso.test");
  EXPECT_EQ(RenderAccessCheck(*read, "alice"),
            "alice → environment.access: denied\n"
            "  ✓ Has a Power Apps licence.\n"
            "  ✗ No usage location.\n"
            "      fix: Set a usage location.\n"
            "      run: gatehouse users set U --usage-location GB\n"
            "      api: PATCH /v1.0/users/{id}\n");
}

// Not the server's shape: an error naming what is missing, never a guess.
TEST(AccessCheckTest, RefusesAnotherShape) {
  for (const char* other : {"{}", "[1]", R"({"allowed":true,"action":"a"})",
                            R"({"allowed":true,"action":"a","checks":[{"id":"x","ok":true}]})",
                            R"({"allowed":"yes","action":"a","checks":[]})"})
    EXPECT_EQ(wire::AccessCheckFromJson(json::parse(other)).status().code(), Code::kInvalidArgument) << other;
  // A newer server's extra properties are read past.
  auto grown = wire::AccessCheckFromJson(json::parse(R"({"allowed":true,"action":"a","checks":[],"new":1})"));
  EXPECT_TRUE(grown.ok()) << grown.status().ToString();
}

TEST(ApiErrorTest, GraphAndOAuthErrorsBecomeOneLine) {
  Status graph = ErrorFromResponse({403, "application/json",
                                    R"({"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges."}})"});
  EXPECT_EQ(graph.message(), "error Authorization_RequestDenied: Insufficient privileges.");
  EXPECT_EQ(ExitCodeFor(graph), kExitFailed);
  Status oauth = ErrorFromResponse({401, "application/json",
                                    R"({"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."})"});
  EXPECT_EQ(oauth.message(), "error invalid_client: AADSTS7000215: Invalid client secret provided.");
  EXPECT_EQ(ExitCodeFor(oauth), kExitUnreachable);
  Status plain = ErrorFromResponse({502, "text/html", "Bad gateway\n"});
  EXPECT_EQ(plain.message(), "error HTTP 502: Bad gateway");
  EXPECT_EQ(ExitCodeFor(plain), kExitUnreachable);
  Status bad_input = ErrorFromResponse({400, "application/json", R"({"error":{"code":"Request_BadRequest","message":"x"}})"});
  EXPECT_EQ(ExitCodeFor(bad_input), kExitFailed);  // the server refused it; not a command-line mistake
  EXPECT_EQ(ExitCodeFor(UsageError("x")), kExitUsage);
}

TEST(ApiErrorTest, FormEncodingEscapesReservedCharacters) {
  EXPECT_EQ(FormEncode({{"scope", "openid profile"}, {"s", "a+b/c=d&"}}), "scope=openid%20profile&s=a%2Bb%2Fc%3Dd%26");
}

}  // namespace
}  // namespace gh::cli
