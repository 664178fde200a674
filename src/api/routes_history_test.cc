// History routes over a real SQLite store holding the test network's two cycles (kT1 and
// kT2 = kT1 + 8 days + 100 s), without a store, and over a store that fails.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "api/route_test_support.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

// Every read fails, with a message that must never reach a client.
class FailingStore : public store::Store {
 public:
  Status write_cycle(const store::CycleWrite&) override { return fail(); }
  Result<store::LoadedState> load() override { return fail(); }
  Result<std::vector<store::NetworkHistoryRow>> network_history(int64_t, int64_t) override { return fail(); }
  Result<std::optional<store::NetworkHistoryRow>> network_sample_at_or_before(int64_t) override { return fail(); }
  Result<store::NodeHistory> node_history(const std::string&, int64_t, int64_t) override {
    return fail();
  }
  Result<std::vector<store::HistoryStatusRow>> history_status(size_t) override { return fail(); }
  Result<int64_t> prune_registry(int64_t) override { return fail(); }

 private:
  static Error fail() { return make_error(ErrorCode::kIoError, "disk I/O error reading /secret/path.db"); }
};

class HistoryRoutes : public RoutesTest {
 protected:
  void SetUp() override { with_store(); }

  void use_failing_store() {
    failing = std::make_unique<FailingStore>();
    ApiConfig c;
    c.clock = [this] { return now; };
    api = std::make_unique<Api>(c, hub, failing.get());
  }

  void use_no_store() {
    ApiConfig c;
    c.clock = [this] { return now; };
    api = std::make_unique<Api>(c, hub, nullptr);
  }

  std::unique_ptr<FailingStore> failing;
};

// ---- /network/history ----

TEST_F(HistoryRoutes, NetworkHistoryItemsAndTrends) {
  auto body = get_json("/network/history?hours=720");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"history", "summary", "timestamp"}));
  const auto& items = body.at("history").as_array();
  ASSERT_EQ(items.size(), 2u);  // oldest first
  const auto& last = items[1];
  EXPECT_EQ(keys_of(last),
            (std::vector<std::string>{"_id", "timestamp", "total_pnodes", "online_pnodes", "total_ip_nodes",
                                      "public_pnodes", "private_pnodes", "avg_cpu_percent", "avg_ram_used_percent",
                                      "total_active_streams", "total_bytes_processed", "total_storage_committed",
                                      "total_storage_used", "avg_storage_usage_percent", "storage_utilization_ratio",
                                      "avg_peer_count", "version_distribution", "version_diversity_index",
                                      "timestamp_readable"}));
  EXPECT_EQ(last.at("_id"), std::to_string(kT2).c_str());
  EXPECT_JSON_INT(last.at("timestamp"), kT2);
  EXPECT_JSON_INT(last.at("total_pnodes"), 5);
  EXPECT_JSON_INT(last.at("online_pnodes"), 5);
  EXPECT_JSON_INT(last.at("total_ip_nodes"), 3);
  EXPECT_JSON_INT(last.at("public_pnodes"), 3);
  EXPECT_JSON_INT(last.at("private_pnodes"), 2);
  EXPECT_JSON_FLOAT(last.at("avg_cpu_percent"), 12.5);
  EXPECT_JSON_FLOAT(last.at("avg_ram_used_percent"), 25.0);
  EXPECT_JSON_INT(last.at("total_storage_committed"), 361 * kGiB);
  // Usage mean over (50 + 10 + 96 + 88 + 2) / 5 = 49.2; peers 11 / 5 = 2.2.
  EXPECT_JSON_FLOAT(last.at("avg_storage_usage_percent"), 49.2);
  EXPECT_JSON_FLOAT(last.at("avg_peer_count"), 2.2);
  EXPECT_EQ(to_text(last.at("version_distribution")), R"({"0.6.0":1,"0.7.2":1,"0.8.0":3})");
  EXPECT_JSON_INT(last.at("version_diversity_index"), 3);
  EXPECT_EQ(last.at("timestamp_readable"), "2023-11-22 22:15:00 UTC");

  // From cycle 1 (A, B, F: 750 GiB, peers (2+1+1)/3 = 1.33, one version) to cycle 2.
  const auto& summary = body.at("summary");
  EXPECT_JSON_INT(summary.at("data_points"), 2);
  EXPECT_JSON_INT(summary.at("time_range_hours"), 720);
  EXPECT_JSON_INT(summary.at("start_timestamp"), kT1);
  EXPECT_JSON_INT(summary.at("end_timestamp"), kT2);
  EXPECT_EQ(summary.at("start_time_readable"), "2023-11-14 22:13:20 UTC");
  // 3 -> 5: +2, 2/3*100 = 66.67 %.
  EXPECT_EQ(to_text(summary.at("node_growth")),
            R"({"start_count":3,"end_count":5,"growth":2,"growth_percent":66.67,"trend":"growing"})");
  // 750 -> 361 GiB: -389 GiB, -389/750*100 = -51.87 %.
  EXPECT_JSON_INT(summary.at("storage_growth").at("growth"), -389 * static_cast<int64_t>(kGiB));
  EXPECT_JSON_FLOAT(summary.at("storage_growth").at("growth_percent"), -51.87);
  EXPECT_EQ(summary.at("storage_growth").at("trend"), "declining");
  EXPECT_JSON_FLOAT(summary.at("network_health").at("start_avg_peers"), 1.33);
  EXPECT_JSON_FLOAT(summary.at("network_health").at("end_avg_peers"), 2.2);
  EXPECT_JSON_FLOAT(summary.at("network_health").at("peer_change"), 0.87);
  EXPECT_EQ(summary.at("network_health").at("connectivity_trend"), "improving");
  EXPECT_EQ(to_text(summary.at("version_stability")),
            R"({"start_version_count":1,"end_version_count":3,"stability":"fragmenting"})");
}

