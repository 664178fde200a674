// After a restart, the snapshot the store kept is completed and published by the
// collector, so every snapshot route (insights included) answers from memory: a Store
// that counts its calls sits under the API and only the history routes may use it. The
// seed is unreachable (a closed loopback port) and no cycle runs: what is served is
// exactly what was restored. Both tests run on SQLite and on PostgreSQL.
#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <string>

#include "api/api.h"
#include "api/route_test_support.h"
#include "collect/collector.h"
#include "http/client.h"
#include "prpc/client.h"
#include "store/store.h"
#include "store/store_backend_test_support.h"

namespace pnode {
namespace {

using api::testing::body_json;
using api::testing::body_text;
using api::testing::kA;
using api::testing::kB;
using api::testing::kT2;
using api::testing::make_request;

// Forwards every call to the real store and counts it.
class CountingStore final : public store::Store {
 public:
  explicit CountingStore(std::unique_ptr<store::Store> inner) : inner_(std::move(inner)) {}
  int calls() const { return calls_; }
  void reset() { calls_ = 0; }

  Status write_cycle(const store::CycleWrite& w) override { return ++calls_, inner_->write_cycle(w); }
  Result<store::LoadedState> load() override { return ++calls_, inner_->load(); }
  Status write_history_bulk(const std::vector<model::NodeHistoryRow>& rows) override {
    return ++calls_, inner_->write_history_bulk(rows);
  }
  Result<std::vector<model::NetworkHistoryRow>> network_history(int64_t since, int64_t until) override {
    return ++calls_, inner_->network_history(since, until);
  }
  Result<std::optional<model::NetworkHistoryRow>> network_sample_at_or_before(int64_t at) override {
    return ++calls_, inner_->network_sample_at_or_before(at);
  }
  Result<model::NodeHistory> node_history(const std::string& a, int64_t since,
                                                          int64_t until) override {
    return ++calls_, inner_->node_history(a, since, until);
  }
  Result<std::vector<store::HistoryStatusRow>> history_status(size_t limit) override {
    return ++calls_, inner_->history_status(limit);
  }
  Result<store::HistoryFootprint> history_footprint() override { return ++calls_, inner_->history_footprint(); }
  Result<int64_t> prune_registry(int64_t cutoff) override { return ++calls_, inner_->prune_registry(cutoff); }
  Result<std::vector<store::StoredRegistryRow>> registry_rows() override { return ++calls_, inner_->registry_rows(); }
  Result<int64_t> delete_registry_rows(const std::vector<store::RegistryRowMatch>& rows) override {
    return ++calls_, inner_->delete_registry_rows(rows);
  }

 private:
  std::unique_ptr<store::Store> inner_;
  std::atomic<int> calls_{0};
};

// The routes whose answer is history kept in the store: the only ones that may read it.
const std::set<std::string_view> kHistoryRoutes = {
    "/network/history", "/network/growth", "/node/{address:path}/history", "/node/{address:path}/metrics-summary",
    "/nodes/history-status"};

// Routes that derive from the insights (alerts, health, analytics, operators, topology).
const std::set<std::string_view> kInsightRoutes = {"/network/health",    "/network/analytics", "/network/topology",
                                                   "/operators",         "/alerts",            "/alerts/critical",
                                                   "/pnodes/{address:path}/alerts"};

std::string target_of(std::string_view pattern) {
  std::string target(pattern);
  if (auto at = target.find("{address:path}"); at != std::string::npos) target.replace(at, 14, kA);
  if (pattern == "/pnodes/compare") target += std::string("?addresses=") + kA + "," + kB;
  return target;
}

class RestartTest : public store::testing_support::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    auto network = api::testing::build_test_network();
    {
      auto first_run = open();
      ASSERT_TRUE(first_run);
      ASSERT_TRUE(first_run->write_cycle(network.cycle1.write).ok());
      ASSERT_TRUE(first_run->write_cycle(network.cycle2.write).ok());
    }
    auto reopened = open();
    ASSERT_TRUE(reopened);
    store = std::make_unique<CountingStore>(std::move(reopened));
  }

  std::unique_ptr<CountingStore> store;
};

TEST_P(RestartTest, EverySnapshotRouteAnswersFromMemoryAfterARestart) {
  api::SnapshotHub hub;
  http::Client http_client(1);
  prpc::Client rpc(http_client, {});
  collect::CollectorConfig config;
  config.seeds.push_back({"127.0.0.1:1", HostPort{"127.0.0.1", 1}});  // nothing listens there
  collect::Collector collector(config, rpc, store.get(), [&hub](auto s) { hub.publish(std::move(s)); },
                               [] { return kT2 + 60; });
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  collector.restore(*loaded);
  auto restored = hub.current();
  ASSERT_TRUE(restored && restored->views && restored->insights) << "restore publishes a complete snapshot";
  EXPECT_EQ(restored->cycle, 2u);

  api::ApiConfig api_config;
  api_config.clock = [] { return kT2 + 60; };
  api::Api api(api_config, hub, store.get());
  store->reset();
  size_t checked = 0;
  for (const auto& route : api.router().routes()) {
    if (route.method != "GET" || kHistoryRoutes.count(route.pattern)) continue;
    std::string target = target_of(route.pattern);
    auto response = api.handle(make_request(target));
    EXPECT_EQ(store->calls(), 0) << target << " read the store";
    store->reset();
    if (kInsightRoutes.count(route.pattern)) {
      EXPECT_EQ(response.status, 200) << target << ": " << body_text(response);
      ++checked;
    }
  }
  EXPECT_EQ(checked, kInsightRoutes.size());
  // The growth baseline was read once, at restore, not per request: 3 -> 5 nodes.
  auto growth = body_json(api.handle(make_request("/network/analytics"))).at("growth");
  EXPECT_EQ(growth.at("24_hours").at("available"), true);
  EXPECT_EQ(store->calls(), 0);
}

TEST_P(RestartTest, HistoryRoutesStillReadTheStore) {
  api::SnapshotHub hub;
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok());
  hub.publish(collect::complete_restored_snapshot(*loaded, {}, collect::read_growth_baseline(store.get(), kT2)));
  api::ApiConfig api_config;
  api_config.clock = [] { return kT2 + 60; };
  api::Api api(api_config, hub, store.get());
  store->reset();
  auto response = api.handle(make_request(std::string("/node/") + kA + "/history"));
  EXPECT_EQ(response.status, 200) << body_text(response);
  EXPECT_GT(store->calls(), 0);
}

PNODE_STORE_BACKENDS(RestartTest);

}  // namespace
}  // namespace pnode
