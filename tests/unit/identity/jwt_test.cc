#include "identity/jwt.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include "core/encoding.h"

namespace gh::identity {
namespace {

// JSON string value as std::string (gtest can't compare json::value to std::string).
std::string S(const boost::json::value& v) { return v.is_string() ? std::string(v.as_string()) : "<not a string>"; }

constexpr int64_t kStartMs = 1'700'000'000'000;
constexpr int64_t kNow = kStartMs / 1000;
constexpr char kIssuer[] = "https://localhost:8443/11111111-1111-4111-8111-111111111111/v2.0";

class JwtTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    for (auto* k : {&key_, &other_key_}) {
      auto pkey = GenerateRsaKey();
      ASSERT_TRUE(pkey.ok());
      auto kid = ComputeKid(pkey->get());
      ASSERT_TRUE(kid.ok());
      *k = SigningKeyMaterial{*kid, *pkey};
    }
  }

  KeyLookup Lookup() const {
    return [](std::string_view kid) -> StatusOr<PublicKey> {
      if (kid == key_.kid) return PublicKey{key_.kid, key_.pkey};
      return NotFound("no key");
    };
  }

  boost::json::object Payload() const {
    return {{"iss", kIssuer}, {"aud", "https://graph.microsoft.com"}, {"sub", "abc"},
            {"iat", kNow},    {"nbf", kNow},                          {"exp", kNow + 3600}};
  }

  StatusOr<boost::json::object> Verify(std::string_view token, VerifyOptions opts = {}) {
    if (opts.issuer.empty()) opts.issuer = kIssuer;
    return VerifyJwt(token, Lookup(), clock_, opts);
  }

  std::string Sign(const boost::json::object& payload) {
    auto t = SignJwt(payload, key_);
    EXPECT_TRUE(t.ok()) << t.status().ToString();
    return t.ok() ? *t : "";
  }

  static void ExpectBadToken(const StatusOr<boost::json::object>& r, std::string_view message_part) {
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.status().code(), Code::kUnauthenticated);
    EXPECT_EQ(r.status().reason(), "InvalidAuthenticationToken");
    EXPECT_NE(r.status().message().find(message_part), std::string::npos) << r.status().message();
  }

  static SigningKeyMaterial key_;
  static SigningKeyMaterial other_key_;
  FakeClock clock_{kStartMs};
};

SigningKeyMaterial JwtTest::key_;
SigningKeyMaterial JwtTest::other_key_;

std::string Seg(std::string_view json) { return Base64UrlEncode(json); }

TEST_F(JwtTest, RoundTrip) {
  std::string token = Sign(Payload());
  auto parts = std::count(token.begin(), token.end(), '.');
  EXPECT_EQ(parts, 2);
  auto header = boost::json::parse(*Base64UrlDecode(token.substr(0, token.find('.')))).as_object();
  EXPECT_EQ(S(header.at("alg")), "RS256");
  EXPECT_EQ(S(header.at("typ")), "JWT");
  EXPECT_EQ(S(header.at("kid")), key_.kid);

  auto r = Verify(token);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(*r, Payload());
}

TEST_F(JwtTest, TamperedPayloadIsRejected) {
  std::string token = Sign(Payload());
  size_t a = token.find('.'), b = token.rfind('.');
  boost::json::object evil = Payload();
  evil["sub"] = "admin";
  std::string forged = token.substr(0, a + 1) + Seg(boost::json::serialize(evil)) + token.substr(b);
  ExpectBadToken(Verify(forged), "Signature validation failed.");
}

TEST_F(JwtTest, TamperedSignatureIsRejected) {
  std::string token = Sign(Payload());
  size_t i = token.rfind('.') + 10;
  token[i] = token[i] == 'A' ? 'B' : 'A';
  ExpectBadToken(Verify(token), "Signature validation failed.");
}

TEST_F(JwtTest, SignatureByAnotherKeyWithTheSameKidIsRejected) {
  SigningKeyMaterial impostor{key_.kid, other_key_.pkey};
  auto token = SignJwt(Payload(), impostor);
  ASSERT_TRUE(token.ok());
  ExpectBadToken(Verify(*token), "Signature validation failed.");
}

