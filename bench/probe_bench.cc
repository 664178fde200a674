// The prober's round at scale (issue 13): against a running simulator that serves every
// public pod (`pnode-analytics sim --mode synthetic --pods 10000 --serve-pods`), poll the
// seeds and merge their views as the collector does, then run `--rounds` probe rounds
// over the public pods at `--concurrency`, each measured in wall time and in this
// process's CPU time (the prober and its HTTP client; the simulator is another process).
// Finally reads the simulator's counters (GET /sim/pods on the first seed): the most
// probe requests it ever had in flight at once, which must not exceed the cap.
// Prints the figures as JSON.
// Usage: bench_probe --ip-nodes=127.0.0.1:p1,... [--rounds=3] [--concurrency=32]
// Thread-safety: a single-threaded program (the prober runs its own workers).
#include <time.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include <boost/json.hpp>

#include "bench/bench_util.h"
#include "collect/merge.h"
#include "collect/poller.h"
#include "collect/prober.h"
#include "collect/registry_update.h"
#include "http/client.h"
#include "prpc/client.h"

namespace {

using namespace pnode;
using bench::cpu_ms;
using bench::flag;
using bench::median;

std::vector<collect::SeedTarget> seeds_of(const std::string& ip_nodes) {
  std::vector<collect::SeedTarget> seeds;
  size_t start = 0;
  while (start < ip_nodes.size()) {
    size_t comma = ip_nodes.find(',', start);
    if (comma == std::string::npos) comma = ip_nodes.size();
    auto hp = parse_host_port(ip_nodes.substr(start, comma - start), 6000);
    if (hp) seeds.push_back({hp->to_string(), *hp});
    start = comma + 1;
  }
  return seeds;
}

}  // namespace

int main(int argc, char** argv) {
  std::string ip_nodes, value;
  int rounds = 3;
  size_t concurrency = collect::ProberConfig{}.concurrency;
  for (int i = 1; i < argc; ++i) {
    if (flag(argv[i], "--ip-nodes", value)) ip_nodes = value;
    else if (flag(argv[i], "--rounds", value)) rounds = std::max(1, std::stoi(value));
    else if (flag(argv[i], "--concurrency", value)) concurrency = std::stoul(value);
    else {
      std::fprintf(stderr, "usage: bench_probe --ip-nodes=host:port,... [--rounds=3] [--concurrency=32]\n");
      return 2;
    }
  }
  const auto seeds = seeds_of(ip_nodes);
  if (seeds.empty()) {
    std::fprintf(stderr, "bench_probe: --ip-nodes names no seed\n");
    return 2;
  }

  http::Client http(1);
  prpc::Client rpc(http, prpc::ClientOptions{});
  std::vector<collect::SeedAnswer> answers = collect::poll_seeds(rpc, seeds);
  std::vector<const model::PodList*> lists;
  for (const auto& a : answers) lists.push_back(&a.pods);
  const auto merged = collect::merge_gossip_views(lists);
  std::vector<model::SeedPoll> polls;
  for (const auto& a : answers) polls.push_back(a.poll);
  // Admitted as the collector admits them: only registry entries are probed.
  const auto admitted = collect::update_registry(model::Registry{}, merged, polls, static_cast<int64_t>(std::time(nullptr)));
  const auto targets = collect::probe_targets(merged, *admitted.registry);

  collect::ProberConfig config;
  config.concurrency = concurrency;
  collect::Prober prober(config);
  std::vector<double> walls, cpus;
  std::shared_ptr<const model::ProbeRound> last;
  for (int r = 0; r < rounds; ++r) {
    const double cpu_before = cpu_ms();
    const auto start = std::chrono::steady_clock::now();
    last = prober.run_round(targets);
    walls.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count());
    cpus.push_back(cpu_ms() - cpu_before);
    std::fprintf(stderr, "round %d: %.0f ms wall, %.0f ms CPU, %s\n", r + 1, walls.back(), cpus.back(),
                 ("probed " + std::to_string(last->probed) + " of " + std::to_string(last->public_pods) + ", " +
                  std::to_string(last->answered) + " answered")
                     .c_str());
  }

  http::ClientRequest counters;
  counters.host = seeds.front().endpoint.host;
  counters.port = seeds.front().endpoint.port;
  counters.method = "GET";
  counters.target = "/sim/pods";
  auto answer = http.send(counters).get();
  int64_t max_in_flight = -1, max_per_pod = -1;
  if (answer && answer->status == 200) {
    auto v = boost::json::parse(answer->body);
    max_in_flight = v.at("max_in_flight").as_int64();
    max_per_pod = v.at("max_in_flight_per_pod").as_int64();
  }

  std::printf(
      "{\"pods\": %zu, \"public_pods\": %zu, \"rounds\": %d, \"concurrency\": %zu, \"wall_ms\": %.1f, "
      "\"wall_max_ms\": %.1f, \"cpu_ms\": %.1f, \"probed\": %zu, \"answered\": %zu, "
      "\"max_in_flight_at_pods\": %lld, \"max_in_flight_per_pod\": %lld}\n",
      merged.size(), last->public_pods, rounds, concurrency, median(walls),
      *std::max_element(walls.begin(), walls.end()), median(cpus), last->probed, last->answered,
      static_cast<long long>(max_in_flight), static_cast<long long>(max_per_pod));
  return 0;
}
