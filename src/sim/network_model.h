// NetworkModel: the simulated network as a deterministic function of time. It holds one
// or more generations (captures, or the synthetic network) and yields the rows that
// exist at an instant t:
//   - replay time shift: a generation becomes current at its activation time A, when
//     its newest last_seen_timestamp equals A; ages are kept. Fresh rows (age <= 60 s)
//     keep a constant age (last_seen follows the clock) and their uptime advances in
//     real time; stale rows keep frozen stats, and their age grows until the 1 h gossip
//     pruning horizon, where it wraps (the node is heard of again);
//   - several generations: each stays current for generation_interval seconds, then the
//     next one takes over, cyclically (realistic churn between real snapshots);
//   - churn (optional): nodes leave and come back, restarts reset uptime, storage_used
//     grows slowly, 0.8.0 nodes upgrade to 1.2.0, NAT rows rotate their ports.
// Churn is evaluated in fixed 10 s epochs seeded by (rng_seed, epoch), so the state at t
// depends only on t, never on when or how often it was asked for.
// Pinned nodes (the seeds) never leave, and are present in every generation.
// Thread-safety: none; pods_at() mutates the churn state. The Simulator serialises calls.
#pragma once

#include <cstdint>
#include <optional>
#include <queue>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prpc/types.h"
#include "sim/node_spec.h"

namespace pnode::sim {

class Rng;

struct ChurnOptions {
  bool enabled = false;
  // Expected share of the nodes leaving per minute; restarts (1/4 of it) and upgrades
  // (1/2 of it) scale with it. Leavers come back after 1 to 10 minutes.
  double rate_per_minute = 0.01;
};

inline constexpr int64_t kChurnEpochSeconds = 10;
inline constexpr int64_t kNatRotationSeconds = 300;

// One row as served at an instant. Points into the model's specs (stable for the
// model's lifetime).
struct LivePod {
  const NodeSpec* spec = nullptr;
  uint16_t port = 0;
  std::optional<int64_t> last_seen_timestamp;
  std::optional<uint64_t> storage_used;
  std::optional<uint64_t> uptime;
  std::string_view version;

  uint32_t node_id() const { return spec->node_id; }
  std::string address() const;  // "127.1.x.y:port"
  // storage_used / storage_committed * 100 as a double, as the pods compute it.
  std::optional<double> storage_usage_percent() const;
  prpc::Pod to_pod() const;
};

struct ModelOptions {
  std::vector<Generation> generations;  // at least one
  int64_t generation_interval = 600;    // seconds, when there are several
  int64_t start_time = 0;               // unix s: the first generation becomes current
  uint64_t rng_seed = 1;
  ChurnOptions churn;
  std::vector<uint32_t> pinned;  // node ids of the first generation that never leave
};

class NetworkModel {
 public:
  explicit NetworkModel(ModelOptions options);

  // The rows present at t, in generation order (at most one per node).
  std::vector<LivePod> pods_at(int64_t t);

  // Index and activation time of the generation current at t.
  std::pair<size_t, int64_t> generation_at(int64_t t) const;
  const ModelOptions& options() const { return options_; }
  // One more than the largest node id of any generation.
  uint32_t node_id_bound() const { return node_id_bound_; }

 private:
  void advance_churn_to(int64_t t);
  void reset_churn();
  void apply_epoch(int64_t epoch);
  void restart(uint32_t node_id, int64_t at, Rng& rng);
  LivePod live_row(const NodeSpec& spec, int64_t t, int64_t activated) const;
  uint16_t port_at(const NodeSpec& spec, int64_t t) const;

  ModelOptions options_;
  uint32_t node_id_bound_ = 0;
  std::vector<uint8_t> pinned_;  // by node id

  // Churn state after applying epochs 1..applied_epoch_.
  int64_t applied_epoch_ = 0;
  std::vector<uint8_t> departed_;
  std::vector<uint8_t> upgraded_;
  std::vector<int64_t> restart_time_;    // kNever when the node did not restart
  std::vector<uint32_t> restart_uptime_;  // uptime right after that restart
  using Return = std::pair<int64_t, uint32_t>;  // (epoch, node id), earliest first
  std::priority_queue<Return, std::vector<Return>, std::greater<Return>> returns_;
};

}  // namespace pnode::sim
