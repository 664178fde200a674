// Tests of pRPC parsing: the leniency rules for numbers and pod rows.
#include "prpc/parse.h"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace pnode::prpc {
namespace {

// ---- numbers -------------------------------------------------------------------------------

TEST(ParseNumbers, IntegralFloatsAreIntegers) {
  auto r = parse_pods(R"({"result":{"pods":[{"address":"1.2.3.4:9001","last_seen_timestamp":1765978692.0,
      "rpc_port":6000.0,"storage_committed":5.0,"storage_used":0.0,"uptime":2.5e3,
      "storage_usage_percent":0}],"total_count":1.0}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 1u);
  const Pod& p = r->pods[0];
  EXPECT_EQ(p.last_seen_timestamp, 1765978692);
  EXPECT_EQ(p.rpc_port, 6000);
  EXPECT_EQ(p.storage_committed, 5u);
  EXPECT_EQ(p.storage_used, 0u);
  EXPECT_EQ(p.uptime, 2500u);
  EXPECT_EQ(p.storage_usage_percent, 0.0);  // an integer where a double is expected
  EXPECT_EQ(r->total_count, 1u);

  auto s = parse_get_stats(R"({"file_size":219000000000.0,"cpu_percent":3,"uptime":5.0})");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->file_size, 219000000000u);
  EXPECT_EQ(s->cpu_percent, 3.0);
  EXPECT_EQ(s->uptime, 5u);
}

TEST(ParseNumbers, UnusableNumbersReadAsNullAndKeepTheRow) {
  auto r = parse_pods(R"({"pods":[{"address":"1.2.3.4:9001","storage_used":-1,"uptime":1.5,
      "storage_committed":1e30,"last_seen_timestamp":0.5,"rpc_port":"6000","is_public":"yes",
      "version":7,"pubkey":false},
      {"address":"5.6.7.8:9001","storage_used":18446744073709551615,"storage_committed":99999999999999999999999,
       "last_seen_timestamp":-5,"rpc_port":9223372036854775808}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 2u);
  const Pod& a = r->pods[0];
  EXPECT_EQ(a.address, "1.2.3.4:9001");
  EXPECT_FALSE(a.storage_used);
  EXPECT_FALSE(a.uptime);
  EXPECT_FALSE(a.storage_committed);
  EXPECT_FALSE(a.last_seen_timestamp);
  EXPECT_FALSE(a.rpc_port);
  EXPECT_FALSE(a.is_public);
  EXPECT_FALSE(a.version);
  EXPECT_FALSE(a.pubkey);
  const Pod& b = r->pods[1];
  EXPECT_FALSE(b.storage_used);         // fits 64 bits, but beyond 1 EiB (bounds.h)
  EXPECT_FALSE(b.storage_committed);    // beyond 64 bits
  EXPECT_FALSE(b.last_seen_timestamp);  // before 2020
  EXPECT_FALSE(b.rpc_port);             // beyond int64
  EXPECT_EQ(r->rejected_fields, 11u);   // every value sent (not null) and dropped: 7 of a, 4 of b
}

// ---- pod rows ------------------------------------------------------------------------------

TEST(ParsePods, BadRowsAreSkippedAndCounted) {
  const std::string long_address(129, '1');
  const std::string max_address(128, '2');
  auto r = parse_pods(R"({"result":{"pods":[
      {"address":"1.1.1.1:9001","version":"0.8.0"},
      42, null, "1.2.3.4:9001", [1,2], true,
      {"version":"0.8.0"},
      {"address":null,"pubkey":null,"version":"unknown"},
      {"address":"","pubkey":""},
      {"address":")" + long_address + R"("},
      {"address":"3.3.3.3:9001","pubkey":")" + long_address + R"("},
      {"address":")" + max_address + R"("},
      {"pubkey":"KeyNoAddr1"},
      {"address":"2.2.2.2:9001","pubkey":"PK2"}],"total_count":14}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->skipped, 10u);
  ASSERT_EQ(r->pods.size(), 4u);
  EXPECT_EQ(r->pods[0].address, "1.1.1.1:9001");
  EXPECT_EQ(r->pods[1].address, max_address);
  EXPECT_EQ(r->pods[2].address, "KeyNoAddr1");  // keyed by its pubkey
  EXPECT_EQ(r->pods[2].pubkey, "KeyNoAddr1");
  EXPECT_EQ(r->pods[3].address, "2.2.2.2:9001");
  EXPECT_EQ(r->pods[3].pubkey, "PK2");
  EXPECT_EQ(r->total_count, 14u);  // as sent, not recounted
}

