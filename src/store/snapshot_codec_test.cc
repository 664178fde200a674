#include "store/snapshot_codec.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;

TEST(SnapshotCodec, RoundTripsEveryFieldWithSeedsNodesSummaryAndChanges) {
  model::Snapshot s = make_sample_snapshot(7, 1765000100);
  auto decoded = decode_snapshot(encode_snapshot(s));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  expect_same_snapshot(s, *decoded);
  EXPECT_EQ(decoded->registry, nullptr);
  EXPECT_EQ(decoded->views, nullptr);
}

// The growth trends that scored the nodes come back exactly, so a follower or a restart
// scores alike; a snapshot without them (or an older blob) reads back without them.
TEST(SnapshotCodec, RoundTripsTheGrowthTrendsExactly) {
  model::Snapshot s = make_sample_snapshot(7, 1765000100);
  EXPECT_EQ(decode_snapshot(encode_snapshot(s))->growth_trends, nullptr);
  s.growth_trends = std::make_shared<const FlatStringMap<double>>(
      FlatStringMap<double>{{"127.1.0.1:9001", 0.1 + 0.2}, {"127.1.0.2:9001", 1.0 / 3}});
  auto decoded = decode_snapshot(encode_snapshot(s));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_NE(decoded->growth_trends, nullptr);
  EXPECT_EQ(*decoded->growth_trends, *s.growth_trends);
  EXPECT_EQ(encode_snapshot(*decoded), encode_snapshot(s));
}

TEST(SnapshotCodec, RoundTripsTheProbeRoundExactly) {
  model::Snapshot s;
  EXPECT_EQ(decode_snapshot(encode_snapshot(s))->probe, nullptr);
  auto round = std::make_shared<model::ProbeRound>();
  round->round = 3;
  round->started_at = 1700000000;
  round->finished_at = 1700000004;
  round->duration_ms = 4321.5;
  round->public_pods = 2;
  round->probed = 2;
  round->answered = 1;
  round->discovered_next = 5;
  round->concurrency = 32;
  model::PodProbe up;
  up.address = "127.1.0.1:9001";
  up.endpoint = "127.1.0.1:6000";
  up.pubkey = "PubKey1";
  up.reachable = true;
  up.connect_ms = 0.125;
  up.total_ms = 12.5;
  up.version = "0.8.0";
  up.stats = model::NodeStats{};
  up.stats->cpu_percent = 2.25;
  up.stats->ram_used = 600;
  up.pods_listed = 16;
  up.probed_at = 1700000001;
  model::PodProbe down;
  down.address = "127.1.0.2:9001";
  down.endpoint = "127.1.0.2:6000";
  down.failure = "timeout";
  down.detail = "\"quoted\" detail";
  down.stats_failure = "";
  down.discovered = true;
  round->results = {up, down};
  round->reindex();
  s.probe = round;
  auto decoded = decode_snapshot(encode_snapshot(s));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_NE(decoded->probe, nullptr);
  EXPECT_EQ(decoded->probe->round, 3u);
  EXPECT_EQ(decoded->probe->duration_ms, 4321.5);
  EXPECT_EQ(decoded->probe->discovered_next, 5u);
  EXPECT_EQ(decoded->probe->concurrency, 32u);
  EXPECT_EQ(decoded->probe->results, round->results);
  ASSERT_NE(decoded->probe->find("127.1.0.2:9001"), nullptr);
  EXPECT_EQ(encode_snapshot(*decoded), encode_snapshot(s)) << "a follower serves the same bytes";
}

TEST(SnapshotCodec, RoundTripsTheAvailabilityTable) {
  model::Snapshot s;
  EXPECT_EQ(decode_snapshot(encode_snapshot(s))->availability, nullptr);
  auto table = std::make_shared<model::AvailabilityTable>();
  table->computed_at = 1700000000;
  model::PodAvailability up;
  up.uptime_24h = 0.75;
  up.uptime_7d = 0.5;
  up.coverage_24h = 1.0 / 3;
  up.up = true;
  up.up_since = 1699990000;
  up.latency_mean_ms = 12.25;
  up.latency_p95_ms = 30.5;
  up.latency_samples = 17;
  model::PodAvailability unknown;  // no share known, down since nothing
  unknown.down_since = 1699999000;
  table->by_address = {{"127.1.0.1:9001", up}, {"127.1.0.2:9001", unknown}};
  s.availability = table;
  auto decoded = decode_snapshot(encode_snapshot(s));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_NE(decoded->availability, nullptr);
  EXPECT_EQ(decoded->availability->computed_at, 1700000000);
  EXPECT_EQ(decoded->availability->by_address, table->by_address);
  EXPECT_EQ(encode_snapshot(*decoded), encode_snapshot(s)) << "a follower serves the same bytes";
}

TEST(SnapshotCodec, RoundTripsAnEmptySnapshot) {
  model::Snapshot s;
  auto decoded = decode_snapshot(encode_snapshot(s));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  expect_same_snapshot(s, *decoded);
}