TEST_F(JwtTest, AlgNoneIsRejected) {
  std::string header = R"({"typ":"JWT","alg":"none","kid":")" + key_.kid + R"("})";
  std::string token = Seg(header) + "." + Seg(boost::json::serialize(Payload())) + ".";
  ExpectBadToken(Verify(token), "only RS256 is accepted");
}

TEST_F(JwtTest, Hs256WithThePublicKeyAsSecretIsRejected) {
  // The key-confusion attack: HMAC keyed with the (public) RSA key bytes.
  unsigned char* der = nullptr;
  int n = i2d_PUBKEY(key_.pkey.get(), &der);
  ASSERT_GT(n, 0);
  std::string header = R"({"typ":"JWT","alg":"HS256","kid":")" + key_.kid + R"("})";
  std::string input = Seg(header) + "." + Seg(boost::json::serialize(Payload()));
  unsigned char mac[32];
  size_t mac_len = 0;
  ASSERT_NE(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, der, n,
                      reinterpret_cast<const unsigned char*>(input.data()), input.size(), mac, sizeof mac, &mac_len),
            nullptr);
  OPENSSL_free(der);
  std::string token = input + "." + Base64UrlEncode(std::string_view(reinterpret_cast<char*>(mac), mac_len));
  ExpectBadToken(Verify(token), "only RS256 is accepted");
}

TEST_F(JwtTest, MissingAlgIsRejected) {
  std::string token = Sign(Payload());
  std::string header = R"({"typ":"JWT","kid":")" + key_.kid + R"("})";
  ExpectBadToken(Verify(Seg(header) + token.substr(token.find('.'))), "only RS256 is accepted");
}

TEST_F(JwtTest, WrongSegmentCountIsRejected) {
  std::string token = Sign(Payload());
  ExpectBadToken(Verify(token.substr(0, token.rfind('.'))), "three segments");
  ExpectBadToken(Verify(token + ".xyz"), "three segments");
  ExpectBadToken(Verify(""), "three segments");
  ExpectBadToken(Verify("abc"), "three segments");
}

TEST_F(JwtTest, BadBase64UrlIsRejected) {
  std::string token = Sign(Payload());
  ExpectBadToken(Verify("+" + token.substr(1)), "not valid base64url");
  std::string padded = token.substr(0, token.find('.')) + "=" + token.substr(token.find('.'));
  ExpectBadToken(Verify(padded), "not valid base64url");
  std::string input = token.substr(0, token.rfind('.') + 1);
  ExpectBadToken(Verify(input + "A"), "not valid base64url");   // length 4k+1
  ExpectBadToken(Verify(input + "AB"), "not valid base64url");  // non-zero trailing bits (non-canonical)
}

TEST_F(JwtTest, NonJsonHeaderIsRejected) {
  std::string token = Sign(Payload());
  ExpectBadToken(Verify(Seg("not json") + token.substr(token.find('.'))), "not a JSON object");
}

TEST_F(JwtTest, UnknownKidIsRejected) {
  auto token = SignJwt(Payload(), other_key_);
  ASSERT_TRUE(token.ok());
  ExpectBadToken(Verify(*token), "Unable to match key: kid: '" + other_key_.kid + "'");
}

TEST_F(JwtTest, LookupOutageIsNotReportedAsABadToken) {
  std::string token = Sign(Payload());
  KeyLookup down = [](std::string_view) -> StatusOr<PublicKey> { return Unavailable("store down"); };
  auto r = VerifyJwt(token, down, clock_, VerifyOptions{kIssuer, {}, 300});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
}

TEST_F(JwtTest, ExpiredIsRejectedAfterLeeway) {
  std::string token = Sign(Payload());
  clock_.Set((kNow + 3600 + 299) * 1000);  // within the 300 s leeway
  EXPECT_TRUE(Verify(token).ok());
  clock_.Set((kNow + 3600 + 300) * 1000);
  ExpectBadToken(Verify(token), "Lifetime validation failed, the token is expired.");
}

TEST_F(JwtTest, NotYetValidIsRejectedBeyondLeeway) {
  boost::json::object p = Payload();
  p["nbf"] = kNow + 301;
  ExpectBadToken(Verify(Sign(p)), "Lifetime validation failed, the token is not yet valid.");
  p["nbf"] = kNow + 300;
  EXPECT_TRUE(Verify(Sign(p)).ok());
}

