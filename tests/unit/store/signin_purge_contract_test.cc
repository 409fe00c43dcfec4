// Store contract for the sign-in purge (security review #23) on both
// backends: PurgeExpired deletes what expired before the cut-off from every
// sign-in table, keeps everything else, honours its per-table limit; and the
// columns added for it (throttle expiry, device-code origin) round-trip.
#include "store/signin_repository.h"
#include "store_test_util.h"

namespace gh::store::testing {
namespace {

class SigninPurgeTest : public StoreTest {
 protected:
  // Far in the past, so rows of other tests (real clocks) are never in range.
  static constexpr int64_t kCut = 1'000'000;
  static constexpr int64_t kDead = kCut - 1;
  static constexpr int64_t kLive = kCut + 1;

  void InsertOneOfEach(const std::string& tenant, const std::string& tag, int64_t expires_at) {
    auto tx = Write();
    auto& r = tx->Signin();
    GH_ASSERT_OK(r.InsertSession({"s-" + tag, tenant, "u", "pwd", 1, expires_at}));
    GH_ASSERT_OK(r.InsertAuthCode({"c-" + tag, tenant, "app", "u", "https://x/cb", "openid", "", "", "idp", 1,
                                   expires_at, std::nullopt}));
    GH_ASSERT_OK(r.InsertRefreshToken({"r-" + tag, "fam-" + tag, tenant, "app", "u", "openid", "idp", 1, 1,
                                       expires_at, std::nullopt, false}));
    GH_ASSERT_OK(r.InsertDeviceCode({"d-" + tag, "BCDF-" + tag.substr(0, 4), tenant, "app", "openid", "pending", "",
                                     "", 0, expires_at, 5, 0, "2001:db8::7", 1}));
    GH_ASSERT_OK(r.InsertOtp({"o-" + tag, tenant, "x@example.org", "h", expires_at, 0, std::nullopt}));
    GH_ASSERT_OK(r.PutThrottle({"t-" + tag, 3, 1, 0, expires_at}));
    GH_ASSERT_OK(tx->Commit());
  }
};

TEST_P(SigninPurgeTest, DeletesWhatExpiredBeforeTheCutAndKeepsTheRest) {
  std::string tenant = NewTenant();
  std::string dead = NewId(), live = NewId();
  InsertOneOfEach(tenant, dead, kDead);
  InsertOneOfEach(tenant, live, kLive);

  auto tx = Write();
  auto n = tx->Signin().PurgeExpired(kCut, 1000);
  GH_ASSERT_OK(n);
  GH_ASSERT_OK(tx->Commit());
  EXPECT_EQ(n->sessions, 1);
  EXPECT_EQ(n->auth_codes, 1);
  EXPECT_EQ(n->refresh_tokens, 1);
  EXPECT_EQ(n->device_codes, 1);
  EXPECT_EQ(n->otps, 1);
  EXPECT_EQ(n->throttles, 1);
  EXPECT_EQ(n->Total(), 6);

  auto rd = Read();
  auto& r = rd->Signin();
  GH_EXPECT_CODE(r.GetSession("s-" + dead), Code::kNotFound);
  GH_EXPECT_CODE(r.GetAuthCode("c-" + dead), Code::kNotFound);
  GH_EXPECT_CODE(r.GetRefreshToken("r-" + dead), Code::kNotFound);
  GH_EXPECT_CODE(r.GetDeviceCode("d-" + dead), Code::kNotFound);
  EXPECT_EQ(r.GetThrottle("t-" + dead)->count, 0);  // absent reads as a zero row
  GH_ASSERT_OK(r.GetSession("s-" + live));
  GH_ASSERT_OK(r.GetAuthCode("c-" + live));
  GH_ASSERT_OK(r.GetRefreshToken("r-" + live));
  auto device = r.GetDeviceCode("d-" + live);
  GH_ASSERT_OK(device);
  EXPECT_EQ(device->origin_address, "2001:db8::7");
  EXPECT_EQ(device->created_at, 1);
  auto otp = r.FindActiveOtp(tenant, "x@example.org", kCut);
  GH_ASSERT_OK(otp);
  EXPECT_EQ(otp->id, "o-" + live);
  auto throttle = r.GetThrottle("t-" + live);
  GH_ASSERT_OK(throttle);
  EXPECT_EQ(throttle->count, 3);
  EXPECT_EQ(throttle->expires_at, kLive);
}

TEST_P(SigninPurgeTest, EachCallDeletesAtMostTheLimitPerTable) {
  std::string tenant = NewTenant();
  for (int i = 0; i < 3; ++i) InsertOneOfEach(tenant, NewId(), kDead - i);
  int64_t throttles = 0, calls = 0;
  for (;;) {
    auto tx = Write();
    auto n = tx->Signin().PurgeExpired(kCut, 2);
    GH_ASSERT_OK(n);
    GH_ASSERT_OK(tx->Commit());
    ++calls;
    EXPECT_LE(n->throttles, 2);
    EXPECT_LE(n->sessions, 2);
    throttles += n->throttles;
    if (n->Total() == 0) break;
    ASSERT_LT(calls, 10);
  }
  EXPECT_GE(throttles, 3);
  EXPECT_GE(calls, 3) << "2 + 1, then an empty call";
}

TEST_P(SigninPurgeTest, UpdatingADeviceCodeKeepsItsOrigin) {
  std::string tenant = NewTenant();
  std::string tag = NewId();
  InsertOneOfEach(tenant, tag, kLive);
  auto tx = Write();
  auto d = tx->Signin().GetDeviceCode("d-" + tag);
  GH_ASSERT_OK(d);
  d->status = "approved";
  GH_ASSERT_OK(tx->Signin().UpdateDeviceCode(*d));
  GH_ASSERT_OK(tx->Commit());
  auto again = Read()->Signin().GetDeviceCode("d-" + tag);
  GH_ASSERT_OK(again);
  EXPECT_EQ(again->status, "approved");
  EXPECT_EQ(again->origin_address, "2001:db8::7");
}

INSTANTIATE_TEST_SUITE_P(Backends, SigninPurgeTest, ::testing::Values("sqlite", "postgres"), BackendName);

}  // namespace
}  // namespace gh::store::testing
