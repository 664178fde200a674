// Per-node history at scale (issue 4): fills a SQLite store with N nodes x D days of
// one-minute samples (default 10,000 x 30 = 432 M samples) through write_history_bulk,
// then, in a fresh process on the filled file, reports
//   - bytes per node-sample on disk (Store::history_footprint: pages of the history
//     tables and indexes / samples held),
//   - one node's whole-range node_history() latency (median, p90, p99, max over random
//     nodes, first touch after open and again warm),
//   - write_cycle() time for N nodes (a full cycle: snapshot of N pods, N registry
//     upserts, network sample, N history samples, retention), across an hour boundary so
//     compaction slices and the hourly retention delete are included,
//   - the process's resident memory after open, after the queries and after the cycles.
//
// Usage: bench_store_history [--nodes=10000] [--days=30] [--db=/tmp/pnode-history-bench/history.db]
//                            [--queries=300] [--cycles=75] [--reuse] [--no-footprint]
//                            [--postgres] [--fill-days=<days>]
// --reuse skips the fill and measures an existing file (the fill re-runs the program
// with it, so the measurements never see the fill's memory). --no-footprint skips the
// page walk; --cycles=0 skips the cycles, --queries=0 the queries.
// --postgres measures the PostgreSQL store instead, on a throwaway cluster of its own
// (PgTestCluster: fsync off, as in the tests) that goes when the program ends; the fill
// and the measurements then share one process (the cluster does not survive a re-exec),
// so the RSS lines include the fill. --fill-days fills fewer days than the retention
// (--days) keeps, e.g. 0 to measure cycles alone.
//
// The data model (deterministic): cycles every 60 s with one second of jitter on a third
// of them; uptime follows the clock and resets about weekly; storage used grows at random
// in one cycle of 30; peer count changes in one of 40; the score moves a little in one
// cycle of 5 (pessimistic: real scores move less), trust in one of 200, capacity in one
// of 30; a node is offline in one sample of 200; every node upgrades its version once.
// Thread-safety: a single-threaded program.
#include <malloc.h>
#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <limits>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "bench/bench_support.h"
#include "model/snapshot.h"
#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_test_cluster.h"
#include "store/snapshot_codec.h"
#include "store/store.h"

namespace {

using namespace pnode;
using store::NodeHistoryRow;

constexpr int64_t kStart = 1764547200;  // 2025-12-01 00:00 UTC, a whole hour
constexpr int64_t kDay = 86400;

struct Options {
  int nodes = 10000;
  int days = 30;
  std::string db = "/tmp/pnode-history-bench/history.db";
  int queries = 300;
  int cycles = 75;
  bool reuse = false;
  bool footprint = true;
  bool postgres = false;
  int fill_days = -1;  // -1: as many as `days`
  std::string url;     // the store's URL (sqlite:// + db, or the throwaway cluster's)
};

bool parse_flag(const char* arg, const char* name, std::string& value) {
  size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  value = arg + n + 1;
  return true;
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string v;
    if (parse_flag(argv[i], "--nodes", v))
      o.nodes = std::stoi(v);
    else if (parse_flag(argv[i], "--days", v))
      o.days = std::stoi(v);
    else if (parse_flag(argv[i], "--db", v))
      o.db = v;
    else if (parse_flag(argv[i], "--queries", v))
      o.queries = std::stoi(v);
    else if (parse_flag(argv[i], "--cycles", v))
      o.cycles = std::stoi(v);
    else if (std::strcmp(argv[i], "--reuse") == 0)
      o.reuse = true;
    else if (std::strcmp(argv[i], "--no-footprint") == 0)
      o.footprint = false;
    else if (std::strcmp(argv[i], "--postgres") == 0)
      o.postgres = true;
    else if (parse_flag(argv[i], "--fill-days", v))
      o.fill_days = std::stoi(v);
    else {
      std::fprintf(stderr, "unknown argument %s\n", argv[i]);
      std::exit(2);
    }
  }
  if (o.fill_days < 0) o.fill_days = o.days;
  o.url = "sqlite://" + o.db;
  return o;
}

