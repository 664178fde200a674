#include "api/metrics.h"

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <utility>
#include <vector>

#include "analysis/node_view.h"
#include "api/node_json.h"
#include "model/cycle_stats.h"
#include "model/snapshot.h"

namespace pnode::api {
namespace {

using Labels = std::vector<std::pair<std::string_view, std::string_view>>;

double system_unix_seconds_precise() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// Prometheus parses values with Go's ParseFloat: "+Inf", "-Inf", "NaN" and any decimal
// form. The shortest round-trip digits, in plain notation for everyday magnitudes, so
// bucket bounds read le="0.0005" (as Go clients write them) and timestamps stay whole.
std::string format_value(double value) {
  if (std::isnan(value)) return "NaN";
  if (std::isinf(value)) return value > 0 ? "+Inf" : "-Inf";
  char buffer[64];
  double magnitude = std::fabs(value);
  bool plain = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e15);
  auto [end, ec] = plain ? std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed)
                         : std::to_chars(buffer, buffer + sizeof buffer, value);
  return std::string(buffer, end);
}

std::string format_value(uint64_t value) { return std::to_string(value); }

// Label values escape backslash, double quote and line feed; HELP text escapes only
// backslash and line feed (exposition format 0.0.4).
void append_escaped(std::string& out, std::string_view text, bool escape_quote) {
  for (char c : text) {
    if (c == '\\') out += "\\\\";
    else if (c == '\n') out += "\\n";
    else if (c == '"' && escape_quote) out += "\\\"";
    else out += c;
  }
}

void append_family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += "# HELP ";
  out += name;
  out += ' ';
  append_escaped(out, help, false);
  out += "\n# TYPE ";
  out += name;
  out += ' ';
  out += type;
  out += '\n';
}

void append_sample(std::string& out, std::string_view name, const Labels& labels, std::string_view value,
                   std::string_view suffix = {}) {
  out += name;
  out += suffix;
  if (!labels.empty()) {
    out += '{';
    for (size_t i = 0; i < labels.size(); ++i) {
      if (i) out += ',';
      out += labels[i].first;
      out += "=\"";
      append_escaped(out, labels[i].second, true);
      out += '"';
    }
    out += '}';
  }
  out += ' ';
  out += value;
  out += '\n';
}

// The _bucket (cumulative, ascending, +Inf last), _sum and _count samples of one series.
void append_histogram(std::string& out, std::string_view name, Labels labels, std::span<const double> bounds,
                      const std::vector<uint64_t>& cumulative, double sum) {
  labels.emplace_back("le", "");
  for (size_t i = 0; i <= bounds.size(); ++i) {
    std::string le = i < bounds.size() ? format_value(bounds[i]) : "+Inf";
    labels.back().second = le;
    append_sample(out, name, labels, format_value(cumulative[i]), "_bucket");
  }
  labels.pop_back();
  append_sample(out, name, labels, format_value(sum), "_sum");
  append_sample(out, name, labels, format_value(cumulative.back()), "_count");
}

void append_histogram(std::string& out, std::string_view name, const Labels& labels, const Metrics::Histogram& h) {
  append_histogram(out, name, labels, h.bounds(), h.cumulative_counts(), h.sum());
}

