#include "analysis/events.h"

#include <array>

#include "util/flat_map.h"

namespace pnode::analysis {
namespace {

constexpr std::array<std::pair<EventType, const char*>, kEventTypeCount> kEventNames{{
    {EventType::kNodeDiscovered, "node_discovered"},
    {EventType::kNodeOnline, "node_online"},
    {EventType::kNodeOffline, "node_offline"},
    {EventType::kNodeRestarted, "node_restarted"},
    {EventType::kVersionChanged, "version_changed"},
    {EventType::kStorageCommittedChanged, "storage_committed_changed"},
    {EventType::kVisibilityChanged, "visibility_changed"},
    {EventType::kAlertFiring, "alert_firing"},
    {EventType::kAlertResolved, "alert_resolved"},
    {EventType::kSeedUnreachable, "seed_unreachable"},
    {EventType::kSeedRecovered, "seed_recovered"},
}};

const char* visibility_name(bool is_public) { return is_public ? "public" : "private"; }

void write_alert_value(JsonWriter& out, const AlertValue& value) {
  std::visit([&](const auto& v) { out.value(v); }, value);
}

// One writer per payload type; the key order is the documented one (docs/events.md).
struct PayloadWriter {
  JsonWriter& out;
  void operator()(const NodeDiscovered& p) const {
    out.field("version", p.version).field("is_public", p.is_public).field("storage_committed", p.storage_committed);
  }
  void operator()(const NodeOnline& p) const { out.field("last_seen_before", p.last_seen_before); }
  void operator()(const NodeOffline& p) const { out.field("last_seen", p.last_seen); }
  void operator()(const NodeRestarted& p) const {
    out.field("uptime_before", p.uptime_before).field("uptime", p.uptime);
  }
  void operator()(const VersionChanged& p) const { out.field("from", p.from).field("to", p.to); }
  void operator()(const StorageCommittedChanged& p) const { out.field("from", p.from).field("to", p.to); }
  void operator()(const VisibilityChanged& p) const {
    out.field("from", visibility_name(p.from_public)).field("to", visibility_name(p.to_public));
  }
  void operator()(const AlertTransition& p) const {
    out.field("rule", alert_type_name(p.rule)).field("severity", severity_name(p.severity)).field("message", p.message);
    out.key("value");
    write_alert_value(out, p.value);
    out.key("threshold");
    write_alert_value(out, p.threshold);
    out.field("active_since", p.active_since).field("firing_since", p.firing_since);
    if (!p.reason.empty()) out.field("reason", p.reason);
    out.field("silenced", p.silenced);
    if (!p.silence_id.empty()) out.field("silence_id", p.silence_id);
    out.field("acknowledged", p.acknowledged);
    if (p.unsilenced) out.field("unsilenced", true);
  }
  void operator()(const SeedTransition& p) const {
    out.key("seeds").begin_array();
    for (const auto& s : p.seeds) {
      out.begin_object().field("seed", s.seed);
      if (!s.error.empty()) out.field("error", s.error);
      if (s.since != 0) out.field("since", s.since);
      out.end_object();
    }
    out.end_array();
    out.field("reachable", p.reachable).field("total", p.total).field("conclusive", p.conclusive);
  }
};

// The registry stores the address as the pubkey of a node that never told its key; events
// say "unknown" (empty) instead, as the node views do.
const std::string& known_pubkey(const model::RegistryEntry& e) {
  static const std::string kUnknown;
  return e.pubkey == e.address ? kUnknown : e.pubkey;
}

Event make_event(const Observation& at, EventType type, const std::string& address, const std::string& pubkey,
                 EventPayload payload) {
  return Event{event_id(at.cycle, at.attempt, type, address), type, at.time, at.cycle, address, pubkey,
               std::move(payload)};
}

// The node's entry in the previous registry: under its address, or under an address it
// had before (a NAT port change this cycle), newest first.
const model::RegistryEntry* previous_entry(const model::Registry& previous, const model::RegistryEntry& now) {
  if (const auto* e = previous.find(now.address)) return e;
  for (auto it = now.previous_addresses.rbegin(); it != now.previous_addresses.rend(); ++it)
    if (const auto* e = previous.find(*it)) return e;
  return nullptr;
}

FlatViewSet online_addresses(const model::Snapshot& snapshot) {
  FlatViewSet out;
  out.reserve(snapshot.nodes.size());
  for (const auto& n : snapshot.nodes) out.insert(n.pod.address);
  return out;
}

// Uptime went back while the gossip sighting did not (an older copy from a lagging seed
// is not a restart).
bool restarted(const model::RegistryEntry& before, const model::RegistryEntry& now) {
  return before.uptime && now.uptime && *now.uptime < *before.uptime && now.last_seen >= before.last_seen;
}

void changes_of_known_node(const Observation& at, const model::RegistryEntry& before, bool was_online,
                           const model::RegistryEntry& now, bool is_online, std::vector<Event>& out) {
  auto add = [&](EventType type, EventPayload payload) {
    out.push_back(make_event(at, type, now.address, known_pubkey(now), std::move(payload)));
  };
  if (was_online && !is_online) add(EventType::kNodeOffline, NodeOffline{now.last_seen});
  if (!was_online && is_online) add(EventType::kNodeOnline, NodeOnline{before.last_seen});
  if (is_online && restarted(before, now)) add(EventType::kNodeRestarted, NodeRestarted{*before.uptime, *now.uptime});
  if (before.version && now.version && *before.version != *now.version)
    add(EventType::kVersionChanged, VersionChanged{*before.version, *now.version});
  if (before.storage_committed && now.storage_committed && *before.storage_committed != *now.storage_committed)
    add(EventType::kStorageCommittedChanged, StorageCommittedChanged{*before.storage_committed, *now.storage_committed});
  if (before.is_public != now.is_public) add(EventType::kVisibilityChanged, VisibilityChanged{before.is_public, now.is_public});
}

}  // namespace

const char* event_type_name(EventType type) {
  for (const auto& [t, name] : kEventNames)
    if (t == type) return name;
  return "";
}

std::optional<EventType> parse_event_type(std::string_view name) {
  for (const auto& [t, n] : kEventNames)
    if (name == n) return t;
  return std::nullopt;
}

std::vector<EventType> all_event_types() {
  std::vector<EventType> out;
  for (const auto& [t, name] : kEventNames) out.push_back(t);
  return out;
}

std::string event_id(uint64_t cycle, uint32_t attempt, EventType type, std::string_view subject) {
  std::string id = std::to_string(cycle) + "." + std::to_string(attempt) + ":" + event_type_name(type) + ":";
  id.append(subject);
  return id;
}

void write_event_json(JsonWriter& out, const Event& event) {
  out.begin_object().field("id", event.id).field("type", event_type_name(event.type));
  out.field("time", event.time).field("cycle", event.cycle);
  auto optional_text = [&](const char* key, const std::string& text) {
    out.key(key);
    if (text.empty()) out.null();
    else out.value(text);
  };
  optional_text("address", event.address);
  optional_text("pubkey", event.pubkey);
  out.key("data").begin_object();
  std::visit(PayloadWriter{out}, event.payload);
  out.end_object().end_object();
}

std::string event_to_json(const Event& event) {
  JsonWriter out;
  write_event_json(out, event);
  return out.take();
}

Observation conclusive_observation(const model::Snapshot& next) {
  return Observation{next.cycle, 0, next.last_updated, &next.seeds, &next};
}

Observation inconclusive_observation(uint64_t last_cycle, uint32_t attempt, int64_t time,
                                     const std::vector<model::SeedPoll>& seeds) {
  return Observation{last_cycle, attempt, time, &seeds, nullptr};
}

SeedStates SeedStates::from_snapshot(const model::Snapshot& snapshot) {
  SeedStates out;
  for (const auto& poll : snapshot.seeds) out.seeds[poll.seed] = SeedState{poll.ok(), snapshot.last_updated};
  return out;
}

std::vector<Event> node_events(const model::Snapshot* previous, const model::Snapshot& next) {
  std::vector<Event> out;
  if (!next.registry) return out;
  const Observation at = conclusive_observation(next);
  const auto online_now = online_addresses(next);
  FlatViewSet online_before;
  if (previous) online_before = online_addresses(*previous);
  const model::Registry* before_registry = previous ? previous->registry.get() : nullptr;
  for (const auto& now : next.registry->entries) {
    const model::RegistryEntry* before = before_registry ? previous_entry(*before_registry, now) : nullptr;
    if (!before) {
      out.push_back(make_event(at, EventType::kNodeDiscovered, now.address, known_pubkey(now),
                               NodeDiscovered{now.version, now.is_public, now.storage_committed}));
      continue;
    }
    changes_of_known_node(at, *before, online_before.count(before->address) > 0, now,
                          online_now.count(now.address) > 0, out);
  }
  return out;
}

std::vector<Event> seed_events(SeedStates& states, const Observation& observation) {
  if (!observation.seeds) return {};
  SeedTransition lost, recovered;
  SeedStates updated;
  for (const auto& poll : *observation.seeds) {
    const bool reachable = poll.ok();
    lost.reachable += reachable;
    auto it = states.seeds.find(poll.seed);
    const bool known = it != states.seeds.end();
    if (known && it->second.reachable == reachable) {
      updated.seeds[poll.seed] = it->second;
      continue;
    }
    updated.seeds[poll.seed] = SeedState{reachable, observation.time};
    if (!reachable) lost.seeds.push_back(SeedChange{poll.seed, std::string(poll.pods_error->kind()), 0});
    else if (known) recovered.seeds.push_back(SeedChange{poll.seed, "", it->second.since});
  }
  states = std::move(updated);  // seeds no longer configured are forgotten
  lost.total = static_cast<int64_t>(observation.seeds->size());
  lost.conclusive = observation.conclusive();
  recovered.reachable = lost.reachable;
  recovered.total = lost.total;
  recovered.conclusive = lost.conclusive;
  std::vector<Event> out;
  if (!lost.seeds.empty()) out.push_back(make_event(observation, EventType::kSeedUnreachable, "", "", std::move(lost)));
  if (!recovered.seeds.empty())
    out.push_back(make_event(observation, EventType::kSeedRecovered, "", "", std::move(recovered)));
  return out;
}

std::vector<Event> observation_events(SeedStates& states, const model::Snapshot* previous,
                                      const Observation& observation) {
  std::vector<Event> out = seed_events(states, observation);
  if (!observation.conclusive()) return out;  // nobody is told a node went offline on too few answers
  std::vector<Event> nodes = node_events(previous, *observation.snapshot);
  out.insert(out.end(), std::make_move_iterator(nodes.begin()), std::make_move_iterator(nodes.end()));
  return out;
}

}  // namespace pnode::analysis
