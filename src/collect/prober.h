// Prober: asks every pod that advertises a public pRPC endpoint (its address's host and
// rpc_port) get-version, get-stats and get-pods-with-stats itself, once per round, so
// the service knows which pods answer, how fast and how loaded, beside what the seeds
// gossip. A round:
//   - dials each target at most once (targets deduplicated by address, endpoint and
//     pubkey), one request in flight per pod (its calls run one after the other), at
//     most `concurrency` pods at once over the whole round;
//   - bounds each pod by connect_timeout per call and total_timeout for its calls
//     together; answers go through the pRPC parser's bounds (prpc/bounds.h);
//   - dials only where dial_refusal() allows (probe_guard.h): a refused pod is recorded
//     as "denied" and nothing is sent to it;
//   - learns pods listed by probed pods that no target is (by address or pubkey): they
//     join the next round (recursive discovery across rounds, at most max_discovered).
// start_round() runs the round on the prober's own thread and returns at once, so the
// collector's cycle never waits for it; latest() is the last finished round, which the
// collector puts in its next snapshot.
// Thread-safety: start_round(), latest(), wait_idle() and stop() from any thread;
// run_round() from one thread at a time (not while a started round runs).
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "collect/probe_guard.h"
#include "model/probe.h"
#include "model/snapshot.h"

namespace pnode::http {
class Client;
}

namespace pnode::collect {

struct ProberConfig {
  bool enabled = true;
  size_t concurrency = 32;  // pods probed at once, over the whole round
  std::chrono::milliseconds connect_timeout{2000};  // each call's TCP connect
  std::chrono::milliseconds total_timeout{5000};    // one pod's calls together
  DialPolicy policy;
  size_t max_discovered = 10000;              // pods learnt from lists, kept for the next round
  size_t max_response_bytes = 16u << 20;      // one answer
};

struct ProbeTarget {
  std::string address;  // gossip "ip:port": the node's key in the snapshot
  std::string host;
  uint16_t rpc_port = 0;
  std::optional<std::string> pubkey;
  bool discovered = false;
};

// The merged view's pods that advertise a public pRPC endpoint (is_public and an
// rpc_port in 1-65535) and that `registry` admitted, in the snapshot's order. Only
// admitted pods: the registry cap then bounds a round, however many pods seeds list.
std::vector<ProbeTarget> probe_targets(const std::vector<model::MergedNode>& nodes, const model::Registry& registry);
// A listed pod as a target (nullopt when it advertises no public endpoint).
std::optional<ProbeTarget> probe_target(const model::Pod& pod);

class Prober {
 public:
  using Clock = std::function<int64_t()>;  // unix seconds

  explicit Prober(ProberConfig config, Clock clock = nullptr);
  ~Prober();
  Prober(const Prober&) = delete;
  Prober& operator=(const Prober&) = delete;

  // Starts a round over `targets` (plus the pods discovered by the previous round) on the
  // prober's thread. False, and nothing starts, while a round runs, after stop(), or when
  // probing is disabled.
  bool start_round(std::vector<ProbeTarget> targets);
  // Runs a round on the calling thread and returns it (also kept as latest()).
  std::shared_ptr<const model::ProbeRound> run_round(std::vector<ProbeTarget> targets);
  // The last finished round; null before the first.
  std::shared_ptr<const model::ProbeRound> latest() const;
  // Waits until no round runs; false on timeout.
  bool wait_idle(std::chrono::milliseconds timeout);
  // Cancels the calls in flight (the running round ends at once) and refuses new rounds.
  void stop();
  // Called with each finished round on the thread that ran it, just before it becomes
  // latest() (so a snapshot holding the round holds what the listener derived from it,
  // collect/availability_recorder.h). Call before the first round.
  using RoundListener = std::function<void(const model::ProbeRound&)>;
  void set_round_listener(RoundListener listener) { listener_ = std::move(listener); }
  const ProberConfig& config() const { return config_; }

 private:
  // Probes one pod; the rows of its pod list go to `listed`.
  model::PodProbe probe_pod(const ProbeTarget& target, std::vector<model::Pod>& listed);
  // `targets` plus the last round's discoveries, each pod once.
  std::vector<ProbeTarget> round_targets(std::vector<ProbeTarget> targets) const;

  ProberConfig config_;
  Clock clock_;
  std::unique_ptr<http::Client> http_;
  uint64_t rounds_ = 0;  // guarded by mutex_
  mutable std::mutex mutex_;
  std::condition_variable idle_;
  bool running_ = false;  // guarded by mutex_
  bool stopped_ = false;  // guarded by mutex_
  std::shared_ptr<const model::ProbeRound> latest_;  // guarded by mutex_
  std::vector<ProbeTarget> discovered_;              // guarded by mutex_
  RoundListener listener_;
  std::thread thread_;
};

}  // namespace pnode::collect
