// Regressions from fuzz_jwt (fuzz/jwt_fuzzer.cc): signed tokens whose claims
// broke an invariant, each with the rule it broke.
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <cstdint>
#include <limits>

#include "core/clock.h"
#include "identity/jwt.h"

namespace gh::identity {
namespace {

constexpr int64_t kNowMs = 1'700'000'000'000;
constexpr char kIssuer[] = "https://localhost:8443/11111111-1111-4111-8111-111111111111/v2.0";

class JwtFuzzTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto pkey = GenerateRsaKey();
    ASSERT_TRUE(pkey.ok());
    key_ = SigningKeyMaterial{"k1", *pkey};
  }

  StatusOr<boost::json::object> SignAndVerify(boost::json::object payload) {
    payload["iss"] = kIssuer;
    auto token = SignJwt(payload, key_);
    EXPECT_TRUE(token.ok());
    FakeClock clock(kNowMs);
    VerifyOptions options;
    options.issuer = kIssuer;
    return VerifyJwt(*token, [](std::string_view) -> StatusOr<PublicKey> { return PublicKey{key_.kid, key_.pkey}; },
                     clock, options);
  }

  static inline SigningKeyMaterial key_;
};

// exp + leeway overflowed int64 for an exp near its maximum (undefined
// behaviour; in practice it wrapped and called a token valid for ever
// "expired"). A NumericDate that large is far in the future: valid.
TEST_F(JwtFuzzTest, AnExpiryAtTheEndOfTimeDoesNotOverflow) {
  for (boost::json::value exp : {boost::json::value(std::numeric_limits<int64_t>::max()),
                                 boost::json::value(static_cast<uint64_t>(std::numeric_limits<int64_t>::max())),
                                 boost::json::value(std::numeric_limits<int64_t>::max() - 100)}) {
    auto r = SignAndVerify({{"exp", exp}});
    EXPECT_TRUE(r.ok()) << boost::json::serialize(exp) << ": " << r.status().ToString();
  }
}

TEST_F(JwtFuzzTest, AnExpiryAtTheStartOfTimeIsExpiredWithoutOverflow) {
  auto r = SignAndVerify({{"exp", std::numeric_limits<int64_t>::min()}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnauthenticated);
  auto nbf = SignAndVerify({{"exp", kNowMs / 1000 + 60}, {"nbf", std::numeric_limits<int64_t>::max()}});
  ASSERT_FALSE(nbf.ok());
  EXPECT_NE(nbf.status().message().find("not yet valid"), std::string::npos) << nbf.status().ToString();
}

}  // namespace
}  // namespace gh::identity
