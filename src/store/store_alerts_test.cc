// The alert lifecycle's shared state on every backend: the collector's monitor state
// written with cycles and attempts and loaded back; silences and acknowledgements.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "store/store.h"
#include "store/store_backend_test_support.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;

class StoreAlertBackends : public StoreBackendTest {};
PNODE_STORE_BACKENDS(StoreAlertBackends);

TEST_P(StoreAlertBackends, AFreshStoreHasNoMonitorState) {
  auto store = open();
  ASSERT_TRUE(store);
  EXPECT_EQ(store->monitor_state().value(), "");
  EXPECT_EQ(store->load().value().monitor_state, "");
}

TEST_P(StoreAlertBackends, TheMonitorStateGoesWithTheCycleAndSurvivesReopening) {
  auto store = open();
  ASSERT_TRUE(store);
  CycleWrite w = make_cycle(1, 1000, addresses(1));
  w.monitor_state = R"({"v":1,"cycle":1})";
  ASSERT_TRUE(store->write_cycle(w).ok());
  EXPECT_EQ(store->monitor_state().value(), R"({"v":1,"cycle":1})");

  // A cycle without one keeps the stored one; the next one replaces it.
  ASSERT_TRUE(store->write_cycle(make_cycle(2, 1060, addresses(1))).ok());
  EXPECT_EQ(store->monitor_state().value(), R"({"v":1,"cycle":1})");
  CycleWrite third = make_cycle(3, 1120, addresses(1));
  third.monitor_state = R"({"v":1,"cycle":3})";
  ASSERT_TRUE(store->write_cycle(third).ok());

  store.reset();
  store = open();
  auto loaded = store->load();
  ASSERT_TRUE(loaded.ok()) << loaded.error().message;
  EXPECT_EQ(loaded->monitor_state, R"({"v":1,"cycle":3})");
  ASSERT_TRUE(loaded->snapshot);
  EXPECT_EQ(loaded->snapshot->cycle, 3u);
}

TEST_P(StoreAlertBackends, AnAttemptWritesItsEventsAndTheMonitorStateTogether) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->write_cycle(make_cycle(1, 1000, addresses(1))).ok());
  EventRecord event{"1.1:seed_unreachable:", "seed_unreachable", 1010, 1, "", "", "{}"};
  ASSERT_TRUE(store->write_attempt_events({event}, R"({"v":1,"attempt":1})").ok());
  EXPECT_EQ(store->monitor_state().value(), R"({"v":1,"attempt":1})");
  auto events = store->read_events({});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ((*events)[0].event, event);
}

TEST_P(StoreAlertBackends, AFailedCycleWriteLeavesTheMonitorStateAsItWas) {
  auto store = open();
  ASSERT_TRUE(store);
  CycleWrite first = make_cycle(1, 1000, addresses(1));
  first.monitor_state = "first";
  ASSERT_TRUE(store->write_cycle(first).ok());
  CycleWrite bad = make_cycle(2, 1060, addresses(1));
  bad.monitor_state = "second";
  bad.nodes[0].timestamp = int64_t{1} << 40;  // outside the stored range: the write fails
  ASSERT_FALSE(store->write_cycle(bad).ok());
  EXPECT_EQ(store->monitor_state().value(), "first");
}

SilenceRecord silence(std::optional<std::string> address, int64_t starts_at, int64_t ends_at) {
  SilenceRecord s;
  s.address = std::move(address);
  s.rule = "offline";
  s.starts_at = starts_at;
  s.ends_at = ends_at;
  s.comment = "maintenance";
  s.author = "ops";
  return s;
}

std::vector<std::string> ids_of(const std::vector<SilenceRecord>& silences) {
  std::vector<std::string> out;
  for (const auto& s : silences) out.push_back(s.id);
  return out;
}

