// Google Benchmark of the hot functions at 10,000 pods (issue 4): parsing one seed's
// get-pods-with-stats body, merging nine seeds' views, the whole pure cycle
// (assemble_cycle: merge, registry, summary, scores, insights), the scored node views
// alone, serialising every node as /pnodes does, and one store write_cycle on a temp
// SQLite file. Inputs come from the simulator's synthetic network (bench_support.h).
// Usage: bench_hot [--benchmark_*]   (add --pods=N before the Google flags for another size)
// Thread-safety: a single-threaded program.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>
#include <string>
#include <unistd.h>
#include <vector>

#include "analysis/node_view.h"
#include "api/node_json.h"
#include "bench/bench_support.h"
#include "collect/cycle.h"
#include "collect/merge.h"
#include "prpc/parse.h"
#include "store/store.h"
#include "util/json_writer.h"

namespace {

using namespace pnode;

size_t g_pods = 10000;
constexpr int kSeeds = 9;

// Built once, on first use: the bodies, their parsed answers and one assembled cycle.
struct Inputs {
  std::vector<std::string> bodies;
  std::vector<collect::SeedAnswer> answers;
  collect::CycleResult cycle;
};

const Inputs& inputs() {
  static const Inputs* built = [] {
    auto* in = new Inputs;
    in->bodies = bench::seed_bodies(g_pods, kSeeds);
    in->answers = bench::parse_answers(in->bodies);
    in->cycle = collect::assemble_cycle(in->answers, model::Registry{}, 1, bench::kBenchNow, bench::kBenchNow, {});
    return in;
  }();
  return *built;
}

void BM_ParsePods(benchmark::State& state) {
  const std::string& body = inputs().bodies[0];
  for (auto _ : state) {
    auto pods = prpc::parse_pods(body);
    benchmark::DoNotOptimize(pods);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * body.size()));
  state.counters["pods"] = static_cast<double>(inputs().answers[0].pods.pods.size());
}
BENCHMARK(BM_ParsePods)->Unit(benchmark::kMillisecond);

void BM_MergeGossipViews(benchmark::State& state) {
  std::vector<const model::PodList*> lists;
  for (const auto& a : inputs().answers) lists.push_back(&a.pods);
  for (auto _ : state) {
    auto merged = collect::merge_gossip_views(lists);
    benchmark::DoNotOptimize(merged);
  }
}
BENCHMARK(BM_MergeGossipViews)->Unit(benchmark::kMillisecond);

// Second cycle of a known registry (the steady state): the answers are copied outside
// the timed region because assemble_cycle consumes them.
void BM_AssembleCycle(benchmark::State& state) {
  const auto& previous = *inputs().cycle.snapshot->registry;
  for (auto _ : state) {
    state.PauseTiming();
    auto answers = inputs().answers;
    state.ResumeTiming();
    auto result = collect::assemble_cycle(std::move(answers), previous, 2, bench::kBenchNow + 60,
                                          bench::kBenchNow + 60, {});
    benchmark::DoNotOptimize(result);
  }
}
BENCHMARK(BM_AssembleCycle)->Unit(benchmark::kMillisecond);

void BM_BuildNodeViews(benchmark::State& state) {
  const model::Snapshot& snapshot = *inputs().cycle.snapshot;
  for (auto _ : state) {
    auto views = analysis::build_node_views(snapshot, {});
    benchmark::DoNotOptimize(views);
  }
}
BENCHMARK(BM_BuildNodeViews)->Unit(benchmark::kMillisecond);

void BM_WriteNodesJson(benchmark::State& state) {
  const model::Snapshot& snapshot = *inputs().cycle.snapshot;
  size_t bytes = 0;
  for (auto _ : state) {
    JsonWriter w;
    w.begin_array();
    for (const auto& node : snapshot.views->nodes) api::write_node(w, node, snapshot);
    w.end_array();
    std::string out = w.take();
    bytes = out.size();
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["nodes"] = static_cast<double>(snapshot.views->nodes.size());
}
BENCHMARK(BM_WriteNodesJson)->Unit(benchmark::kMillisecond);

// One cycle's transaction (snapshot, registry upserts, network sample, a sample per node)
// into a temp SQLite file; every iteration is a new minute.
void BM_StoreWriteCycle(benchmark::State& state) {
  std::filesystem::path dir = std::filesystem::temp_directory_path() / ("pnode-hot-bench-" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  auto store = store::open_store("sqlite://" + (dir / "cycle.db").string());
  if (!store.ok()) {
    state.SkipWithError(store.error().message.c_str());
    return;
  }
  store::CycleWrite write = inputs().cycle.write;
  int64_t minute = 0;
  for (auto _ : state) {
    state.PauseTiming();
    ++minute;
    write.network.timestamp = bench::kBenchNow + 60 * minute;
    for (auto& n : write.nodes) n.timestamp = bench::kBenchNow + 60 * minute;
    state.ResumeTiming();
    Status written = (*store)->write_cycle(write);
    if (!written.ok()) state.SkipWithError(written.error().message.c_str());
  }
  state.counters["node_samples"] = static_cast<double>(write.nodes.size());
  store->reset();
  std::filesystem::remove_all(dir);
}
BENCHMARK(BM_StoreWriteCycle)->Unit(benchmark::kMillisecond);

}  // namespace

int main(int argc, char** argv) {
  // Our own flag first, then Google Benchmark's.
  std::vector<char*> rest;
  for (int i = 0; i < argc; ++i) {
    if (std::strncmp(argv[i], "--pods=", 7) == 0) g_pods = std::strtoull(argv[i] + 7, nullptr, 10);
    else rest.push_back(argv[i]);
  }
  int n = static_cast<int>(rest.size());
  benchmark::Initialize(&n, rest.data());
  if (benchmark::ReportUnrecognizedArguments(n, rest.data())) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
