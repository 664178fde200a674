#include "api/metrics.h"

#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "api/metrics_test_support.h"
#include "collect/collector.h"

namespace pnode::api {
namespace {

using metrics_testing::Exposition;
using metrics_testing::LabelSet;
using metrics_testing::kPublished;
using metrics_testing::network;
using metrics_testing::ok_cycle;
using metrics_testing::render;

// ---- cycles ----

LabelSet rpc(std::string seed, std::string method, std::string kind) {
  return {{"seed", std::move(seed)}, {"method", std::move(method)}, {"kind", std::move(kind)}};
}

TEST(MetricsTest, ACycleWithAFailedSeedCountsRpcErrorsForThatSeedOnly) {
  Metrics m;
  m.record_cycle(ok_cycle(network(kPublished), 1500, 12), kPublished + 2);
  Exposition e = render(m);
  EXPECT_EQ(e.value("pnode_rpc_errors_total", rpc("seed-b:6000", "get-pods", "timeout")), 1);
  EXPECT_EQ(e.value("pnode_rpc_errors_total", rpc("seed-b:6000", "get-version", "rpc_error")), 1);
  EXPECT_EQ(e.count("pnode_rpc_errors_total"), 2u);  // nothing for seed-a, nothing for get-stats
  EXPECT_EQ(e.value("pnode_seed_up", {{"seed", "seed-a:6000"}}), 1);
  EXPECT_EQ(e.value("pnode_seed_up", {{"seed", "seed-b:6000"}}), 0);
  EXPECT_EQ(e.value("pnode_seed_pods", {{"seed", "seed-a:6000"}}), 3);
  EXPECT_EQ(e.value("pnode_seed_pods", {{"seed", "seed-b:6000"}}), 0);
  EXPECT_EQ(e.value("pnode_seeds_responding"), 1);
  EXPECT_EQ(e.value("pnode_pods", {{"state", "online"}}), 3);
  EXPECT_EQ(e.value("pnode_pods", {{"state", "offline"}}), 1);
  EXPECT_EQ(e.value("pnode_pods_per_cycle"), 3);
  EXPECT_EQ(e.value("pnode_registry_nodes"), 4);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "ok"}}), 1);
  EXPECT_EQ(e.value("pnode_last_cycle_success"), 1);
  EXPECT_EQ(e.value("pnode_last_cycle_timestamp_seconds"), kPublished + 2);
  EXPECT_EQ(e.value("pnode_cycle_duration_seconds_bucket", {{"le", "1"}}), 0);
  EXPECT_EQ(e.value("pnode_cycle_duration_seconds_bucket", {{"le", "2.5"}}), 1);
  EXPECT_DOUBLE_EQ(*e.value("pnode_cycle_duration_seconds_sum"), 1.5);
  EXPECT_EQ(e.value("pnode_store_write_seconds_bucket", {{"le", "0.01"}}), 0);
  EXPECT_EQ(e.value("pnode_store_write_seconds_bucket", {{"le", "0.025"}}), 1);
  EXPECT_EQ(e.value("pnode_store_errors_total"), 0);

  // The next cycle: seed-b answers its pods but not its stats; its old errors stay counted.
  auto next = network(kPublished + 60);
  next->seeds[1].pods_error.reset();
  next->seeds[1].version_error.reset();
  next->seeds[1].stats_error = make_error(ErrorCode::kTimeout, "slow");
  next->seeds[1].pod_count = 4;
  m.record_cycle(ok_cycle(next, 900, 5, "store write failed (the snapshot is still served): disk full"),
                 kPublished + 61);
  e = render(m);
  EXPECT_EQ(e.value("pnode_rpc_errors_total", rpc("seed-b:6000", "get-pods", "timeout")), 1);
  EXPECT_EQ(e.value("pnode_rpc_errors_total", rpc("seed-b:6000", "get-stats", "timeout")), 1);
  EXPECT_EQ(e.count("pnode_rpc_errors_total"), 3u);
  EXPECT_EQ(e.value("pnode_seed_up", {{"seed", "seed-b:6000"}}), 1);
  EXPECT_EQ(e.value("pnode_seed_pods", {{"seed", "seed-b:6000"}}), 4);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "ok"}}), 2);
  EXPECT_EQ(e.value("pnode_cycle_duration_seconds_count"), 2);
  EXPECT_EQ(e.value("pnode_store_write_seconds_count"), 2);
  EXPECT_EQ(e.value("pnode_store_errors_total"), 1);
}

TEST(MetricsTest, RegistryMovesDeferredAdmissionsAndEvictionsAccumulate) {
  Metrics m;
  auto snapshot = network(kPublished);
  snapshot->changes.moved = {{"10.0.0.9:5000", "10.0.0.9:5001"}, {"10.0.0.8:5000", "10.0.0.8:5002"}};
  snapshot->changes.admission_deferred = 7;
  snapshot->changes.evicted = {"10.0.0.7:9001"};
  m.record_cycle(ok_cycle(snapshot, 1500), kPublished + 2);
  m.record_cycle(ok_cycle(snapshot, 1500), kPublished + 62);
  Exposition e = render(m);
  EXPECT_EQ(e.value("pnode_registry_moves_total"), 4);
  EXPECT_EQ(e.value("pnode_registry_admission_deferred_total"), 14);
  EXPECT_EQ(e.value("pnode_registry_evictions_total"), 2);
}

