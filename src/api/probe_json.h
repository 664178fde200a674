// JSON views of the prober's results (model/probe.h): a node's `probe` object, written
// beside (never mixed into) its gossip fields, and the network's probe coverage
// (GET /network/probe).
// Thread-safety: pure functions of immutable data.
#pragma once

#include <string>

#include "api/stamped_body.h"
#include "model/availability.h"
#include "model/probe.h"
#include "model/snapshot.h"
#include "util/json_writer.h"

namespace pnode::api {

// {"reachable","failure","detail","endpoint","connect_ms","total_ms","version","stats",
//  "stats_failure","pods_listed","discovered","probed_at","round"}; failure, detail,
// version, stats and stats_failure are null when absent.
void write_pod_probe(JsonWriter& w, const model::PodProbe& probe, uint64_t round);

// A node's "probe" key: written only when the snapshot carries a probe round (so bodies
// without probing are unchanged); null for a node that round did not probe.
void write_node_probe_field(JsonWriter& w, const std::string& address, const model::Snapshot& snapshot);

// A node's "availability" key (analysis/availability.h), beside "probe": written only when
// the snapshot carries an availability table; null for a pod never probed.
// {"state","uptime_24h","uptime_7d","uptime_30d","up_since","down_since","latency_p95_ms"}
void write_node_availability_field(JsonWriter& w, const std::string& address, const model::Snapshot& snapshot);
// "up" or "down" for the pod's latest session; null when the pod is unknown or its last
// probe is too old to tell (no up_since / down_since).
void write_availability_state(JsonWriter& w, const model::PodAvailability* availability);

// "probed N of M public pods, K answered", or that no round has finished yet.
std::string probe_coverage_text(const model::ProbeRound* round);

// The body of GET /network/probe (the "timestamp" is stamped per request).
BodyTemplate network_probe_body(const model::Snapshot& snapshot);

}  // namespace pnode::api
