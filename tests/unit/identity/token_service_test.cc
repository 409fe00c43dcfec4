#include "core/strings.h"
#include "identity/token_service.h"

#include <gtest/gtest.h>

#include <boost/json/serialize.hpp>

#include "core/encoding.h"
#include "fake_store.h"
#include "identity/secrets.h"

namespace gh::identity {
namespace {

// JSON string value as std::string (gtest can't compare json::value to std::string).
std::string S(const boost::json::value& v) { return v.is_string() ? std::string(v.as_string()) : "<not a string>"; }

constexpr char kBase[] = "https://localhost:8443";
constexpr char kTenantA[] = "11111111-1111-4111-8111-111111111111";
constexpr char kTenantB[] = "22222222-2222-4222-8222-222222222222";
constexpr char kAppId[] = "aaaaaaaa-0000-4000-8000-000000000001";
constexpr char kClientOid[] = "cccccccc-0000-4000-8000-000000000001";
constexpr char kOtherAppId[] = "aaaaaaaa-0000-4000-8000-000000000002";
constexpr char kGraphScope[] = "https://graph.microsoft.com/.default";

directory::Tenant MakeTenant(const char* id, const char* name, std::vector<std::string> domains) {
  directory::Tenant t;
  t.id = id;
  t.name = name;
  t.initial_domain = domains.front();
  t.verified_domains = std::move(domains);
  return t;
}

class TokenServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    secret_ = GenerateClientSecret(random_);
    expired_secret_ = GenerateClientSecret(random_);
    other_secret_ = GenerateClientSecret(random_);
    const int64_t now = clock_.NowMillis();
    auto tx = store_.Begin(store::TxMode::kWrite);
    ASSERT_TRUE(tx.ok());
    auto& t = **tx;
    ASSERT_TRUE(t.InsertTenant(MakeTenant(kTenantA, "Contoso", {"contoso.com", "contoso.example"})).ok());
    ASSERT_TRUE(t.InsertTenant(MakeTenant(kTenantB, "Fabrikam", {"fabrikam.com"})).ok());
    directory::Client c;
    c.id = kClientOid;
    c.app_id = kAppId;
    c.tenant_id = kTenantA;
    c.display_name = "Automation";
    c.app_roles = {"User.ReadWrite.All", "Directory.Read.All"};
    ASSERT_TRUE(t.InsertClient(c).ok());
    directory::Client other = c;
    other.id = "cccccccc-0000-4000-8000-000000000002";
    other.app_id = kOtherAppId;
    other.tenant_id = kTenantB;
    ASSERT_TRUE(t.InsertClient(other).ok());
    ASSERT_TRUE(t.InsertClientSecret({"s1", kClientOid, HashSecret(secret_), secret_.substr(0, 3), "ci", now, now + 86'400'000}).ok());
    ASSERT_TRUE(t.InsertClientSecret({"s2", kClientOid, HashSecret(expired_secret_), "", "old", now - 10, now - 1}).ok());
    ASSERT_TRUE(t.InsertClientSecret({"s3", other.id, HashSecret(other_secret_), "", "b", now, now + 86'400'000}).ok());
    ASSERT_TRUE(t.Commit().ok());
  }

  static boost::json::object Claims(const std::string& token) {
    auto p = DecodeJwtPayloadUnverified(token);
    EXPECT_TRUE(p.ok());
    return p.ok() ? *p : boost::json::object{};
  }

  static void ExpectError(const StatusOr<TokenResponse>& r, Code code, std::string_view reason, int64_t aadsts,
                          std::string_view message_part = {}) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), code) << r.status().ToString();
    EXPECT_EQ(r.status().reason(), reason) << r.status().ToString();
    EXPECT_EQ(AadstsCode(r.status().message()), aadsts) << r.status().message();
    EXPECT_NE(r.status().message().find(message_part), std::string::npos) << r.status().message();
  }

  testing::FakeStore store_;
  FakeClock clock_;
  SeededRandom random_{99};
  KeyManager keys_{store_, clock_, random_};
  TokenService tokens_{store_, keys_, clock_, random_, std::string(kBase) + "/"};
  std::string secret_, expired_secret_, other_secret_;
};

