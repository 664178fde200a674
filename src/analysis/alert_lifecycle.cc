#include "analysis/alert_lifecycle.h"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "util/flat_map.h"
#include "util/strings.h"

namespace pnode::analysis {
namespace {

constexpr int64_t kMaxForCycles = 10000;
constexpr int64_t kMaxForSeconds = 366 * 86400;

Error invalid(std::string message) { return make_error(ErrorCode::kInvalidData, std::move(message)); }

// --- durations ---

struct NumberAndUnit {
  double number = 0;
  std::string_view unit;
};

std::optional<NumberAndUnit> split_number(std::string_view text) {
  text = trim(text);
  NumberAndUnit out;
  auto r = std::from_chars(text.data(), text.data() + text.size(), out.number);
  if (r.ec != std::errc() || !std::isfinite(out.number) || out.number < 0) return std::nullopt;
  out.unit = trim(std::string_view(r.ptr, static_cast<size_t>(text.data() + text.size() - r.ptr)));
  return out;
}

// Seconds per unit of a duration ("" is seconds); 0 for an unknown unit.
int64_t unit_seconds(std::string_view unit) {
  if (unit.empty() || unit == "s") return 1;
  if (unit == "m") return 60;
  if (unit == "h") return 3600;
  if (unit == "d") return 86400;
  return 0;
}

std::optional<int64_t> parse_seconds(std::string_view text) {
  auto nu = split_number(text);
  if (!nu) return std::nullopt;
  int64_t per = unit_seconds(nu->unit);
  if (per == 0 || nu->number * static_cast<double>(per) > static_cast<double>(kMaxForSeconds)) return std::nullopt;
  return static_cast<int64_t>(std::llround(nu->number * static_cast<double>(per)));
}

// --- rules ---

struct RuleDefault {
  AlertType type;
  double threshold;
  const char* unit;
};

// The reference's thresholds (alerts.h) but offline's, which fires as soon as a node is out
// of gossip (RuleSet::defaults()).
const std::array<RuleDefault, kAlertTypeCount>& rule_defaults() {
  static const std::array<RuleDefault, kAlertTypeCount> defaults{{
      {AlertType::kOffline, 0, "seconds"},
      {AlertType::kLowUptime, static_cast<double>(kUptimeWarningSeconds), "seconds"},
      {AlertType::kStorageCritical, kStorageCriticalPercent, "percent"},
      {AlertType::kStorageWarning, kStorageWarningPercent, "percent"},
      {AlertType::kVersionOutdated, kVersionOutdatedGap, "versions"},
      {AlertType::kVersionBehind, kVersionBehindGap, "versions"},
      {AlertType::kIsolated, static_cast<double>(kIsolatedPeers), "peers"},
      {AlertType::kWeakConnectivity, static_cast<double>(kWeakPeers), "peers"},
      {AlertType::kUnderutilized, kUnderutilizedPercent, "percent"},
      {AlertType::kGossipFlapping, static_cast<double>(kFlapChangeThreshold), "changes"},
  }};
  return defaults;
}

size_t rule_index(AlertType type) { return static_cast<size_t>(type); }

Result<double> parse_threshold(AlertType type, std::string_view text) {
  std::string_view unit = rule_threshold_unit(type);
  const std::string name = std::string(alert_type_name(type)) + ".threshold";
  if (unit == "seconds") {
    auto seconds = parse_seconds(text);
    if (!seconds) return invalid(name + " must be a duration up to 366d (\"90s\", \"5m\", \"3d\"), got \"" + std::string(text) + "\"");
    return static_cast<double>(*seconds);
  }
  auto nu = split_number(text);
  if (!nu || !nu->unit.empty()) return invalid(name + " must be a number, got \"" + std::string(text) + "\"");
  if (unit == "percent") {
    if (nu->number > 100) return invalid(name + " must be between 0 and 100, got \"" + std::string(text) + "\"");
    return nu->number;
  }
  const double min = unit == "versions" ? 1 : 0;
  if (nu->number != std::floor(nu->number) || nu->number < min || nu->number > 1000)
    return invalid(name + " must be a whole number between " + std::to_string(static_cast<int>(min)) +
                   " and 1000, got \"" + std::string(text) + "\"");
  return nu->number;
}

// --- text checks for what comes from the API ---

bool has_control(std::string_view text, bool allow_newlines) {
  return std::any_of(text.begin(), text.end(), [&](char c) {
    auto u = static_cast<unsigned char>(c);
    if (allow_newlines && (c == '\n' || c == '\t')) return false;
    return u < 0x20 || u == 0x7f;
  });
}

Status check_text(const char* what, std::string_view text, size_t max_bytes, bool allow_newlines) {
  if (text.empty()) return invalid(std::string(what) + " must not be empty");
  if (text.size() > max_bytes)
    return invalid(std::string(what) + " is longer than " + std::to_string(max_bytes) + " bytes");
  if (has_control(text, allow_newlines)) return invalid(std::string(what) + " has control characters");
  return ok_status();
}

// --- the lifecycle ---

// The pairs check_node_alerts() makes exclusive: when one holds, the other cannot.
std::optional<AlertType> sibling(AlertType type) {
  switch (type) {
    case AlertType::kStorageCritical: return AlertType::kStorageWarning;
    case AlertType::kStorageWarning: return AlertType::kStorageCritical;
    case AlertType::kVersionOutdated: return AlertType::kVersionBehind;
    case AlertType::kVersionBehind: return AlertType::kVersionOutdated;
    case AlertType::kIsolated: return AlertType::kWeakConnectivity;
    case AlertType::kWeakConnectivity: return AlertType::kIsolated;
    default: return std::nullopt;
  }
}

const Alert* find_alert(const std::vector<Alert>& alerts, AlertType type) {
  for (const auto& a : alerts)
    if (a.type == type) return &a;
  return nullptr;
}

bool for_elapsed(const AlertState& s, const ForDuration& d, int64_t now) {
  return s.cycles_held >= d.cycles && now - s.active_since >= d.seconds;
}

class Advance {
 public:
  Advance(AlertStates& states, const Observation& at, const RuleSet& rules, const SilenceSet* silences)
      : states_(states), at_(at), rules_(rules), silences_(silences) {
    for (const auto& [key, s] : states_.states) addresses_with_state_.insert(key.address);
  }

