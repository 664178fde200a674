#include "collect/alert_store.h"

#include <gtest/gtest.h>

namespace pnode::collect {
namespace {

using analysis::AlertPhase;
using analysis::AlertType;

analysis::AlertState state(AlertType rule, std::string address, AlertPhase phase, int64_t firing_since) {
  analysis::AlertState s;
  s.rule = rule;
  s.alert.type = rule;
  s.address = std::move(address);
  s.pubkey = "pk-" + s.address;
  s.phase = phase;
  s.cycles_held = 2;
  s.active_since = 900;
  s.firing_since = firing_since;
  return s;
}

analysis::AlertStates sample() {
  analysis::AlertStates states;
  for (auto s : {state(AlertType::kOffline, "a", AlertPhase::kFiring, 1000),
                 state(AlertType::kIsolated, "a", AlertPhase::kPending, 0),
                 state(AlertType::kOffline, "b", AlertPhase::kResolved, 1000)})
    states.states[analysis::AlertKey{s.rule, s.address}] = s;
  return states;
}

TEST(AlertStore, AnAcknowledgementMarksTheFiringItNamesOnly) {
  analysis::AlertStates states = sample();
  merge_acknowledgements(states, {{"offline", "a", 1000, "ops", "on it", 1010},
                                  {"offline", "b", 1000, "ops", "resolved since", 1010},
                                  {"isolated", "a", 0, "ops", "pending", 1010},
                                  {"no_such_rule", "a", 1000, "ops", "", 1010}});
  const auto* firing = states.find(AlertType::kOffline, "a");
  ASSERT_TRUE(firing->acknowledgement);
  EXPECT_EQ(*firing->acknowledgement, (analysis::Acknowledgement{"ops", "on it", 1010}));
  EXPECT_FALSE(states.find(AlertType::kOffline, "b")->acknowledgement) << "resolved: ignored";
  EXPECT_FALSE(states.find(AlertType::kIsolated, "a")->acknowledgement) << "pending: ignored";
}

TEST(AlertStore, AnAcknowledgementOfAnEarlierFiringIsIgnored) {
  analysis::AlertStates states = sample();
  merge_acknowledgements(states, {{"offline", "a", 500, "ops", "the previous outage", 600}});
  EXPECT_FALSE(states.find(AlertType::kOffline, "a")->acknowledgement);
}

TEST(AlertStore, SilencesAreMarkedAsTheyStandNow) {
  analysis::AlertStates states = sample();
  analysis::SilenceSet silences;
  analysis::Silence on_a;
  on_a.id = "s4";
  on_a.address = "a";
  on_a.starts_at = 1000;
  on_a.ends_at = 2000;
  silences.silences.push_back(on_a);
  mark_silences(states, silences, 1500);
  EXPECT_TRUE(states.find(AlertType::kOffline, "a")->silenced);
  EXPECT_EQ(states.find(AlertType::kOffline, "a")->silence_id, "s4");
  EXPECT_TRUE(states.find(AlertType::kIsolated, "a")->silenced);
  EXPECT_FALSE(states.find(AlertType::kOffline, "b")->silenced) << "resolved states keep what they were";
  mark_silences(states, silences, 2000);  // ended
  EXPECT_FALSE(states.find(AlertType::kOffline, "a")->silenced);
  EXPECT_EQ(states.find(AlertType::kOffline, "a")->silence_id, "");
}

TEST(AlertStore, SilencesRoundTripThroughTheirRecords) {
  analysis::Silence s;
  s.id = "s7";
  s.pubkey = "pk";
  s.rule = AlertType::kStorageCritical;
  s.starts_at = 10;
  s.ends_at = 20;
  s.created_at = 5;
  s.comment = "c";
  s.author = "a";
  store::SilenceRecord record = to_silence_record(s);
  EXPECT_EQ(record.rule, "storage_critical");
  EXPECT_EQ(to_silence(record), s);
  store::SilenceRecord unknown = record;
  unknown.rule = "renamed_rule";
  auto set = to_silence_set({record, unknown});
  ASSERT_EQ(set.silences.size(), 1u) << "a silence of an unknown rule matches nothing";
  EXPECT_EQ(set.silences[0], s);
}

}  // namespace
}  // namespace pnode::collect