TEST_F(HistoryRoutes, NetworkHistoryWindowAndEmptyForm) {
  auto day = get_json("/network/history");  // 24 hours: only cycle 2
  EXPECT_EQ(day.at("history").as_array().size(), 1u);
  EXPECT_EQ(day.at("summary").at("node_growth").at("trend"), "stable");
  now = kT2 + 2 * 86400;
  EXPECT_EQ(to_text(get_json("/network/history?hours=1").at("summary")),
            R"({"data_points":0,"time_range_hours":1,"message":"No historical data available yet. Wait a few minutes for snapshots to accumulate."})");
  use_no_store();
  EXPECT_TRUE(get_json("/network/history").at("history").as_array().empty());
}

TEST_F(HistoryRoutes, NetworkHistoryValidatesHours) {
  expect_422("/network/history?hours=0", "greater_than_equal", "hours", "0");
  expect_422("/network/history?hours=721", "less_than_equal", "hours", "721");
  expect_422("/network/history?hours=day", "int_parsing", "hours", "day");
  EXPECT_EQ(get("/network/history?hours=720").status, 200);
}

// ---- /network/growth ----

TEST_F(HistoryRoutes, NetworkGrowthComparesWithTheNewestSampleBeforeTheWindow) {
  auto body = get_json("/network/growth");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"growth_metrics", "timestamp"}));
  const auto& g = body.at("growth_metrics");
  EXPECT_EQ(keys_of(g), (std::vector<std::string>{"available", "period_hours", "comparison", "nodes", "storage",
                                                  "network_health"}));
  EXPECT_JSON_INT(g.at("period_hours"), 24);
  EXPECT_JSON_INT(g.at("comparison").at("start_time"), kT1);  // 8 days before: the newest before now - 24 h
  EXPECT_JSON_INT(g.at("comparison").at("end_time"), kT2);
  EXPECT_EQ(g.at("comparison").at("end_time_readable"), "2023-11-22 22:15:00 UTC");
  EXPECT_EQ(to_text(g.at("nodes")), R"({"start_count":3,"end_count":5,"growth":2,"growth_percent":66.67})");
  EXPECT_JSON_FLOAT(g.at("storage").at("growth_percent"), -51.87);
  EXPECT_EQ(to_text(g.at("network_health")),
            R"({"start_peer_count":1.33,"end_peer_count":2.2,"peer_count_change":0.87})");
  // 30 days back there is no sample.
  EXPECT_EQ(to_text(get_json("/network/growth?hours=720").at("growth_metrics")),
            R"({"available":false,"message":"Insufficient historical data for growth calculation"})");
  expect_422("/network/growth?hours=0", "greater_than_equal", "hours", "0");
  expect_422("/network/growth?hours=721", "less_than_equal", "hours", "721");
  expect_422("/network/growth?hours=x", "int_parsing", "hours", "x");
}

// ---- /node/{address}/history ----

