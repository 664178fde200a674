#include "app/notification_events.h"

#include <simdjson.h>

namespace pnode::app {
namespace {

// What a notification needs of an event's "data" (docs/events.md); absent keys stay empty.
struct EventData {
  std::string rule, severity, message, reason;
  int64_t active_since = 0, firing_since = 0;
  bool silenced = false;
};

std::optional<EventData> read_data(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return std::nullopt;
  simdjson::dom::object data;
  if (root["data"].get(data) != simdjson::SUCCESS) return std::nullopt;
  EventData out;
  const auto text = [&](const char* key, std::string& field) {
    std::string_view value;
    if (data[key].get(value) == simdjson::SUCCESS) field = std::string(value);
  };
  text("rule", out.rule);
  text("severity", out.severity);
  text("message", out.message);
  text("reason", out.reason);
  // Absent or mistyped: the field keeps its default.
  if (data["active_since"].get(out.active_since) != simdjson::SUCCESS) out.active_since = 0;
  if (data["firing_since"].get(out.firing_since) != simdjson::SUCCESS) out.firing_since = 0;
  if (data["silenced"].get(out.silenced) != simdjson::SUCCESS) out.silenced = false;
  return out;
}

bool is_alert(const std::string& type) { return type == "alert_firing" || type == "alert_resolved"; }

// Network events (seed reachability) tell of a degraded view of the whole network.
std::string event_severity(const std::string& type) {
  return type == "seed_unreachable" || type == "node_offline" ? "warning" : "info";
}

bool node_matches(const store::EventRecord& e, const SubscriptionMatch& m) {
  if (m.nodes.empty() && m.pubkeys.empty()) return true;
  if (e.address.empty()) return false;
  return m.nodes.contains(e.address) || (!e.pubkey.empty() && m.pubkeys.contains(e.pubkey));
}

notify::TimePoint from_unix(int64_t seconds) { return notify::TimePoint(std::chrono::seconds(seconds)); }

std::string where(const store::EventRecord& e) { return e.address.empty() ? std::string("the network") : e.address; }

notify::Notification alert_notification(const store::EventRecord& e, const EventData& d) {
  notify::Notification n;
  const bool firing = e.type == "alert_firing";
  n.kind = firing ? notify::Kind::kFiring : notify::Kind::kResolved;
  n.title = (firing ? "" : "Resolved: ") + (d.message.empty() ? d.rule : d.message) + " (" + where(e) + ")";
  n.text = "Alert " + d.rule + " (" + d.severity + ") on node " + where(e);
  if (!e.pubkey.empty()) n.text += " (pubkey " + e.pubkey + ")";
  if (!firing && !d.reason.empty()) n.text += "\nResolved: " + d.reason;
  n.severity = d.severity;
  n.labels = {{"alertname", d.rule}};
  n.started_at = from_unix(d.firing_since > 0 ? d.firing_since : d.active_since);
  return n;
}

notify::Notification event_notification(const store::EventRecord& e) {
  notify::Notification n;
  n.kind = notify::Kind::kEvent;
  n.title = e.type + ": " + where(e);
  n.text = "Event " + e.type + " at cycle " + std::to_string(e.cycle) + "\n" + e.body;
  n.severity = event_severity(e.type);
  n.labels = {{"alertname", e.type}};
  n.started_at = from_unix(e.time);
  return n;
}

}  // namespace

std::optional<notify::Notification> notification_for(const store::StoredEvent& stored, const SubscriptionMatch& match) {
  const store::EventRecord& e = stored.event;
  if (!match.events.contains(e.type) || !node_matches(e, match)) return std::nullopt;
  notify::Notification n;
  if (is_alert(e.type)) {
    auto data = read_data(e.body);
    if (!data || data->silenced) return std::nullopt;
    if (!match.rules.empty() && !match.rules.contains(data->rule)) return std::nullopt;
    if (!match.severities.empty() && !match.severities.contains(data->severity)) return std::nullopt;
    n = alert_notification(e, *data);
  } else {
    n = event_notification(e);
  }
  n.id = e.id;
  n.node = e.address;
  n.time = from_unix(e.time);
  if (!e.address.empty()) n.labels["node"] = e.address;
  if (!e.pubkey.empty()) n.labels["pubkey"] = e.pubkey;
  return n;
}

}  // namespace pnode::app