TEST_F(TokenServiceTest, ClientCredentialsIssuesAnEntraShapedToken) {
  auto r = tokens_.ClientCredentials(kTenantA, kAppId, secret_, kGraphScope);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->token_type, "Bearer");
  EXPECT_EQ(r->expires_in, 3599);
  EXPECT_EQ(r->ext_expires_in, 3599);
  boost::json::object wire = r->ToJson();
  EXPECT_EQ(S(wire.at("token_type")), "Bearer");
  EXPECT_EQ(wire.at("expires_in"), 3599);
  EXPECT_EQ(S(wire.at("access_token")), r->access_token);

  auto c = Claims(r->access_token);
  const int64_t now = clock_.NowMillis() / 1000;
  EXPECT_EQ(S(c.at("iss")), std::string(kBase) + "/" + kTenantA + "/v2.0");
  EXPECT_EQ(S(c.at("aud")), "https://graph.microsoft.com");
  EXPECT_EQ(c.at("iat"), now);
  EXPECT_EQ(c.at("nbf"), now);
  EXPECT_EQ(c.at("exp"), now + 3600);
  EXPECT_EQ(S(c.at("tid")), kTenantA);
  EXPECT_EQ(S(c.at("oid")), kClientOid);
  EXPECT_EQ(S(c.at("sub")), kClientOid);
  EXPECT_EQ(S(c.at("azp")), kAppId);
  EXPECT_EQ(S(c.at("appid")), kAppId);
  EXPECT_EQ(S(c.at("idtyp")), "app");
  EXPECT_EQ(S(c.at("ver")), "2.0");
  EXPECT_TRUE(IsUuid(c.at("jti").as_string()));
  EXPECT_EQ(c.at("roles"), (boost::json::array{"User.ReadWrite.All", "Directory.Read.All"}));
  EXPECT_FALSE(c.contains("scp"));

  // Each token is unique.
  auto r2 = tokens_.ClientCredentials(kTenantA, kAppId, secret_, kGraphScope);
  ASSERT_TRUE(r2.ok());
  EXPECT_NE(Claims(r2->access_token).at("jti"), c.at("jti"));
}

TEST_F(TokenServiceTest, TenantByVerifiedDomainAnyCase) {
  auto r = tokens_.ClientCredentials("Contoso.EXAMPLE", kAppId, secret_, kGraphScope);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(S(Claims(r->access_token).at("tid")), kTenantA);
  EXPECT_TRUE(tokens_.ClientCredentials("11111111-1111-4111-8111-111111111111", kAppId, secret_, kGraphScope).ok());
}

TEST_F(TokenServiceTest, AudienceFollowsTheScope) {
  auto own = tokens_.ClientCredentials(kTenantA, kAppId, secret_, std::string(kBase) + "/.default");
  ASSERT_TRUE(own.ok()) << own.status().ToString();
  EXPECT_EQ(S(Claims(own->access_token).at("aud")), kBase);
  auto by_id = tokens_.ClientCredentials(kTenantA, kAppId, secret_, "00000003-0000-0000-c000-000000000000/.default");
  ASSERT_TRUE(by_id.ok());
  EXPECT_EQ(S(Claims(by_id->access_token).at("aud")), "https://graph.microsoft.com");
  auto double_slash = tokens_.ClientCredentials(kTenantA, kAppId, secret_, "https://graph.microsoft.com//.default");
  ASSERT_TRUE(double_slash.ok());
}

TEST_F(TokenServiceTest, VerifyAccessTokenReturnsTheAppPrincipal) {
  auto r = tokens_.ClientCredentials(kTenantA, kAppId, secret_, kGraphScope);
  ASSERT_TRUE(r.ok());
  auto p = tokens_.VerifyAccessToken(r->access_token);
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->kind, PrincipalKind::kApp);
  EXPECT_EQ(p->tenant_id, kTenantA);
  EXPECT_EQ(p->object_id, kClientOid);
  EXPECT_EQ(p->app_id, kAppId);
  EXPECT_TRUE(p->HasRole("User.ReadWrite.All"));
  EXPECT_TRUE(p->scopes.empty());

  // Verification by another instance sharing the store.
  KeyManager keys2(store_, clock_, random_);
  TokenService tokens2(store_, keys2, clock_, random_, kBase);
  EXPECT_TRUE(tokens2.VerifyAccessToken(r->access_token).ok());
}