TEST_F(HistoryRoutes, NodeHistoryWithTrendsAvailabilityAndStatus) {
  auto body = get_json(std::string("/node/") + kA + "/history");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"address", "available", "data_points", "time_range", "history",
                                                     "trends", "availability", "current_status"}));
  EXPECT_EQ(body.at("available"), true);
  EXPECT_JSON_INT(body.at("data_points"), 2);
  EXPECT_EQ(to_text(body.at("time_range")),
            R"({"start":1700000000,"end":1700691300,"start_readable":"2023-11-14 22:13:20 UTC",)"
            R"("end_readable":"2023-11-22 22:15:00 UTC","days":30})");
  const auto& first = body.at("history").at(0);
  EXPECT_EQ(keys_of(first), (std::vector<std::string>{"_id", "address", "timestamp", "timestamp_readable", "is_online",
                                                      "version", "uptime", "storage_committed", "storage_used",
                                                      "storage_usage_percent", "peer_count", "score", "trust_score",
                                                      "capacity_score", "is_public"}));
  EXPECT_EQ(first.at("_id"), (std::string(kA) + "@" + std::to_string(kT1)).c_str());
  // Cycle 1: trust 40 + 2/3*30 + 20 + 10 = 90, capacity 85, composite 90*0.6 + 85*0.4 = 88.
  EXPECT_JSON_FLOAT(first.at("score"), 88.0);
  EXPECT_JSON_FLOAT(first.at("trust_score"), 90.0);
  EXPECT_JSON_INT(first.at("peer_count"), 2);
  // Uptime 32 d -> 40 d: +691200 s = 192.0 h; score 88 -> 94: +6.0, improving.
  EXPECT_EQ(to_text(body.at("trends")),
            R"({"uptime_change_seconds":691200,"uptime_change_hours":192.0,"storage_used_change_bytes":0,)"
            R"("storage_used_change_gb":0.0,"score_change":6.0,"score_trend":"improving"})");
  EXPECT_EQ(to_text(body.at("availability")),
            R"({"online_snapshots":2,"offline_snapshots":0,"total_snapshots":2,"availability_percent":100.0})");
  EXPECT_EQ(to_text(body.at("current_status")),
            R"({"is_online":true,"score":94.0,"uptime":3456000,"storage_usage_percent":50.0})");

  // F went offline in cycle 2: one online and one offline sample.
  auto f = get_json(std::string("/node/") + kF + "/history");
  EXPECT_JSON_FLOAT(f.at("availability").at("availability_percent"), 50.0);
  EXPECT_EQ(f.at("current_status").at("is_online"), false);
  // Only cycle 2 in the last 7 days.
  EXPECT_JSON_INT(get_json(std::string("/node/") + kA + "/history?days=7").at("data_points"), 1);
}

// A node that moved (NAT port change) keeps its history: the samples stored under its
// previous addresses are part of its own, in time order.
TEST_F(HistoryRoutes, NodeHistoryFollowsTheNodeAcrossItsPreviousAddresses) {
  auto snapshot = std::make_shared<model::Snapshot>(*network.cycle2.snapshot);
  auto registry = std::make_shared<model::Registry>(*snapshot->registry);
  for (auto& e : registry->entries)
    if (e.address == kA) e.previous_addresses = {kF};  // pretend F's samples were A's under its old port
  registry->reindex();
  snapshot->registry = registry;
  hub.publish(snapshot);
  auto body = get_json(std::string("/node/") + kA + "/history");
  EXPECT_JSON_INT(body.at("data_points"), 4);
  const auto& history = body.at("history").as_array();
  ASSERT_EQ(history.size(), 4u);
  for (size_t i = 1; i < history.size(); ++i)
    EXPECT_LE(history[i - 1].at("timestamp").as_int64(), history[i].at("timestamp").as_int64());
  // Each sample names the address it was stored under, the old one or the current one.
  std::set<std::string> stored_under;
  for (const auto& sample : history) {
    std::string address(sample.at("address").as_string());
    stored_under.insert(address);
    EXPECT_EQ(std::string(sample.at("_id").as_string()), address + "@" + std::to_string(sample.at("timestamp").as_int64()));
  }
  EXPECT_EQ(stored_under, (std::set<std::string>{kA, kF}));
  auto metrics = get_json(std::string("/node/") + kA + "/metrics-summary?hours=168");
  EXPECT_EQ(metrics.at("metrics").at("available"), true);
}

TEST_F(HistoryRoutes, NodeHistoryUnavailableForms) {
  auto none = get_json("/node/10.9.9.9:1/history");
  EXPECT_EQ(to_text(none),
            R"({"address":"10.9.9.9:1","available":false,"message":"No historical data available for this node yet",)"
            R"("note":"History is accumulated over time. Check back after the node has been online for a while.",)"
            R"("error":null,"planned_for":"Phase 5","alternative":"Use /network/history for network-wide trends"})");
  use_no_store();
  EXPECT_EQ(get_json(std::string("/node/") + kA + "/history").at("available"), false);
  use_failing_store();
  auto failed = get_json(std::string("/node/") + kA + "/history");
  EXPECT_EQ(failed.at("available"), false);
  EXPECT_EQ(failed.at("message"), "No data available");
  EXPECT_EQ(failed.at("error"), "History store unavailable");
}

