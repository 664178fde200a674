#include "sim/network_model.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "sim/capture.h"
#include "sim/sim_test_util.h"
#include "sim/synthetic.h"

namespace pnode::sim {
namespace {

constexpr int64_t kStart = 1900000000;

struct Loaded {
  std::vector<prpc::Pod> raw;
  Generation gen;
  int64_t newest = 0;
};

Loaded load(const std::string& path, AddressMap& map) {
  Loaded l;
  l.raw = load_capture_file(path).value();
  for (const auto& p : l.raw) l.newest = std::max(l.newest, p.last_seen_timestamp.value_or(0));
  l.gen = specs_from_capture(l.raw, map);
  return l;
}

ModelOptions replay_options(const Generation& gen) {
  ModelOptions o;
  o.generations = {gen};
  o.start_time = kStart;
  return o;
}

std::map<uint32_t, LivePod> by_node(const std::vector<LivePod>& rows) {
  std::map<uint32_t, LivePod> out;
  for (const auto& r : rows) out[r.node_id()] = r;
  return out;
}

TEST(NetworkModel, ShiftsTheCaptureSoItsNewestRowIsNowAndKeepsAges) {
  AddressMap map;
  Loaded l = load(testing::kCompactCapture, map);
  NetworkModel model(replay_options(l.gen));
  auto rows = model.pods_at(kStart);
  ASSERT_EQ(rows.size(), l.raw.size());
  int64_t newest_served = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    ASSERT_TRUE(rows[i].last_seen_timestamp);
    EXPECT_EQ(kStart - *rows[i].last_seen_timestamp, l.newest - *l.raw[i].last_seen_timestamp);
    EXPECT_EQ(rows[i].uptime, l.raw[i].uptime);
    newest_served = std::max(newest_served, *rows[i].last_seen_timestamp);
  }
  EXPECT_EQ(newest_served, kStart);
}

TEST(NetworkModel, FreshRowsAdvanceInRealTimeAndStaleRowsStayFrozen) {
  AddressMap map;
  Loaded l = load(testing::kCompactCapture, map);
  NetworkModel model(replay_options(l.gen));
  const int64_t later = kStart + 100;
  auto rows = model.pods_at(later);
  int fresh = 0, stale = 0;
  for (size_t i = 0; i < rows.size(); ++i) {
    int64_t age = l.newest - *l.raw[i].last_seen_timestamp;
    if (age <= kFreshAgeSeconds) {
      ++fresh;
      EXPECT_EQ(*rows[i].last_seen_timestamp, later - age);
      if (l.raw[i].uptime) {
        EXPECT_EQ(*rows[i].uptime, *l.raw[i].uptime + 100);
      }
    } else {
      ++stale;
      if (age + 100 <= kMaxAgeSeconds) {
        EXPECT_EQ(*rows[i].last_seen_timestamp, kStart - age);
      }
      EXPECT_EQ(rows[i].uptime, l.raw[i].uptime);
      EXPECT_EQ(rows[i].storage_used, l.raw[i].storage_used);
    }
  }
  EXPECT_GT(fresh, 150);  // ~80 % of real rows are fresh
  EXPECT_GT(stale, 10);
}

TEST(NetworkModel, NoServedRowIsOlderThanAnHour) {
  AddressMap map;
  Loaded l = load(testing::kCompactCapture, map);
  NetworkModel model(replay_options(l.gen));
  for (int64_t t = kStart; t < kStart + 3 * 3600; t += 97) {
    for (const auto& row : model.pods_at(t)) {
      ASSERT_LE(t - *row.last_seen_timestamp, kMaxAgeSeconds);
      ASSERT_GE(t - *row.last_seen_timestamp, 0);
    }
  }
}

TEST(NetworkModel, CyclesThroughGenerationsAndCarriesPinnedNodesOver) {
  AddressMap map;
  Loaded a = load(testing::kCompactCapture, map);
  Loaded b = load(testing::kPrettyCapture, map);
  // A node of the first capture that the second lacks, pinned like a seed.
  std::set<uint32_t> in_b;
  for (const auto& s : b.gen) in_b.insert(s.node_id);
  uint32_t missing = 0;
  bool found = false;
  for (const auto& s : a.gen)
    if (!in_b.count(s.node_id) && s.is_public == true) {
      missing = s.node_id;
      found = true;
      break;
    }
  ASSERT_TRUE(found);
  ModelOptions o;
  o.generations = {a.gen, b.gen};
  o.generation_interval = 600;
  o.start_time = kStart;
  o.pinned = {missing};
  NetworkModel model(std::move(o));
  EXPECT_EQ(model.pods_at(kStart).size(), 204u);
  EXPECT_EQ(model.pods_at(kStart + 599).size(), 204u);
  auto second = model.pods_at(kStart + 600);
  EXPECT_EQ(second.size(), 199u);  // 198 rows + the carried-over pinned node
  EXPECT_TRUE(by_node(second).count(missing));
  int64_t newest = 0;
  for (const auto& r : second) newest = std::max(newest, *r.last_seen_timestamp);
  EXPECT_EQ(newest, kStart + 600);  // the second capture is shifted to its own activation
  EXPECT_EQ(model.pods_at(kStart + 1200).size(), 204u);
}

struct ChurnRun {
  std::map<int64_t, std::map<uint32_t, LivePod>> at;
};

ModelOptions churn_options(const Generation& gen, double rate) {
  ModelOptions o = replay_options(gen);
  o.churn.enabled = true;
  o.churn.rate_per_minute = rate;
  o.rng_seed = 42;
  o.pinned = {gen[0].node_id, gen[3].node_id};
  return o;
}

TEST(NetworkModel, ChurnMakesNodesLeaveReturnRestartAndUpgrade) {
  AddressMap map;
  Loaded l = load(testing::kCompactCapture, map);
  NetworkModel model(churn_options(l.gen, 0.05));
  std::map<int64_t, std::map<uint32_t, LivePod>> at;
  for (int64_t t = kStart; t <= kStart + 3600; t += 60) at[t] = by_node(model.pods_at(t));

  std::set<uint32_t> ever_absent, returned;
  int restarts = 0, nat_rotations = 0, growths = 0;
  size_t upgraded_first = 0, upgraded_last = 0;
  for (auto it = std::next(at.begin()); it != at.end(); ++it) {
    const auto& prev = std::prev(it)->second;
    const auto& now = it->second;
    for (const auto& spec : l.gen) {
      bool was = prev.count(spec.node_id), is = now.count(spec.node_id);
      if (!is) ever_absent.insert(spec.node_id);
      if (!was && is) returned.insert(spec.node_id);
      if (was && is) {
        const LivePod& a = prev.at(spec.node_id);
        const LivePod& b = now.at(spec.node_id);
        if (a.uptime && b.uptime && *b.uptime < *a.uptime) ++restarts;
        if (a.port != b.port) ++nat_rotations;
        if (a.storage_used && b.storage_used && *b.storage_used > *a.storage_used) ++growths;
      }
    }
  }
  for (const auto& [id, row] : at.begin()->second) upgraded_first += row.version == "1.2.0";
  for (const auto& [id, row] : at.rbegin()->second) upgraded_last += row.version == "1.2.0";

  EXPECT_GT(ever_absent.size(), 10u);
  EXPECT_GT(returned.size(), 5u);
  EXPECT_GT(restarts, 3);
  EXPECT_GT(nat_rotations, 3);
  EXPECT_GT(growths, 10);
  EXPECT_GT(upgraded_last, upgraded_first + 10);  // the 1.2.0 share grows
  EXPECT_FALSE(ever_absent.count(l.gen[0].node_id));  // pinned seeds never leave
  EXPECT_FALSE(ever_absent.count(l.gen[3].node_id));
  // Usage stays consistent with the grown storage_used.
  for (const auto& [id, row] : at.rbegin()->second) {
    if (!row.storage_usage_percent()) continue;
    EXPECT_DOUBLE_EQ(*row.storage_usage_percent(),
                     static_cast<double>(*row.storage_used) / static_cast<double>(*row.spec->storage_committed) * 100);
    EXPECT_LE(*row.storage_used, *row.spec->storage_committed);
  }
}

bool same_rows(const std::vector<LivePod>& a, const std::vector<LivePod>& b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i].to_pod() != b[i].to_pod()) return false;
  return true;
}

