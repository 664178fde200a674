// Simulator: a loopback pNode network that the collector cannot tell from a real one.
// Each of `seeds` simulated seed nodes answers pRPC (POST /rpc: get-version, get-stats,
// get-pods, get-pods-with-stats) on listen_address:(base_port + i), with the gossip view
// a real seed would give: every pod of the current network except itself and a few
// peers it has not heard of (every pod is listed by at least one seed when seeds >= 2).
//
// The network is a replay of recorded captures (time-shifted to "now") or a synthetic
// one of any size; see network_model.h for time and churn, address_map.h for the
// loopback address rewrite (no real address is ever served), render.h and
// rpc_request.h for wire fidelity, faults.h for per-seed faults.
//
// Control endpoints, on every seed port:
//   GET  /sim/state   {"mode":..,"pod_count":N,"seeds":[{"address":<gossip address>,
//                     "delay_ms":..,"fault":..,"index":i,"port":p,"version":..}],"time":t}
//   POST /sim/faults  {"seed":i,"fault":"slow","delay_ms":1500} -> 200 with the seed's
//                     new state, 400 {"error":".."} on bad input
//   POST /sim/nodes   {"address":"127.1.0.5:9001","online":false} -> 200: the node leaves
//                     every view until it is put back ("online":true); 400 on bad input,
//                     404 for an address no node has
//   GET  /sim/pods    the pods' probe counters (pod_server.h): {"in_flight":..,
//                     "max_in_flight":..,"max_in_flight_per_pod":..,"requests":..,"serving":N}
//   POST /sim/pods    {"address":"127.1.0.7","reachable":false} -> 200; 400/404 on bad input
//
// With serve_pods, every public pod also answers pRPC on its own address host and
// rpc_port (pod_server.h), with its own version, stats and a sample of its peers.
//
// Answers are cached: the rows of the network are serialised once per clock second and
// each seed's pods body once per second and request id, then shared (zero-copy) by
// every connection that asks in that second.
// Thread-safety: handle() and the in-process API may be called from any thread,
// concurrently; start()/stop() from the owner thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "http/message.h"
#include "prpc/types.h"
#include "sim/faults.h"
#include "sim/pod_server.h"
#include "sim/network_model.h"
#include "sim/synthetic.h"
#include "util/result.h"

namespace pnode::http {
class Server;
}

namespace pnode::sim {

enum class SimMode { kReplay, kSynthetic };

struct SimOptions {
  int seeds = 9;
  std::string listen_address = "127.0.0.1";  // must be loopback
  uint16_t base_port = 16001;                // seed i on base_port + i; 0 = ephemeral ports
  int threads = 1;                           // server I/O threads
  SimMode mode = SimMode::kReplay;
  std::vector<std::string> captures;  // replay; empty = default_capture_path()
  int64_t replay_interval = 600;      // seconds each capture stays current (several captures)
  size_t pods = 10000;                // synthetic
  int public_percent = kCapturedPublicPercent;  // synthetic: share of public pods
  ChurnOptions churn;
  uint64_t rng_seed = 1;
  std::vector<SeedFault> faults;  // initial faults
  std::function<int64_t()> clock;  // unix seconds; empty = the system clock
  // Seconds per credits heartbeat (+1 credit each, credits_feed.h); 0 freezes the credits.
  int64_t credits_heartbeat = 30;
  bool serve_pods = false;         // every public pod answers on its own address (pod_server.h)
  int pod_threads = 1;             // I/O threads of the pods' server
  bool pod_behaviours = true;      // per-pod latency, failures, slow and flapping pods
};

// The 12-17 compact capture, as a path relative to the repository root
// ("testdata/prpc/get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json").
std::string default_capture_path();

// The capture replayed when none is given: default_capture_path() under the working
// directory (make run starts in the repository), else the data folder of an installed
// binary (<prefix>/bin/pnode-analytics -> <prefix>/share/pnode-analytics/captures), else
// the source tree the binary was built from; default_capture_path() when none exists.
std::string find_default_capture();

struct SeedInfo {
  int index = 0;
  uint32_t node_id = 0;
  std::string gossip_address;  // its row's address in other seeds' views
  std::string version;         // what its get-version says
  uint16_t port = 0;           // 0 until started
  Fault fault;
};

class Simulator {
 public:
  // Loads the captures or generates the network and picks the seeds (seed i is the i-th
  // pod with is_public == true). Errors: non-loopback listen address, unreadable
  // capture, too few public pods, ports out of range, a fault for a missing seed.
  static Result<std::unique_ptr<Simulator>> create(SimOptions options);
  ~Simulator();
  Simulator(const Simulator&) = delete;
  Simulator& operator=(const Simulator&) = delete;

