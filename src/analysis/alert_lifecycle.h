// The alert lifecycle (docs/events.md): the ten alert types of alerts.h become rules, and
// each (rule, node) has a state that moves inactive -> pending (the condition holds, its
// `for` has not elapsed) -> firing -> resolved, like Prometheus' alerting rules. Firing
// and resolving are alert_firing / alert_resolved events (events.h). Silences mark what
// they match as silenced (the state and the event stay visible; delivery skips them);
// acknowledgements mark a firing alert until it resolves.
// The conditions are check_node_alerts() with the rule set's thresholds (the reference's
// by default, except offline: see RuleSet::defaults()). An inconclusive observation
// changes nothing. While a node is offline only its offline rule is evaluated: the other
// rules' states stay as they were (their metrics are unknown, not healthy).
// Everything that will come from the API (silences, acknowledgements) is bounded
// (AlertLimits) and checked by validate_*().
// Thread-safety: plain values and pure functions; the collector's one thread advances the
// states, readers take copies.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/alerts.h"
#include "analysis/events.h"
#include "util/result.h"

namespace pnode::analysis {

// How long a condition must hold before its alert fires: both parts must be met (0: no
// requirement). "N cycles": held in N consecutive conclusive cycles (1 fires at once);
// seconds: held for that long since it began.
struct ForDuration {
  int64_t cycles = 0;
  int64_t seconds = 0;
  bool operator==(const ForDuration&) const = default;
};
// "2 cycles", "1 cycle", "0", or a duration: "90s", "5m", "2h", "1d" (a bare number: seconds).
Result<ForDuration> parse_for_duration(std::string_view text);
std::string format_for_duration(const ForDuration& d);  // "2 cycles", "300s", "0"

struct Rule {
  AlertType type = AlertType::kOffline;
  bool enabled = true;
  ForDuration for_duration{2, 0};
  // The value the rule fires at, in the alert's own unit (see rule_threshold_unit()).
  double threshold = 0;
  bool operator==(const Rule&) const = default;
};

// "seconds" (offline, low_uptime), "percent" (storage, underutilized), "versions" (release
// lines behind), "peers", "changes" (gossip flaps).
const char* rule_threshold_unit(AlertType type);

struct RuleSet {
  std::array<Rule, kAlertTypeCount> rules;  // in all_alert_types() order

  // Every rule enabled, `for` 2 cycles (one missed cycle pages nobody), the reference's
  // thresholds - except offline, which fires for any node out of gossip (threshold 0 s)
  // instead of after the reference's 3 days, so an operator is told when a node goes down.
  static RuleSet defaults();
  const Rule& rule(AlertType type) const;
  Rule& rule(AlertType type);
  // The thresholds check_node_alerts() applies: the rules' values; severity bands the
  // rules do not configure (offline critical after 7 days, uptime critical under 1 h) are
  // the reference's, kept consistent with the configured ones.
  AlertThresholds thresholds() const;
  bool operator==(const RuleSet&) const = default;
};

// Overrides one rule from plain values (the config file's [alerts.<rule>] keys); each
// absent value keeps what the rule had. Errors name the rule and the key.
struct RuleOverride {
  std::optional<bool> enabled;
  std::optional<std::string> for_duration;  // parse_for_duration() syntax
  std::optional<std::string> threshold;     // a number; for seconds rules also a duration ("3d")
};
Status apply_rule_override(RuleSet& rules, std::string_view rule_name, const RuleOverride& values);
std::optional<AlertType> parse_alert_type(std::string_view name);

// --- bounds on what comes from the API ---
struct AlertLimits {
  size_t max_silences = 1000;
  size_t max_comment_bytes = 1024;
  size_t max_author_bytes = 128;
  size_t max_matcher_bytes = 256;  // address and pubkey matchers
  int64_t max_silence_seconds = 366 * 86400;
  size_t max_acknowledgements = 10000;  // the store keeps the newest
};

// A silence: an alert matches when every matcher given matches (at least one is required);
// it is active from starts_at (inclusive) to ends_at (exclusive).
struct Silence {
  std::string id;  // assigned by SilenceSet::add
  std::optional<std::string> address, pubkey;
  std::optional<AlertType> rule;
  int64_t starts_at = 0, ends_at = 0;
  std::string comment, author;
  int64_t created_at = 0;
  bool active_at(int64_t now) const { return starts_at <= now && now < ends_at; }
  bool matches(AlertType rule, std::string_view address, std::string_view pubkey) const;
  bool operator==(const Silence&) const = default;
};
// Refuses (kind "invalid_data", a message for the API) a silence without a matcher, author
// or comment, over a limit, with control characters, ending before it starts or already ended.
Status validate_silence(const Silence& silence, int64_t now, const AlertLimits& limits);

struct SilenceSet {
  std::vector<Silence> silences;  // in creation order
  uint64_t next_id = 1;           // ids are "s<n>", never reused

