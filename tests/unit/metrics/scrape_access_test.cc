// Who may read /metrics. The end-to-end tests reach the server only over
// loopback, so the address rule is tested here with injected addresses.
#include "metrics/scrape_access.h"

#include <gtest/gtest.h>

namespace gh::metrics {
namespace {

TEST(ScrapeAccessTest, LoopbackAddresses) {
  for (const char* a : {"127.0.0.1", "127.1.2.3", "::1", "[::1]", "::ffff:127.0.0.1"})
    EXPECT_TRUE(IsLoopbackAddress(a)) << a;
  for (const char* a : {"10.0.0.1", "192.168.1.1", "::2", "fe80::1", "localhost", "", "unknown", "128.0.0.1"})
    EXPECT_FALSE(IsLoopbackAddress(a)) << a;
}

TEST(ScrapeAccessTest, WithoutATokenOnlyLocalScrapersGetIn) {
  EXPECT_EQ(MayScrape({"127.0.0.1", "", false}, ""), ScrapeAccess::kAllowed);
  EXPECT_EQ(MayScrape({"::1", "", false}, ""), ScrapeAccess::kAllowed);
  EXPECT_EQ(MayScrape({"203.0.113.9", "", false}, ""), ScrapeAccess::kForbidden);
  // A bearer token is no key when none is configured.
  EXPECT_EQ(MayScrape({"203.0.113.9", "Bearer ", false}, ""), ScrapeAccess::kForbidden);
  EXPECT_EQ(MayScrape({"203.0.113.9", "Bearer anything", false}, ""), ScrapeAccess::kForbidden);
}

TEST(ScrapeAccessTest, AForwardedRequestIsNeverLocal) {
  // A reverse proxy on this host connects from 127.0.0.1 for anyone.
  EXPECT_EQ(MayScrape({"127.0.0.1", "", true}, ""), ScrapeAccess::kForbidden);
  EXPECT_EQ(MayScrape({"127.0.0.1", "", true}, "s3cret"), ScrapeAccess::kUnauthenticated);
  EXPECT_EQ(MayScrape({"127.0.0.1", "Bearer s3cret", true}, "s3cret"), ScrapeAccess::kAllowed);
}

TEST(ScrapeAccessTest, TheTokenAdmitsFromAnywhere) {
  EXPECT_EQ(MayScrape({"203.0.113.9", "Bearer s3cret", false}, "s3cret"), ScrapeAccess::kAllowed);
  EXPECT_EQ(MayScrape({"203.0.113.9", "bearer s3cret", false}, "s3cret"), ScrapeAccess::kAllowed);
  EXPECT_EQ(MayScrape({"203.0.113.9", "", false}, "s3cret"), ScrapeAccess::kUnauthenticated);
  EXPECT_EQ(MayScrape({"203.0.113.9", "Bearer s3cre", false}, "s3cret"), ScrapeAccess::kUnauthenticated);
  EXPECT_EQ(MayScrape({"203.0.113.9", "Bearer s3crett", false}, "s3cret"), ScrapeAccess::kUnauthenticated);
  EXPECT_EQ(MayScrape({"203.0.113.9", "Basic s3cret", false}, "s3cret"), ScrapeAccess::kUnauthenticated);
  EXPECT_EQ(MayScrape({"203.0.113.9", "s3cret", false}, "s3cret"), ScrapeAccess::kUnauthenticated);
  // Local scrapers need none even when one is configured.
  EXPECT_EQ(MayScrape({"127.0.0.1", "", false}, "s3cret"), ScrapeAccess::kAllowed);
  EXPECT_EQ(MayScrape({"127.0.0.1", "Bearer wrong", false}, "s3cret"), ScrapeAccess::kAllowed);
}

}  // namespace
}  // namespace gh::metrics