// ---- measuring -------------------------------------------------------------------------

double now_ms() {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

double thread_cpu_ms() {
  timespec ts;
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

// VmRSS and VmHWM in MiB.
std::pair<double, double> rss_mib() {
  std::ifstream status("/proc/self/status");
  std::string line;
  double rss = 0, hwm = 0;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) rss = std::stod(line.substr(6)) / 1024;
    if (line.rfind("VmHWM:", 0) == 0) hwm = std::stod(line.substr(6)) / 1024;
  }
  return {rss, hwm};
}

void print_rss(const char* when) {
  auto [rss, hwm] = rss_mib();
  std::printf("  RSS %-38s %7.1f MiB (peak %.1f MiB)\n", when, rss, hwm);
}

struct Summary {
  double median, p90, p99, max, mean;
};

Summary summarize(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  auto at = [&](double q) { return v[std::min(v.size() - 1, static_cast<size_t>(q * static_cast<double>(v.size())))]; };
  double sum = 0;
  for (double x : v) sum += x;
  return {at(0.5), at(0.9), at(0.99), v.back(), sum / static_cast<double>(v.size())};
}

template <class T>
T must(Result<T> r, const char* what) {
  if (!r) {
    std::fprintf(stderr, "%s: %s\n", what, r.error().message.c_str());
    std::exit(1);
  }
  return std::move(*r);
}

void must(const Status& st, const char* what) {
  if (!st) {
    std::fprintf(stderr, "%s: %s\n", what, st.error().message.c_str());
    std::exit(1);
  }
}

// ---- the data model --------------------------------------------------------------------

