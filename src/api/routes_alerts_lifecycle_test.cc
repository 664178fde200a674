// The alert lifecycle's routes over a real SQLite store: GET /alerts/active and
// /alerts/history, the silences, acknowledgements, the admin token, and every bound on
// what the requests carry.
#include <gtest/gtest.h>

#include "analysis/monitor_state_codec.h"
#include "api/route_test_support.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names
using analysis::AlertPhase;
using analysis::AlertType;

constexpr const char* kToken = "s3cret";

analysis::AlertState state(AlertType rule, const std::string& address, const std::string& pubkey, AlertPhase phase,
                           analysis::Severity severity, int64_t firing_since = 0) {
  analysis::AlertState s;
  s.rule = rule;
  s.address = address;
  s.pubkey = pubkey;
  s.phase = phase;
  s.cycles_held = 2;
  s.active_since = kT2 - 120;
  s.firing_since = firing_since;
  if (phase == AlertPhase::kResolved) s.resolved_at = kT2;
  s.alert.type = rule;
  s.alert.severity = severity;
  s.alert.message = "message";
  s.alert.value = int64_t{1};
  s.alert.threshold = int64_t{0};
  return s;
}

store::EventRecord alert_event(const std::string& id, const std::string& type, int64_t time, const std::string& address,
                               const std::string& pubkey) {
  return store::EventRecord{id, type, time, 2, address, pubkey, "{\"id\":\"" + id + "\",\"type\":\"" + type + "\"}"};
}

class AlertLifecycleRoutes : public RoutesTest {
 protected:
  void SetUp() override {
    ApiConfig c;
    c.admin_token = kToken;
    c.alert_limits.max_silences = 2;
    c.alert_limits.max_comment_bytes = 32;
    c.alert_limits.max_author_bytes = 8;
    c.alert_limits.max_matcher_bytes = 24;
    c.alert_limits.max_silence_seconds = 86400;
    with_store(c);
    offline_f = state(AlertType::kOffline, kF, "pk-F", AlertPhase::kFiring, analysis::Severity::kCritical, kT2 - 60);
    write_states({offline_f,
                  state(AlertType::kStorageCritical, kC, "pk-C", AlertPhase::kPending, analysis::Severity::kCritical),
                  state(AlertType::kLowUptime, kC, "pk-C", AlertPhase::kFiring, analysis::Severity::kWarning, kT2 - 60),
                  state(AlertType::kIsolated, kA, "pk-A", AlertPhase::kResolved, analysis::Severity::kWarning, kT2 - 60)});
  }

  // The states as the collector would have written them with its latest cycle.
  void write_states(std::vector<analysis::AlertState> states) {
    analysis::MonitorState m;
    for (auto& s : states) m.alerts.states[analysis::AlertKey{s.rule, s.address}] = s;
    ASSERT_TRUE(store->write_attempt_events({}, analysis::encode_monitor_state(m)).ok());
  }

  http::Response send(const std::string& method, const std::string& target, std::string body,
                      std::string token = kToken) {
    http::Headers headers;
    if (!token.empty()) headers.emplace_back("Authorization", "Bearer " + token);
    http::Request r = make_request(target, method, std::move(headers));
    r.body = std::move(body);
    return api->handle(r);
  }

  std::vector<std::string> active(const std::string& query = "") {
    std::vector<std::string> out;
    const auto body = get_json("/alerts/active" + query);
    for (const auto& a : body.at("alerts").as_array())
      out.push_back(std::string(a.at("rule").as_string()) + "@" + std::string(a.at("address").as_string()));
    return out;
  }

  // A valid silence body with `extra` fields added (JSON members, leading comma).
  static std::string silence_body(const std::string& extra = R"(,"address":"10.0.0.9:9001")") {
    return R"({"duration":"2h","comment":"maintenance","author":"ops")" + extra + "}";
  }

  analysis::AlertState offline_f;
};

const std::string kOfflineF = std::string("offline@") + kF;
const std::string kStorageC = std::string("storage_critical@") + kC;
const std::string kUptimeC = std::string("low_uptime@") + kC;