  // Whether the node had any state as the cycle began (asked once per node).
  bool had_state(const std::string& address) const { return addresses_with_state_.count(address) > 0; }

  // One (rule, node) whose condition is known this cycle: `alert` when it holds.
  void step(AlertType rule, const NodeView& node, bool may_have_state, const Alert* alert,
            const std::vector<Alert>& node_alerts) {
    if (!alert && !may_have_state) return;  // the common case: nothing holds, nothing was held
    auto it = may_have_state ? states_.states.find(AlertKeyRef{rule, node.address}) : states_.states.end();
    if (!alert) {
      if (it == states_.states.end()) return;
      AlertState& s = it->second;
      if (s.phase == AlertPhase::kPending) s.phase = AlertPhase::kInactive;  // forgotten in finish()
      else if (s.phase == AlertPhase::kFiring) {
        auto other = sibling(rule);
        resolve(s, other && find_alert(node_alerts, *other) ? "superseded" : "cleared");
      }
      return;
    }
    if (it == states_.states.end()) it = states_.states.emplace(AlertKey{rule, node.address}, AlertState{}).first;
    AlertState& s = it->second;
    if (s.phase != AlertPhase::kPending && s.phase != AlertPhase::kFiring) start_pending(s, rule, node.address);
    else ++s.cycles_held;
    s.pubkey = node.pubkey;
    s.alert = *alert;
    s.last_cycle = at_.cycle;
    const bool was_silenced = s.silenced;
    mark_silence(s);
    if (s.phase == AlertPhase::kPending && for_elapsed(s, rules_.rule(rule).for_duration, at_.time)) {
      s.phase = AlertPhase::kFiring;
      s.firing_since = at_.time;
      emit(EventType::kAlertFiring, s, "", false);
    } else if (s.phase == AlertPhase::kFiring && was_silenced && !s.silenced) {
      emit(EventType::kAlertFiring, s, "", true);  // the silence ended while it fires: tell now
    }
  }

