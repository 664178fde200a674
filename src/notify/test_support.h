// Test-only sample data shared by the notify tests: a fixed instant, an offline alert,
// a message carrying it, the webhook secret of the signing vector, and a reader of JSON
// strings. Thread-safety: constants and pure functions.
#pragma once

#include <simdjson.h>

#include <chrono>
#include <string>

#include "notify/notification.h"

namespace pnode::notify::testing {

inline const TimePoint kTestNow = std::chrono::system_clock::from_time_t(1764950400);  // 2025-12-05T16:00:00Z

// "whsec_" + Base64("pnode-test-key-0123456789abcdef!").
inline constexpr const char* kTestSecret = "whsec_cG5vZGUtdGVzdC1rZXktMDEyMzQ1Njc4OWFiY2RlZiE=";

// The offline alert of `node`, firing at kTestNow or resolved ten minutes later.
inline Notification offline_alert(const std::string& node, Kind kind = Kind::kFiring) {
  Notification n;
  n.id = "ev-" + node + "-" + std::string(kind_name(kind));
  n.kind = kind;
  n.title = "Node " + node + " is offline";
  n.text = "No seed has seen it for 2 cycles.\n.A line that starts with a dot.";
  n.severity = "critical";
  n.node = node;
  n.labels = {{"rule", "offline"}, {"node", node}};
  n.started_at = kTestNow;
  n.time = kind == Kind::kResolved ? kTestNow + std::chrono::minutes(10) : kTestNow;
  n.links = {{"dashboard", "http://127.0.0.1:8080/node/" + node}};
  return n;
}

// A message of the offline alert of 1.2.3.4:9001 alone, keyed "event-42".
inline Message offline_message() {
  Notification n = offline_alert("1.2.3.4:9001");
  n.id = "event-42";
  return single_message(std::move(n));
}

inline std::string json_text(simdjson::dom::element e) { return std::string(std::string_view(e)); }

}  // namespace pnode::notify::testing