TEST_F(HistoryRoutes, NodeHistoryValidatesDays) {
  expect_422(std::string("/node/") + kA + "/history?days=0", "greater_than_equal", "days", "0");
  expect_422(std::string("/node/") + kA + "/history?days=91", "less_than_equal", "days", "91");
  expect_422(std::string("/node/") + kA + "/history?days=x", "int_parsing", "days", "x");
}

// ---- /node/{address}/metrics-summary ----

TEST_F(HistoryRoutes, NodeMetricsSummary) {
  auto body = get_json(std::string("/node/") + kA + "/metrics-summary");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"address", "metrics", "timestamp"}));
  EXPECT_EQ(to_text(body.at("metrics")),
            R"({"available":true,"time_range_hours":24,"snapshots_analyzed":1,"availability_percent":100.0,)"
            R"("avg_score":94.0,"avg_storage_usage":50.0,"avg_peer_count":3.0,"min_score":94.0,"max_score":94.0})");
  // F's only sample in the window is offline with score 0: no positive score -> integer 0.
  EXPECT_EQ(to_text(get_json(std::string("/node/") + kF + "/metrics-summary").at("metrics")),
            R"({"available":true,"time_range_hours":24,"snapshots_analyzed":1,"availability_percent":0.0,)"
            R"("avg_score":0,"avg_storage_usage":30.0,"avg_peer_count":0.0,"min_score":0,"max_score":0})");
  EXPECT_EQ(to_text(get_json("/node/nowhere/metrics-summary").at("metrics")),
            R"({"available":false,"message":"No data available for this time period"})");
  use_failing_store();
  EXPECT_EQ(to_text(get_json(std::string("/node/") + kA + "/metrics-summary").at("metrics")),
            R"({"available":false,"error":"History store unavailable"})");
}

TEST_F(HistoryRoutes, NodeMetricsValidatesHours) {
  expect_422(std::string("/node/") + kA + "/metrics-summary?hours=0", "greater_than_equal", "hours", "0");
  expect_422(std::string("/node/") + kA + "/metrics-summary?hours=169", "less_than_equal", "hours", "169");
  expect_422(std::string("/node/") + kA + "/metrics-summary?hours=", "int_parsing", "hours", "");
  EXPECT_EQ(get(std::string("/node/") + kA + "/metrics-summary?hours=168").status, 200);
}

// ---- /nodes/history-status ----

TEST_F(HistoryRoutes, HistoryStatusCountsEveryNode) {
  auto body = get_json("/nodes/history-status");
  EXPECT_EQ(keys_of(body), (std::vector<std::string>{"total_nodes_with_history", "nodes", "global_stats", "timestamp"}));
  EXPECT_JSON_INT(body.at("total_nodes_with_history"), 6);
  // A, B and F have two samples (F's second is offline), C, D and E one.
  std::vector<std::string> order;
  for (const auto& n : body.at("nodes").as_array()) order.emplace_back(n.at("address").as_string());
  EXPECT_EQ(order, (std::vector<std::string>{kA, kB, kF, kC, kD, kE}));
  const auto& a = body.at("nodes").at(0);
  EXPECT_JSON_INT(a.at("snapshots"), 2);
  EXPECT_JSON_INT(a.at("first_seen"), kT1);
  EXPECT_JSON_INT(a.at("last_seen"), kT2);
  EXPECT_JSON_FLOAT(a.at("days_tracked"), 691300.0 / 86400.0);  // unrounded
  EXPECT_JSON_FLOAT(body.at("nodes").at(3).at("days_tracked"), 0.0);
  EXPECT_EQ(to_text(body.at("global_stats")),
            R"({"oldest_snapshot":1700000000,"newest_snapshot":1700691300,"total_snapshots":9})");
}

TEST_F(HistoryRoutes, HistoryStatusWithoutAndWithAFailingStore) {
  use_no_store();
  auto empty = get_json("/nodes/history-status");
  EXPECT_EQ(to_text(empty.at("global_stats")),
            R"({"oldest_snapshot":null,"newest_snapshot":null,"total_snapshots":0})");
  EXPECT_JSON_INT(empty.at("total_nodes_with_history"), 0);
  use_failing_store();
  auto r = get("/nodes/history-status");
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(body_text(r), R"({"error":"Failed to retrieve history status","details":"History store unavailable"})");
}

TEST_F(HistoryRoutes, NetworkRoutesHideStoreErrors) {
  use_failing_store();
  for (const char* target : {"/network/history", "/network/growth"}) {
    auto r = get(target);
    EXPECT_EQ(r.status, 500) << target;
    EXPECT_EQ(body_text(r), R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Failed to read network history"},"id":1})")
        << target;
  }
}

}  // namespace
}  // namespace pnode::api