TEST_F(TokenServiceTest, VerifyAccessTokenRejectsExpiredForeignAndForgedTokens) {
  auto r = tokens_.ClientCredentials(kTenantA, kAppId, secret_, kGraphScope);
  ASSERT_TRUE(r.ok());

  // Minted under another configured base URL: issuer mismatch.
  KeyManager keys2(store_, clock_, random_);
  TokenService at_ip(store_, keys2, clock_, random_, "https://127.0.0.1:8443");
  auto foreign = at_ip.VerifyAccessToken(r->access_token);
  ASSERT_FALSE(foreign.ok());
  EXPECT_EQ(foreign.status().reason(), "InvalidAuthenticationToken");
  EXPECT_NE(foreign.status().message().find("Issuer validation failed"), std::string::npos);

  // tid swapped to another tenant: signature no longer matches / no such key.
  auto payload = Claims(r->access_token);
  payload["tid"] = kTenantB;
  std::string t = r->access_token;
  size_t a = t.find('.'), b = t.rfind('.');
  std::string forged = t.substr(0, a + 1) + Base64UrlEncode(boost::json::serialize(payload)) + t.substr(b);
  auto f = tokens_.VerifyAccessToken(forged);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), Code::kUnauthenticated);

  EXPECT_EQ(tokens_.VerifyAccessToken("garbage").status().reason(), "InvalidAuthenticationToken");

  clock_.Advance((3600 + 300) * 1000);
  auto expired = tokens_.VerifyAccessToken(r->access_token);
  ASSERT_FALSE(expired.ok());
  EXPECT_EQ(expired.status().message(), "Lifetime validation failed, the token is expired.");
}

TEST_F(TokenServiceTest, TokensFromBeforeARotationStillVerify) {
  auto r = tokens_.ClientCredentials(kTenantA, kAppId, secret_, kGraphScope);
  ASSERT_TRUE(r.ok());
  ASSERT_TRUE(keys_.Rotate(kTenantA).ok());
  EXPECT_TRUE(tokens_.VerifyAccessToken(r->access_token).ok());
  ASSERT_TRUE(keys_.Rotate(kTenantA).ok());
  EXPECT_FALSE(tokens_.VerifyAccessToken(r->access_token).ok());
}

// A verified token is answered from memory afterwards (verified_tokens.h);
// what can change after verification still counts on every use.
TEST_F(TokenServiceTest, ARememberedTokenStillExpiresAndStillNeedsItsKey) {
  auto r = tokens_.ClientCredentials(kTenantA, kAppId, secret_, kGraphScope);
  ASSERT_TRUE(r.ok());
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(tokens_.VerifyAccessToken(r->access_token).ok());

  // One byte changed anywhere is a different token, checked in full.
  std::string tampered = r->access_token;
  tampered[tampered.size() - 5] = tampered[tampered.size() - 5] == 'A' ? 'B' : 'A';
  EXPECT_EQ(tokens_.VerifyAccessToken(tampered).status().message(), "Signature validation failed.");
  EXPECT_FALSE(tokens_.VerifyAccessToken(r->access_token + "x").ok());

  // The lifetime, with the same leeway as the full check.
  clock_.Advance((3600 + 299) * 1000);
  EXPECT_TRUE(tokens_.VerifyAccessToken(r->access_token).ok());
  clock_.Advance(1000);
  EXPECT_EQ(tokens_.VerifyAccessToken(r->access_token).status().message(),
            "Lifetime validation failed, the token is expired.");

  // A key retired after the token was remembered.
  auto fresh = tokens_.ClientCredentials(kTenantA, kAppId, secret_, kGraphScope);
  ASSERT_TRUE(fresh.ok());
  ASSERT_TRUE(tokens_.VerifyAccessToken(fresh->access_token).ok());
  ASSERT_TRUE(keys_.Rotate(kTenantA).ok());
  ASSERT_TRUE(keys_.Rotate(kTenantA).ok());
  auto retired = tokens_.VerifyAccessToken(fresh->access_token);
  ASSERT_FALSE(retired.ok());
  EXPECT_EQ(retired.status().reason(), "InvalidAuthenticationToken");
}

TEST(VerifiedTokensTest, KeepsTwoGenerationsAndDropsExpiredEntries) {
  VerifiedTokens cache(2);
  auto entry = [](int64_t exp) { return VerifiedTokens::Entry{Principal{}, "kid", exp, std::nullopt}; };
  cache.Put("a", entry(100));
  cache.Put("b", entry(100));
  cache.Put("c", entry(100));  // the current generation was full: a and b are now the older one
  EXPECT_TRUE(cache.Find("a", 0, 0));
  EXPECT_TRUE(cache.Find("c", 0, 0));
  cache.Put("d", entry(100));
  cache.Put("e", entry(100));  // c and d become the older generation; a and b are gone
  EXPECT_FALSE(cache.Find("a", 0, 0));
  EXPECT_FALSE(cache.Find("b", 0, 0));
  EXPECT_TRUE(cache.Find("d", 0, 0));
  EXPECT_TRUE(cache.Find("e", 99, 0));
  EXPECT_FALSE(cache.Find("e", 100, 0));
  EXPECT_FALSE(cache.Find("e", 0, 0));  // dropped when found expired

  VerifiedTokens later(4);
  later.Put("n", VerifiedTokens::Entry{Principal{}, "kid", 1000, 500});
  EXPECT_FALSE(later.Find("n", 399, 100));
  EXPECT_TRUE(later.Find("n", 400, 100));
}

