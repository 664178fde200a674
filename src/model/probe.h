// What the collector's prober measured by asking pods themselves (collect/prober.h), kept
// apart from what the seeds gossip about them: one round's per-pod results and its
// coverage. A ProbeRound is immutable once the prober published it; snapshots share it.
// Thread-safety: plain values; immutable after publication.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/pod.h"

namespace pnode::model {

// One pod, probed once in a round: get-version decides whether it answered; get-stats
// and get-pods-with-stats follow only when it did.
struct PodProbe {
  std::string address;  // the pod's gossip address ("ip:port"), its key in the snapshot
  std::string endpoint;  // what was dialled: "ip:rpc_port"
  std::optional<std::string> pubkey;
  bool reachable = false;  // get-version answered
  // Empty when reachable; else the typed failure: "denied" (the guard refused to dial,
  // nothing was sent), "refused", "connect_timeout", "timeout", "protocol" (closed without
  // an answer), "too_large", "http_status", "invalid_json", "wrong_shape", "rpc_error".
  std::string failure;
  std::string detail;  // the failure's message
  double connect_ms = 0;  // TCP connect of the get-version call (0 when none was made)
  double total_ms = 0;    // the pod's calls, start to end
  std::optional<std::string> version;
  std::optional<NodeStats> stats;
  std::string stats_failure;  // a failure kind when get-stats failed after get-version answered
  size_t pods_listed = 0;     // rows of its get-pods-with-stats answer
  bool discovered = false;    // found only in another pod's list (not gossiped by the seeds)
  int64_t probed_at = 0;      // unix s

  bool operator==(const PodProbe&) const = default;
};

// One probe round. `results` in target order; `index` by address.
struct ProbeRound {
  uint64_t round = 0;
  int64_t started_at = 0;   // unix s
  int64_t finished_at = 0;  // unix s
  double duration_ms = 0;
  size_t public_pods = 0;   // targets: pods advertising a public pRPC endpoint (+ discovered)
  size_t probed = 0;        // targets dialled (denied ones excluded)
  size_t answered = 0;      // reachable
  size_t denied = 0;        // refused by the guard (never dialled)
  size_t discovered_next = 0;  // new pods found in lists, queued for the next round
  size_t concurrency = 0;
  std::vector<PodProbe> results;
  std::unordered_map<std::string, size_t> index;

  const PodProbe* find(const std::string& address) const {
    auto it = index.find(address);
    return it == index.end() ? nullptr : &results[it->second];
  }
  void reindex() {
    index.clear();
    index.reserve(results.size());
    for (size_t i = 0; i < results.size(); ++i) index.emplace(results[i].address, i);
  }
};

}  // namespace pnode::model
