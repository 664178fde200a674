#include "analysis/alerts.h"

#include <algorithm>

#include "analysis/version.h"
#include "util/py_format.h"

namespace pnode::analysis {
namespace {

// Python's a // b (rounds towards negative infinity), for the reference's messages.
int64_t floor_div(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

Alert make_alert(Severity severity, AlertType type, std::string message, const char* metric, AlertValue value,
                 AlertValue threshold, const char* recommendation) {
  return Alert{severity, type, std::move(message), metric, std::move(value), std::move(threshold),
               recommendation, std::nullopt};
}

std::optional<Alert> offline_alert(const NodeView& node, const AlertThresholds& t) {
  int64_t duration = node.last_checked - node.last_seen;
  bool critical = duration > t.offline_critical_seconds;
  bool any_offline_counts = t.offline_warning_seconds == 0;  // a clock ahead of ours must not hide it
  if (!critical && duration <= t.offline_warning_seconds && !any_offline_counts) return std::nullopt;
  std::string message = "Node offline for " + std::to_string(floor_div(duration, 86400)) + " days";
  Alert a = critical ? make_alert(Severity::kCritical, AlertType::kOffline, message, "offline_duration", duration,
                                  t.offline_critical_seconds, "Check if node is permanently down or needs restart")
                     : make_alert(Severity::kWarning, AlertType::kOffline, message, "offline_duration", duration,
                                  t.offline_warning_seconds, "Monitor node closely");
  a.last_seen = node.last_seen;
  return a;
}

std::optional<Alert> uptime_alert(const NodeView& node, const AlertThresholds& t) {
  auto uptime = static_cast<int64_t>(node.uptime);
  if (uptime < t.uptime_critical_seconds)
    return make_alert(Severity::kCritical, AlertType::kLowUptime,
                      "Very low uptime: " + std::to_string(floor_div(uptime, 60)) + " minutes", "uptime", uptime,
                      t.uptime_critical_seconds, "Node may be restarting frequently");
  if (uptime < t.uptime_warning_seconds)
    return make_alert(Severity::kWarning, AlertType::kLowUptime,
                      "Low uptime: " + std::to_string(floor_div(uptime, 3600)) + " hours", "uptime", uptime,
                      t.uptime_warning_seconds, "Monitor for stability issues");
  return std::nullopt;
}

std::optional<Alert> storage_alert(const NodeView& node, const AlertThresholds& t) {
  double u = node.storage_usage_percent;
  if (u > t.storage_critical_percent)
    return make_alert(Severity::kCritical, AlertType::kStorageCritical, "Storage critically full: " + py_fixed(u, 1) + "%",
                      "storage_usage_percent", u, t.storage_critical_percent,
                      "Increase storage capacity immediately or risk data loss");
  if (u > t.storage_warning_percent)
    return make_alert(Severity::kWarning, AlertType::kStorageWarning, "Storage filling up: " + py_fixed(u, 1) + "%",
                      "storage_usage_percent", u, t.storage_warning_percent, "Plan to increase storage capacity soon");
  return std::nullopt;
}

std::optional<Alert> version_alert(const NodeView& node, std::string_view latest, const AlertThresholds& t) {
  auto gap = version_gap(node.version, latest);
  if (!gap || *gap < t.version_behind_gap || *gap < 1) return std::nullopt;
  std::string latest_text(latest);
  std::string tail = node.version + " (latest: " + latest_text + ")";
  if (*gap >= t.version_outdated_gap)
    return make_alert(Severity::kCritical, AlertType::kVersionOutdated, "Running very old version: " + tail, "version",
                      node.version, latest_text, "Upgrade to latest version immediately for security and features");
  return make_alert(Severity::kWarning, AlertType::kVersionBehind, "Running old version: " + tail, "version",
                    node.version, latest_text, "Upgrade to latest version soon");
}

std::optional<Alert> connectivity_alert(const NodeView& node, const AlertThresholds& t) {
  auto peers = static_cast<int64_t>(node.peer_count());
  if (peers <= t.isolated_peers)
    return make_alert(Severity::kCritical, AlertType::kIsolated,
                      "Node isolated with only " + std::to_string(peers) + " peer(s)", "peer_count", peers,
                      t.isolated_peers, "Check network configuration and firewall settings");
  if (peers <= t.weak_peers)
    return make_alert(Severity::kWarning, AlertType::kWeakConnectivity,
                      "Weak connectivity with only " + std::to_string(peers) + " peers", "peer_count", peers,
                      t.weak_peers, "Improve network connectivity for better reliability");
  return std::nullopt;
}

std::optional<Alert> underutilized_alert(const NodeView& node, const AlertThresholds& t) {
  double u = node.storage_usage_percent;
  if (u >= t.underutilized_percent) return std::nullopt;
  return make_alert(Severity::kInfo, AlertType::kUnderutilized, "Storage underutilized: " + py_fixed(u, 1) + "%",
                    "storage_usage_percent", u, t.underutilized_percent,
                    "Node may need more network usage or has excess capacity");
}

std::optional<Alert> flapping_alert(const GossipHistory* history, const AlertThresholds& t) {
  if (!history) return std::nullopt;
  auto flaps = detect_flapping(history->online_flags, t.flap_changes);
  if (!flaps) return std::nullopt;
  return make_alert(Severity::kWarning, AlertType::kGossipFlapping, "Node frequently appears/disappears from gossip",
                    "gossip_consistency", *flaps, t.flap_changes, "Check for network instability or node restarts");
}

}  // namespace

std::string_view LastingTexts::keep(std::string_view text) {
  std::lock_guard lock(mutex_);
  if (auto it = kept_.find(text); it != kept_.end()) return *it;
  if (kept_.size() >= capacity_) return {};
  return *kept_.emplace(text).first;
}

size_t LastingTexts::size() const {
  std::lock_guard lock(mutex_);
  return kept_.size();
}

std::string_view lasting_alert_text(std::string_view text) {
  static LastingTexts texts(256);
  return texts.keep(text);
}

const char* severity_name(Severity severity) {
  switch (severity) {
    case Severity::kCritical: return "critical";
    case Severity::kWarning: return "warning";
    case Severity::kInfo: return "info";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view name) {
  if (name == "critical") return Severity::kCritical;
  if (name == "warning") return Severity::kWarning;
  if (name == "info") return Severity::kInfo;
  return std::nullopt;
}

const char* alert_type_name(AlertType type) {
  switch (type) {
    case AlertType::kOffline: return "offline";
    case AlertType::kLowUptime: return "low_uptime";
    case AlertType::kStorageCritical: return "storage_critical";
    case AlertType::kStorageWarning: return "storage_warning";
    case AlertType::kVersionOutdated: return "version_outdated";
    case AlertType::kVersionBehind: return "version_behind";
    case AlertType::kIsolated: return "isolated";
    case AlertType::kWeakConnectivity: return "weak_connectivity";
    case AlertType::kUnderutilized: return "underutilized";
    case AlertType::kGossipFlapping: return "gossip_flapping";
  }
  return "";
}

std::array<AlertType, kAlertTypeCount> all_alert_types() {
  return {AlertType::kOffline,        AlertType::kLowUptime,      AlertType::kStorageCritical, AlertType::kStorageWarning,
          AlertType::kVersionOutdated, AlertType::kVersionBehind, AlertType::kIsolated,        AlertType::kWeakConnectivity,
          AlertType::kUnderutilized,   AlertType::kGossipFlapping};
}

std::optional<int64_t> detect_flapping(const std::vector<bool>& online_flags, int64_t change_threshold) {
  if (online_flags.size() < kFlapMinSamples) return std::nullopt;
  int64_t changes = 0;
  for (size_t i = 1; i < online_flags.size(); ++i) changes += online_flags[i] != online_flags[i - 1];
  if (changes <= change_threshold) return std::nullopt;
  return changes;
}

std::vector<Alert> check_node_alerts(const NodeView& node, std::string_view latest_version,
                                     const GossipHistory* history, const AlertThresholds& thresholds) {
  std::vector<Alert> alerts;
  auto add = [&](std::optional<Alert> a) {
    if (a) alerts.push_back(std::move(*a));
  };
  if (!node.is_online) {
    add(offline_alert(node, thresholds));
    return alerts;
  }
  add(uptime_alert(node, thresholds));
  add(storage_alert(node, thresholds));
  add(version_alert(node, latest_version, thresholds));
  add(connectivity_alert(node, thresholds));
  add(underutilized_alert(node, thresholds));
  add(flapping_alert(history, thresholds));
  return alerts;
}

AlertSummary summarize_alerts(const std::vector<Alert>& alerts) {
  AlertSummary s;
  s.total = static_cast<int64_t>(alerts.size());
  for (const auto& a : alerts) {
    s.critical += a.severity == Severity::kCritical;
    s.warning += a.severity == Severity::kWarning;
    s.info += a.severity == Severity::kInfo;
    std::string_view name = alert_type_name(a.type);
    auto it = std::find_if(s.by_type.begin(), s.by_type.end(), [&](const auto& e) { return e.first == name; });
    if (it == s.by_type.end()) s.by_type.emplace_back(name, 1);
    else ++it->second;
  }
  return s;
}

std::vector<Alert> filter_alerts(const std::vector<Alert>& alerts, std::optional<Severity> severity,
                                 std::string_view alert_type) {
  std::vector<Alert> out;
  for (const auto& a : alerts) {
    if (severity && a.severity != *severity) continue;
    if (!alert_type.empty() && alert_type != alert_type_name(a.type)) continue;
    out.push_back(a);
  }
  return out;
}

}  // namespace pnode::analysis