  // Serves every seed on its port; returns the bound ports, in seed order.
  Result<std::vector<uint16_t>> start();
  void stop();
  // The collector's IP_NODES value: "127.0.0.1:16001,127.0.0.1:16002,..." (after start()).
  std::string ip_nodes() const;

  // Answers a request as seed `seed` would (any path; the HTTP server calls this).
  http::Response handle(int seed, const http::Request& request);
  // Answers as the seed listening on request.local_port (404 for an unknown port).
  http::Response handle_by_port(const http::Request& request);

  Status set_fault(int seed, Fault fault);
  // Takes the node served at `address` out of the network (offline) or puts it back.
  // Errors: kNotFound (no such node), kInvalidSeed (a seed cannot go offline).
  Status set_node_offline(const std::string& address, bool offline);
  Fault fault(int seed) const;

  int seed_count() const { return static_cast<int>(seeds_.size()); }
  std::vector<SeedInfo> seeds();
  // The pods present in the network now, with their served (loopback) addresses.
  std::vector<prpc::Pod> network_pods();
  // The rows seed `seed` lists now (its get-pods-with-stats result).
  std::vector<prpc::Pod> view_of(int seed);
  // Whether seed `seed` lists node `node_id` (self-exclusion and unheard peers).
  bool lists(int seed, uint32_t node_id) const;
  int64_t now() const;
  const SimOptions& options() const { return options_; }

  // The pods' own pRPC (serve_pods): node `node_id` answering a request itself.
  http::Response answer_as_pod(uint32_t node_id, const http::Request& request);
  // Makes the public pod at `host` ("127.1.0.7" or "127.1.0.7:9001") drop every
  // connection, or answer again. Error when pods are not served or there is no such pod.
  Status set_pod_reachable(std::string_view host, bool reachable);
  // The pods' request counters; nullopt when pods are not served.
  std::optional<InFlightStats> pod_probes() const;
  void reset_pod_probe_max();

 private:
  struct Tick;
  struct SeedState;

  Simulator(SimOptions options, NetworkModel model, const std::vector<uint32_t>& seed_nodes);

  std::shared_ptr<Tick> current_tick();
  std::shared_ptr<const std::string> pods_body(int seed, bool with_stats, const std::string& id_json);
  http::Response answer_rpc(int seed, const http::Request& request, const Fault& fault);
  std::shared_ptr<const std::string> answer_call(int seed, const std::string& method, const std::string& id_json,
                                                 const Fault& fault);
  prpc::NodeStats stats_of(int seed, const Tick& tick) const;
  std::string seed_version(int seed, const Tick& tick) const;
  http::Response state_response();
  http::Response faults_response(const http::Request& request);
  http::Response nodes_response(const http::Request& request);
  std::optional<int> owner_seed(uint32_t node_id) const;
  std::vector<PodEndpoint> public_pod_endpoints() const;
  Result<size_t> start_pods();
  http::Response pods_response(const http::Request& request);

  SimOptions options_;
  std::mutex model_mutex_;  // guards model_ and tick_
  NetworkModel model_;
  std::shared_ptr<Tick> tick_;
  std::map<std::string, uint32_t> offline_;  // guarded by model_mutex_: address -> node id
  bool tick_stale_ = false;                  // guarded by model_mutex_: offline_ changed
  std::vector<std::unique_ptr<SeedState>> seeds_;
  std::unordered_map<uint32_t, int> seed_of_node_;
  mutable std::mutex fault_mutex_;  // guards every SeedState::fault
  std::unique_ptr<http::Server> server_;
  std::unique_ptr<PodServer> pods_;
};

}  // namespace pnode::sim