TEST(SnapshotCodec, KeepsExtremeNumbersAndOddStringsExactly) {
  model::Snapshot s;
  s.cycle = std::numeric_limits<uint64_t>::max();
  s.started_at = std::numeric_limits<int64_t>::min();
  s.last_updated = -1;
  s.duration_ms = 1e-300;
  model::Pod p = make_bare_pod("[::1]:9001");
  p.pubkey = std::string("tab\there \"quoted\" back\\slash \xC3\xA9 \xF0\x9F\x9F\xA2 \x01");
  p.storage_usage_percent = 0.1 + 0.2;
  p.storage_committed = std::numeric_limits<uint64_t>::max();
  p.last_seen_timestamp = -5;
  p.rpc_port = 0;
  p.is_public = false;  // set to false, not empty
  s.nodes.push_back({p, {0, 65535}, 65535});
  s.summary.avg_cpu_percent = 123456789.123456789;
  auto decoded = decode_snapshot(encode_snapshot(s));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  expect_same_snapshot(s, *decoded);
}

TEST(SnapshotCodec, NonFiniteDoublesComeBackAsNanOrEmpty) {
  model::Snapshot s;
  s.duration_ms = std::numeric_limits<double>::infinity();
  model::Pod p = make_bare_pod("10.0.0.1:9001");
  p.storage_usage_percent = std::nan("");
  s.nodes.push_back({p, {}, 0});
  auto decoded = decode_snapshot(encode_snapshot(s));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(std::isnan(decoded->duration_ms));
  EXPECT_FALSE(decoded->nodes[0].pod.storage_usage_percent.has_value());
}

TEST(SnapshotCodec, RefusesMalformedDocumentsWithAClearError) {
  auto not_json = decode_snapshot("{\"v\":1,");
  ASSERT_FALSE(not_json.ok());
  EXPECT_EQ(not_json.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(not_json.error().message.find("stored snapshot is unreadable"), std::string::npos);

  auto missing = decode_snapshot(R"({"v":1,"cycle":3})");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("started_at"), std::string::npos) << missing.error().message;

  std::string encoded = encode_snapshot(make_sample_snapshot(1, 100));
  std::string short_node = encoded;
  size_t at = short_node.find("[\"10.0.0.2:9001\",");
  ASSERT_NE(at, std::string::npos);
  size_t end = short_node.find("[1],1]", at);  // the bare node ends with its peer_sources and source
  ASSERT_NE(end, std::string::npos);
  short_node.replace(at, end + 6 - at, "[\"10.0.0.2:9001\"]");
  auto bad_node = decode_snapshot(short_node);
  ASSERT_FALSE(bad_node.ok());
  EXPECT_NE(bad_node.error().message.find("node array"), std::string::npos) << bad_node.error().message;

  auto wrong_type = decode_snapshot(R"({"v":"one"})");
  EXPECT_FALSE(wrong_type.ok());
}

TEST(SnapshotCodec, StoresSeedErrorsByKindTokenWithTheirStructuredFields) {
  const std::string encoded = encode_snapshot(make_sample_snapshot(1, 100));
  EXPECT_NE(encoded.find(R"("pods_error":{"kind":"refused","message":)"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find(R"("http_status":503,"where":"127.0.0.2:6000 get-version"})"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find(R"(,"rpc_code":-32000})"), std::string::npos) << encoded;

  // A blob written before the structured fields existed reads back without them.
  std::string older = encoded;
  older.erase(older.find(R"(,"rpc_code":-32000)"), std::string_view(R"(,"rpc_code":-32000)").size());
  auto decoded = decode_snapshot(older);
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  ASSERT_TRUE(decoded->seeds[1].stats_error.has_value());
  EXPECT_EQ(decoded->seeds[1].stats_error->code, ErrorCode::kRpcError);
  EXPECT_FALSE(decoded->seeds[1].stats_error->rpc_code.has_value());

  // A kind this build does not know is refused, not guessed.
  std::string unknown = encoded;
  const std::string refused = R"("kind":"refused")";
  unknown.replace(unknown.find(refused), refused.size(), R"("kind":"connection_refused")");
  auto bad_kind = decode_snapshot(unknown);
  ASSERT_FALSE(bad_kind.ok());
  EXPECT_EQ(bad_kind.error().code, ErrorCode::kCorrupt);
  EXPECT_NE(bad_kind.error().message.find("unknown error kind \"connection_refused\""), std::string::npos)
      << bad_kind.error().message;
}

TEST(SnapshotCodec, RefusesAFormatVersionItDoesNotKnow) {
  std::string encoded = encode_snapshot(make_sample_snapshot(1, 100));
  ASSERT_EQ(encoded.rfind("{\"v\":1,", 0), 0u);
  encoded.replace(0, 6, "{\"v\":2");
  auto decoded = decode_snapshot(encoded);
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("format version 2"), std::string::npos) << decoded.error().message;
}

TEST(CountMapCodec, RoundTripsKeysWithDotsAndQuotes) {
  std::map<std::string, int64_t> m{{"0.8.0", 12}, {"0.7.3", 0}, {"we\"ird", -3}, {"unknown", 1}};
  auto decoded = decode_count_map(encode_count_map(m));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, m);
  EXPECT_EQ(encode_count_map({}), "{}");
  EXPECT_FALSE(decode_count_map("[1]").ok());
  EXPECT_FALSE(decode_count_map("{\"a\":1.5}").ok());
}

}  // namespace
}  // namespace pnode::store
