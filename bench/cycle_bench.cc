// The collector's whole cycle without the network (issue 4 (b)): parse every seed's
// get-pods-with-stats body and merge it at once (as the collector merges each seed's list
// when it is parsed), update the registry, score, derive insights (with the
// collector's node memory and the store's day/week-ago samples, as Collector does), then
// persist the cycle into a temp SQLite file. The bodies come from the simulator's
// synthetic network, one fresh set per cycle (the clock moves a minute each time), and
// are rendered outside the measured span. Reports per measured cycle the process CPU
// time and wall time of the cycle and of its store write; prints the medians as JSON.
// Also the process's peak resident memory (the simulator rendering the bodies included).
// --server-heap runs the cycles under the server's heap policy (util/heap.h: large blocks
// mmap'd, the freed heap returned to the OS after each cycle), so each cycle faults its
// working set in afresh as the server's does; without it, glibc's defaults keep the
// previous cycle's memory for the next.
// Usage: bench_cycle [--pods=10000] [--seeds=9] [--cycles=5] [--dir=/tmp] [--server-heap]
// Thread-safety: a single-threaded program.
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "bench/bench_support.h"
#include "bench/bench_util.h"
#include "collect/between_cycles.h"
#include "collect/cycle.h"
#include "collect/node_memory.h"
#include "store/store.h"
#include "util/heap.h"

namespace {

using namespace pnode;
using bench::cpu_ms;
using bench::flag;
using bench::median;
using bench::minor_faults;

double wall_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

struct Sample {
  double cpu = 0, wall = 0, store_cpu = 0, store_wall = 0, faults = 0;
};

}  // namespace

int main(int argc, char** argv) {
  size_t pods = 10000;
  int seeds = 9, cycles = 5;
  bool server_heap = false;
  std::string dir = std::filesystem::temp_directory_path().string();
  for (int i = 1; i < argc; ++i) {
    std::string v;
    if (flag(argv[i], "--pods", v)) pods = std::stoul(v);
    else if (flag(argv[i], "--seeds", v)) seeds = std::stoi(v);
    else if (flag(argv[i], "--cycles", v)) cycles = std::stoi(v);
    else if (flag(argv[i], "--dir", v)) dir = v;
    else if (std::strcmp(argv[i], "--server-heap") == 0) server_heap = true;
    else {
      std::fprintf(stderr, "usage: bench_cycle [--pods=N] [--seeds=N] [--cycles=N] [--dir=PATH] [--server-heap]\n");
      return 2;
    }
  }
  if (server_heap) limit_retained_heap();
  std::filesystem::path db_dir = std::filesystem::path(dir) / ("pnode-cycle-bench-" + std::to_string(getpid()));
  std::filesystem::remove_all(db_dir);
  auto opened = store::open_store("sqlite://" + (db_dir / "cycle.db").string());
  if (!opened.ok()) {
    std::fprintf(stderr, "bench_cycle: %s\n", opened.error().message.c_str());
    return 1;
  }
  store::Store& store = **opened;

  bench::SeedBodies source(pods, seeds);
  collect::NodeMemory memory;
  auto registry = std::make_shared<const model::Registry>();
  std::vector<Sample> samples;
  size_t merged = 0;
  // Cycle 0 fills an empty registry (first start); the measured ones are the steady state.
  std::shared_ptr<const model::Snapshot> current;
  for (int c = 0; c <= cycles; ++c) {
    if (server_heap) collect::release_between_cycles(&store);  // as the server does after each cycle
    int64_t now = bench::kBenchNow + 60 * c;
    std::vector<std::string> bodies = source.bodies(60 * c);

    double cpu0 = cpu_ms(), wall0 = wall_ms(), faults0 = minor_faults();
    // As the collector does: each seed's list merged as soon as it is parsed, then freed.
    collect::AnswerMerger merger(bodies.size());
    for (size_t i = 0; i < bodies.size(); ++i) {
      collect::SeedAnswer answer = bench::parse_answer(bodies[i], i);
      merger.add(i, answer, now);
    }
    analysis::GrowthTrends trends = memory.growth_trends();
    const auto& histories = memory.gossip_histories();
    collect::CycleContext context{&trends, &histories, std::nullopt, std::nullopt, {}, {}, {}};
    if (auto r = store.network_sample_at_or_before(now - 86400); r.ok()) context.day_ago = *r;
    if (auto r = store.network_sample_at_or_before(now - 7 * 86400); r.ok()) context.week_ago = *r;
    collect::CycleResult result = collect::assemble_cycle(merger.finish(), *registry, c + 1, now, now, {}, context);
    memory.record(*result.snapshot->views, now);
    registry = result.snapshot->registry;
    double store_cpu0 = cpu_ms(), store_wall0 = wall_ms();
    Status written = store.write_cycle(result.write);
    double cpu1 = cpu_ms(), wall1 = wall_ms(), faults1 = minor_faults();
    if (!written.ok()) {
      std::fprintf(stderr, "bench_cycle: %s\n", written.error().message.c_str());
      return 1;
    }
    merged = result.snapshot->nodes.size();
    std::fprintf(stderr, "cycle %d: %zu nodes, cpu %.1f ms, wall %.1f ms (store cpu %.1f ms, wall %.1f ms), %.0f page faults\n",
                 c, merged, cpu1 - cpu0, wall1 - wall0, cpu1 - store_cpu0, wall1 - store_wall0, faults1 - faults0);
    if (c > 0) samples.push_back({cpu1 - cpu0, wall1 - wall0, cpu1 - store_cpu0, wall1 - store_wall0, faults1 - faults0});
    current = result.snapshot;  // the published snapshot outlives the cycle, as in the server
  }
  auto med = [&](double Sample::*field) {
    std::vector<double> v;
    for (const auto& s : samples) v.push_back(s.*field);
    return median(v);
  };
  std::printf(
      "{\"pods\":%zu,\"seeds\":%d,\"merged_nodes\":%zu,\"cycles\":%d,\"cpu_ms\":%.1f,\"wall_ms\":%.1f,"
      "\"store_cpu_ms\":%.1f,\"store_wall_ms\":%.1f,\"page_faults\":%.0f,\"peak_rss_mib\":%.0f}\n",
      pods, seeds, merged, cycles, med(&Sample::cpu), med(&Sample::wall), med(&Sample::store_cpu),
      med(&Sample::store_wall), med(&Sample::faults), bench::peak_rss_mib());
  opened->reset();
  std::filesystem::remove_all(db_dir);
  return 0;
}
