// Per-node alerts for operators (docs/reference-compat.md §5.1): ten alert types over the
// unified node view, in the reference's order, with its thresholds, severities, messages (Python
// formatting), metric/value/threshold and recommendations; plus the summary and filter
// of §5.2.
// Fixes of the reference (§9.10): version alerts compare against the derived latest
// version (NodeViews::latest_version, via version_gap()) instead of a hard-coded 0.8.0,
// and the message names that version; gossip_flapping is computed from real data (the
// node's recent online flags) instead of never.
// Thread-safety: pure functions.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <mutex>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "analysis/node_view.h"

namespace pnode::analysis {

enum class Severity { kCritical, kWarning, kInfo };
const char* severity_name(Severity severity);  // "critical" | "warning" | "info"
std::optional<Severity> parse_severity(std::string_view name);

// The ten alert types of §5.1 (offline and low_uptime each come as critical or warning).
enum class AlertType {
  kOffline,
  kLowUptime,
  kStorageCritical,
  kStorageWarning,
  kVersionOutdated,
  kVersionBehind,
  kIsolated,
  kWeakConnectivity,
  kUnderutilized,
  kGossipFlapping,
};
inline constexpr size_t kAlertTypeCount = 10;
const char* alert_type_name(AlertType type);  // "offline", "low_uptime", ... as the JSON `type`
std::array<AlertType, kAlertTypeCount> all_alert_types();

// The JSON type of `value` and `threshold` differs by alert: an integer (seconds, peers,
// flaps), a float (storage percent) or a string (version). The serialiser writes the
// alternative that is held.
using AlertValue = std::variant<int64_t, double, std::string>;

// One alert. JSON keys in this order: severity, type, message, metric, value, threshold,
// recommendation, and last_seen on offline alerts only. `metric` and `recommendation` are
// each rule's constant text (or lasting_alert_text()'s, for alerts read back from the
// store), so the ~30k alerts and alert states of a 10k network hold no copy of them.
struct Alert {
  Severity severity = Severity::kInfo;
  AlertType type = AlertType::kOffline;
  std::string message;
  std::string_view metric;
  AlertValue value;
  AlertValue threshold;
  std::string_view recommendation;
  std::optional<int64_t> last_seen;  // offline alerts only

  bool operator==(const Alert&) const = default;
};

// Texts kept for as long as this object lives, each distinct one once, at most `capacity`
// of them: beyond, keep() gives "" (so a damaged store cannot grow it). Thread-safe.
class LastingTexts {
 public:
  explicit LastingTexts(size_t capacity) : capacity_(capacity) {}
  std::string_view keep(std::string_view text);
  size_t size() const;

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::set<std::string, std::less<>> kept_;  // set nodes never move: the views stay valid
};

// The process's LastingTexts (256) for an Alert's metric or recommendation read back from
// the store (the rules' own texts are constants).
std::string_view lasting_alert_text(std::string_view text);

// Thresholds (docs/reference-compat.md §5.1).
inline constexpr int64_t kOfflineCriticalSeconds = 604800;  // 7 days
inline constexpr int64_t kOfflineWarningSeconds = 259200;   // 3 days
inline constexpr int64_t kUptimeCriticalSeconds = 3600;
inline constexpr int64_t kUptimeWarningSeconds = 86400;
inline constexpr double kStorageCriticalPercent = 95.0;
inline constexpr double kStorageWarningPercent = 85.0;
inline constexpr double kUnderutilizedPercent = 5.0;
inline constexpr int64_t kIsolatedPeers = 1;
inline constexpr int64_t kWeakPeers = 2;
inline constexpr int64_t kFlapChangeThreshold = 3;  // flapping when changes > 3
inline constexpr size_t kFlapMinSamples = 5;
inline constexpr int kVersionOutdatedGap = 2;  // release lines behind: "very old"
inline constexpr int kVersionBehindGap = 1;

// The thresholds check_node_alerts() applies; the defaults are the reference's (above), which
// /alerts keeps. The alert lifecycle (alert_lifecycle.h) passes its configured rules' values.
// An offline_warning_seconds of 0 means every node out of gossip (whatever its clock says).
struct AlertThresholds {
  int64_t offline_critical_seconds = kOfflineCriticalSeconds;
  int64_t offline_warning_seconds = kOfflineWarningSeconds;
  int64_t uptime_critical_seconds = kUptimeCriticalSeconds;
  int64_t uptime_warning_seconds = kUptimeWarningSeconds;
  double storage_critical_percent = kStorageCriticalPercent;
  double storage_warning_percent = kStorageWarningPercent;
  int version_outdated_gap = kVersionOutdatedGap;
  int version_behind_gap = kVersionBehindGap;
  int64_t isolated_peers = kIsolatedPeers;
  int64_t weak_peers = kWeakPeers;
  double underutilized_percent = kUnderutilizedPercent;
  int64_t flap_changes = kFlapChangeThreshold;

  bool operator==(const AlertThresholds&) const = default;
};

// What the flapping check looks at: the node's recent per-cycle online flags, oldest
// first (e.g. node_history.h's online_flags() over its last hours of history rows).
struct GossipHistory {
  std::vector<bool> online_flags;
};
// Every remembered node's GossipHistory by address.
using GossipHistories = FlatStringMap<GossipHistory>;

// The number of online/offline changes between consecutive flags when there are at least
// kFlapMinSamples flags and more than `change_threshold` changes; nullopt otherwise.
std::optional<int64_t> detect_flapping(const std::vector<bool>& online_flags,
                                       int64_t change_threshold = kFlapChangeThreshold);

// The alerts of one node, in the reference's order. An offline node gets at most its
// offline alert (offline_duration = last_checked - last_seen, the cycle's view of it);
// the other checks apply to online nodes only. Version alerts need a parsable
// `latest_version` and node version (no alert otherwise). `history` is optional: without
// it there is no flapping check.
std::vector<Alert> check_node_alerts(const NodeView& node, std::string_view latest_version,
                                     const GossipHistory* history = nullptr, const AlertThresholds& thresholds = {});

// Summary (§5.2). by_type lists types in order of first occurrence.
struct AlertSummary {
  int64_t total = 0;
  int64_t critical = 0;
  int64_t warning = 0;
  int64_t info = 0;
  std::vector<std::pair<std::string, int64_t>> by_type;

  bool operator==(const AlertSummary&) const = default;
};
AlertSummary summarize_alerts(const std::vector<Alert>& alerts);

// Equality filters (§5.2); each applies only when given (an empty alert_type means none).
// alert_type is matched against alert_type_name(), so an unknown name matches nothing.
std::vector<Alert> filter_alerts(const std::vector<Alert>& alerts, std::optional<Severity> severity,
                                 std::string_view alert_type);

}  // namespace pnode::analysis