  // States of nodes no longer listed, or of disabled rules, end; old resolved ones go. (A
  // state whose condition is unknown this cycle - see advance_alerts() - keeps what it was.)
  void finish(const NodeViews& views) {
    for (auto it = states_.states.begin(); it != states_.states.end();) {
      AlertState& s = it->second;
      const bool disabled = !rules_.rule(s.rule).enabled;
      const bool gone = views.find(s.address) == nullptr;
      if (s.phase == AlertPhase::kInactive || ((disabled || gone) && s.phase == AlertPhase::kPending)) {
        it = states_.states.erase(it);
        continue;
      }
      if ((disabled || gone) && s.phase == AlertPhase::kFiring) resolve(s, disabled ? "rule_disabled" : "node_removed");
      if (s.phase == AlertPhase::kResolved && at_.time - s.resolved_at >= kResolvedRetentionSeconds)
        it = states_.states.erase(it);
      else
        ++it;
    }
  }

  std::vector<Event> take_events() {
    std::stable_sort(events_.begin(), events_.end(), [](const Event& a, const Event& b) {
      const auto& pa = std::get<AlertTransition>(a.payload);
      const auto& pb = std::get<AlertTransition>(b.payload);
      return std::tie(pa.rule, a.address) < std::tie(pb.rule, b.address);
    });
    return std::move(events_);
  }

 private:
  void start_pending(AlertState& s, AlertType rule, const std::string& address) {
    s = AlertState{};
    s.rule = rule;
    s.address = address;
    s.phase = AlertPhase::kPending;
    s.cycles_held = 1;
    s.active_since = at_.time;
  }

  void mark_silence(AlertState& s) {
    const Silence* silence = silences_ ? silences_->matching(s.rule, s.address, s.pubkey, at_.time) : nullptr;
    s.silenced = silence != nullptr;
    s.silence_id = silence ? silence->id : "";
  }

  void resolve(AlertState& s, const char* reason) {
    mark_silence(s);
    s.phase = AlertPhase::kResolved;
    s.resolved_at = at_.time;
    s.last_cycle = at_.cycle;
    emit(EventType::kAlertResolved, s, reason, false);
    s.acknowledgement.reset();
  }

  void emit(EventType type, const AlertState& s, const char* reason, bool unsilenced) {
    AlertTransition t{s.rule,         s.alert.severity, s.alert.message, s.alert.value, s.alert.threshold,
                      s.active_since, s.firing_since,   reason,          s.silenced,    s.silence_id,
                      s.acknowledgement.has_value(),    unsilenced};
    std::string subject = std::string(alert_type_name(s.rule)) + "@" + s.address;
    events_.push_back(Event{event_id(at_.cycle, at_.attempt, type, subject), type, at_.time, at_.cycle, s.address,
                            s.pubkey, std::move(t)});
  }

