#include "notify/retry.h"

#include <gtest/gtest.h>

namespace pnode::notify {
namespace {

Attempt failed(int status = 0, std::optional<Millis> retry_after = std::nullopt) {
  return Attempt{Outcome::kRetry, status, retry_after, std::nullopt};
}

TEST(Classify, HttpStatuses) {
  EXPECT_EQ(classify_http_status(200), Outcome::kDelivered);
  EXPECT_EQ(classify_http_status(204), Outcome::kDelivered);
  EXPECT_EQ(classify_http_status(408), Outcome::kRetry);
  EXPECT_EQ(classify_http_status(429), Outcome::kRetry);
  EXPECT_EQ(classify_http_status(500), Outcome::kRetry);
  EXPECT_EQ(classify_http_status(503), Outcome::kRetry);
  EXPECT_EQ(classify_http_status(400), Outcome::kPermanent);
  EXPECT_EQ(classify_http_status(401), Outcome::kPermanent);
  EXPECT_EQ(classify_http_status(404), Outcome::kPermanent);
  EXPECT_EQ(classify_http_status(413), Outcome::kPermanent);
  EXPECT_EQ(classify_http_status(301), Outcome::kPermanent);  // redirects are not followed
}

TEST(Classify, SmtpReplies) {
  EXPECT_EQ(classify_smtp_reply(250), Outcome::kDelivered);
  EXPECT_EQ(classify_smtp_reply(421), Outcome::kRetry);
  EXPECT_EQ(classify_smtp_reply(451), Outcome::kRetry);
  EXPECT_EQ(classify_smtp_reply(550), Outcome::kPermanent);
  EXPECT_EQ(classify_smtp_reply(554), Outcome::kPermanent);
}

TEST(RetryDelay, FullJitterSpansZeroToTheDoublingCeiling) {
  const RetryPolicy policy{10, Millis{1000}, Millis{60000}, Millis{3600000}};
  EXPECT_EQ(next_retry_delay(policy, failed(), 1, 0.0), Millis{0});
  EXPECT_EQ(next_retry_delay(policy, failed(), 1, 0.5), Millis{500});
  EXPECT_EQ(next_retry_delay(policy, failed(), 2, 0.5), Millis{1000});
  EXPECT_EQ(next_retry_delay(policy, failed(), 3, 0.5), Millis{2000});
  EXPECT_EQ(next_retry_delay(policy, failed(), 4, 0.999), Millis{7992});
}

TEST(RetryDelay, IsCappedByMaxBackoff) {
  const RetryPolicy policy{100, Millis{1000}, Millis{60000}, Millis{3600000}};
  EXPECT_EQ(next_retry_delay(policy, failed(), 8, 0.5), Millis{30000});   // 2^7 s = 128 s, capped to 60 s
  EXPECT_EQ(next_retry_delay(policy, failed(), 99, 0.5), Millis{30000});  // no overflow far out
}

TEST(RetryDelay, StopsAfterMaxAttempts) {
  const RetryPolicy policy{3, Millis{1000}, Millis{60000}, Millis{3600000}};
  EXPECT_TRUE(next_retry_delay(policy, failed(), 2, 0.5));
  EXPECT_FALSE(next_retry_delay(policy, failed(), 3, 0.5));
}

TEST(RetryDelay, NeverForDeliveredOrPermanent) {
  const RetryPolicy policy;
  EXPECT_FALSE(next_retry_delay(policy, Attempt{Outcome::kDelivered, 200, std::nullopt, std::nullopt}, 1, 0.5));
  EXPECT_FALSE(next_retry_delay(policy, Attempt{Outcome::kPermanent, 404, std::nullopt, std::nullopt}, 1, 0.5));
}

TEST(RetryDelay, RetryAfterOverridesTheBackoffUpToItsCap) {
  const RetryPolicy policy{10, Millis{1000}, Millis{60000}, Millis{120000}};
  EXPECT_EQ(next_retry_delay(policy, failed(429, Millis{7000}), 1, 0.0), Millis{7000});
  EXPECT_EQ(next_retry_delay(policy, failed(429, Millis{90000}), 1, 0.0), Millis{90000});  // beyond max_backoff
  EXPECT_EQ(next_retry_delay(policy, failed(429, Millis{999999}), 1, 0.0), Millis{120000});
}

}  // namespace
}  // namespace pnode::notify
