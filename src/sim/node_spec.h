// NodeSpec: one simulated pod as recorded (a capture row after the address rewrite) or
// as generated (synthetic mode), before time is applied. NetworkModel turns specs into
// the rows served at a given instant.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pnode::sim {

struct NodeSpec {
  uint32_t node_id = 0;  // stable identity: the index k of the node's (real) IP
  uint32_t ip = 0;       // its loopback address, 127.1.0.0 + node_id + 1
  uint16_t port = 9001;  // gossip port, kept from the capture
  std::optional<std::string> pubkey;
  std::optional<bool> is_public;
  std::optional<int64_t> rpc_port;
  std::optional<uint64_t> storage_committed;
  std::optional<uint64_t> storage_used;
  std::optional<uint64_t> uptime;
  std::string version = "unknown";
  // Seconds between this row's last_seen_timestamp and the newest one of its generation
  // (a capture). Absent when the capture had a null last_seen_timestamp.
  std::optional<int64_t> age;
};

// One network state: a capture, or the synthetic network.
using Generation = std::vector<NodeSpec>;

// A row counts as "fresh" (its node is alive and heard of) when its age at capture time
// is at most this; older rows keep frozen stats (docs/protocol.md §5.3).
inline constexpr int64_t kFreshAgeSeconds = 60;
// Gossip prunes entries not heard of for an hour; no served age exceeds this.
inline constexpr int64_t kMaxAgeSeconds = 3600;

}  // namespace pnode::sim
