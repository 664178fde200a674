#include "store/snapshot_codec.h"

#include <simdjson.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "store/json_read.h"
#include "store/node_codec.h"
#include "util/flat_map.h"
#include "util/json_writer.h"

namespace pnode::store {
namespace {

using model::GossipChanges;
using model::MergedNode;
using model::NetworkSummary;
using model::SeedPoll;
using model::Snapshot;
using namespace json_read;  // NOLINT(google-build-using-namespace): the readers this codec is made of

// ---- encoding --------------------------------------------------------------------------

void write_error(JsonWriter& w, std::string_view key, const std::optional<Error>& error) {
  w.key(key);
  if (!error) {
    w.null();
    return;
  }
  w.begin_object().field("kind", error->kind()).field("message", error->message);
  // The structured fields only when set: most errors have none, and older blobs lack them.
  if (error->rpc_code) w.field("rpc_code", *error->rpc_code);
  if (error->http_status) w.field("http_status", *error->http_status);
  if (!error->where.empty()) w.field("where", error->where);
  w.end_object();
}

void write_stats(JsonWriter& w, const std::optional<model::NodeStats>& stats) {
  w.key("stats");
  if (!stats) {
    w.null();
    return;
  }
  w.begin_object()
      .field("active_streams", stats->active_streams)
      .field("cpu_percent", stats->cpu_percent)
      .field("current_index", stats->current_index)
      .field("file_size", stats->file_size)
      .field("last_updated", stats->last_updated)
      .field("packets_received", stats->packets_received)
      .field("packets_sent", stats->packets_sent)
      .field("ram_total", stats->ram_total)
      .field("ram_used", stats->ram_used)
      .field("total_bytes", stats->total_bytes)
      .field("total_pages", stats->total_pages)
      .field("uptime", stats->uptime)
      .end_object();
}

void write_seed(JsonWriter& w, const SeedPoll& seed) {
  w.begin_object().field("seed", seed.seed);
  w.key("version");
  if (seed.version) w.value(seed.version->version);
  else w.null();
  write_stats(w, seed.stats);
  write_error(w, "version_error", seed.version_error);
  write_error(w, "stats_error", seed.stats_error);
  write_error(w, "pods_error", seed.pods_error);
  w.field("pod_count", seed.pod_count)
      .field("pods_total_count", seed.pods_total_count)
      .field("used_fallback", seed.used_fallback)
      .field("duration_ms", seed.duration_ms)
      .end_object();
}

void write_summary(JsonWriter& w, const NetworkSummary& s) {
  w.key("summary")
      .begin_object()
      .field("total_nodes", s.total_nodes)
      .field("total_pnodes", s.total_pnodes)
      .field("total_pnodes_raw", s.total_pnodes_raw)
      .field("total_bytes_processed", s.total_bytes_processed)
      .field("avg_cpu_percent", s.avg_cpu_percent)
      .field("avg_ram_used_percent", s.avg_ram_used_percent)
      .field("total_active_streams", s.total_active_streams)
      .field("last_updated", s.last_updated)
      .field("seeds_responding", s.seeds_responding)
      .end_object();
}

void write_strings(JsonWriter& w, std::string_view key, const std::vector<std::string>& values) {
  w.key(key).begin_array();
  for (const auto& v : values) w.value(v);
  w.end_array();
}

// ---- decoding --------------------------------------------------------------------------

std::optional<Error> read_error(dom::object obj, std::string_view key) {
  auto e = find(obj, key);
  if (!e) return std::nullopt;
  dom::object o = *e;
  const std::string kind = read<std::string>(o, "kind");
  const std::optional<ErrorCode> code = error_code_from_name(kind);
  if (!code) throw Malformed("unknown error kind \"" + kind + "\"");
  Error error = make_error(*code, read<std::string>(o, "message"));
  error.rpc_code = read_opt<int64_t>(o, "rpc_code");
  if (auto status = read_opt<int64_t>(o, "http_status")) error.http_status = static_cast<int>(*status);
  if (auto where = read_opt<std::string>(o, "where")) error.where = std::move(*where);
  return error;
}

std::optional<model::NodeStats> read_stats(dom::object seed) {
  auto e = find(seed, "stats");
  if (!e) return std::nullopt;
  dom::object o = *e;
  model::NodeStats s;
  s.active_streams = read_opt<uint64_t>(o, "active_streams");
  s.cpu_percent = read_opt<double>(o, "cpu_percent");
  s.current_index = read_opt<uint64_t>(o, "current_index");
  s.file_size = read_opt<uint64_t>(o, "file_size");
  s.last_updated = read_opt<uint64_t>(o, "last_updated");
  s.packets_received = read_opt<uint64_t>(o, "packets_received");
  s.packets_sent = read_opt<uint64_t>(o, "packets_sent");
  s.ram_total = read_opt<uint64_t>(o, "ram_total");
  s.ram_used = read_opt<uint64_t>(o, "ram_used");
  s.total_bytes = read_opt<uint64_t>(o, "total_bytes");
  s.total_pages = read_opt<uint64_t>(o, "total_pages");
  s.uptime = read_opt<uint64_t>(o, "uptime");
  return s;
}

SeedPoll read_seed(dom::object o) {
  SeedPoll s;
  s.seed = read<std::string>(o, "seed");
  if (auto v = read_opt<std::string>(o, "version")) s.version = model::VersionInfo{std::move(*v)};
  s.stats = read_stats(o);
  s.version_error = read_error(o, "version_error");
  s.stats_error = read_error(o, "stats_error");
  s.pods_error = read_error(o, "pods_error");
  s.pod_count = static_cast<size_t>(read<uint64_t>(o, "pod_count"));
  s.pods_total_count = read_opt<uint64_t>(o, "pods_total_count");
  s.used_fallback = read<bool>(o, "used_fallback");
  s.duration_ms = read<double>(o, "duration_ms");
  return s;
}

NetworkSummary read_summary(dom::object o) {
  NetworkSummary s;
  s.total_nodes = read<int64_t>(o, "total_nodes");
  s.total_pnodes = read<int64_t>(o, "total_pnodes");
  s.total_pnodes_raw = read<int64_t>(o, "total_pnodes_raw");
  s.total_bytes_processed = read<uint64_t>(o, "total_bytes_processed");
  s.avg_cpu_percent = read<double>(o, "avg_cpu_percent");
  s.avg_ram_used_percent = read<double>(o, "avg_ram_used_percent");
  s.total_active_streams = read<uint64_t>(o, "total_active_streams");
  s.last_updated = read<int64_t>(o, "last_updated");
  s.seeds_responding = read<int64_t>(o, "seeds_responding");
  return s;
}

std::vector<std::string> read_strings(dom::object o, std::string_view key) {
  std::vector<std::string> out;
  for (dom::element e : dom::array(require(o, key))) out.push_back(read<std::string>(e));
  return out;
}


}  // namespace

// The growth trends, sorted by address so equal snapshots encode alike. An optional key:
// older blobs lack it (and read back as none).
void write_growth_trends(JsonWriter& w, const FlatStringMap<double>* trends) {
  if (!trends || trends->empty()) return;
  std::vector<std::pair<std::string_view, double>> sorted(trends->begin(), trends->end());
  std::sort(sorted.begin(), sorted.end());
  w.key("growth_trends").begin_object();
  for (const auto& [address, trend] : sorted) w.field(address, trend);
  w.end_object();
}

std::shared_ptr<const FlatStringMap<double>> read_growth_trends(dom::object o) {
  dom::element trends;
  if (o["growth_trends"].get(trends) != simdjson::SUCCESS) return nullptr;
  auto out = std::make_shared<FlatStringMap<double>>();
  for (auto field : dom::object(trends)) out->emplace(std::string(field.key), read_double(field.value));
  return out;
}

// The latest probe round (collect/prober.h), an optional key: without it (probing off, or
// an older blob) the snapshot has none. Results are objects with short keys.
void write_probe(JsonWriter& w, const model::ProbeRound* round) {
  if (!round) return;
  w.key("probe").begin_object();
  w.field("round", round->round).field("started_at", round->started_at).field("finished_at", round->finished_at);
  w.field("duration_ms", round->duration_ms).field("public_pods", round->public_pods).field("probed", round->probed);
  w.field("answered", round->answered).field("denied", round->denied);
  w.field("discovered_next", round->discovered_next).field("concurrency", round->concurrency);
  w.key("results").begin_array();
  for (const model::PodProbe& p : round->results) {
    w.begin_object().field("a", p.address).field("e", p.endpoint).field("k", p.pubkey).field("ok", p.reachable);
    w.field("f", p.failure).field("d", p.detail).field("c", p.connect_ms).field("t", p.total_ms);
    w.field("v", p.version).field("sf", p.stats_failure).field("n", p.pods_listed).field("x", p.discovered);
    w.field("at", p.probed_at);
    write_stats(w, p.stats);
    w.end_object();
  }
  w.end_array().end_object();
}

std::shared_ptr<const model::ProbeRound> read_probe(dom::object o) {
  auto e = find(o, "probe");
  if (!e) return nullptr;
  dom::object p = *e;
  auto round = std::make_shared<model::ProbeRound>();
  round->round = read<uint64_t>(p, "round");
  round->started_at = read<int64_t>(p, "started_at");
  round->finished_at = read<int64_t>(p, "finished_at");
  round->duration_ms = read<double>(p, "duration_ms");
  round->public_pods = read<uint64_t>(p, "public_pods");
  round->probed = read<uint64_t>(p, "probed");
  round->answered = read<uint64_t>(p, "answered");
  round->denied = read<uint64_t>(p, "denied");
  round->discovered_next = read<uint64_t>(p, "discovered_next");
  round->concurrency = read<uint64_t>(p, "concurrency");
  for (dom::element element : dom::array(require(p, "results"))) {
    dom::object r = element;
    model::PodProbe probe;
    probe.address = read<std::string>(r, "a");
    probe.endpoint = read<std::string>(r, "e");
    probe.pubkey = read_opt<std::string>(r, "k");
    probe.reachable = read<bool>(r, "ok");
    probe.failure = read<std::string>(r, "f");
    probe.detail = read<std::string>(r, "d");
    probe.connect_ms = read<double>(r, "c");
    probe.total_ms = read<double>(r, "t");
    probe.version = read_opt<std::string>(r, "v");
    probe.stats_failure = read<std::string>(r, "sf");
    probe.pods_listed = read<uint64_t>(r, "n");
    probe.discovered = read<bool>(r, "x");
    probe.probed_at = read<int64_t>(r, "at");
    probe.stats = read_stats(r);
    round->results.push_back(std::move(probe));
  }
  round->reindex();
  return round;
}

// Each probed pod's availability summary (analysis/availability.h), an optional key like
// "probe", sorted by address so equal snapshots encode alike; short keys.
void write_availability(JsonWriter& w, const model::AvailabilityTable* table) {
  if (!table) return;
  std::map<std::string_view, const model::PodAvailability*> sorted;
  for (const auto& [address, a] : table->by_address) sorted.emplace(address, &a);
  w.key("availability").begin_object().field("computed_at", table->computed_at);
  w.key("pods").begin_object();
  for (const auto& [address, a] : sorted) {
    w.key(address).begin_object();
    w.field("u1", a->uptime_24h).field("u7", a->uptime_7d).field("u30", a->uptime_30d);
    w.field("c1", a->coverage_24h).field("c7", a->coverage_7d).field("c30", a->coverage_30d);
    w.field("up", a->up).field("us", a->up_since).field("ds", a->down_since);
    w.field("lm", a->latency_mean_ms).field("lp", a->latency_p95_ms).field("ln", a->latency_samples);
    w.end_object();
  }
  w.end_object().end_object();
}

std::shared_ptr<const model::AvailabilityTable> read_availability(dom::object o) {
  auto e = find(o, "availability");
  if (!e) return nullptr;
  dom::object t = *e;
  auto table = std::make_shared<model::AvailabilityTable>();
  table->computed_at = read<int64_t>(t, "computed_at");
  for (auto field : dom::object(require(t, "pods"))) {
    dom::object p = field.value;
    model::PodAvailability a;
    a.uptime_24h = read_opt<double>(p, "u1");
    a.uptime_7d = read_opt<double>(p, "u7");
    a.uptime_30d = read_opt<double>(p, "u30");
    a.coverage_24h = read<double>(p, "c1");
    a.coverage_7d = read<double>(p, "c7");
    a.coverage_30d = read<double>(p, "c30");
    a.up = read<bool>(p, "up");
    a.up_since = read_opt<int64_t>(p, "us");
    a.down_since = read_opt<int64_t>(p, "ds");
    a.latency_mean_ms = read_opt<double>(p, "lm");
    a.latency_p95_ms = read_opt<double>(p, "lp");
    a.latency_samples = static_cast<uint32_t>(read<uint64_t>(p, "ln"));
    table->by_address.emplace(std::string(field.key), a);
  }
  return table;
}

namespace {

// The document: with `base`, its nodes as a delta against it, and its probe round and
// availability named as the base's when they are the same objects (store/snapshot_delta.h).
// `nodes_bytes`, when given, gets the size of the nodes part (listed or delta).
std::string encode_document(const Snapshot& s, const SnapshotBase* base, size_t* nodes_bytes) {
  JsonWriter w;
  w.reserve(256 + s.nodes.size() * (base ? 32 : 160) + s.seeds.size() * 400);
  w.begin_object()
      .field("v", kSnapshotFormatVersion)
      .field("cycle", s.cycle)
      .field("started_at", s.started_at)
      .field("last_updated", s.last_updated)
      .field("duration_ms", s.duration_ms);
  w.key("seeds").begin_array();
  for (const auto& seed : s.seeds) write_seed(w, seed);
  w.end_array();
  const size_t nodes_start = w.str().size();
  if (base) {
    w.field("base_cycle", base->cycle()).key("node_delta");
    base->write_node_delta(w, s.nodes);
  } else {
    w.key("nodes").begin_array();
    for (const auto& node : s.nodes) write_node(w, node);
    w.end_array();
  }
  if (nodes_bytes) *nodes_bytes = w.str().size() - nodes_start;
  write_summary(w, s.summary);
  w.key("changes").begin_object();
  write_strings(w, "appeared", s.changes.appeared);
  write_strings(w, "dropped", s.changes.dropped);
  w.field("first_cycle", s.changes.first_cycle).end_object();
  write_growth_trends(w, s.growth_trends.get());
  if (base && s.probe && base->holds(s.probe)) w.field("probe_from_base", true);
  else write_probe(w, s.probe.get());
  if (base && s.availability && base->holds(s.availability)) w.field("availability_from_base", true);
  else write_availability(w, s.availability.get());
  w.end_object();
  return w.take();
}

// The nodes of document `o`: listed, or as a delta against `base`.
std::vector<MergedNode> read_nodes(dom::object o, const Snapshot* base) {
  auto base_cycle = read_opt<uint64_t>(o, "base_cycle");
  if (!base_cycle) {
    dom::array nodes = require(o, "nodes");
    std::vector<MergedNode> out;
    out.reserve(nodes.size());
    for (dom::element e : nodes) out.push_back(read_node(e));
    return out;
  }
  if (!base) throw Malformed("a delta against cycle " + std::to_string(*base_cycle) + " read without its base");
  if (base->cycle != *base_cycle)
    throw Malformed("a delta against cycle " + std::to_string(*base_cycle) + " read with the base of cycle " +
                    std::to_string(base->cycle));
  return read_node_delta(require(o, "node_delta"), base->nodes);
}

// A part a delta names as its base's ("probe_from_base": true), or the document's own.
template <class Part>
Part read_from_base(dom::object o, std::string_view from_base_key, const Snapshot* base, Part Snapshot::*part,
                    Part (*read_own)(dom::object)) {
  if (!read_opt<bool>(o, from_base_key).value_or(false)) return read_own(o);
  if (!base || !read_opt<uint64_t>(o, "base_cycle"))
    throw Malformed(std::string(from_base_key) + " in a document that is not a delta");
  return base->*part;
}

}  // namespace

std::string encode_snapshot(const Snapshot& s, size_t* nodes_bytes) { return encode_document(s, nullptr, nodes_bytes); }

std::string encode_snapshot_delta(const Snapshot& s, const SnapshotBase& base, size_t* nodes_bytes) {
  return encode_document(s, &base, nodes_bytes);
}

Result<Snapshot> decode_snapshot(std::string_view encoded, const Snapshot* base) {
  constexpr std::string_view kWhat = "stored snapshot is unreadable";
  dom::parser parser;
  simdjson::padded_string padded(encoded);
  dom::element root;
  if (auto err = parser.parse(padded).get(root)) return corrupt(kWhat, simdjson::error_message(err));
  try {
    dom::object o = root;
    int64_t version = read<int64_t>(o, "v");
    if (version != kSnapshotFormatVersion) {
      return corrupt(kWhat, "format version " + std::to_string(version) + " is not supported (this build reads " +
                                std::to_string(kSnapshotFormatVersion) + ")");
    }
    Snapshot s;
    s.cycle = read<uint64_t>(o, "cycle");
    s.started_at = read<int64_t>(o, "started_at");
    s.last_updated = read<int64_t>(o, "last_updated");
    s.duration_ms = read<double>(o, "duration_ms");
    for (dom::element e : dom::array(require(o, "seeds"))) s.seeds.push_back(read_seed(e));
    s.nodes = read_nodes(o, base);
    s.summary = read_summary(require(o, "summary"));
    dom::object changes = require(o, "changes");
    s.changes.appeared = read_strings(changes, "appeared");
    s.changes.dropped = read_strings(changes, "dropped");
    s.changes.first_cycle = read<bool>(changes, "first_cycle");
    s.growth_trends = read_growth_trends(o);
    s.probe = read_from_base(o, "probe_from_base", base, &Snapshot::probe, read_probe);
    s.availability = read_from_base(o, "availability_from_base", base, &Snapshot::availability, read_availability);
    return s;
  } catch (const simdjson::simdjson_error& e) {
    return corrupt(kWhat, e.what());
  } catch (const Malformed& e) {
    return corrupt(kWhat, e.what());
  }
}

Result<Snapshot> decode_stored_snapshot(std::string_view base, std::optional<std::string_view> delta) {
  auto decoded = decode_snapshot(base);
  if (!decoded || !delta) return decoded;
  return decode_snapshot(*delta, &*decoded);
}

std::string encode_count_map(const std::map<std::string, int64_t>& counts) {
  JsonWriter w;
  w.begin_object();
  for (const auto& [key, count] : counts) w.field(key, count);
  w.end_object();
  return w.take();
}

Result<std::map<std::string, int64_t>> decode_count_map(std::string_view encoded) {
  constexpr std::string_view kWhat = "stored count map is unreadable";
  dom::parser parser;
  simdjson::padded_string padded(encoded);
  dom::element root;
  if (auto err = parser.parse(padded).get(root)) return corrupt(kWhat, simdjson::error_message(err));
  try {
    std::map<std::string, int64_t> out;
    for (auto field : dom::object(root)) out.emplace(std::string(field.key), int64_t(field.value));
    return out;
  } catch (const simdjson::simdjson_error& e) {
    return corrupt(kWhat, e.what());
  }
}

}  // namespace pnode::store
