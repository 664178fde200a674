#include "store/store.h"

#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "store/store_backend_test_support.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;
using model::RegistryEntry;
using model::Snapshot;

class StoreHistoryBackends : public StoreBackendTest {};
PNODE_STORE_BACKENDS(StoreHistoryBackends);

// ---- history ---------------------------------------------------------------------------

TEST_P(StoreHistoryBackends, HistoryInsertsAndRangeQueries) {
  auto store = open();
  const std::string a = "10.0.0.1:9001", b = "10.0.0.2:9001";
  for (int64_t ts = 100; ts <= 105; ++ts) {
    CycleWrite w;
    w.network = make_network_row(ts, ts);
    w.nodes = {make_node_row(a, ts)};
    if (ts % 2 == 1) w.nodes.push_back(make_node_row(b, ts));
    ASSERT_TRUE(store->write_cycle(w).ok());
  }

  auto net = store->network_history(101, 103);
  ASSERT_TRUE(net.ok()) << net.error().message;
  ASSERT_EQ(net->size(), 3u);
  EXPECT_EQ((*net)[0], make_network_row(101, 101));
  EXPECT_EQ((*net)[2], make_network_row(103, 103));
  EXPECT_TRUE(store->network_history(200, 300)->empty());

  auto at = store->network_sample_at_or_before(102);
  ASSERT_TRUE(at.ok());
  ASSERT_TRUE(at->has_value());
  EXPECT_EQ(**at, make_network_row(102, 102));
  EXPECT_EQ((*store->network_sample_at_or_before(100000))->timestamp, 105);
  EXPECT_FALSE(store->network_sample_at_or_before(99)->has_value());

  auto rows = history_rows(*store, a, 101, 104);
  ASSERT_TRUE(rows.ok()) << rows.error().message;
  ASSERT_EQ(rows->size(), 4u);
  for (size_t i = 0; i < rows->size(); ++i) EXPECT_EQ((*rows)[i], make_node_row(a, 101 + static_cast<int64_t>(i)));
  auto b_rows = history_rows(*store, b, 0, 1000);
  ASSERT_TRUE(b_rows.ok());
  ASSERT_EQ(b_rows->size(), 3u);
  EXPECT_EQ(b_rows->front().timestamp, 101);
  EXPECT_EQ(b_rows->back().timestamp, 105);
  auto unknown = history_rows(*store, "10.9.9.9:9001", 0, 1000);
  ASSERT_TRUE(unknown.ok());
  EXPECT_TRUE(unknown->empty());
}

TEST_P(StoreHistoryBackends, HistoryKeepsScoresToTheHundredthAndNanAsNan) {
  auto store = open();
  CycleWrite w;
  w.network = make_network_row(500, 1);
  w.network.avg_cpu_percent = std::nan("");  // a NaN average must not fail the cycle
  NodeHistoryRow r = make_node_row("10.0.0.1:9001", 500);
  r.score = 2.675;  // Python's round(2.675, 2) gives 2.67: stored values are already rounded
  r.trust_score = -12.5;
  r.capacity_score = std::nan("");
  r.storage_usage_percent = 4.6764705882352943e-7;  // kept as REAL, exactly
  w.nodes = {r};
  ASSERT_TRUE(store->write_cycle(w).ok());
  auto net = store->network_history(500, 500);
  ASSERT_TRUE(net.ok());
  ASSERT_EQ(net->size(), 1u);
  EXPECT_TRUE(std::isnan((*net)[0].avg_cpu_percent));
  auto rows = history_rows(*store, "10.0.0.1:9001", 0, 1000);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].score, 2.68);  // to the hundredth
  EXPECT_EQ((*rows)[0].trust_score, -12.5);
  EXPECT_TRUE(std::isnan((*rows)[0].capacity_score));
  EXPECT_EQ((*rows)[0].storage_usage_percent, 4.6764705882352943e-7);
}

