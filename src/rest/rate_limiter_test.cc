#include "rest/rate_limiter.h"

#include <gtest/gtest.h>

namespace pnode::rest {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

TEST(RateLimiter, BurstThenRefusesWithTheWaitUntilTheNextToken) {
  RateLimiter limiter;
  const RateLimit limit{2, 3};  // 2 per second, bursts of 3
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(100);
  for (int i = 0; i < 3; ++i) EXPECT_TRUE(limiter.take("a", limit, t0).allowed) << i;
  auto refused = limiter.take("a", limit, t0);
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, seconds(1));
  // Half a second refills one token (2 per second), and only one.
  EXPECT_TRUE(limiter.take("a", limit, t0 + milliseconds(500)).allowed);
  EXPECT_FALSE(limiter.take("a", limit, t0 + milliseconds(500)).allowed);
  // Another key has its own bucket.
  EXPECT_TRUE(limiter.take("b", limit, t0).allowed);
}

TEST(RateLimiter, RetryAfterRoundsUpSlowRates) {
  RateLimiter limiter;
  const RateLimit one_per_minute{1.0 / 60, 1};
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(5);
  EXPECT_TRUE(limiter.take("k", one_per_minute, t0).allowed);
  auto refused = limiter.take("k", one_per_minute, t0 + seconds(20));
  EXPECT_FALSE(refused.allowed);
  EXPECT_EQ(refused.retry_after, seconds(40));
  EXPECT_TRUE(limiter.take("k", one_per_minute, t0 + seconds(60)).allowed);
}

TEST(RateLimiter, PeekDoesNotTakeAToken) {
  RateLimiter limiter;
  const RateLimit limit{1, 1};
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(1);
  for (int i = 0; i < 5; ++i) EXPECT_TRUE(limiter.peek("k", limit, t0).allowed);
  EXPECT_TRUE(limiter.take("k", limit, t0).allowed);
  EXPECT_FALSE(limiter.peek("k", limit, t0).allowed);
}

TEST(RateLimiter, UnlimitedTracksNothing) {
  RateLimiter limiter;
  for (int i = 0; i < 1000; ++i) EXPECT_TRUE(limiter.take("k", RateLimit{0, 1}, RateLimiter::Clock::now()).allowed);
  EXPECT_EQ(limiter.tracked(), 0u);
}

TEST(RateLimiter, TrackedKeysAreBoundedEvictingTheLeastRecentlyUsed) {
  RateLimiter limiter(3);
  const RateLimit limit{1, 1};
  const auto t0 = RateLimiter::Clock::time_point{} + seconds(1);
  EXPECT_TRUE(limiter.take("a", limit, t0).allowed);
  EXPECT_TRUE(limiter.take("b", limit, t0).allowed);
  EXPECT_TRUE(limiter.take("c", limit, t0).allowed);
  EXPECT_FALSE(limiter.take("a", limit, t0).allowed);  // "a" is now the most recent
  for (int i = 0; i < 100; ++i) limiter.take("flood" + std::to_string(i), limit, t0);
  EXPECT_EQ(limiter.tracked(), 3u);
  // "a" was evicted by the flood: it starts again with a full bucket.
  EXPECT_TRUE(limiter.take("a", limit, t0).allowed);
  RateLimiter small(3);
  small.take("a", limit, t0);
  small.take("b", limit, t0);
  small.take("c", limit, t0);
  small.take("a", limit, t0);  // touch "a": "b" is now the oldest
  small.take("d", limit, t0);  // evicts "b"
  EXPECT_FALSE(small.take("a", limit, t0).allowed);
  EXPECT_FALSE(small.take("c", limit, t0).allowed);
  EXPECT_TRUE(small.take("b", limit, t0).allowed);  // forgotten, so full again
}

}  // namespace
}  // namespace pnode::rest
