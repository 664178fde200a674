// The pRPC data every layer shares: one pod of a gossip list, a whole list, a node's
// get-stats and get-version answers (their wire format: docs/protocol.md §3). Every field
// a node may send as null (or omit) is optional.
// Thread-safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace pnode::model {

// One row of a get-pods / get-pods-with-stats list.
struct Pod {
  std::string address;                      // "ip:gossipPort" (never null on the wire)
  std::optional<std::string> pubkey;        // base58, or null when unknown
  std::optional<bool> is_public;
  std::optional<int64_t> last_seen_timestamp;  // unix s, on the polled node's clock
  std::optional<std::string> last_seen;     // v0.4 only: "YYYY-MM-DD HH:MM:SS UTC"
  std::optional<int64_t> rpc_port;
  std::optional<uint64_t> storage_committed;  // bytes
  std::optional<uint64_t> storage_used;       // bytes
  std::optional<double> storage_usage_percent;  // 0-100
  std::optional<uint64_t> uptime;             // seconds
  std::optional<std::string> version;         // "unknown" when the node does not know

  bool operator==(const Pod&) const = default;
};

struct PodList {
  std::vector<Pod> pods;
  std::optional<uint64_t> total_count;
  size_t skipped = 0;  // rows dropped because they had neither address nor pubkey
  // Values sent (not null) but dropped as implausible: wrong type, out of range, too long
  // or with characters outside their charset (prpc/bounds.h).
  uint64_t rejected_fields = 0;
};

// One pod's credits as a pod-credits source lists them ({"pods_credits":[{pod_id, credits}]}):
// +1 per heartbeat, -100 per missed data operation, reset at the start of each month.
struct PodCredit {
  std::string pod_id;  // the pod's pubkey (base58)
  double credits = 0;
  bool operator==(const PodCredit&) const = default;
};

struct CreditList {
  std::vector<PodCredit> pods;
  size_t skipped = 0;            // rows without a usable pod_id or credits value
  uint64_t rejected_fields = 0;  // values sent but out of bounds (prpc/bounds.h)
};

// get-stats of the polled node (flat on the wire; the nested docs shape is accepted too).
struct NodeStats {
  std::optional<uint64_t> active_streams;
  std::optional<double> cpu_percent;
  std::optional<uint64_t> current_index;
  std::optional<uint64_t> file_size;
  std::optional<uint64_t> last_updated;
  std::optional<uint64_t> packets_received;
  std::optional<uint64_t> packets_sent;
  std::optional<uint64_t> ram_total;
  std::optional<uint64_t> ram_used;
  std::optional<uint64_t> total_bytes;
  std::optional<uint64_t> total_pages;
  std::optional<uint64_t> uptime;
  uint64_t rejected_fields = 0;  // as PodList::rejected_fields

  bool operator==(const NodeStats&) const = default;
};

struct VersionInfo {
  std::string version;
};

}  // namespace pnode::model
