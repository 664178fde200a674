// Probe history, availability sessions and credits history on every backend: a round's
// rows in one write, sessions rewritten while open and restored, retention, the newest
// `limit` rows, and a second store on the same database (a follower) reading them.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_backend_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;
using model::AvailabilitySession;

class StoreProbeBackends : public StoreBackendTest {};
PNODE_STORE_BACKENDS(StoreProbeBackends);

ProbeRecord answered(const std::string& address, int64_t at, double total_ms) {
  return {address, at, true, "", 1.5, total_ms};
}
ProbeRecord failed(const std::string& address, int64_t at, const std::string& kind) {
  return {address, at, false, kind, 0, 2000};
}

TEST_P(StoreProbeBackends, ProbeHistoryReadsBackOnePodsRangeOldestFirst) {
  auto store = open();
  ASSERT_TRUE(store);
  ProbeRoundWrite first{{answered("a:1", 1000, 12.34), failed("b:1", 1000, "refused")}, {}, 0, 0};
  ProbeRoundWrite second{{failed("a:1", 1060, "timeout")}, {}, 0, 0};
  ASSERT_TRUE(store->write_probe_round(first).ok());
  ASSERT_TRUE(store->write_probe_round(second).ok());
  auto a = store->probe_history("a:1", 0, 5000, 100);
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_EQ(a->size(), 2u);
  EXPECT_EQ((*a)[0], answered("a:1", 1000, 12.3));  // kept to the tenth of a millisecond
  EXPECT_EQ((*a)[1], failed("a:1", 1060, "timeout"));
  EXPECT_EQ(store->probe_history("a:1", 1001, 5000, 100)->size(), 1u);
  EXPECT_TRUE(store->probe_history("c:1", 0, 5000, 100)->empty());
}

TEST_P(StoreProbeBackends, ALimitKeepsTheNewestProbes) {
  auto store = open();
  ASSERT_TRUE(store);
  for (int64_t t = 0; t < 5; ++t)
    ASSERT_TRUE(store->write_probe_round({{answered("a:1", 1000 + t * 60, 10.0 + t)}, {}, 0, 0}).ok());
  auto rows = store->probe_history("a:1", 0, 5000, 2);
  ASSERT_TRUE(rows.ok());
  ASSERT_EQ(rows->size(), 2u);
  EXPECT_EQ((*rows)[0].at, 1180);
  EXPECT_EQ((*rows)[1].at, 1240);
}

TEST_P(StoreProbeBackends, SessionsAreRewrittenWhileOpenAndRestoredByAnotherStore) {
  auto store = open();
  ASSERT_TRUE(store);
  AvailabilitySession up{"a:1", true, 1000, std::nullopt, 1000, 0, 0};
  ASSERT_TRUE(store->write_probe_round({{answered("a:1", 1000, 5)}, {up}, 0, 0}).ok());
  up.last_probe_at = 1060;
  up.failures = 1;
  up.failing_since = 1060;
  ASSERT_TRUE(store->write_probe_round({{failed("a:1", 1060, "refused")}, {up}, 0, 0}).ok());
  // The second failure: the up session ends at the first, a down one opens there.
  AvailabilitySession closed = up;
  closed.ended_at = 1060;
  closed.failures = 0;
  closed.failing_since = 0;
  AvailabilitySession down{"a:1", false, 1060, std::nullopt, 1120, 2, 1060};
  ASSERT_TRUE(store->write_probe_round({{failed("a:1", 1120, "refused")}, {closed, down}, 0, 0}).ok());

  auto follower = open();  // a second instance on the same database
  ASSERT_TRUE(follower);
  auto all = follower->availability_sessions("", 0);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], closed);
  EXPECT_EQ((*all)[1], down);
  // Sessions that ended before a time are left out; open ones never are.
  auto recent = follower->availability_sessions("a:1", 1061);
  ASSERT_TRUE(recent.ok());
  ASSERT_EQ(recent->size(), 1u);
  EXPECT_EQ((*recent)[0], down);
  EXPECT_TRUE(follower->availability_sessions("b:1", 0)->empty());
}

TEST_P(StoreProbeBackends, RetentionDeletesOldProbesAndEndedSessions) {
  auto store = open();
  ASSERT_TRUE(store);
  AvailabilitySession old{"a:1", false, 100, 200, 150, 3, 100};
  AvailabilitySession open_one{"a:1", true, 200, std::nullopt, 5000, 0, 0};
  ASSERT_TRUE(store->write_probe_round({{answered("a:1", 100, 5)}, {old, open_one}, 0, 0}).ok());
  ASSERT_TRUE(store->write_probe_round({{answered("a:1", 5000, 5)}, {}, 1000, 1000}).ok());
  auto probes = store->probe_history("a:1", 0, 10000, 100);
  ASSERT_EQ(probes->size(), 1u);
  EXPECT_EQ((*probes)[0].at, 5000);
  auto sessions = store->availability_sessions("a:1", 0);
  ASSERT_EQ(sessions->size(), 1u);
  EXPECT_EQ((*sessions)[0], open_one);
}

TEST_P(StoreProbeBackends, CreditsHistoryPerPubkeyWithRetentionAndLimit) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(
      store->write_credits({{"PK1", 1000, 10, "mainnet"}, {"PK2", 1000, 5, "devnet"}}, 0, std::nullopt).ok());
  ASSERT_TRUE(store->write_credits({{"PK1", 4600, 12.5, "mainnet"}}, 0, std::nullopt).ok());
  ASSERT_TRUE(store->write_credits({{"PK1", 8200, 14, "both"}}, 2000, std::nullopt).ok());  // 1000 goes
  auto follower = open();
  auto pk1 = follower->credits_history("PK1", 0, 10000, 100);
  ASSERT_TRUE(pk1.ok()) << pk1.error().message;
  ASSERT_EQ(pk1->size(), 2u);
  EXPECT_EQ((*pk1)[0], (CreditRecord{"PK1", 4600, 12.5, "mainnet"}));
  EXPECT_EQ((*pk1)[1], (CreditRecord{"PK1", 8200, 14, "both"}));
  EXPECT_EQ(follower->credits_history("PK1", 0, 10000, 1)->at(0).at, 8200);
  EXPECT_TRUE(follower->credits_history("PK2", 0, 10000, 100)->empty());
}

}  // namespace
}  // namespace pnode::store