  // Validates, drops expired silences to make room, and adds; the id given is ignored.
  // Kind "too_large" when max_silences are active.
  Result<std::string> add(Silence silence, int64_t now, const AlertLimits& limits = {});
  bool remove(std::string_view id);  // false when there is none
  void drop_expired(int64_t now);
  // The first active silence matching, or null.
  const Silence* matching(AlertType rule, std::string_view address, std::string_view pubkey, int64_t now) const;
  bool operator==(const SilenceSet&) const = default;
};

// --- states ---
enum class AlertPhase { kInactive, kPending, kFiring, kResolved };
const char* alert_phase_name(AlertPhase phase);  // "inactive", "pending", "firing", "resolved"
std::optional<AlertPhase> parse_alert_phase(std::string_view name);

struct Acknowledgement {
  std::string author, comment;
  int64_t at = 0;
  bool operator==(const Acknowledgement&) const = default;
};

// The state of one (rule, node). Absent from AlertStates means inactive.
struct AlertState {
  AlertType rule = AlertType::kOffline;
  std::string address, pubkey;
  AlertPhase phase = AlertPhase::kInactive;
  int64_t cycles_held = 0;     // consecutive conclusive cycles the condition held
  int64_t active_since = 0;    // when it began to hold (became pending)
  int64_t firing_since = 0;    // 0 unless it fired
  int64_t resolved_at = 0;     // 0 unless resolved
  uint64_t last_cycle = 0;     // the last cycle that changed or evaluated it
  Alert alert;                 // the latest alert (severity, message, value, threshold)
  bool silenced = false;       // as of the latest evaluation
  std::string silence_id;
  std::optional<Acknowledgement> acknowledgement;  // firing only; cleared when it resolves
  bool operator==(const AlertState&) const = default;
};

struct AlertKey {
  AlertType rule = AlertType::kOffline;
  std::string address;
  auto operator<=>(const AlertKey&) const = default;
};
// A key to look states up by without copying the address.
struct AlertKeyRef {
  AlertType rule = AlertType::kOffline;
  std::string_view address;
};
// Orders AlertKey and AlertKeyRef alike (rule, then address).
struct AlertKeyLess {
  using is_transparent = void;
  template <class A, class B>
  bool operator()(const A& a, const B& b) const {
    return std::pair<AlertType, std::string_view>(a.rule, a.address) <
           std::pair<AlertType, std::string_view>(b.rule, b.address);
  }
};

// Resolved states are kept this long (for the API), then forgotten.
inline constexpr int64_t kResolvedRetentionSeconds = 3600;

struct AlertStates {
  std::map<AlertKey, AlertState, AlertKeyLess> states;  // pending, firing and recently resolved

  // The states as a list (for the store: one row each) and back. restore() refuses a
  // list with a duplicate key or an inconsistent state (a phase that cannot have those
  // times), so a damaged row is reported rather than paging someone.
  std::vector<AlertState> records() const;
  static Result<AlertStates> restore(std::vector<AlertState> records);
  const AlertState* find(AlertType rule, std::string_view address) const;
  bool operator==(const AlertStates&) const = default;
};

// {"rule","address","pubkey","state","severity","message","value","threshold",
//  "active_since","firing_since","resolved_at","cycles_held","silenced","silence_id",
//  "acknowledgement":{...}|null}
void write_alert_state_json(JsonWriter& out, const AlertState& state);
std::string alert_state_to_json(const AlertState& state);
void write_silence_json(JsonWriter& out, const Silence& silence);

// Acknowledges a firing alert (it stays acknowledged until it resolves). Errors: not
// firing (kind "not_found"), or an author/comment that is empty, over its limit or has
// control characters ("invalid_data").
Status acknowledge(AlertStates& states, AlertType rule, std::string_view address, Acknowledgement ack,
                   const AlertLimits& limits = {});

struct AlertInputs {
  const RuleSet* rules = nullptr;        // null: RuleSet::defaults()
  const SilenceSet* silences = nullptr;  // null: none
  // The nodes' recent online flags for gossip_flapping (null: that rule is not evaluated).
  const GossipHistories* histories = nullptr;
};

// Advances every state by one observation and returns the alert_firing / alert_resolved
// events, ordered by (rule, address). Nothing changes on an inconclusive observation.
// The snapshot's views must be built.
std::vector<Event> advance_alerts(AlertStates& states, const Observation& observation, const AlertInputs& inputs);

// What the collector keeps between attempts (and persists with each cycle).
struct MonitorState {
  SeedStates seeds;
  AlertStates alerts;
  bool operator==(const MonitorState&) const = default;
};

// Every event of one attempt, in order: seed events, node events (from `previous`, the last
// conclusive snapshot), alert events. An inconclusive attempt yields seed events only.
std::vector<Event> derive_events(MonitorState& state, const model::Snapshot* previous, const Observation& observation,
                                 const AlertInputs& inputs);

}  // namespace pnode::analysis