TEST_F(JwtTest, MissingOrNonNumericExpIsRejected) {
  boost::json::object p = Payload();
  p.erase("exp");
  ExpectBadToken(Verify(Sign(p)), "no expiry");
  p["exp"] = "tomorrow";
  ExpectBadToken(Verify(Sign(p)), "'exp' claim is not a number");
}

TEST_F(JwtTest, IssuerMismatchIsRejected) {
  VerifyOptions opts;
  opts.issuer = "https://127.0.0.1:8443/11111111-1111-4111-8111-111111111111/v2.0";
  ExpectBadToken(Verify(Sign(Payload()), opts), "Issuer validation failed.");
  boost::json::object p = Payload();
  p.erase("iss");
  ExpectBadToken(Verify(Sign(p)), "Issuer validation failed.");
}

TEST_F(JwtTest, AudienceIsCheckedWhenAsked) {
  std::string token = Sign(Payload());
  VerifyOptions opts{kIssuer, {"https://example.com"}, 300};
  ExpectBadToken(Verify(token, opts), "Audience validation failed.");
  opts.audiences.push_back("https://graph.microsoft.com");
  EXPECT_TRUE(Verify(token, opts).ok());

  boost::json::object p = Payload();
  p["aud"] = boost::json::array{"x", "https://example.com"};
  EXPECT_TRUE(Verify(Sign(p), VerifyOptions{kIssuer, {"https://example.com"}, 300}).ok());
}

TEST_F(JwtTest, CritHeaderIsRejected) {
  // Signed properly, so only the crit rule can reject it: re-sign by hand.
  std::string header = R"({"typ":"JWT","alg":"RS256","kid":")" + key_.kid + R"(","crit":["exp"]})";
  std::string token = Sign(Payload());
  ExpectBadToken(Verify(Seg(header) + token.substr(token.find('.'))), "'crit'");
}

TEST_F(JwtTest, SignRejectsNonRsaKeys) {
  EVP_PKEY* ec = EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256");
  ASSERT_NE(ec, nullptr);
  SigningKeyMaterial k{"ec", PkeyPtr(ec, EVP_PKEY_free)};
  auto r = SignJwt(Payload(), k);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

TEST_F(JwtTest, PemRoundTripKeepsTheKid) {
  auto pem = PrivateKeyToPem(key_.pkey.get());
  ASSERT_TRUE(pem.ok());
  EXPECT_EQ(pem->rfind("-----BEGIN PRIVATE KEY-----", 0), 0u);
  auto loaded = LoadPrivateKeyPem(*pem);
  ASSERT_TRUE(loaded.ok());
  auto kid = ComputeKid(loaded->get());
  ASSERT_TRUE(kid.ok());
  EXPECT_EQ(*kid, key_.kid);
  EXPECT_EQ(kid->size(), 27u);
  EXPECT_NE(key_.kid, other_key_.kid);

  // A token signed with the reloaded key verifies under the original's kid.
  auto token = SignJwt(Payload(), SigningKeyMaterial{*kid, *loaded});
  ASSERT_TRUE(token.ok());
  EXPECT_TRUE(Verify(*token).ok());

  EXPECT_EQ(LoadPrivateKeyPem("not a pem").status().code(), Code::kInvalidArgument);
}

TEST_F(JwtTest, PublicJwkHasTheRsaParameters) {
  auto jwk = PublicJwk(PublicKey{key_.kid, key_.pkey});
  ASSERT_TRUE(jwk.ok());
  EXPECT_EQ(S(jwk->at("kty")), "RSA");
  EXPECT_EQ(S(jwk->at("use")), "sig");
  EXPECT_EQ(S(jwk->at("alg")), "RS256");
  EXPECT_EQ(S(jwk->at("kid")), key_.kid);
  EXPECT_EQ(S(jwk->at("e")), "AQAB");
  auto n = Base64UrlDecode(std::string(jwk->at("n").as_string()));
  ASSERT_TRUE(n.ok());
  EXPECT_EQ(n->size(), 256u);  // 2048-bit modulus, no leading zero byte
  EXPECT_FALSE(jwk->contains("d"));  // never the private exponent
}

TEST_F(JwtTest, DecodeUnverifiedReadsThePayload) {
  auto p = DecodeJwtPayloadUnverified(Sign(Payload()));
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(S(p->at("sub")), "abc");
  EXPECT_FALSE(DecodeJwtPayloadUnverified("x.y").ok());
}

}  // namespace
}  // namespace gh::identity