// A client may send any method token; only the standard ones become label values.
std::string_view bounded_method(std::string_view method) {
  static constexpr std::string_view kKnown[] = {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"};
  for (std::string_view known : kKnown)
    if (method == known) return known;
  return "other";
}

struct ProcessMemory {
  uint64_t virtual_bytes = 0;
  uint64_t resident_bytes = 0;
};

std::optional<ProcessMemory> read_process_memory() {
  std::ifstream statm("/proc/self/statm");
  uint64_t size_pages = 0, resident_pages = 0;
  if (!(statm >> size_pages >> resident_pages)) return std::nullopt;
  long page = sysconf(_SC_PAGESIZE);
  if (page <= 0) return std::nullopt;
  return ProcessMemory{size_pages * static_cast<uint64_t>(page), resident_pages * static_cast<uint64_t>(page)};
}

std::optional<double> read_process_cpu_seconds() {
  rusage usage{};
  if (getrusage(RUSAGE_SELF, &usage) != 0) return std::nullopt;
  auto seconds = [](const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

}  // namespace

// ---- Histogram ----

Metrics::Histogram::Histogram(std::span<const double> bounds)
    : bounds_(bounds), counts_(std::make_unique<std::atomic<uint64_t>[]>(bounds.size() + 1)) {}

void Metrics::Histogram::observe(double value) {
  // Buckets are "less than or equal": the first bound >= value.
  size_t bucket = static_cast<size_t>(std::lower_bound(bounds_.begin(), bounds_.end(), value) - bounds_.begin());
  counts_[bucket].fetch_add(1, std::memory_order_relaxed);
  sum_.fetch_add(value, std::memory_order_relaxed);
}

std::vector<uint64_t> Metrics::Histogram::cumulative_counts() const {
  std::vector<uint64_t> out(bounds_.size() + 1);
  uint64_t running = 0;
  for (size_t i = 0; i < out.size(); ++i) out[i] = running += counts_[i].load(std::memory_order_relaxed);
  return out;
}

// ---- Cycle state ----

struct Metrics::CycleState {
  struct Seed {
    std::string seed;
    bool up = false;
    size_t pods = 0;
    double poll_seconds = 0;
  };

  uint64_t cycles_ok = 0;
  uint64_t cycles_failed = 0;
  uint64_t cycles_inconclusive = 0;
  uint64_t store_errors = 0;
  uint64_t refused_local = 0;   // cycles not written: the lease's local deadline had passed
  uint64_t refused_fenced = 0;  // cycle writes the store refused: the lease had passed on
  uint64_t registry_moves = 0;      // entries carried to a new address (NAT port changes)
  uint64_t registry_deferred = 0;   // new nodes left out of the registry (admission budget, cap)
  uint64_t registry_evictions = 0;  // entries evicted to keep the registry cap
  Histogram cycle_duration{kCycleBuckets};
  Histogram store_write{kStoreBuckets};
  std::map<std::tuple<std::string, std::string, std::string>, uint64_t> rpc_errors;  // (seed, method, kind)
  std::map<std::string, uint64_t> rejected_fields;  // by seed
  std::optional<double> last_cycle_at;
  bool last_cycle_ok = false;

  // From the last cycle that produced a snapshot.
  bool has_snapshot = false;
  std::vector<Seed> seeds;  // configured order
  uint64_t seeds_responding = 0;
  uint64_t pods_online = 0;
  uint64_t pods_offline = 0;
  uint64_t pods_per_cycle = 0;
  uint64_t registry_nodes = 0;
};

// ---- Metrics ----

Metrics::Metrics(double process_start_unix)
    : process_start_(process_start_unix != 0 ? process_start_unix : system_unix_seconds_precise()),
      cycle_(std::make_unique<CycleState>()) {}

Metrics::~Metrics() = default;

Metrics::Histogram& Metrics::request_series(std::string_view route, std::string_view method, int status) {
  RequestKeyView key{route, method, status};
  {
    std::shared_lock lock(requests_mutex_);
    if (auto it = requests_.find(key); it != requests_.end()) return *it->second;
  }
  std::unique_lock lock(requests_mutex_);
  auto it = requests_.find(key);  // another thread may have added it meanwhile
  if (it == requests_.end())
    it = requests_.emplace(RequestKey{std::string(route), std::string(method), status},
                           std::make_unique<Histogram>(kRequestBuckets)).first;
  // Series are never removed and live behind a unique_ptr, so the reference stays valid.
  return *it->second;
}

void Metrics::record_request(std::string_view route, std::string_view method, int status,
                             std::chrono::nanoseconds duration) {
  double seconds = std::chrono::duration<double>(duration).count();
  request_series(route, bounded_method(method), status).observe(std::max(0.0, seconds));
}

void Metrics::record_cycle(const model::CycleStats& report) { record_cycle(report, system_unix_seconds_precise()); }

void Metrics::record_cycle(const model::CycleStats& report, double now_unix) {
  if (report.follower) return;  // no cycle ran: another instance collects
  std::lock_guard lock(cycle_mutex_);
  CycleState& c = *cycle_;
  c.last_cycle_at = now_unix;
  c.last_cycle_ok = report.ok;
  if (report.lease_refusal == model::LeaseRefusal::kLocal) {
    ++c.refused_local;  // no write was attempted
    if (report.ok) ++c.cycles_ok;
    else ++c.cycles_failed;
    return;
  }
  if (!report.ok) {  // no snapshot: the per-seed and pod gauges keep the last good values
    ++(report.inconclusive ? c.cycles_inconclusive : c.cycles_failed);
    return;
  }
  ++c.cycles_ok;
  c.cycle_duration.observe(report.duration_ms / 1000);
  // The collector reports store_ms only when it has a store; an ok cycle's error is
  // always a failed store write (collector.cc).
  if (report.store_ms > 0 || !report.error.empty()) c.store_write.observe(report.store_ms / 1000);
  if (!report.error.empty()) ++c.store_errors;
  if (report.lease_refusal == model::LeaseRefusal::kFenced) ++c.refused_fenced;
  if (!report.snapshot) return;

  const model::Snapshot& s = *report.snapshot;
  c.has_snapshot = true;
  c.registry_moves += s.changes.moved.size();
  c.registry_deferred += s.changes.admission_deferred;
  c.registry_evictions += s.changes.evicted.size();
  c.seeds.clear();
  for (const model::SeedPoll& poll : s.seeds) {
    c.seeds.push_back(CycleState::Seed{poll.seed, poll.ok(), poll.pod_count, poll.duration_ms / 1000});
    auto count = [&](const char* method, const std::optional<Error>& error) {
      if (error) ++c.rpc_errors[{poll.seed, method, std::string(error->kind())}];
    };
    count("get-version", poll.version_error);
    count("get-stats", poll.stats_error);
    count("get-pods", poll.pods_error);
    if (poll.rejected_fields > 0) c.rejected_fields[poll.seed] += poll.rejected_fields;
  }
  c.seeds_responding = static_cast<uint64_t>(std::max<int64_t>(0, s.summary.seeds_responding));
  c.registry_nodes = s.registry ? s.registry->entries.size() : 0;
  if (s.views) {
    c.pods_online = s.views->online_count;
    c.pods_offline = s.views->nodes.size() - s.views->online_count;
  } else {
    c.pods_online = s.nodes.size();
    c.pods_offline = c.registry_nodes > c.pods_online ? c.registry_nodes - c.pods_online : 0;
  }
  c.pods_per_cycle = static_cast<uint64_t>(std::max<int64_t>(0, s.summary.total_pnodes));
}

std::string Metrics::render(const model::Snapshot* current, double now_unix) const {
  std::string out;
  out.reserve(16384);
  render_requests(out);
  render_cycles(out);

  append_family(out, "pnode_snapshot_age_seconds", "gauge",
                "Seconds since the snapshot being served was published (absent before the first one).");
  if (current) {
    double last_updated = static_cast<double>(snapshot_last_updated(*current, static_cast<int64_t>(now_unix)));
    append_sample(out, "pnode_snapshot_age_seconds", {}, format_value(now_unix - last_updated));
  }
  render_leadership(out);
  render_notifications(out);
  render_process(out, process_start_);
  return out;
}

void Metrics::render_notifications(std::string& out) const {
  if (!notification_source_) return;
  const std::vector<SubscriptionStatus> subscriptions = notification_source_();
  struct Family {
    const char* name;
    const char* type;
    const char* help;
    std::function<std::optional<double>(const SubscriptionStatus&)> value;
  };
  const Family families[] = {
      {"pnode_notify_delivered_total", "counter", "Notification messages the subscription's receiver took.",
       [](const SubscriptionStatus& s) { return static_cast<double>(s.delivered); }},
      {"pnode_notify_failed_total", "counter",
       "Notification messages given up (refused for good, or out of attempts).",
       [](const SubscriptionStatus& s) { return static_cast<double>(s.failed); }},
      {"pnode_notify_retries_total", "counter", "Delivery attempts after the first, over all messages.",
       [](const SubscriptionStatus& s) { return static_cast<double>(s.retries); }},
      {"pnode_notify_pending", "gauge", "Notifications read from the outbox and not yet delivered or given up.",
       [](const SubscriptionStatus& s) { return static_cast<double>(s.pending); }},
      {"pnode_notify_last_success_timestamp_seconds", "gauge",
       "Unix time of the subscription's last delivered message (absent before the first).",
       [](const SubscriptionStatus& s) {
         return s.last_success ? std::optional<double>(static_cast<double>(*s.last_success)) : std::nullopt;
       }},
  };
  for (const Family& f : families) {
    append_family(out, f.name, f.type, f.help);
    for (const SubscriptionStatus& s : subscriptions)
      if (auto v = f.value(s)) append_sample(out, f.name, {{"subscription", s.name}, {"channel", s.channel}}, format_value(*v));
  }
}

void Metrics::render_leadership(std::string& out) const {
  if (!status_source_) return;
  const model::CollectionStatus status = status_source_();
  append_family(out, "pnode_collector_role", "gauge",
                "1 for this instance's role among instances sharing a store: leader (collects), follower (loads "
                "the leader's cycles) or sole (a store only this process uses).");
  for (const char* role : {"leader", "follower", "sole"})
    append_sample(out, "pnode_collector_role", {{"role", role}}, status.role == role ? "1" : "0");
  append_family(out, "pnode_collector_lease_epoch", "gauge",
                "The fencing epoch of the collector lease this instance holds (absent unless it leads).");
  if (status.lease_epoch) append_sample(out, "pnode_collector_lease_epoch", {}, format_value(static_cast<uint64_t>(*status.lease_epoch)));
}

void Metrics::render_requests(std::string& out) const {
  struct Series {
    const RequestKey* key;
    std::vector<uint64_t> cumulative;
    double sum;
  };
  std::vector<Series> series;
  {
    // Read each series once, so its counter and its histogram agree.
    std::shared_lock lock(requests_mutex_);
    series.reserve(requests_.size());
    for (const auto& [key, histogram] : requests_)
      series.push_back(Series{&key, histogram->cumulative_counts(), histogram->sum()});
  }
  // Keys are never removed, so the pointers stay valid without the lock.
  auto labels = [](const RequestKey& key, const std::string& status) {
    return Labels{{"route", key.route}, {"method", key.method}, {"status", status}};
  };
  append_family(out, "http_requests_total", "counter", "HTTP requests answered, by route pattern, method and status.");
  for (const Series& s : series) {
    std::string status = std::to_string(s.key->status);
    append_sample(out, "http_requests_total", labels(*s.key, status), format_value(s.cumulative.back()));
  }
  append_family(out, "http_request_duration_seconds", "histogram",
                "Time to answer HTTP requests, by route pattern, method and status.");
  for (const Series& s : series) {
    std::string status = std::to_string(s.key->status);
    append_histogram(out, "http_request_duration_seconds", labels(*s.key, status), kRequestBuckets, s.cumulative,
                     s.sum);
  }
}

void Metrics::render_cycles(std::string& out) const {
  std::lock_guard lock(cycle_mutex_);
  const CycleState& c = *cycle_;

  append_family(out, "pnode_cycles_total", "counter", "Collector cycles, by outcome.");
  append_sample(out, "pnode_cycles_total", {{"outcome", "ok"}}, format_value(c.cycles_ok));
  append_sample(out, "pnode_cycles_total", {{"outcome", "failed"}}, format_value(c.cycles_failed));
  append_sample(out, "pnode_cycles_total", {{"outcome", "inconclusive"}}, format_value(c.cycles_inconclusive));

  append_family(out, "pnode_last_cycle_success", "gauge", "1 when the last collector cycle succeeded, else 0.");
  if (c.last_cycle_at) append_sample(out, "pnode_last_cycle_success", {}, c.last_cycle_ok ? "1" : "0");
  append_family(out, "pnode_last_cycle_timestamp_seconds", "gauge", "Unix time the last collector cycle ended.");
  if (c.last_cycle_at) append_sample(out, "pnode_last_cycle_timestamp_seconds", {}, format_value(*c.last_cycle_at));

  append_family(out, "pnode_cycle_duration_seconds", "histogram", "Duration of successful collector cycles.");
  append_histogram(out, "pnode_cycle_duration_seconds", {}, c.cycle_duration);
  append_family(out, "pnode_store_write_seconds", "histogram", "Duration of the per-cycle store write.");
  append_histogram(out, "pnode_store_write_seconds", {}, c.store_write);
  append_family(out, "pnode_store_errors_total", "counter", "Per-cycle store writes that failed.");
  append_sample(out, "pnode_store_errors_total", {}, format_value(c.store_errors));
  append_family(out, "pnode_cycle_writes_refused_total", "counter",
                "Cycles this instance collected as leader but did not write because it had lost the collector "
                "lease: by reason, lease_expired (its local deadline passed before the write) or fenced (the "
                "store refused the write: another instance holds the lease).");
  append_sample(out, "pnode_cycle_writes_refused_total", {{"reason", "lease_expired"}}, format_value(c.refused_local));
  append_sample(out, "pnode_cycle_writes_refused_total", {{"reason", "fenced"}}, format_value(c.refused_fenced));

  append_family(out, "pnode_registry_moves_total", "counter",
                "Registry entries carried to a new address (same pubkey and IP, new port).");
  append_sample(out, "pnode_registry_moves_total", {}, format_value(c.registry_moves));
  append_family(out, "pnode_registry_admission_deferred_total", "counter",
                "New nodes left out of the registry for a cycle (per-seed budget or cap).");
  append_sample(out, "pnode_registry_admission_deferred_total", {}, format_value(c.registry_deferred));
  append_family(out, "pnode_registry_evictions_total", "counter", "Long-offline registry entries evicted to keep the cap.");
  append_sample(out, "pnode_registry_evictions_total", {}, format_value(c.registry_evictions));

  append_family(out, "pnode_rpc_errors_total", "counter", "Failed pRPC calls to seeds, by seed, method and error kind.");
  for (const auto& [key, count] : c.rpc_errors) {
    const auto& [seed, method, kind] = key;
    append_sample(out, "pnode_rpc_errors_total", {{"seed", seed}, {"method", method}, {"kind", kind}},
                  format_value(count));
  }

  append_family(out, "pnode_rejected_fields_total", "counter",
                "Values seeds sent that were dropped as implausible (out of range, too long, odd "
                "characters), by seed.");
  for (const auto& [seed, count] : c.rejected_fields)
    append_sample(out, "pnode_rejected_fields_total", {{"seed", seed}}, format_value(count));

  append_family(out, "pnode_seed_up", "gauge", "1 when the seed listed its pods in the last cycle, else 0.");
  for (const auto& seed : c.seeds) append_sample(out, "pnode_seed_up", {{"seed", seed.seed}}, seed.up ? "1" : "0");
  append_family(out, "pnode_seed_pods", "gauge", "Pods the seed listed in the last cycle.");
  for (const auto& seed : c.seeds)
    append_sample(out, "pnode_seed_pods", {{"seed", seed.seed}}, format_value(static_cast<uint64_t>(seed.pods)));
  append_family(out, "pnode_seed_poll_duration_seconds", "gauge", "Time spent polling the seed in the last cycle.");
  for (const auto& seed : c.seeds)
    append_sample(out, "pnode_seed_poll_duration_seconds", {{"seed", seed.seed}}, format_value(seed.poll_seconds));
  append_family(out, "pnode_seeds_responding", "gauge", "Seeds that answered in the last cycle.");
  if (c.has_snapshot) append_sample(out, "pnode_seeds_responding", {}, format_value(c.seeds_responding));

  append_family(out, "pnode_pods", "gauge", "Known pods in the last cycle, by state (online: in the gossip view).");
  if (c.has_snapshot) {
    append_sample(out, "pnode_pods", {{"state", "online"}}, format_value(c.pods_online));
    append_sample(out, "pnode_pods", {{"state", "offline"}}, format_value(c.pods_offline));
  }
  append_family(out, "pnode_pods_per_cycle", "gauge", "Unique pods in the merged gossip view of the last cycle.");
  if (c.has_snapshot) append_sample(out, "pnode_pods_per_cycle", {}, format_value(c.pods_per_cycle));
  append_family(out, "pnode_registry_nodes", "gauge", "Addresses in the registry (every node ever seen).");
  if (c.has_snapshot) append_sample(out, "pnode_registry_nodes", {}, format_value(c.registry_nodes));
}

void Metrics::render_process(std::string& out, double process_start) {
  append_family(out, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
  append_sample(out, "process_start_time_seconds", {}, format_value(process_start));
  std::optional<ProcessMemory> memory = read_process_memory();
  append_family(out, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
  if (memory) append_sample(out, "process_resident_memory_bytes", {}, format_value(memory->resident_bytes));
  append_family(out, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
  if (memory) append_sample(out, "process_virtual_memory_bytes", {}, format_value(memory->virtual_bytes));
  std::optional<double> cpu = read_process_cpu_seconds();
  append_family(out, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
  if (cpu) append_sample(out, "process_cpu_seconds_total", {}, format_value(*cpu));
}

}  // namespace pnode::api