TEST(ParsePods, ExtraUnknownFieldsAreIgnoredAtEveryLevel) {
  auto r = parse_pods(R"({"error":null,"id":"abc","jsonrpc":"2.0","server":{"x":[1,{"y":null}]},
      "result":{"cluster":"devnet","pods":[{"address":"1.2.3.4:9001","pod_credits":12.5,
      "geo":{"lat":1.0,"tags":["a","b"]},"uptime":9,"z":null}],"total_count":1,"next":null}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 1u);
  EXPECT_EQ(r->pods[0].address, "1.2.3.4:9001");
  EXPECT_EQ(r->pods[0].uptime, 9u);
  EXPECT_EQ(r->total_count, 1u);
}

TEST(ParsePods, KeyOrderDoesNotMatter) {
  const std::string sorted =
      R"({"error":null,"id":1,"jsonrpc":"2.0","result":{"pods":[{"address":"173.212.207.32:9001","is_public":true,"last_seen_timestamp":1765978692,"pubkey":"EcTq","rpc_port":6000,"storage_committed":340000000000,"storage_usage_percent":4.6764705882352943e-7,"storage_used":1590,"uptime":208871,"version":"0.8.0"}],"total_count":1}})";
  const std::string shuffled =
      R"({"result":{"total_count":1,"pods":[{"version":"0.8.0","uptime":208871,"storage_used":1590,"storage_usage_percent":4.6764705882352943e-7,"storage_committed":340000000000,"rpc_port":6000,"pubkey":"EcTq","last_seen_timestamp":1765978692,"is_public":true,"address":"173.212.207.32:9001"}]},"jsonrpc":"2.0","id":1,"error":null})";
  auto a = parse_pods(sorted);
  auto b = parse_pods(shuffled);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->pods.size(), 1u);
  EXPECT_EQ(a->pods, b->pods);
  EXPECT_EQ(b->pods[0].uptime, 208871u);
  EXPECT_EQ(b->total_count, 1u);
}

TEST(ParsePods, V04LastSeenStringAndUptimeSecondsAlias) {
  auto r = parse_pods(R"({"result":{"pods":[
      {"address":"1.2.3.4:9001","last_seen":"2025-09-19 10:00:00 UTC","last_seen_timestamp":1758276000,"version":"unknown"},
      {"address":"5.6.7.8:9001","uptime_seconds":77},
      {"address":"9.9.9.9:9001","uptime":0,"uptime_seconds":77},
      {"uptime_seconds":77,"uptime":null,"address":"8.8.8.8:9001"}],"total_count":4}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 4u);
  EXPECT_EQ(r->pods[0].last_seen, "2025-09-19 10:00:00 UTC");
  EXPECT_EQ(r->pods[0].last_seen_timestamp, 1758276000);
  EXPECT_EQ(r->pods[1].uptime, 77u);
  EXPECT_EQ(r->pods[2].uptime, 0u);  // a real 0 is kept, unlike the original's `or`
  EXPECT_EQ(r->pods[3].uptime, 77u);
}

TEST(ParsePods, EscapedStringsAreUnescaped) {
  auto r = parse_pods(R"({"pods":[{"address":"1.2.3.4:9001","version":"0.8.0-\u0074rynet","last_seen":"\"x\""}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pods[0].version, "0.8.0-trynet");
  EXPECT_EQ(r->pods[0].last_seen, "\"x\"");
}


// ---- large bodies ----------------------------------------------------------------------------

// A pods body of `count` rows whose addresses carry `tag`, well over the size from which
// large bodies share one set of parse buffers.
std::string large_pods_body(int tag, int count) {
  std::string body = R"({"result":{"pods":[)";
  for (int i = 0; i < count; ++i) {
    if (i) body += ',';
    body += R"({"address":"127.)" + std::to_string(tag) + "." + std::to_string(i / 256) + "." +
            std::to_string(i % 256) + R"(:9001","last_seen_timestamp":1765978692,"storage_used":)" + std::to_string(i) + "}";
  }
  body += R"(],"total_count":)" + std::to_string(count) + "}}";
  return body;
}

TEST(ParseLargeBodies, ConcurrentParsesOfSharedBuffersEachReadTheirOwnBody) {
  constexpr int kThreads = 4, kRows = 5000, kRounds = 15;
  std::vector<std::string> bodies;
  for (int t = 0; t < kThreads; ++t) bodies.push_back(large_pods_body(t + 1, kRows + t));
  ASSERT_GT(bodies[0].size(), 256u << 10);  // in the shared range
  std::vector<int> mismatches(kThreads, 0);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string prefix = "127." + std::to_string(t + 1) + ".";
      for (int round = 0; round < kRounds; ++round) {
        auto r = parse_pods(bodies[t]);
        if (!r.ok() || r->pods.size() != static_cast<size_t>(kRows + t)) {
          ++mismatches[t];
          continue;
        }
        for (size_t i = 0; i < r->pods.size(); ++i)
          if (r->pods[i].address.rfind(prefix, 0) != 0 || r->pods[i].storage_used != i) {
            ++mismatches[t];
            break;
          }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) EXPECT_EQ(mismatches[t], 0) << "thread " << t;
}

}  // namespace
}  // namespace pnode::prpc