TEST(NetworkModel, ChurnDependsOnlyOnTheSeedAndTheClock) {
  AddressMap map;
  Loaded l = load(testing::kCompactCapture, map);
  NetworkModel stepwise(churn_options(l.gen, 0.05));
  NetworkModel jump(churn_options(l.gen, 0.05));
  for (int64_t t = kStart; t <= kStart + 1800; t += 7) stepwise.pods_at(t);
  EXPECT_TRUE(same_rows(stepwise.pods_at(kStart + 1800), jump.pods_at(kStart + 1800)));
  // Going back in time gives the earlier state again.
  NetworkModel fresh(churn_options(l.gen, 0.05));
  EXPECT_TRUE(same_rows(stepwise.pods_at(kStart + 900), fresh.pods_at(kStart + 900)));

  ModelOptions other = churn_options(l.gen, 0.05);
  other.rng_seed = 43;
  NetworkModel different(std::move(other));
  EXPECT_FALSE(same_rows(different.pods_at(kStart + 1800), jump.pods_at(kStart + 1800)));
}

TEST(NetworkModel, WithoutChurnNothingLeavesAndPortsStay) {
  AddressMap map;
  Loaded l = load(testing::kCompactCapture, map);
  NetworkModel model(replay_options(l.gen));
  auto rows = model.pods_at(kStart + 5000);
  ASSERT_EQ(rows.size(), l.gen.size());
  for (size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].port, l.gen[i].port);
    EXPECT_EQ(rows[i].version, l.gen[i].version);
  }
}

}  // namespace
}  // namespace pnode::sim