TEST_F(TokenServiceTest, UnknownTenant) {
  ExpectError(tokens_.ClientCredentials("nowhere.example", kAppId, secret_, kGraphScope), Code::kInvalidArgument,
              "invalid_request", 90002, "Tenant 'nowhere.example' not found.");
  ExpectError(tokens_.ClientCredentials("33333333-3333-4333-8333-333333333333", kAppId, secret_, kGraphScope),
              Code::kInvalidArgument, "invalid_request", 90002);
}

TEST_F(TokenServiceTest, UnknownClient) {
  ExpectError(tokens_.ClientCredentials(kTenantA, "aaaaaaaa-0000-4000-8000-00000000dead", secret_, kGraphScope),
              Code::kInvalidArgument, "unauthorized_client", 700016,
              "Application with identifier 'aaaaaaaa-0000-4000-8000-00000000dead' was not found in the directory "
              "'Contoso'.");
  // A client of another tenant is unknown here, even with its own secret.
  ExpectError(tokens_.ClientCredentials(kTenantA, kOtherAppId, other_secret_, kGraphScope), Code::kInvalidArgument,
              "unauthorized_client", 700016);
  ExpectError(tokens_.ClientCredentials(kTenantA, "", secret_, kGraphScope), Code::kInvalidArgument,
              "invalid_request", 900144);
}

TEST_F(TokenServiceTest, WrongSecret) {
  ExpectError(tokens_.ClientCredentials(kTenantA, kAppId, secret_ + "x", kGraphScope), Code::kUnauthenticated,
              "invalid_client", 7000215, "Invalid client secret provided.");
  ExpectError(tokens_.ClientCredentials(kTenantA, kAppId, other_secret_, kGraphScope), Code::kUnauthenticated,
              "invalid_client", 7000215);
  ExpectError(tokens_.ClientCredentials(kTenantA, kAppId, "", kGraphScope), Code::kUnauthenticated, "invalid_client",
              7000218);
}

TEST_F(TokenServiceTest, ExpiredSecret) {
  ExpectError(tokens_.ClientCredentials(kTenantA, kAppId, expired_secret_, kGraphScope), Code::kUnauthenticated,
              "invalid_client", 7000222, "are expired");
  // The valid secret expires too, one day later.
  clock_.Advance(86'400'000);
  ExpectError(tokens_.ClientCredentials(kTenantA, kAppId, secret_, kGraphScope), Code::kUnauthenticated,
              "invalid_client", 7000222);
}

TEST_F(TokenServiceTest, BadScope) {
  for (const char* scope : {"", "User.Read", "https://graph.microsoft.com/User.Read.All", "/.default",
                            "https://graph.microsoft.com/.default offline_access"}) {
    ExpectError(tokens_.ClientCredentials(kTenantA, kAppId, secret_, scope), Code::kInvalidArgument, "invalid_scope",
                1002012, "Client credential flows must have a scope value with /.default suffixed");
  }
  ExpectError(tokens_.ClientCredentials(kTenantA, kAppId, secret_, "https://example.com/.default"),
              Code::kInvalidArgument, "invalid_resource", 500011);
  // A token for another host name of this server is another resource.
  ExpectError(tokens_.ClientCredentials(kTenantA, kAppId, secret_, "https://127.0.0.1:8443/.default"),
              Code::kInvalidArgument, "invalid_resource", 500011);
}

TEST_F(TokenServiceTest, StoreOutageIsUnavailableNotAnOAuthError) {
  store_.fail_begin_after = 0;
  auto r = tokens_.ClientCredentials(kTenantA, kAppId, secret_, kGraphScope);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
}

TEST(AadstsCodeTest, ExtractsTheNumber) {
  EXPECT_EQ(AadstsCode("AADSTS7000215: Invalid client secret provided."), 7000215);
  EXPECT_EQ(AadstsCode("no code"), 0);
  EXPECT_EQ(AadstsCode(""), 0);
}

}  // namespace
}  // namespace gh::identity