TEST_F(AlertLifecycleRoutes, ActiveListsPendingAndFiringStatesWithTheirTimes) {
  EXPECT_EQ(active(), (std::vector<std::string>{kOfflineF, kUptimeC, kStorageC})) << "not the resolved one";
  auto first = get_json("/alerts/active?rule=offline").at("alerts").at(0);
  EXPECT_EQ(first.at("state"), "firing");
  EXPECT_EQ(first.at("severity"), "critical");
  EXPECT_EQ(first.at("pubkey"), "pk-F");
  EXPECT_EQ(first.at("active_since"), kT2 - 120);
  EXPECT_EQ(first.at("firing_since"), kT2 - 60);
  EXPECT_EQ(first.at("silenced"), false);
  EXPECT_TRUE(first.at("acknowledgement").is_null());
}

TEST_F(AlertLifecycleRoutes, ActiveFilters) {
  EXPECT_EQ(active(std::string("?node=") + kC), (std::vector<std::string>{kUptimeC, kStorageC}));
  EXPECT_EQ(active("?pubkey=pk-F"), std::vector<std::string>{kOfflineF});
  EXPECT_EQ(active("?rule=storage_critical"), std::vector<std::string>{kStorageC});
  EXPECT_EQ(active("?severity=warning"), std::vector<std::string>{kUptimeC});
  EXPECT_EQ(active("?state=pending"), std::vector<std::string>{kStorageC});
  EXPECT_EQ(get("/alerts/active?rule=nonsense").status, 422);
  EXPECT_EQ(get("/alerts/active?state=resolved").status, 422);
}

TEST_F(AlertLifecycleRoutes, WithoutAStoreTheLifecycleRoutesAnswer503) {
  store.reset();
  make_api();
  for (const char* target : {"/alerts/active", "/alerts/history", "/silences"})
    EXPECT_EQ(get(target).status, 503) << target;
}

TEST_F(AlertLifecycleRoutes, ASilenceIsAddedListedAppliedAndRemoved) {
  auto r = send("POST", "/silences", silence_body(R"(,"address":"10.0.0.9:9001","rule":"offline")"));
  ASSERT_EQ(r.status, 201) << body_text(r);
  auto created = body_json(r);
  const std::string id(created.at("id").as_string());
  EXPECT_EQ(created.at("matchers"), (json::object{{"address", kF}, {"rule", "offline"}}));
  EXPECT_EQ(created.at("starts_at"), now);
  EXPECT_EQ(created.at("ends_at"), now + 7200);
  EXPECT_EQ(created.at("author"), "ops");

  auto listed = get_json("/silences");
  ASSERT_EQ(listed.at("count"), 1);
  EXPECT_EQ(listed.at("silences").at(0), created);
  auto silenced = get_json("/alerts/active?rule=offline").at("alerts").at(0);
  EXPECT_EQ(silenced.at("silenced"), true) << "at once, before the next cycle";
  EXPECT_EQ(silenced.at("silence_id"), id.c_str());

  EXPECT_EQ(send("DELETE", "/silences/" + id, "").status, 200);
  EXPECT_EQ(send("DELETE", "/silences/" + id, "").status, 404);
  EXPECT_EQ(get_json("/silences").at("count"), 0);
  EXPECT_EQ(get_json("/alerts/active?rule=offline").at("alerts").at(0).at("silenced"), false);
}

TEST_F(AlertLifecycleRoutes, EndedSilencesAreListedOnlyWhenAskedFor) {
  const std::string body =
      R"({"pubkey":"pk-C","ends_at":)" + std::to_string(now + 60) + R"(,"comment":"c","author":"ops"})";
  ASSERT_EQ(send("POST", "/silences", body).status, 201);
  now += 120;
  EXPECT_EQ(get_json("/silences").at("count"), 0);
  EXPECT_EQ(get_json("/silences?expired=true").at("count"), 1);
}

TEST_F(AlertLifecycleRoutes, MutationsNeedTheAdminToken) {
  EXPECT_EQ(send("POST", "/silences", silence_body(), "").status, 401);
  EXPECT_EQ(send("POST", "/silences", silence_body(), "wrong").status, 401);
  EXPECT_EQ(send("DELETE", "/silences/s1", "", "wrong").status, 401);
  EXPECT_EQ(send("POST", "/alerts/ack", "{}", "wrong").status, 401);
  EXPECT_EQ(send("POST", "/alerts/ack", "{}", "wrong").status, 401);
  EXPECT_EQ(get_json("/silences").at("count"), 0) << "nothing was added";
  // Five wrong tokens spent the burst: even the right one waits, on every admin route.
  auto locked = send("POST", "/silences", silence_body());
  EXPECT_EQ(locked.status, 429);
  EXPECT_EQ(get("/prune", "DELETE", {{"Authorization", std::string("Bearer ") + kToken}}).status, 429);
}

