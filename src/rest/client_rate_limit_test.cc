#include "rest/client_rate_limit.h"

#include <gtest/gtest.h>

#include <fstream>

#include "rest/test_support.h"
#include "testing/temp_path.h"

namespace pnode::rest {
namespace {

using std::chrono::seconds;
using testing::header;

http::Request from(std::string remote, http::Headers headers = {}) {
  http::Request r = testing::make_request("/pnodes", "GET", std::move(headers));
  r.remote_address = std::move(remote);
  return r;
}

const auto kT0 = ClientRateLimit::Clock::time_point{} + seconds(1000);

ClientRateLimitConfig per_client(RateLimit limit) {
  ClientRateLimitConfig config;
  config.per_client = limit;
  return config;
}

TEST(Sha256, MatchesTheStandardVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(ApiKeys, EntriesParseWithOptionalRateAndBurst) {
  const RateLimit fallback{5, 10};
  const std::string hash = sha256_hex("secret");
  auto plain = parse_api_key(hash, fallback);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->sha256_hex, hash);
  EXPECT_EQ(plain->limit.per_second, 5);
  auto upper = parse_api_key(" " + std::string("BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD") + ":50:200 ", fallback);
  ASSERT_TRUE(upper.ok());
  EXPECT_EQ(upper->sha256_hex, sha256_hex("abc"));
  EXPECT_EQ(upper->limit.per_second, 50);
  EXPECT_EQ(upper->limit.burst, 200);
  EXPECT_FALSE(parse_api_key("secret", fallback).ok());  // a key in clear is refused
  EXPECT_FALSE(parse_api_key(hash + ":fast", fallback).ok());
  EXPECT_FALSE(parse_api_key(hash + ":5:0", fallback).ok());
}

TEST(ApiKeys, FileHasOneEntryPerLineWithComments) {
  std::string path = pnode::testing::unique_temp_path("pnode-api-keys-test.txt");
  std::ofstream(path) << "# partners\n" << sha256_hex("one") << ":1:2  # one\n\n" << sha256_hex("two") << "\n";
  auto keys = read_api_keys_file(path, RateLimit{3, 4});
  ASSERT_TRUE(keys.ok()) << keys.error().message;
  ASSERT_EQ(keys->size(), 2u);
  EXPECT_EQ((*keys)[0].limit.burst, 2);
  EXPECT_EQ((*keys)[1].limit.per_second, 3);
  std::ofstream(path) << "not-a-hash\n";
  auto bad = read_api_keys_file(path, RateLimit{});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find(":1:"), std::string::npos);
  EXPECT_FALSE(read_api_keys_file(path + ".missing", RateLimit{}).ok());
}

TEST(ClientRateLimit, RemoteClientsGet429WithRetryAfterBeyondTheirBurst) {
  ClientRateLimit limit(per_client(RateLimit{1, 3}));
  for (int i = 0; i < 3; ++i) EXPECT_FALSE(limit.check(from("203.0.113.5"), kT0)) << i;
  auto refused = limit.check(from("203.0.113.5"), kT0);
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->status, 429);
  EXPECT_EQ(header(*refused, "retry-after"), "1");
  EXPECT_FALSE(limit.check(from("203.0.113.6"), kT0));  // another client
  EXPECT_FALSE(limit.check(from("203.0.113.5"), kT0 + seconds(1)));
}

TEST(ClientRateLimit, LoopbackIsExemptUnlessConfigured) {
  ClientRateLimit exempt(per_client(RateLimit{1, 1}));
  for (int i = 0; i < 50; ++i) EXPECT_FALSE(exempt.check(from("127.0.0.1"), kT0));
  EXPECT_EQ(exempt.tracked_clients(), 0u);
  ClientRateLimitConfig config = per_client(RateLimit{1, 1});
  config.limit_loopback = true;
  ClientRateLimit limited(config);
  EXPECT_FALSE(limited.check(from("127.0.0.1"), kT0));
  EXPECT_TRUE(limited.check(from("127.0.0.1"), kT0));
}

TEST(ClientRateLimit, AValidApiKeyUsesItsOwnBucketAndLimit) {
  ClientRateLimitConfig config = per_client(RateLimit{1, 1});
  config.api_keys.push_back(ApiKey{sha256_hex("partner-key"), RateLimit{1, 5}});
  ClientRateLimit limit(config);
  const http::Headers key{{"X-API-Key", "partner-key"}};
  EXPECT_FALSE(limit.check(from("203.0.113.5"), kT0));
  EXPECT_TRUE(limit.check(from("203.0.113.5"), kT0));  // the IP's bucket is empty ...
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(limit.check(from("203.0.113.5", key), kT0)) << i;  // ... the key's is not
  EXPECT_TRUE(limit.check(from("198.51.100.1", key), kT0));  // the key's bucket follows it to any IP
  // A wrong key counts against the IP.
  EXPECT_FALSE(limit.check(from("198.51.100.2", {{"X-API-Key", "guess"}}), kT0));
  EXPECT_TRUE(limit.check(from("198.51.100.2", {{"X-API-Key", "guess"}}), kT0));
}

TEST(ClientRateLimit, TrackedClientsAreBounded) {
  ClientRateLimitConfig config = per_client(RateLimit{1, 1});
  config.max_clients = 100;
  ClientRateLimit limit(config);
  for (int i = 0; i < 5000; ++i) limit.check(from("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256)), kT0);
  EXPECT_EQ(limit.tracked_clients(), 100u);
}

}  // namespace
}  // namespace pnode::rest
