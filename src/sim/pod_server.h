// PodServer: every public pod of the simulated network answering pRPC on its own loopback
// address (its row's host, e.g. 127.1.0.7, and its rpc_port), as the collector's prober
// dials them. One acceptor per pod on one http::Server (one I/O thread by default, so
// 10k-pod networks fit in one process; the descriptor limit is raised at start()).
// Private pods have no acceptor: dialing them is refused by the kernel.
//
// Each pod behaves deterministically from (rng seed, node id) (pod_behaviour()): a
// latency added to every answer, a rate of dropped requests, some pods slow, some
// flapping (down for kFlapDownSeconds of every kFlapPeriodSeconds). set_reachable()
// makes one pod drop every connection until it is made reachable again.
//
// The server counts the requests in flight (received, answer not yet written, delays
// included) and keeps the maximum seen, over all pods and per pod, so a test can check
// a prober's concurrency cap where it matters: at the pods.
// Thread-safety: start()/stop() from the owner thread; everything else from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "http/message.h"
#include "util/result.h"

namespace pnode::http {
class Server;
}

namespace pnode::sim {

struct PodBehaviour {
  std::chrono::milliseconds latency{0};  // added to every answer
  double failure_rate = 0;               // share of requests dropped unanswered
  bool slow = false;                     // latency of hundreds of ms
  bool flapping = false;                 // down part of the time (flap_down())
};

inline constexpr int64_t kFlapPeriodSeconds = 120;
inline constexpr int64_t kFlapDownSeconds = 30;

// Deterministic per pod: latency 1-20 ms (most near the low end), 2 % slow (200-600 ms),
// 3 % flapping, failure rates up to 2 %.
PodBehaviour pod_behaviour(uint64_t rng_seed, uint32_t node_id);
// Whether a flapping pod is down at unix time t (its phase depends on the node).
bool flap_down(uint64_t rng_seed, uint32_t node_id, int64_t t);

// One pod's pRPC endpoint.
struct PodEndpoint {
  uint32_t node_id = 0;
  uint32_t ip = 0;  // loopback, host order
  uint16_t rpc_port = 0;
};

struct InFlightStats {
  uint64_t requests = 0;           // every request received
  size_t in_flight = 0;            // now
  size_t max_in_flight = 0;        // over all pods, since start or reset_max()
  size_t max_in_flight_per_pod = 0;  // the most any one pod had at once
};

class PodServer {
 public:
  // The answer of node `node_id` to a request (the simulator's pRPC, as that pod).
  using Answer = std::function<http::Response(uint32_t node_id, const http::Request&)>;
  using Clock = std::function<int64_t()>;  // unix seconds

  // With behaviours false every pod answers at once and never fails (set_reachable aside).
  PodServer(std::vector<PodEndpoint> endpoints, uint64_t rng_seed, Answer answer, Clock clock,
            bool behaviours = true);
  ~PodServer();
  PodServer(const PodServer&) = delete;
  PodServer& operator=(const PodServer&) = delete;

  // Listens on every endpoint; returns how many. Errors: a port taken, too few descriptors.
  Result<size_t> start(int threads = 1);
  void stop();

  // `host` is the pod's IP ("127.1.0.7") or any "ip:port" of it. Error when no public pod
  // has that IP.
  Status set_reachable(std::string_view host, bool reachable);
  InFlightStats in_flight() const;
  void reset_max();

  http::Response handle(const http::Request& request);

 private:
  struct Counters;
  http::Response answer_counted(size_t endpoint, const http::Request& request);

  std::vector<PodEndpoint> endpoints_;
  std::unordered_map<uint64_t, size_t> by_socket_;  // (ip << 16 | port) -> endpoint
  uint64_t rng_seed_;
  bool behaviours_;
  Answer answer_;
  Clock clock_;
  std::shared_ptr<Counters> counters_;
  mutable std::mutex unreachable_mutex_;
  std::unordered_set<uint32_t> unreachable_;  // by ip
  std::unique_ptr<http::Server> server_;
};

}  // namespace pnode::sim