TEST_F(AlertLifecycleRoutes, MutationsAreDisabledWithoutAnAdminToken) {
  make_api();  // no token
  auto r = send("POST", "/silences", silence_body());
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(body_text(r), R"json({"detail":"POST /silences is disabled: no admin token is configured (ADMIN_TOKEN)"})json");
  EXPECT_EQ(send("DELETE", "/silences/s1", "").status, 403);
  EXPECT_EQ(send("POST", "/alerts/ack", "{}").status, 403);
}

TEST_F(AlertLifecycleRoutes, EveryBoundOnASilenceHolds) {
  const std::string long_text(33, 'x');
  struct Case {
    std::string body;
    int status;
  };
  for (const Case& c : std::vector<Case>{
           {std::string(16 * 1024 + 1, ' '), 413},
           {"not json", 400},
           {"[]", 400},
           {R"({"duration":"2h","comment":"c","author":"ops"})", 400},  // no matcher
           {silence_body(R"(,"address":"a","ends_at":1)"), 400},       // both ends
           {R"({"address":"a","comment":"c","author":"ops"})", 400},    // no end
           {silence_body(R"(,"rule":"nonsense")"), 400},
           {silence_body(R"(,"address":7)"), 400},
           {R"({"address":"a","duration":"3 cycles","comment":"c","author":"ops"})", 400},
           {silence_body(R"(,"address":")" + long_text + "\""), 400},     // matcher
           {R"({"address":"a","duration":60,"comment":")" + long_text + R"(","author":"ops"})", 400},
           {R"({"address":"a","duration":60,"comment":"c","author":"too-long-author"})", 400},
           {R"({"address":"a","duration":"2d","comment":"c","author":"ops"})", 400},  // over max_silence_seconds
           {R"({"address":"a","duration":60,"comment":"c\u0001","author":"ops"})", 400},
       }) {
    auto r = send("POST", "/silences", c.body);
    EXPECT_EQ(r.status, c.status) << c.body.substr(0, 80) << ": " << body_text(r);
  }
  EXPECT_EQ(get_json("/silences").at("count"), 0);
  // max_silences (2) active at once.
  EXPECT_EQ(send("POST", "/silences", silence_body()).status, 201);
  EXPECT_EQ(send("POST", "/silences", silence_body()).status, 201);
  auto full = send("POST", "/silences", silence_body());
  EXPECT_EQ(full.status, 409) << body_text(full);
  EXPECT_EQ(get_json("/silences").at("count"), 2);
}

TEST_F(AlertLifecycleRoutes, AnAcknowledgementMarksTheFiringAlertUntilItResolves) {
  auto r = send("POST", "/alerts/ack", R"({"rule":"offline","address":"10.0.0.9:9001","author":"ops","comment":"on it"})");
  ASSERT_EQ(r.status, 200) << body_text(r);
  EXPECT_EQ(body_json(r).at("acknowledgement"), (json::object{{"author", "ops"}, {"comment", "on it"}, {"at", now}}));
  auto served = get_json("/alerts/active?rule=offline").at("alerts").at(0);
  EXPECT_EQ(served.at("acknowledgement").at("comment"), "on it");

  // It fires again later (it resolved meanwhile): the old acknowledgement does not apply.
  analysis::AlertState refired = offline_f;
  refired.firing_since = kT2 + 600;
  write_states({refired});
  EXPECT_TRUE(get_json("/alerts/active?rule=offline").at("alerts").at(0).at("acknowledgement").is_null());
}

