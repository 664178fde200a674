// Live update messages for the dashboard's WebSocket (/ws/pnodes), built once per
// collector cycle from the new snapshot and the previous one:
//   {"type":"snapshot","cycle":n,"last_updated":ts,"summary":{...as /pnodes},
//    "network_stats":{...as /pnodes},"changed":[unified nodes],"removed":[addresses]}
// "changed" holds, in the unified list's order, every node that is new or whose object
// (as /pnodes writes it) differs from the previous snapshot's, ignoring last_checked and
// offline_duration, which move with every cycle (so an offline node that stays offline
// is not resent each cycle). "removed" lists addresses the previous snapshot had and the
// new one no longer lists at all. The message a client gets on connecting has the
// current summary and empty "changed" and "removed". Node objects come from node_json.h,
// the same serialisers as /pnodes.
// The same feed carries the events the collector commits (docs/events.md), in sequence
// order, as {"type":"events","events":[{"seq":n, ...the event as GET /events...}]}, at
// most kLiveEventsPerMessage events a message (a first cycle may discover thousands of
// nodes; smaller messages keep each client's bounded queue moving).
// Thread-safety: pure functions of immutable snapshots.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include <vector>

#include "model/snapshot.h"
#include "store/store.h"

namespace pnode::api {

// The message for `current` after `previous` (null previous: every node is "changed").
// `now` (unix s) feeds the summary's snapshot_age_seconds. Null when `current` has no
// views.
std::shared_ptr<const std::string> live_update_message(const model::Snapshot& current,
                                                       const model::Snapshot* previous, int64_t now);

// The first message for a client that just connected: the current state with
// "changed": [] and "removed": []. Null when there is no snapshot (with views) yet.
std::shared_ptr<const std::string> live_hello_message(const model::Snapshot* current, int64_t now);

inline constexpr size_t kLiveEventsPerMessage = 200;

// The "events" messages for a batch of committed events, in order (none for an empty batch).
std::vector<std::shared_ptr<const std::string>> live_events_messages(const std::vector<store::StoredEvent>& events,
                                                                     size_t per_message = kLiveEventsPerMessage);

}  // namespace pnode::api