  AlertStates& states_;
  const Observation& at_;
  const RuleSet& rules_;
  const SilenceSet* silences_;
  // The addresses of states_ as the cycle began (views into its keys: no state is erased
  // before finish()).
  FlatViewSet addresses_with_state_;
  std::vector<Event> events_;
};

// A node that changed address (NAT port change) keeps its alert states.
void follow_moves(AlertStates& states, const model::Registry& registry) {
  std::vector<AlertKey> moved;
  for (const auto& [key, s] : states.states)
    if (!registry.find(key.address) && registry.find_moved(key.address)) moved.push_back(key);
  for (const auto& key : moved) {
    auto node = states.states.extract(key);
    node.key().address = registry.find_moved(key.address)->address;
    node.mapped().address = node.key().address;
    states.states.insert(std::move(node));  // a state already at the new address wins
  }
}

}  // namespace

// --- durations and rules ---

Result<ForDuration> parse_for_duration(std::string_view text) {
  const std::string shown = "\"" + std::string(text) + "\"";
  auto nu = split_number(text);
  if (!nu || nu->number != std::floor(nu->number))
    return invalid("for must be \"N cycles\" or a duration (\"90s\", \"5m\", \"1h\"), got " + shown);
  if (nu->unit == "cycle" || nu->unit == "cycles") {
    if (nu->number > static_cast<double>(kMaxForCycles))
      return invalid("for must be at most " + std::to_string(kMaxForCycles) + " cycles, got " + shown);
    return ForDuration{static_cast<int64_t>(nu->number), 0};
  }
  auto seconds = parse_seconds(text);
  if (!seconds) return invalid("for must be \"N cycles\" or a duration up to 366d (\"90s\", \"5m\"), got " + shown);
  return ForDuration{0, *seconds};
}

std::string format_for_duration(const ForDuration& d) {
  std::string out;
  if (d.cycles > 0) out = std::to_string(d.cycles) + (d.cycles == 1 ? " cycle" : " cycles");
  if (d.seconds > 0) out += (out.empty() ? "" : " and ") + std::to_string(d.seconds) + "s";
  return out.empty() ? "0" : out;
}

const char* rule_threshold_unit(AlertType type) { return rule_defaults()[rule_index(type)].unit; }

std::optional<AlertType> parse_alert_type(std::string_view name) {
  for (AlertType t : all_alert_types())
    if (name == alert_type_name(t)) return t;
  return std::nullopt;
}

RuleSet RuleSet::defaults() {
  RuleSet set;
  for (const auto& d : rule_defaults()) set.rules[rule_index(d.type)] = Rule{d.type, true, ForDuration{2, 0}, d.threshold};
  return set;
}

const Rule& RuleSet::rule(AlertType type) const { return rules[rule_index(type)]; }
Rule& RuleSet::rule(AlertType type) { return rules[rule_index(type)]; }

AlertThresholds RuleSet::thresholds() const {
  auto whole = [&](AlertType type) { return static_cast<int64_t>(rule(type).threshold); };
  AlertThresholds t;
  t.offline_warning_seconds = whole(AlertType::kOffline);
  t.offline_critical_seconds = std::max(kOfflineCriticalSeconds, t.offline_warning_seconds);
  t.uptime_warning_seconds = whole(AlertType::kLowUptime);
  t.uptime_critical_seconds = std::min(kUptimeCriticalSeconds, t.uptime_warning_seconds);
  t.storage_critical_percent = rule(AlertType::kStorageCritical).threshold;
  t.storage_warning_percent = rule(AlertType::kStorageWarning).threshold;
  t.version_outdated_gap = static_cast<int>(whole(AlertType::kVersionOutdated));
  t.version_behind_gap = static_cast<int>(whole(AlertType::kVersionBehind));
  t.isolated_peers = whole(AlertType::kIsolated);
  t.weak_peers = whole(AlertType::kWeakConnectivity);
  t.underutilized_percent = rule(AlertType::kUnderutilized).threshold;
  t.flap_changes = whole(AlertType::kGossipFlapping);
  return t;
}

Status apply_rule_override(RuleSet& rules, std::string_view rule_name, const RuleOverride& values) {
  auto type = parse_alert_type(rule_name);
  if (!type) return invalid("unknown alert rule \"" + std::string(rule_name) + "\"");
  Rule updated = rules.rule(*type);
  const std::string prefix = "alerts." + std::string(rule_name) + ".";
  if (values.enabled) updated.enabled = *values.enabled;
  if (values.for_duration) {
    auto d = parse_for_duration(*values.for_duration);
    if (!d.ok()) return invalid(prefix + d.error().message);
    updated.for_duration = *d;
  }
  if (values.threshold) {
    auto t = parse_threshold(*type, *values.threshold);
    if (!t.ok()) return invalid("alerts." + t.error().message);
    updated.threshold = *t;
  }
  rules.rule(*type) = updated;
  return ok_status();
}

// --- silences ---

bool Silence::matches(AlertType r, std::string_view a, std::string_view p) const {
  return (!rule || *rule == r) && (!address || *address == a) && (!pubkey || *pubkey == p);
}

Status validate_silence(const Silence& s, int64_t now, const AlertLimits& limits) {
  if (!s.address && !s.pubkey && !s.rule) return invalid("a silence needs at least one matcher: address, pubkey or rule");
  if (s.address)
    if (auto st = check_text("address", *s.address, limits.max_matcher_bytes, false); !st.ok()) return st;
  if (s.pubkey)
    if (auto st = check_text("pubkey", *s.pubkey, limits.max_matcher_bytes, false); !st.ok()) return st;
  if (auto st = check_text("author", s.author, limits.max_author_bytes, false); !st.ok()) return st;
  if (auto st = check_text("comment", s.comment, limits.max_comment_bytes, true); !st.ok()) return st;
  if (s.ends_at <= s.starts_at) return invalid("a silence must end after it starts");
  if (s.ends_at <= now) return invalid("a silence must end in the future");
  if (s.ends_at - s.starts_at > limits.max_silence_seconds)
    return invalid("a silence may last at most " + std::to_string(limits.max_silence_seconds) + " seconds");
  return ok_status();
}

Result<std::string> SilenceSet::add(Silence silence, int64_t now, const AlertLimits& limits) {
  if (auto st = validate_silence(silence, now, limits); !st.ok()) return st.error();
  drop_expired(now);
  if (silences.size() >= limits.max_silences)
    return make_error(ErrorCode::kTooLarge, "at most " + std::to_string(limits.max_silences) + " silences");
  silence.id = "s" + std::to_string(next_id++);
  silence.created_at = now;
  silences.push_back(std::move(silence));
  return silences.back().id;
}

bool SilenceSet::remove(std::string_view id) {
  auto it = std::find_if(silences.begin(), silences.end(), [&](const Silence& s) { return s.id == id; });
  if (it == silences.end()) return false;
  silences.erase(it);
  return true;
}

void SilenceSet::drop_expired(int64_t now) {
  std::erase_if(silences, [&](const Silence& s) { return s.ends_at <= now; });
}

const Silence* SilenceSet::matching(AlertType rule, std::string_view address, std::string_view pubkey,
                                    int64_t now) const {
  for (const auto& s : silences)
    if (s.active_at(now) && s.matches(rule, address, pubkey)) return &s;
  return nullptr;
}

// --- states ---

const char* alert_phase_name(AlertPhase phase) {
  switch (phase) {
    case AlertPhase::kInactive: return "inactive";
    case AlertPhase::kPending: return "pending";
    case AlertPhase::kFiring: return "firing";
    case AlertPhase::kResolved: return "resolved";
  }
  return "inactive";
}

std::optional<AlertPhase> parse_alert_phase(std::string_view name) {
  for (AlertPhase p : {AlertPhase::kInactive, AlertPhase::kPending, AlertPhase::kFiring, AlertPhase::kResolved})
    if (name == alert_phase_name(p)) return p;
  return std::nullopt;
}

std::vector<AlertState> AlertStates::records() const {
  std::vector<AlertState> out;
  out.reserve(states.size());
  for (const auto& [key, s] : states) out.push_back(s);
  return out;
}

namespace {

// Why a stored state cannot be one the lifecycle makes, or empty.
std::string inconsistency(const AlertState& s) {
  if (s.address.empty()) return "no address";
  if (s.alert.type != s.rule) return "its alert is of another rule";
  switch (s.phase) {
    case AlertPhase::kInactive: return "inactive states are not kept";
    case AlertPhase::kPending:
      if (s.cycles_held < 1 || s.firing_since != 0 || s.resolved_at != 0 || s.acknowledgement) return "pending with firing fields";
      return "";
    case AlertPhase::kFiring:
      if (s.firing_since < s.active_since || s.resolved_at != 0) return "firing times out of order";
      return "";
    case AlertPhase::kResolved:
      if (s.resolved_at < s.firing_since || s.acknowledgement) return "resolved times out of order";
      return "";
  }
  return "unknown phase";
}

}  // namespace

Result<AlertStates> AlertStates::restore(std::vector<AlertState> records) {
  AlertStates out;
  for (auto& s : records) {
    const std::string where = std::string(alert_type_name(s.rule)) + "@" + s.address;
    if (auto why = inconsistency(s); !why.empty())
      return make_error(ErrorCode::kCorrupt, "alert state " + where + ": " + why);
    AlertKey key{s.rule, s.address};
    if (!out.states.emplace(key, std::move(s)).second)
      return make_error(ErrorCode::kCorrupt, "alert state " + where + " is listed twice");
  }
  return out;
}

const AlertState* AlertStates::find(AlertType rule, std::string_view address) const {
  auto it = states.find(AlertKeyRef{rule, address});
  return it == states.end() ? nullptr : &it->second;
}

void write_alert_state_json(JsonWriter& out, const AlertState& s) {
  out.begin_object().field("rule", alert_type_name(s.rule)).field("address", s.address);
  out.key("pubkey");
  if (s.pubkey.empty()) out.null();
  else out.value(s.pubkey);
  out.field("state", alert_phase_name(s.phase)).field("severity", severity_name(s.alert.severity));
  out.field("message", s.alert.message);
  out.key("value");
  std::visit([&](const auto& v) { out.value(v); }, s.alert.value);
  out.key("threshold");
  std::visit([&](const auto& v) { out.value(v); }, s.alert.threshold);
  out.field("active_since", s.active_since).field("firing_since", s.firing_since).field("resolved_at", s.resolved_at);
  out.field("cycles_held", s.cycles_held).field("silenced", s.silenced);
  out.key("silence_id");
  if (s.silence_id.empty()) out.null();
  else out.value(s.silence_id);
  out.key("acknowledgement");
  if (!s.acknowledgement) out.null();
  else
    out.begin_object()
        .field("author", s.acknowledgement->author)
        .field("comment", s.acknowledgement->comment)
        .field("at", s.acknowledgement->at)
        .end_object();
  out.end_object();
}

std::string alert_state_to_json(const AlertState& state) {
  JsonWriter out;
  write_alert_state_json(out, state);
  return out.take();
}

void write_silence_json(JsonWriter& out, const Silence& s) {
  out.begin_object().field("id", s.id);
  out.key("matchers").begin_object();
  if (s.address) out.field("address", *s.address);
  if (s.pubkey) out.field("pubkey", *s.pubkey);
  if (s.rule) out.field("rule", alert_type_name(*s.rule));
  out.end_object();
  out.field("starts_at", s.starts_at).field("ends_at", s.ends_at).field("comment", s.comment);
  out.field("author", s.author).field("created_at", s.created_at).end_object();
}

Status acknowledge(AlertStates& states, AlertType rule, std::string_view address, Acknowledgement ack,
                   const AlertLimits& limits) {
  auto it = states.states.find(AlertKeyRef{rule, address});
  if (it == states.states.end() || it->second.phase != AlertPhase::kFiring)
    return make_error(ErrorCode::kNotFound,
                      "no firing " + std::string(alert_type_name(rule)) + " alert for " + std::string(address));
  if (auto st = check_text("author", ack.author, limits.max_author_bytes, false); !st.ok()) return st;
  if (auto st = check_text("comment", ack.comment, limits.max_comment_bytes, true); !st.ok()) return st;
  it->second.acknowledgement = std::move(ack);
  return ok_status();
}

std::vector<Event> advance_alerts(AlertStates& states, const Observation& observation, const AlertInputs& inputs) {
  if (!observation.conclusive()) return {};  // too few seeds answered: nobody is paged
  const model::Snapshot& snapshot = *observation.snapshot;
  if (!snapshot.views) return {};
  static const RuleSet kDefaults = RuleSet::defaults();
  const RuleSet& rules = inputs.rules ? *inputs.rules : kDefaults;
  const AlertThresholds thresholds = rules.thresholds();
  if (snapshot.registry) follow_moves(states, *snapshot.registry);

  Advance advance(states, observation, rules, inputs.silences);
  for (const NodeView& node : snapshot.views->nodes) {
    const GossipHistory* history = nullptr;
    if (inputs.histories) {
      auto h = inputs.histories->find(node.address);
      if (h != inputs.histories->end()) history = &h->second;
    }
    const std::vector<Alert> alerts = check_node_alerts(node, snapshot.views->latest_version, history, thresholds);
    const bool had_state = advance.had_state(node.address);
    for (AlertType rule : all_alert_types()) {
      if (!rules.rule(rule).enabled) continue;
      const bool known = node.is_online ? (rule != AlertType::kGossipFlapping || inputs.histories)
                                        : rule == AlertType::kOffline;
      if (known) advance.step(rule, node, had_state, find_alert(alerts, rule), alerts);
    }
  }
  advance.finish(*snapshot.views);
  return advance.take_events();
}

std::vector<Event> derive_events(MonitorState& state, const model::Snapshot* previous, const Observation& observation,
                                 const AlertInputs& inputs) {
  std::vector<Event> out = observation_events(state.seeds, previous, observation);
  std::vector<Event> alerts = advance_alerts(state.alerts, observation, inputs);
  out.insert(out.end(), std::make_move_iterator(alerts.begin()), std::make_move_iterator(alerts.end()));
  return out;
}

}  // namespace pnode::analysis
