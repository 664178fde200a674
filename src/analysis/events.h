// Typed events for operators (docs/events.md): what changed between the previous
// observation of the network and the new one. Node events (discovered, online, offline,
// restarted, version, committed storage, visibility) compare two conclusive snapshots;
// the seed event (seed_unreachable / seed_recovered) follows each seed's reachability
// across every attempt, conclusive or not. Alert events (alert_firing / alert_resolved)
// are made by alert_lifecycle.h with the same Event type.
// An inconclusive attempt (too few seeds answered the quorum: the collector publishes no
// snapshot) yields no node event at all, only the seed events of reachability changes.
// Every event id is derived from (cycle, attempt, type, subject), so deriving the same
// cycle again (after a crash before its commit) gives the same ids: consumers de-duplicate
// by id (outbox, webhook-id, Nats-Msg-Id).
// The number of events per cycle is not capped: node events are bounded by the registry
// (REGISTRY_MAX_NODES) times seven types, and dropping some would leave consumers with a
// wrong picture; grouping and rate limits belong to the delivery.
// Thread-safety: plain values and pure functions (SeedStates is updated by the caller's
// one collector thread).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "analysis/alerts.h"
#include "model/snapshot.h"
#include "util/json_writer.h"

namespace pnode::analysis {

enum class EventType {
  kNodeDiscovered,
  kNodeOnline,
  kNodeOffline,
  kNodeRestarted,
  kVersionChanged,
  kStorageCommittedChanged,
  kVisibilityChanged,
  kAlertFiring,
  kAlertResolved,
  kSeedUnreachable,
  kSeedRecovered,
};
inline constexpr size_t kEventTypeCount = 11;
const char* event_type_name(EventType type);  // "node_discovered", ...
std::optional<EventType> parse_event_type(std::string_view name);
std::vector<EventType> all_event_types();

// --- payloads, one per event type (JSON keys as the field names) ---

struct NodeDiscovered {
  std::optional<std::string> version;
  bool is_public = false;
  std::optional<uint64_t> storage_committed;
  bool operator==(const NodeDiscovered&) const = default;
};
struct NodeOnline {
  int64_t last_seen_before = 0;  // the gossip last_seen of its previous sighting
  bool operator==(const NodeOnline&) const = default;
};
struct NodeOffline {
  int64_t last_seen = 0;  // gossip last_seen_timestamp of its last sighting
  bool operator==(const NodeOffline&) const = default;
};
struct NodeRestarted {
  uint64_t uptime_before = 0;
  uint64_t uptime = 0;
  bool operator==(const NodeRestarted&) const = default;
};
struct VersionChanged {
  std::string from, to;
  bool operator==(const VersionChanged&) const = default;
};
struct StorageCommittedChanged {
  uint64_t from = 0, to = 0;  // bytes
  bool operator==(const StorageCommittedChanged&) const = default;
};
struct VisibilityChanged {
  bool from_public = false, to_public = false;  // JSON: "from"/"to" as "public"/"private"
  bool operator==(const VisibilityChanged&) const = default;
};
// alert_firing and alert_resolved (see alert_lifecycle.h).
struct AlertTransition {
  AlertType rule = AlertType::kOffline;
  Severity severity = Severity::kInfo;
  std::string message;  // the alert's message at the transition
  AlertValue value, threshold;
  int64_t active_since = 0;  // when the condition began to hold (pending)
  int64_t firing_since = 0;  // when it fired (0 on a firing event's pending part)
  std::string reason;        // resolved only: cleared | superseded | node_removed | rule_disabled
  bool silenced = false;     // an active silence matched: do not notify
  std::string silence_id;
  bool acknowledged = false;
  bool unsilenced = false;  // firing again because the silence that hid it ended
  bool operator==(const AlertTransition&) const = default;
};
// One seed whose reachability changed.
struct SeedChange {
  std::string seed;
  std::string error;  // the pods call's error kind ("timeout", ...); empty on recovery
  int64_t since = 0;  // recovered: when it became unreachable
  bool operator==(const SeedChange&) const = default;
};
// seed_unreachable / seed_recovered: every seed that changed in one attempt, in configured
// order, so a whole-network outage is one event.
struct SeedTransition {
  std::vector<SeedChange> seeds;
  int64_t reachable = 0;  // seeds that answered this attempt
  int64_t total = 0;      // configured seeds
  bool conclusive = false;
  bool operator==(const SeedTransition&) const = default;
};

using EventPayload = std::variant<NodeDiscovered, NodeOnline, NodeOffline, NodeRestarted, VersionChanged,
                                  StorageCommittedChanged, VisibilityChanged, AlertTransition, SeedTransition>;

struct Event {
  std::string id;  // see event_id()
  EventType type = EventType::kNodeDiscovered;
  int64_t time = 0;    // unix s of the observation
  uint64_t cycle = 0;  // the snapshot's cycle (for an inconclusive attempt: the last conclusive one)
  std::string address;  // the node's; empty for network events
  std::string pubkey;   // the node's registry pubkey; empty for network events
  EventPayload payload;
  bool operator==(const Event&) const = default;
};

// "<cycle>.<attempt>:<type>:<subject>" - unique by construction within a cycle, since the
// subject is the node address (alert events: "<rule>@<address>"; network events: empty).
// Addresses are printable ASCII without spaces (prpc/bounds.h), so ids are safe in headers.
std::string event_id(uint64_t cycle, uint32_t attempt, EventType type, std::string_view subject);

// {"id","type","time","cycle","address","pubkey","data":{payload}} (address and pubkey null
// for network events).
std::string event_to_json(const Event& event);
void write_event_json(JsonWriter& out, const Event& event);

// What one collector attempt observed. A conclusive one carries its new snapshot.
struct Observation {
  uint64_t cycle = 0;    // the snapshot's cycle; for an inconclusive attempt the last conclusive one
  uint32_t attempt = 0;  // 0 when conclusive; else the n-th inconclusive attempt in a row (1, 2, ...)
  int64_t time = 0;      // unix s
  const std::vector<model::SeedPoll>* seeds = nullptr;  // every configured seed's answer
  const model::Snapshot* snapshot = nullptr;            // set iff conclusive

  bool conclusive() const { return snapshot != nullptr; }
};
Observation conclusive_observation(const model::Snapshot& next);
Observation inconclusive_observation(uint64_t last_cycle, uint32_t attempt, int64_t time,
                                     const std::vector<model::SeedPoll>& seeds);

// Each seed's reachability as last observed; persisted so a restart does not repeat a
// seed_unreachable. A seed not in `seeds` has never been observed.
struct SeedState {
  bool reachable = true;
  int64_t since = 0;  // when it became what it is
  bool operator==(const SeedState&) const = default;
};
struct SeedStates {
  std::map<std::string, SeedState> seeds;
  // The reachability a restored snapshot records (for a restart without saved states).
  static SeedStates from_snapshot(const model::Snapshot& snapshot);
  bool operator==(const SeedStates&) const = default;
};

// Node events from `previous` (null: none yet, every registry node is discovered) to
// `next` (a conclusive snapshot), in registry (address) order.
std::vector<Event> node_events(const model::Snapshot* previous, const model::Snapshot& next);

// The seed events of one attempt (at most one unreachable and one recovered event);
// updates `states`. A seed observed for the first time counts as a change only when it
// is unreachable.
std::vector<Event> seed_events(SeedStates& states, const Observation& observation);

// Everything but the alert events of one attempt: seed events, then (conclusive only)
// node events.
std::vector<Event> observation_events(SeedStates& states, const model::Snapshot* previous,
                                      const Observation& observation);

}  // namespace pnode::analysis