TEST_F(AlertLifecycleRoutes, OnlyAFiringAlertCanBeAcknowledgedWithinTheBounds) {
  auto ack = [&](const std::string& body) { return send("POST", "/alerts/ack", body).status; };
  EXPECT_EQ(ack(R"({"rule":"storage_critical","address":"10.0.0.3:9001","author":"ops","comment":"c"})"), 404)
      << "pending";
  EXPECT_EQ(ack(R"({"rule":"isolated","address":"10.0.0.1:9001","author":"ops","comment":"c"})"), 404) << "resolved";
  EXPECT_EQ(ack(R"({"rule":"offline","address":"10.0.0.1:9001","author":"ops","comment":"c"})"), 404) << "none";
  EXPECT_EQ(ack(R"({"rule":"nonsense","address":"10.0.0.9:9001","author":"ops","comment":"c"})"), 400);
  EXPECT_EQ(ack(R"({"address":"10.0.0.9:9001","author":"ops","comment":"c"})"), 400);
  EXPECT_EQ(ack(R"({"rule":"offline","address":"10.0.0.9:9001","author":"too-long-author","comment":"c"})"), 400);
  EXPECT_EQ(ack(R"({"rule":"offline","address":"10.0.0.9:9001","author":"","comment":"c"})"), 400);
  EXPECT_EQ(ack(std::string(16 * 1024 + 1, ' ')), 413);
  EXPECT_TRUE(store->acks().value().empty());
}

class AlertHistoryRoutes : public AlertLifecycleRoutes {
 protected:
  void SetUp() override {
    AlertLifecycleRoutes::SetUp();
    ASSERT_TRUE(store->write_events({alert_event("1.0:alert_firing:offline@" + std::string(kF), "alert_firing", 1000, kF, "pk-F"),
                                     alert_event("1.0:node_offline:" + std::string(kF), "node_offline", 1000, kF, "pk-F"),
                                     alert_event("2.0:alert_firing:low_uptime@" + std::string(kC), "alert_firing", 1060, kC, "pk-C"),
                                     alert_event("3.0:alert_resolved:offline@" + std::string(kF), "alert_resolved", 1120, kF, "pk-F"),
                                     alert_event("4.0:alert_firing:offline@" + std::string(kC), "alert_firing", 1180, kC, "pk-C")})
                    .ok());
  }

  std::vector<std::string> ids(const std::string& target) {
    std::vector<std::string> out;
    const auto body = get_json(target);
    for (const auto& e : body.at("events").as_array()) out.emplace_back(e.at("id").as_string());
    return out;
  }
};

TEST_F(AlertHistoryRoutes, ListsFiringAndResolvedEventsOldestFirst) {
  auto body = get_json("/alerts/history");
  EXPECT_EQ(body.at("count"), 4) << "not the node event";
  EXPECT_EQ(body.at("more"), false);
  EXPECT_EQ(ids("/alerts/history").front(), "1.0:alert_firing:offline@" + std::string(kF));
  EXPECT_EQ(ids("/alerts/history").back(), "4.0:alert_firing:offline@" + std::string(kC));
}

TEST_F(AlertHistoryRoutes, Filters) {
  EXPECT_EQ(ids(std::string("/alerts/history?node=") + kF),
            (std::vector<std::string>{"1.0:alert_firing:offline@" + std::string(kF),
                                      "3.0:alert_resolved:offline@" + std::string(kF)}));
  EXPECT_EQ(ids("/alerts/history?pubkey=pk-C").size(), 2u);
  EXPECT_EQ(ids("/alerts/history?rule=offline").size(), 3u);
  EXPECT_EQ(ids("/alerts/history?rule=low_uptime"), (std::vector<std::string>{"2.0:alert_firing:low_uptime@" + std::string(kC)}));
  EXPECT_EQ(ids("/alerts/history?since=1100").size(), 2u);
  EXPECT_EQ(get("/alerts/history?rule=nonsense").status, 422);
  EXPECT_EQ(get("/alerts/history?limit=1001").status, 422);
}

TEST_F(AlertHistoryRoutes, PagesWithTheNextCursorAlsoWhenFilteredByRule) {
  std::vector<std::string> seen;
  int64_t after = 0;
  for (int page = 0; page < 10; ++page) {
    auto body = get_json("/alerts/history?rule=offline&limit=1&after=" + std::to_string(after));
    for (const auto& e : body.at("events").as_array()) seen.emplace_back(e.at("id").as_string());
    after = body.at("next").as_int64();
    if (!body.at("more").as_bool()) break;
  }
  EXPECT_EQ(seen, (std::vector<std::string>{"1.0:alert_firing:offline@" + std::string(kF),
                                            "3.0:alert_resolved:offline@" + std::string(kF),
                                            "4.0:alert_firing:offline@" + std::string(kC)}));
}

}  // namespace
}  // namespace pnode::api
