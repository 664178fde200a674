#include "analysis/monitor_state_codec.h"

#include <gtest/gtest.h>

#include <cmath>

namespace pnode::analysis {
namespace {

AlertState state(AlertType rule, std::string address, AlertPhase phase) {
  AlertState s;
  s.rule = rule;
  s.address = std::move(address);
  s.pubkey = "pk-" + s.address;
  s.phase = phase;
  s.cycles_held = 3;
  s.active_since = 1000;
  s.last_cycle = 7;
  s.alert.type = rule;
  s.alert.severity = Severity::kWarning;
  s.alert.message = "a \"quoted\" message\nover two lines";
  s.alert.metric = "metric";
  s.alert.recommendation = "do something";
  if (phase == AlertPhase::kFiring || phase == AlertPhase::kResolved) s.firing_since = 1120;
  if (phase == AlertPhase::kResolved) s.resolved_at = 1300;
  return s;
}

MonitorState sample() {
  MonitorState m;
  m.seeds.seeds["10.0.0.1:6000"] = SeedState{true, 900};
  m.seeds.seeds["10.0.0.2:6000"] = SeedState{false, 950};
  AlertState offline = state(AlertType::kOffline, "1.1.1.1:9001", AlertPhase::kFiring);
  offline.alert.severity = Severity::kCritical;
  offline.alert.value = int64_t{4000};
  offline.alert.threshold = int64_t{0};
  offline.alert.last_seen = 880;
  offline.silenced = true;
  offline.silence_id = "s3";
  offline.acknowledgement = Acknowledgement{"ops", "looking", 1200};
  AlertState storage = state(AlertType::kStorageWarning, "2.2.2.2:9001", AlertPhase::kPending);
  storage.alert.value = 91.25;
  storage.alert.threshold = 90.0;
  AlertState version = state(AlertType::kVersionBehind, "3.3.3.3:9001", AlertPhase::kResolved);
  version.alert.value = std::string("0.7.0");
  version.alert.threshold = std::string("0.8.0");
  for (auto* s : {&offline, &storage, &version}) m.alerts.states[AlertKey{s->rule, s->address}] = *s;
  return m;
}

TEST(MonitorStateCodec, RoundTripsEverySeedAndAlertState) {
  const MonitorState m = sample();
  auto decoded = decode_monitor_state(encode_monitor_state(m));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, m);
  // The value alternatives survive: an integer stays an integer, a text a text.
  EXPECT_TRUE(std::holds_alternative<int64_t>(decoded->alerts.find(AlertType::kOffline, "1.1.1.1:9001")->alert.value));
  EXPECT_TRUE(
      std::holds_alternative<std::string>(decoded->alerts.find(AlertType::kVersionBehind, "3.3.3.3:9001")->alert.value));
}

TEST(MonitorStateCodec, RoundTripsAnEmptyState) {
  auto decoded = decode_monitor_state(encode_monitor_state(MonitorState{}));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_EQ(*decoded, MonitorState{});
}

TEST(MonitorStateCodec, NonFiniteDoublesComeBackAsNaN) {
  MonitorState m = sample();
  m.alerts.states.begin()->second.alert.value = std::nan("");
  auto decoded = decode_monitor_state(encode_monitor_state(m));
  ASSERT_TRUE(decoded.ok()) << decoded.error().message;
  EXPECT_TRUE(std::isnan(std::get<double>(decoded->alerts.states.begin()->second.alert.value)));
}

TEST(MonitorStateCodec, RefusesAnotherVersionAndBrokenDocuments) {
  for (std::string_view bad : {R"({"v":2,"seeds":{},"alerts":[]})", R"({"v":1,"seeds":{}})", "not json",
                               R"({"v":1,"seeds":{"a":[true]},"alerts":[]})",
                               R"({"v":1,"seeds":{},"alerts":[["offline","1.1.1.1:1"]]})"}) {
    auto decoded = decode_monitor_state(bad);
    ASSERT_FALSE(decoded.ok()) << bad;
    EXPECT_TRUE(decoded.error().is(ErrorCode::kCorrupt)) << bad;
  }
}

TEST(MonitorStateCodec, RefusesAStateTheLifecycleCannotMake) {
  MonitorState m = sample();
  m.alerts.states.begin()->second.resolved_at = 5;  // firing with a resolution time
  auto decoded = decode_monitor_state(encode_monitor_state(m));
  ASSERT_FALSE(decoded.ok());
  EXPECT_NE(decoded.error().message.find("firing times out of order"), std::string::npos) << decoded.error().message;
}

}  // namespace
}  // namespace pnode::analysis