TEST_P(StoreHistoryBackends, ASecondSampleInTheSameSecondReplacesTheFirst) {
  auto store = open();
  ASSERT_TRUE(store->write_cycle(make_cycle(1, 700, addresses(2))).ok());
  CycleWrite again = make_cycle(2, 700, addresses(2));
  again.network.total_pnodes = 99;
  again.nodes[0].uptime = 4242;
  ASSERT_TRUE(store->write_cycle(again).ok());
  auto net = store->network_history(0, 1000);
  ASSERT_EQ(net->size(), 1u);
  EXPECT_EQ((*net)[0].total_pnodes, 99);
  auto rows = history_rows(*store, addresses(1)[0], 0, 1000);
  ASSERT_EQ(rows->size(), 1u);
  EXPECT_EQ((*rows)[0].uptime, 4242u);
}

TEST_P(StoreHistoryBackends, HistoryStatusCountsPerAddressSortedAndLimited) {
  auto store = open();
  const std::string a = "10.0.0.1:9001", b = "10.0.0.2:9001", c = "10.0.0.3:9001";
  // a: 3 samples, b: 2, c: 2 (b and c tie: address order decides).
  for (int64_t ts : {10, 20, 30}) {
    CycleWrite w;
    w.network = make_network_row(ts, 3);
    w.nodes = {make_node_row(a, ts)};
    if (ts >= 20) w.nodes.push_back(make_node_row(c, ts));
    if (ts <= 20) w.nodes.push_back(make_node_row(b, ts));
    ASSERT_TRUE(store->write_cycle(w).ok());
  }
  auto all = store->history_status(100);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 3u);
  EXPECT_EQ((*all)[0].address, a);
  EXPECT_EQ((*all)[0].snapshots, 3);
  EXPECT_EQ((*all)[0].first_seen, 10);
  EXPECT_EQ((*all)[0].last_seen, 30);
  EXPECT_EQ((*all)[1].address, b);
  EXPECT_EQ((*all)[1].first_seen, 10);
  EXPECT_EQ((*all)[1].last_seen, 20);
  EXPECT_EQ((*all)[2].address, c);
  EXPECT_EQ((*all)[2].first_seen, 20);
  EXPECT_EQ((*all)[2].last_seen, 30);

  auto top = store->history_status(2);
  ASSERT_TRUE(top.ok());
  ASSERT_EQ(top->size(), 2u);
  EXPECT_EQ((*top)[1].address, b);
  EXPECT_EQ(store->history_status(SIZE_MAX)->size(), 3u);
}

TEST_P(StoreHistoryBackends, HistoryStatusStaysExactThroughRewritesAndRetention) {
  auto store = open();
  const std::string a = "10.0.0.1:9001", b = "10.0.0.2:9001", c = "10.0.0.3:9001";
  for (int64_t ts = 100; ts < 120; ++ts) {
    CycleWrite w;
    w.network = make_network_row(ts, 3);
    w.nodes = {make_node_row(a, ts)};
    if (ts % 2 == 0) w.nodes.push_back(make_node_row(b, ts));
    if (ts < 105) w.nodes.push_back(make_node_row(c, ts));
    if (ts == 115) w.retention_cutoff = 105;  // c's history is gone entirely after this
    ASSERT_TRUE(store->write_cycle(w).ok());
    if (ts == 110) {
      ASSERT_TRUE(store->write_cycle(w).ok());  // the same second written twice
    }
  }
  auto status = store->history_status(10);
  ASSERT_TRUE(status.ok()) << status.error().message;
  ASSERT_EQ(status->size(), 2u);
  EXPECT_EQ((*status)[0].address, a);
  EXPECT_EQ((*status)[0].snapshots, 15);  // 105..119
  EXPECT_EQ((*status)[0].first_seen, 105);
  EXPECT_EQ((*status)[0].last_seen, 119);
  EXPECT_EQ((*status)[1].address, b);
  EXPECT_EQ((*status)[1].snapshots, 7);  // 106, 108, ..., 118
  EXPECT_EQ((*status)[1].first_seen, 106);
  ASSERT_TRUE(store->prune_registry(0).ok());
  EXPECT_EQ(store->history_status(10)->size(), 2u);
  if (GetParam() != Backend::kSqlite) return;
  // The SQLite layout: all of it is recent (one hour), counted from the raw bitmaps,
  // nothing compacted; pruning dropped the address nothing refers to any more (c), and
  // kept a and b, whose history is raw.
  store.reset();
  const std::string path = sqlite_path();
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM node_chunks"), 0);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM raw_cycles"), 15);
  EXPECT_EQ(raw_int(path, "SELECT count(*) FROM nodes"), 2);
}