uint64_t mix(uint64_t x) {  // splitmix64
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

// The simulator's own pods (bench_support.h; set in main()): the memory step's registry is N.
std::vector<bench::SimulatedPod> simulator_pods;
std::string address_of(int n) { return simulator_pods.at(static_cast<size_t>(n)).address; }
std::string pubkey_of(int n) { return simulator_pods.at(static_cast<size_t>(n)).pubkey; }

int64_t cycle_ts(int64_t cycle) { return kStart + cycle * 60 + (mix(static_cast<uint64_t>(cycle)) % 3 == 0 ? 1 : 0); }

struct NodeModel {
  uint64_t rng;
  uint64_t uptime;
  uint64_t committed;
  uint64_t used;
  int64_t peers;
  double score, trust, capacity;
  bool is_public;
  int64_t upgrade_cycle;

  explicit NodeModel(int n) : rng(mix(static_cast<uint64_t>(n) + 12345)) {
    uptime = next() % (30 * kDay);
    committed = (uint64_t{1} << 30) * (10 + next() % 1000);
    used = committed / (2 + next() % 50);
    peers = static_cast<int64_t>(next() % 12);
    score = static_cast<double>(next() % 10000) / 100;
    trust = static_cast<double>(next() % 10000) / 100;
    capacity = static_cast<double>(next() % 10000) / 100;
    is_public = next() % 3 != 0;
    upgrade_cycle = static_cast<int64_t>(next() % (30 * 1440));
  }
  uint64_t next() { return rng = mix(rng); }
  bool one_in(uint64_t n) { return next() % n == 0; }

  // Advances to `cycle` and writes its sample into `r` (address left as it is).
  void sample(int64_t cycle, int64_t ts, int64_t previous_ts, NodeHistoryRow& r) {
    uptime = one_in(7 * 1440) ? 30 : uptime + static_cast<uint64_t>(ts - previous_ts);
    if (one_in(30)) used = std::min<uint64_t>(committed, used + next() % (uint64_t{64} << 20));
    if (one_in(40)) peers = static_cast<int64_t>(next() % 12);
    if (one_in(5))
      score = std::clamp(score + static_cast<double>(static_cast<int64_t>(next() % 101) - 50) / 100, 0.0, 100.0);
    if (one_in(200)) trust = static_cast<double>(next() % 10000) / 100;
    if (one_in(30)) capacity = static_cast<double>(next() % 10000) / 100;
    r.timestamp = ts;
    r.is_online = !one_in(200);
    r.is_public = is_public;
    r.version = cycle < upgrade_cycle ? "0.8.0" : "0.8.1";
    r.uptime = uptime;
    r.storage_committed = committed;
    r.storage_used = used;
    r.storage_usage_percent = static_cast<double>(used) / static_cast<double>(committed) * 100;
    r.peer_count = peers;
    r.score = std::round(score * 100) / 100;
    r.trust_score = trust;
    r.capacity_score = capacity;
  }
};

// CPU time of the PostgreSQL backends serving the store (same machine: /proc), so the
// server's share of a cycle shows apart from the wall time a busy machine stretches.
// Clock ticks (10 ms) of precision.
class ServerCpu {
 public:
  explicit ServerCpu(const std::string& url)
      : conn_(must(store::postgres::Connection::open(url), "connecting to watch the server")) {}
  double ms() {
    auto pids = must(conn_.exec("SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                                "AND backend_type = 'client backend' AND pid <> pg_backend_pid()"),
                     "listing the backends");
    double total = 0;
    for (int i = 0; i < pids.rows(); ++i) {
      std::ifstream stat("/proc/" + pids.string(i, 0) + "/stat");
      std::string line;
      std::getline(stat, line);
      std::istringstream fields(line.substr(line.rfind(')') + 2));  // from field 3 (state) on
      std::vector<std::string> f{std::istream_iterator<std::string>(fields), {}};
      if (f.size() > 12) total += (std::stod(f[11]) + std::stod(f[12])) * 1000 / static_cast<double>(sysconf(_SC_CLK_TCK));
    }
    return total;
  }

 private:
  store::postgres::Connection conn_;
};

// The statements' server time from pg_stat_statements, when the server has it loaded
// (PNODE_PG_TEST_OPTIONS="-c shared_preload_libraries=pg_stat_statements"): which
// statements a cycle's server time goes to.
class StatementProfile {
 public:
  explicit StatementProfile(const std::string& url)
      : conn_(must(store::postgres::Connection::open(url), "connecting for the statement profile")) {
    available_ = conn_.run("CREATE EXTENSION IF NOT EXISTS pg_stat_statements").ok() &&
                 conn_.run("SELECT pg_stat_statements_reset()").ok();
  }
  void print(int cycles) {
    if (!available_ || cycles <= 0) return;
    auto top = must(conn_.exec("SELECT total_exec_time, total_plan_time, calls, left(regexp_replace(query, '\\s+', ' ', "
                               "'g'), 90) FROM pg_stat_statements WHERE query NOT LIKE '%pg_stat_statements%' "
                               "ORDER BY total_exec_time DESC LIMIT 12"),
                    "reading pg_stat_statements");
    std::printf("    server time per cycle by statement (pg_stat_statements, execution + planning ms):\n");
    for (int i = 0; i < top.rows(); ++i)
      std::printf("      %7.2f + %5.2f ms  %5.1f calls  %s\n", top.real(i, 0) / cycles, top.real(i, 1) / cycles,
                  top.real(i, 2) / cycles, top.string(i, 3).c_str());
  }

 private:
  store::postgres::Connection conn_;
  bool available_ = false;
};

// ---- phases ----------------------------------------------------------------------------

std::unique_ptr<store::Store> open(const Options& o) { return must(store::open_store(o.url), "opening"); }

// A fresh database on a throwaway PostgreSQL cluster (this process's: it goes at exit).
std::string start_postgres() {
  auto cluster = must(store::postgres::PgTestCluster::shared(), "starting a PostgreSQL cluster");
  return must(cluster->create_database(), "creating the database");
}

// The fill pushes every hour through the raw table within minutes, faster than
// autovacuum reclaims it; in service the table holds about an hour. VACUUM FULL makes the
// footprint that of the data (chunks, the newest hour raw, indexes), ANALYZE the plans
// those of a server that has seen it.
void vacuum_after_fill(const Options& o) {
  auto conn = must(store::postgres::Connection::open(o.url), "connecting for VACUUM");
  double t0 = now_ms();
  for (const char* sql : {"VACUUM FULL recent_samples", "VACUUM node_chunks", "ANALYZE"}) must(conn.run(sql), sql);
  std::printf("after the fill: VACUUM FULL recent_samples, VACUUM node_chunks, ANALYZE: %.1f s\n",
              (now_ms() - t0) / 1000);
}

void fill(const Options& o) {
  if (!o.postgres) {
    std::filesystem::create_directories(std::filesystem::path(o.db).parent_path());
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(o.db + suffix);
  }
  auto db = open(o);
  std::vector<NodeModel> models;
  for (int n = 0; n < o.nodes; ++n) models.emplace_back(n);
  // One hour of every node a call, node-major (as a compaction would write it).
  std::vector<NodeHistoryRow> rows(static_cast<size_t>(o.nodes) * 60);
  for (int n = 0; n < o.nodes; ++n)
    for (int k = 0; k < 60; ++k) rows[static_cast<size_t>(n) * 60 + static_cast<size_t>(k)].address = address_of(n);
  const int64_t hours = int64_t{o.fill_days} * 24;
  std::printf("filling %d nodes x %d days (%" PRId64 " M samples) into %s\n", o.nodes, o.fill_days,
              hours * 60 * o.nodes / 1000000, o.postgres ? "PostgreSQL" : o.db.c_str());
  double t0 = now_ms(), store_ms = 0;
  for (int64_t h = 0; h < hours; ++h) {
    for (int n = 0; n < o.nodes; ++n) {
      for (int64_t k = 0; k < 60; ++k) {
        int64_t cycle = h * 60 + k;
        models[static_cast<size_t>(n)].sample(cycle, cycle_ts(cycle),
                                              cycle > 0 ? cycle_ts(cycle - 1) : cycle_ts(0) - 60,
                                              rows[static_cast<size_t>(n) * 60 + static_cast<size_t>(k)]);
      }
    }
    double s0 = now_ms();
    must(db->write_history_bulk(rows), "bulk write");
    store_ms += now_ms() - s0;
    if ((h + 1) % 24 == 0) {
      std::printf("  day %2" PRId64 ": %6.1f s elapsed (%.1f s in write_history_bulk)\n", (h + 1) / 24,
                  (now_ms() - t0) / 1000, store_ms / 1000);
      std::fflush(stdout);
    }
  }
  std::printf("fill: %.1f s (write_history_bulk %.1f s, %.2f us a sample)\n", (now_ms() - t0) / 1000, store_ms / 1000,
              store_ms * 1000 / static_cast<double>(hours * 60 * o.nodes));
  if (o.postgres) vacuum_after_fill(o);
}

std::shared_ptr<model::Snapshot> make_snapshot(const std::vector<model::RegistryEntry>& registry, uint64_t cycle,
                                                 int64_t ts) {
  auto s = std::make_shared<model::Snapshot>();
  s->cycle = cycle;
  s->started_at = ts - 2;
  s->last_updated = ts;
  s->duration_ms = 900;
  model::SeedPoll seed;
  seed.seed = "127.0.0.1:6000";
  seed.pod_count = registry.size();
  s->seeds = {seed};
  for (const auto& e : registry) {
    model::Pod p;
    p.address = e.address;
    p.pubkey = e.pubkey;
    p.is_public = e.is_public;
    p.last_seen_timestamp = ts;
    p.rpc_port = 6000;
    p.storage_committed = e.storage_committed;
    p.storage_used = e.storage_used;
    p.storage_usage_percent = e.storage_usage_percent;
    p.uptime = e.uptime;
    p.version = e.version;
    s->nodes.push_back({p, {0}, 0});
  }
  s->summary.total_pnodes = static_cast<int64_t>(registry.size());
  s->summary.last_updated = ts;
  return s;
}

// Writes cycles of N nodes continuing the data model; `part` picks what a cycle holds.
class CycleRunner {
 public:
  enum Part { kFull = 0, kHistory = 1, kRegistry = 2, kSnapshot = 3 };

  CycleRunner(const Options& o, store::Store& db) : o_(o), db_(db), registry_(static_cast<size_t>(o.nodes)) {
    if (o.postgres) server_ = std::make_unique<ServerCpu>(o.url);
    for (int n = 0; n < o.nodes; ++n) {
      models_.emplace_back(n);
      auto& e = registry_[static_cast<size_t>(n)];
      e.address = address_of(n);
      e.pubkey = pubkey_of(n);
      e.first_seen = e.created_at = kStart;
      e.last_ip = "127.0.0.1:6000";
      e.source_ips = {"127.0.0.1:6000"};
    }
  }

  // Returns wall ms of write_cycle, ms to encode the snapshot (apart), thread CPU ms.
  std::tuple<double, double, double> run(int64_t cycle, Part part) {
    const int64_t ts = cycle_ts(cycle);
    store::CycleWrite w;
    w.nodes.resize(static_cast<size_t>(o_.nodes));
    for (int n = 0; n < o_.nodes; ++n) {
      NodeHistoryRow& r = w.nodes[static_cast<size_t>(n)];
      r.address = address_of(n);
      models_[static_cast<size_t>(n)].sample(cycle, ts, cycle_ts(cycle - 1), r);
      auto& e = registry_[static_cast<size_t>(n)];
      e.last_seen = e.last_checked = ts;
      e.is_public = r.is_public;
      e.storage_committed = r.storage_committed;
      e.storage_used = r.storage_used;
      e.uptime = r.uptime;
      e.storage_usage_percent = r.storage_usage_percent;
      e.version = r.version;
    }
    if (part == kFull || part == kRegistry) w.registry_upserts = registry_;
    if (part == kFull || part == kSnapshot) w.snapshot = make_snapshot(registry_, static_cast<uint64_t>(cycle), ts);
    if (part != kFull && part != kHistory) w.nodes.clear();
    w.network.timestamp = ts;
    w.network.total_pnodes = o_.nodes;
    w.network.version_distribution = {{"0.8.0", o_.nodes / 2}, {"0.8.1", o_.nodes - o_.nodes / 2}};
    if (part == kFull || part == kHistory) w.retention_cutoff = ts - int64_t{o_.days} * kDay;
    double encode_ms = 0;
    if (w.snapshot) {
      double e0 = now_ms();
      (void)store::encode_snapshot(*w.snapshot);
      encode_ms = now_ms() - e0;
    }
    const double s0 = server_ ? server_->ms() : 0;
    double w0 = now_ms(), c0 = thread_cpu_ms();
    must(db_.write_cycle(w), "write_cycle");
    std::tuple<double, double, double> took{now_ms() - w0, encode_ms, thread_cpu_ms() - c0};
    if (server_) server_ms_.push_back(server_->ms() - s0);
    return took;
  }

 private:
  const Options& o_;
  store::Store& db_;
  std::vector<NodeModel> models_;
  std::vector<model::RegistryEntry> registry_;
  std::unique_ptr<ServerCpu> server_;

 public:
  std::vector<double> server_ms_;  // the backends' CPU ms of each cycle (PostgreSQL)
};

void measure(const Options& o) {
  if (o.postgres)
    std::printf("\nmeasuring PostgreSQL (the fill's process, pid %d)\n", static_cast<int>(getpid()));
  else
    std::printf("\nmeasuring %s (fresh process, pid %d)\n", o.db.c_str(), static_cast<int>(getpid()));
  print_rss("before opening the store");
  double t0 = now_ms();
  auto db = open(o);
  std::printf("  open: %.1f ms\n", now_ms() - t0);
  print_rss("after open");

  if (o.footprint) {
    t0 = now_ms();
    auto footprint = must(db->history_footprint(), "footprint");
    std::printf(
        "  footprint (%.1f s to walk the pages): %.2f bytes per node-sample = %.1f MiB / %.1f M samples "
        "(%.1f M not compacted yet)\n",
        (now_ms() - t0) / 1000, footprint.bytes_per_sample(), static_cast<double>(footprint.bytes) / 1048576,
        static_cast<double>(footprint.samples) / 1e6, static_cast<double>(footprint.recent_samples) / 1e6);
    for (const auto& [table, bytes] : footprint.bytes_by_table)
      std::printf("    %-36s %9.1f MiB\n", table.c_str(), static_cast<double>(bytes) / 1048576);
    if (!o.postgres)
      std::printf("  database file %.1f MiB\n", static_cast<double>(std::filesystem::file_size(o.db)) / 1048576);
    print_rss("after the footprint walk");
  }

  // Continue after the newest stored sample (a --reuse run may follow an earlier one).
  auto latest = must(db->network_sample_at_or_before(std::numeric_limits<int64_t>::max()), "latest");
  int64_t first_cycle = int64_t{o.fill_days} * 1440;
  if (latest) first_cycle = std::max(first_cycle, (latest->timestamp - kStart) / 60 + 1);
  const int64_t end = cycle_ts(first_cycle);

  // One node's whole history, random nodes.
  for (const char* pass : {"first touch", "warm"}) {
    if (o.queries <= 0) break;
    uint64_t rng = 99;
    std::vector<double> wall, cpu;
    size_t rows = 0;
    // The server's CPU apart from the wall time a busy machine stretches (PostgreSQL).
    std::unique_ptr<ServerCpu> server;
    if (o.postgres) server = std::make_unique<ServerCpu>(o.url);
    const double s0 = server ? server->ms() : 0;
    for (int q = 0; q < o.queries; ++q) {
      rng = mix(rng);
      std::string address = address_of(static_cast<int>(rng % static_cast<uint64_t>(o.nodes)));
      double q0 = now_ms(), c0 = thread_cpu_ms();
      auto history = must(db->node_history(address, end - int64_t{o.days} * kDay - 3600, end), "query");
      wall.push_back(now_ms() - q0);
      cpu.push_back(thread_cpu_ms() - c0);
      rows += history.samples.size();
    }
    Summary s = summarize(wall), c = summarize(cpu);
    std::printf("  node_history, %d nodes' %d days (%zu rows each), %s: median %.2f ms, p90 %.2f, p99 %.2f, max %.2f\n",
                o.queries, o.days, rows / static_cast<size_t>(o.queries), pass, s.median, s.p90, s.p99, s.max);
    std::printf("    thread CPU median %.2f ms, p99 %.2f", c.median, c.p99);
    if (server) std::printf("; PostgreSQL backends' CPU %.2f ms a query (mean)", (server->ms() - s0) / o.queries);
    std::printf("\n");
  }
  print_rss("after the queries");

  if (o.cycles <= 0) return;
  // Full cycles across an hour boundary, with retention at `days`.
  CycleRunner runner(o, *db);
  // From a whole hour: a full raw hour, then (with --cycles > 60) the next hour's first
  // cycles compact it in slices while retention drops the oldest hour.
  int64_t cycle = (first_cycle + 59) / 60 * 60;
  std::vector<double> wall, cpu, encode;
  std::vector<int64_t> at;
  std::unique_ptr<StatementProfile> profile;
  if (o.postgres) profile = std::make_unique<StatementProfile>(o.url);
  for (int c = 0; c < o.cycles; ++c, ++cycle) {
    auto [w, e, ms] = runner.run(cycle, CycleRunner::kFull);
    wall.push_back(w);
    cpu.push_back(ms);
    encode.push_back(e);
    at.push_back(cycle_ts(cycle));
  }
  Summary sw = summarize(wall), sc = summarize(cpu), se = summarize(encode);
  std::printf("  write_cycle, %d nodes (snapshot + %d registry upserts + %d samples + retention), %d cycles:\n",
              o.nodes, o.nodes, o.nodes, o.cycles);
  std::printf("    wall median %.1f ms, p90 %.1f, max %.1f; thread CPU median %.1f ms, p90 %.1f, max %.1f\n", sw.median,
              sw.p90, sw.max, sc.median, sc.p90, sc.max);
  std::printf("    of which encoding the snapshot (measured apart): median %.1f ms\n", se.median);
  if (!runner.server_ms_.empty()) {
    Summary ss = summarize(runner.server_ms_);
    std::printf("    PostgreSQL backends' CPU: median %.1f ms, p90 %.1f, max %.1f\n", ss.median, ss.p90, ss.max);
  }
  if (profile) profile->print(o.cycles);
  std::printf("    per cycle (minute of the hour: wall ms / cpu ms):");
  for (size_t i = 0; i < wall.size(); ++i) {
    if (i % 8 == 0) std::printf("\n     ");
    std::printf(" %02" PRId64 ":%5.1f/%5.1f", (at[i] - kStart) / 60 % 60, wall[i], cpu[i]);
  }
  std::printf("\n");
  // The parts alone (each with the network sample), mid-hour: what each costs.
  const char* names[] = {"history only (samples + retention)", "registry upserts only", "snapshot only"};
  for (auto part : {CycleRunner::kHistory, CycleRunner::kRegistry, CycleRunner::kSnapshot}) {
    std::vector<double> part_wall, part_cpu;
    for (int c = 0; c < 12; ++c, ++cycle) {
      auto [w, e, ms] = runner.run(cycle, part);
      part_wall.push_back(w);
      part_cpu.push_back(ms);
    }
    Summary pw = summarize(part_wall), pc = summarize(part_cpu);
    std::printf("    %-36s wall median %5.1f ms, thread CPU median %5.1f ms (max %.1f)\n", names[part - 1], pw.median,
                pc.median, pc.max);
  }
  print_rss("after the cycles (the DB still open)");

  auto after = must(db->history_footprint(), "footprint");
  std::printf("  after the cycles: %.2f bytes per node-sample, %.1f M samples (%.2f M not compacted)\n",
              after.bytes_per_sample(), static_cast<double>(after.samples) / 1e6,
              static_cast<double>(after.recent_samples) / 1e6);
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  simulator_pods = bench::simulated_pods(static_cast<size_t>(o.nodes));
  if (o.postgres) o.url = start_postgres();
  std::printf("machine: %ld cores online, load average %s", sysconf(_SC_NPROCESSORS_ONLN), [] {
    static char buf[128] = "?\n";
    std::ifstream("/proc/loadavg").getline(buf, sizeof buf - 1);
    std::strcat(buf, "\n");
    return buf;
  }());
  if (!o.reuse) {
    fill(o);
    if (o.postgres) {  // the cluster would not survive the re-exec
      measure(o);
      return 0;
    }
    // Measure in a fresh process: the fill's buffers must not count.
    std::vector<std::string> args(argv, argv + argc);
    args.push_back("--reuse");
    std::vector<char*> cargs;
    for (auto& a : args) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    std::fflush(stdout);
    execv("/proc/self/exe", cargs.data());
    std::perror("execv");
    return 1;
  }
  measure(o);
  return 0;
}