TEST(MetricsTest, AFailedCycleCountsAsFailedAndKeepsTheLastGoodGauges) {
  Metrics m;
  m.record_cycle(ok_cycle(network(kPublished), 800), kPublished + 1);
  collect::CycleReport failed;
  failed.error = "cycle failed: out of memory";
  m.record_cycle(failed, kPublished + 61);
  Exposition e = render(m);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "ok"}}), 1);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "failed"}}), 1);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "inconclusive"}}), 0);
  EXPECT_EQ(e.value("pnode_last_cycle_success"), 0);
  EXPECT_EQ(e.value("pnode_last_cycle_timestamp_seconds"), kPublished + 61);
  EXPECT_EQ(e.value("pnode_cycle_duration_seconds_count"), 1);  // a failed cycle has no duration
  EXPECT_EQ(e.value("pnode_store_write_seconds_count"), 0);     // and no store: store_ms 0, no error
  EXPECT_EQ(e.value("pnode_pods", {{"state", "online"}}), 3);
  EXPECT_EQ(e.value("pnode_rpc_errors_total", rpc("seed-b:6000", "get-pods", "timeout")), 1);
}

TEST(MetricsTest, AnInconclusiveCycleIsCountedApartFromFailures) {
  Metrics m;
  m.record_cycle(ok_cycle(network(kPublished), 800), kPublished + 1);
  collect::CycleReport inconclusive;
  inconclusive.inconclusive = true;
  inconclusive.error = "inconclusive: 0 of 3 seeds answered (quorum 2); keeping the last conclusive snapshot";
  m.record_cycle(inconclusive, kPublished + 61);
  m.record_cycle(inconclusive, kPublished + 63);
  Exposition e = render(m);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "inconclusive"}}), 2);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "failed"}}), 0);
  EXPECT_EQ(e.value("pnode_last_cycle_success"), 0);
  EXPECT_EQ(e.value("pnode_pods", {{"state", "online"}}), 3);  // the last conclusive cycle's
}

TEST(MetricsTest, RejectedFieldsAreCountedPerSeedAcrossCycles) {
  Metrics m;
  auto first = network(kPublished);
  first->seeds[0].rejected_fields = 3;  // e.g. a 1 MiB version, a NaN percent, port 0
  m.record_cycle(ok_cycle(first, 800), kPublished + 1);
  Exposition e = render(m);
  EXPECT_EQ(e.value("pnode_rejected_fields_total", {{"seed", "seed-a:6000"}}), 3);
  EXPECT_EQ(e.count("pnode_rejected_fields_total"), 1u);  // nothing for a seed with none

  auto second = network(kPublished + 60);
  second->seeds[0].rejected_fields = 2;
  second->seeds[1].rejected_fields = 5;
  m.record_cycle(ok_cycle(second, 800), kPublished + 61);
  e = render(m);
  EXPECT_EQ(e.value("pnode_rejected_fields_total", {{"seed", "seed-a:6000"}}), 5);
  EXPECT_EQ(e.value("pnode_rejected_fields_total", {{"seed", "seed-b:6000"}}), 5);
}

TEST(MetricsTest, SnapshotAgeIsComputedAtScrapeTime) {
  Metrics m;
  auto snapshot = network(1000);
  EXPECT_EQ(render(m, snapshot.get(), 1042.5).value("pnode_snapshot_age_seconds"), 42.5);
  EXPECT_EQ(render(m, snapshot.get(), 1100).value("pnode_snapshot_age_seconds"), 100);
  EXPECT_EQ(render(m, nullptr, 1100).count("pnode_snapshot_age_seconds"), 0u);
}

TEST(MetricsTest, LeaseRefusalsAreCountedByReasonAndALocalOneIsNoStoreError) {
  Metrics m;
  auto refused = [](model::LeaseRefusal why, double store_ms) {
    auto r = ok_cycle(network(kPublished), 800, store_ms, "the collector lease was lost");
    r.lease_refusal = why;
    return r;
  };
  m.record_cycle(refused(model::LeaseRefusal::kLocal, 0), kPublished + 1);
  m.record_cycle(refused(model::LeaseRefusal::kLocal, 0), kPublished + 2);
  m.record_cycle(refused(model::LeaseRefusal::kFenced, 4), kPublished + 3);
  Exposition e = render(m);
  EXPECT_EQ(e.value("pnode_cycle_writes_refused_total", {{"reason", "lease_expired"}}), 2);
  EXPECT_EQ(e.value("pnode_cycle_writes_refused_total", {{"reason", "fenced"}}), 1);
  EXPECT_EQ(e.value("pnode_store_errors_total"), 1);  // the fenced write was tried; the others were not
  EXPECT_EQ(e.value("pnode_store_write_seconds_count"), 1);
}

TEST(MetricsTest, RoleAndLeaseEpochComeFromTheCollectionStatus) {
  Metrics m;
  EXPECT_EQ(render(m).count("pnode_collector_role"), 0u);  // no source: not reported
  model::CollectionStatus status;
  status.role = "leader";
  status.lease_epoch = 7;
  m.set_collection_status([&status] { return status; });
  Exposition e = render(m);
  EXPECT_EQ(e.value("pnode_collector_role", {{"role", "leader"}}), 1);
  EXPECT_EQ(e.value("pnode_collector_role", {{"role", "follower"}}), 0);
  EXPECT_EQ(e.value("pnode_collector_role", {{"role", "sole"}}), 0);
  EXPECT_EQ(e.value("pnode_collector_lease_epoch"), 7);
  status.role = "follower";
  status.lease_epoch.reset();
  e = render(m);
  EXPECT_EQ(e.value("pnode_collector_role", {{"role", "follower"}}), 1);
  EXPECT_EQ(e.value("pnode_collector_role", {{"role", "leader"}}), 0);
  EXPECT_EQ(e.count("pnode_collector_lease_epoch"), 0u);
}

}  // namespace
}  // namespace pnode::api