TEST_P(StoreHistoryBackends, RetentionDeletesOnlyRowsOlderThanTheCutoff) {
  auto store = open();
  const std::string a = "10.0.0.1:9001";
  for (int64_t ts = 1000; ts <= 1005; ++ts) {
    CycleWrite w;
    w.network = make_network_row(ts, 1);
    w.nodes = {make_node_row(a, ts)};
    w.retention_cutoff = ts == 1005 ? 1003 : 0;  // the last cycle keeps 1003 and newer
    ASSERT_TRUE(store->write_cycle(w).ok());
  }
  auto net = store->network_history(0, 9999);
  ASSERT_EQ(net->size(), 3u);
  EXPECT_EQ(net->front().timestamp, 1003);
  auto rows = history_rows(*store, a, 0, 9999);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ(rows->front().timestamp, 1003);
  EXPECT_EQ(rows->back().timestamp, 1005);
}

TEST_P(StoreHistoryBackends, PruneRegistryDeletesEntriesLastSeenBeforeTheCutoff) {
  auto store = open();
  CycleWrite w;
  w.network = make_network_row(5000, 3);
  w.registry_upserts = {make_bare_registry_entry("10.0.0.1:9001", 1000), make_bare_registry_entry("10.0.0.2:9001", 2000),
                        make_bare_registry_entry("10.0.0.3:9001", 3000)};
  w.nodes = {make_node_row("10.0.0.1:9001", 5000)};  // .1 has history, .2 has none
  ASSERT_TRUE(store->write_cycle(w).ok());

  auto pruned = store->prune_registry(2500);
  ASSERT_TRUE(pruned.ok()) << pruned.error().message;
  EXPECT_EQ(*pruned, 2);
  EXPECT_EQ(*store->prune_registry(2500), 0);
  auto state = store->load();
  ASSERT_EQ(state->registry.entries.size(), 1u);
  EXPECT_EQ(state->registry.entries[0].address, "10.0.0.3:9001");
  // History is not the registry's: it stays.
  EXPECT_EQ(store->node_history("10.0.0.1:9001", 0, 9999)->samples.size(), 1u);

  // Pruned addresses can come back (their interned ids were released consistently).
  CycleWrite back;
  back.network = make_network_row(6000, 2);
  back.registry_upserts = {make_bare_registry_entry("10.0.0.2:9001", 6000), make_bare_registry_entry("10.0.0.1:9001", 6000)};
  back.nodes = {make_node_row("10.0.0.2:9001", 6000), make_node_row("10.0.0.1:9001", 6000)};
  ASSERT_TRUE(store->write_cycle(back).ok());
  state = store->load();
  ASSERT_EQ(state->registry.entries.size(), 3u);
  EXPECT_EQ(state->registry.entries[1], make_bare_registry_entry("10.0.0.2:9001", 6000));
  EXPECT_EQ(store->node_history("10.0.0.2:9001", 0, 9999)->samples.size(), 1u);
  EXPECT_EQ(store->node_history("10.0.0.1:9001", 0, 9999)->samples.size(), 2u);
}

TEST_P(StoreHistoryBackends, PruneRegistryKeepsEntriesInGossipWhateverTheirLastSeen) {
  auto store = open();
  CycleWrite w;
  w.network = make_network_row(5000, 2);
  auto live = make_bare_registry_entry("10.0.0.1:9001", 1000);
  live.in_gossip = true;  // a seed reported an old gossip time for a node it still lists
  w.registry_upserts = {live, make_bare_registry_entry("10.0.0.2:9001", 1000)};
  ASSERT_TRUE(store->write_cycle(w).ok());

  auto pruned = store->prune_registry(2500);
  ASSERT_TRUE(pruned.ok()) << pruned.error().message;
  EXPECT_EQ(*pruned, 1);
  auto state = store->load();
  ASSERT_EQ(state->registry.entries.size(), 1u);
  EXPECT_EQ(state->registry.entries[0].address, "10.0.0.1:9001");
}

}  // namespace
}  // namespace pnode::store