TEST_P(StoreAlertBackends, SilencesAreAddedListedAndRemovedWithIdsNeverReused) {
  auto store = open();
  ASSERT_TRUE(store);
  auto first = store->add_silence(silence("1.1.1.1:9001", 1000, 2000), 1000, 10);
  ASSERT_TRUE(first.ok()) << first.error().message;
  EXPECT_EQ(first->id, "s1");
  EXPECT_EQ(first->created_at, 1000);
  SilenceRecord by_pubkey = silence(std::nullopt, 1100, 5000);
  by_pubkey.pubkey = "pk";
  by_pubkey.rule.reset();
  auto second = store->add_silence(by_pubkey, 1000, 10);
  ASSERT_TRUE(second.ok());

  auto all = store->silences(0);
  ASSERT_TRUE(all.ok()) << all.error().message;
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0], *first);
  EXPECT_EQ((*all)[1], *second);
  EXPECT_FALSE((*all)[1].address);
  EXPECT_FALSE((*all)[1].rule);
  EXPECT_EQ(ids_of(store->silences(2000).value()), std::vector<std::string>{second->id}) << "ended at 2000";

  EXPECT_TRUE(store->remove_silence(first->id).value());
  EXPECT_FALSE(store->remove_silence(first->id).value()) << "already gone";
  for (const char* bad : {"", "s", "x1", "s1x", "s-"}) EXPECT_FALSE(store->remove_silence(bad).value()) << bad;
  auto third = store->add_silence(silence("1.1.1.1:9001", 1000, 2000), 1000, 10);
  ASSERT_TRUE(third.ok());
  EXPECT_NE(third->id, first->id) << "an id is never given twice";

  store.reset();
  store = open();
  EXPECT_EQ(ids_of(store->silences(0).value()), (std::vector<std::string>{second->id, third->id}));
}

TEST_P(StoreAlertBackends, AtMostMaxActiveSilencesAndEndedOnesDoNotCount) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->add_silence(silence("a", 1000, 1500), 1000, 2).ok());
  ASSERT_TRUE(store->add_silence(silence("b", 1000, 3000), 1000, 2).ok());
  auto refused = store->add_silence(silence("c", 1000, 3000), 1000, 2);
  ASSERT_FALSE(refused.ok());
  EXPECT_TRUE(refused.error().is(ErrorCode::kTooLarge)) << refused.error().message;
  EXPECT_EQ(store->silences(0).value().size(), 2u) << "nothing added";
  // Once "a" has ended there is room again.
  EXPECT_TRUE(store->add_silence(silence("c", 1600, 3000), 1600, 2).ok());
}

TEST_P(StoreAlertBackends, SilencesEndedLongAgoAreDeletedWhenOneIsAdded) {
  auto store = open();
  ASSERT_TRUE(store);
  ASSERT_TRUE(store->add_silence(silence("old", 1000, 2000), 1000, 10).ok());
  ASSERT_TRUE(store->add_silence(silence("recent", 1000, 9000), 1000, 10).ok());
  const int64_t later = 2000 + kExpiredSilenceRetentionSeconds + 1;
  ASSERT_TRUE(store->add_silence(silence("new", later, later + 100), later, 10).ok());
  auto kept = store->silences(0).value();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_EQ(kept[0].address, "recent");
  EXPECT_EQ(kept[1].address, "new");
}

TEST_P(StoreAlertBackends, AcknowledgementsAreKeyedByTheirFiringAndBounded) {
  auto store = open();
  ASSERT_TRUE(store);
  AckRecord ack{"offline", "1.1.1.1:9001", 1000, "ops", "on it", 1010};
  ASSERT_TRUE(store->record_ack(ack, 2).ok());
  AckRecord again = ack;
  again.comment = "still on it";
  again.at = 1020;
  ASSERT_TRUE(store->record_ack(again, 2).ok());
  EXPECT_EQ(store->acks().value(), std::vector<AckRecord>{again}) << "the same firing: replaced";
  AckRecord refired = ack;
  refired.firing_since = 2000;
  refired.at = 2010;
  ASSERT_TRUE(store->record_ack(refired, 2).ok());
  EXPECT_EQ(store->acks().value().size(), 2u) << "another firing of the same alert: its own";
  AckRecord other{"isolated", "2.2.2.2:9001", 1500, "ops", "", 3000};
  ASSERT_TRUE(store->record_ack(other, 2).ok());
  EXPECT_EQ(store->acks().value(), (std::vector<AckRecord>{other, refired})) << "the newest two are kept";
}

}  // namespace
}  // namespace pnode::store
