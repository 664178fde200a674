#include "sim/simulator.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <variant>

#include <boost/json.hpp>

#include "http/server.h"
#include "sim/address_map.h"
#include "sim/capture.h"
#include "sim/credits_feed.h"
#include "sim/render.h"
#include "sim/rng.h"
#include "sim/rpc_request.h"
#include "sim/simulator_tick.h"
#include "sim/synthetic.h"
#include "util/json_writer.h"
#include "util/loopback.h"

#ifndef PNODE_SIM_FIXTURES_DIR
#define PNODE_SIM_FIXTURES_DIR ""
#endif
#ifndef PNODE_SIM_INSTALLED_CAPTURES
#define PNODE_SIM_INSTALLED_CAPTURES "share/pnode-analytics/captures"
#endif

namespace pnode::sim {
namespace json = boost::json;

namespace {

constexpr std::string_view kDefaultCaptureName =
    "get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json";
constexpr std::string_view kPre07Version = "0.6.0";
// A share of the peers each seed has not heard of (per mille), beyond self-exclusion.
constexpr uint64_t kUnheardPerMille = 20;

http::Response make_response(int status, std::string content_type, std::string body) {
  http::Response r;
  r.status = status;
  r.content_type = std::move(content_type);
  if (!body.empty()) r.body = std::make_shared<const std::string>(std::move(body));
  return r;
}

http::Response json_response(int status, std::string body) {
  return make_response(status, "application/json", std::move(body));
}

http::Response text_response(int status, std::string body) {
  return make_response(status, "text/plain; charset=utf-8", std::move(body));
}

// axum's fallbacks: 404 and 405 have empty bodies; 405 says what is allowed.
http::Response empty_response(int status, std::string_view allow = {}) {
  http::Response r = make_response(status, "", "");
  if (!allow.empty()) r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

http::Response error_json(int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().key("error").value(message).end_object();
  return json_response(status, w.take());
}

// Request headers are looked up case-insensitively, as HTTP requires.
std::string_view header_of(const http::Request& request, std::string_view name) {
  for (const auto& [key, value] : request.headers) {
    if (key.size() != name.size()) continue;
    bool same = std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
      return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
    });
    if (same) return value;
  }
  return {};
}

std::string_view path_of(std::string_view target) { return target.substr(0, target.find('?')); }

int64_t system_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

Result<std::vector<Generation>> build_generations(const SimOptions& options) {
  std::vector<Generation> generations;
  if (options.mode == SimMode::kSynthetic) {
    if (options.pods == 0 || options.pods > kMaxLoopbackIndex)
      return make_error(ErrorCode::kInvalidOption, "--pods must be between 1 and " + std::to_string(kMaxLoopbackIndex));
    generations.push_back(generate_synthetic_network(options.pods, options.rng_seed, options.public_percent));
    return generations;
  }
  std::vector<std::string> paths = options.captures;
  if (paths.empty()) paths.push_back(find_default_capture());
  AddressMap map;  // one mapping across captures: a real IP keeps its loopback address
  for (const auto& path : paths) {
    auto pods = load_capture_file(path);
    if (!pods) return pods.error();
    generations.push_back(specs_from_capture(*pods, map));
  }
  return generations;
}

}  // namespace

std::string default_capture_path() { return "testdata/prpc/" + std::string(kDefaultCaptureName); }

std::string find_default_capture() {
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> candidates{default_capture_path()};
  if (auto exe = fs::read_symlink("/proc/self/exe", ec); !ec)
    candidates.push_back(exe.parent_path().parent_path() / PNODE_SIM_INSTALLED_CAPTURES / kDefaultCaptureName);
  if (!std::string_view(PNODE_SIM_FIXTURES_DIR).empty())
    candidates.push_back(fs::path(PNODE_SIM_FIXTURES_DIR) / kDefaultCaptureName);
  for (const auto& candidate : candidates) {
    if (fs::is_regular_file(candidate, ec)) return candidate.string();
  }
  return default_capture_path();
}

struct Simulator::SeedState {
  uint32_t node_id = 0;
  std::atomic<uint16_t> port{0};
  Fault fault;  // guarded by Simulator::fault_mutex_

  // Keyed by tick serial, not by a pointer to the tick, so an idle seed does not keep an
  // old tick's rows (tens of MB at 100k pods) alive.
  struct CachedBody {
    uint64_t tick_serial = 0;
    std::string id_json;
    std::shared_ptr<const std::string> body;
  };
  std::mutex cache_mutex;
  CachedBody cache[2];  // [with_stats]
};

Result<std::unique_ptr<Simulator>> Simulator::create(SimOptions options) {
  if (options.seeds < 1) return make_error(ErrorCode::kInvalidOption, "--seeds must be at least 1");
  if (options.listen_address == "localhost") options.listen_address = "127.0.0.1";
  if (!is_loopback_host(options.listen_address))
    return make_error(ErrorCode::kInvalidOption,
                      "the simulator serves on loopback only; refusing to listen on " + options.listen_address);
  if (options.base_port != 0 && options.base_port + options.seeds - 1 > 65535)
    return make_error(ErrorCode::kInvalidOption, "--base-port + --seeds exceeds 65535");
  if (options.threads < 1) options.threads = 1;
  if (options.replay_interval < 1) return make_error(ErrorCode::kInvalidOption, "--replay-interval must be positive");
  for (const auto& f : options.faults)
    if (f.seed < 0 || f.seed >= options.seeds)
      return make_error(ErrorCode::kInvalidOption, "--fault names seed " + std::to_string(f.seed) + " but there are " +
                                                       std::to_string(options.seeds) + " seeds");

  auto generations = build_generations(options);
  if (!generations) return generations.error();
  std::vector<uint32_t> seed_nodes;
  for (const NodeSpec& spec : generations->front()) {
    if (static_cast<int>(seed_nodes.size()) == options.seeds) break;
    if (spec.is_public == true) seed_nodes.push_back(spec.node_id);
  }
  if (static_cast<int>(seed_nodes.size()) < options.seeds)
    return make_error(ErrorCode::kInvalidOption,
                      "the network has only " + std::to_string(seed_nodes.size()) + " public pods; cannot make " +
                          std::to_string(options.seeds) + " seeds");

  ModelOptions model;
  model.generations = std::move(*generations);
  model.generation_interval = options.replay_interval;
  model.start_time = options.clock ? options.clock() : system_seconds();
  model.rng_seed = options.rng_seed;
  model.churn = options.churn;
  model.pinned = seed_nodes;
  auto sim = std::unique_ptr<Simulator>(new Simulator(std::move(options), NetworkModel(std::move(model)), seed_nodes));
  for (const auto& f : sim->options_.faults) sim->set_fault(f.seed, f.fault);
  return sim;
}

Simulator::Simulator(SimOptions options, NetworkModel model, const std::vector<uint32_t>& seed_nodes)
    : options_(std::move(options)), model_(std::move(model)) {
  for (size_t i = 0; i < seed_nodes.size(); ++i) {
    auto seed = std::make_unique<SeedState>();
    seed->node_id = seed_nodes[i];
    seeds_.push_back(std::move(seed));
    seed_of_node_[seed_nodes[i]] = static_cast<int>(i);
  }
}

Simulator::~Simulator() { stop(); }

int64_t Simulator::now() const { return options_.clock ? options_.clock() : system_seconds(); }

Result<std::vector<uint16_t>> Simulator::start() {
  http::ServerOptions server_options;
  server_options.listen.clear();
  for (size_t i = 0; i < seeds_.size(); ++i) {
    uint16_t port = options_.base_port == 0 ? 0 : static_cast<uint16_t>(options_.base_port + i);
    server_options.listen.push_back(http::Listen{options_.listen_address, port});
    seeds_[i]->port = port;
  }
  server_options.threads = options_.threads;
  server_ = std::make_unique<http::Server>(server_options,
                                           [this](const http::Request& r) { return handle_by_port(r); });
  auto ports = server_->start();
  if (!ports) {
    server_.reset();
    return ports.error();
  }
  for (size_t i = 0; i < seeds_.size() && i < ports->size(); ++i) seeds_[i]->port = (*ports)[i];
  if (options_.serve_pods) {
    if (auto served = start_pods(); !served) {
      stop();
      return served.error();
    }
  }
  return ports;
}

void Simulator::stop() {
  if (pods_) pods_->stop();
  pods_.reset();
  if (server_) server_->stop();
  server_.reset();
}

std::string Simulator::ip_nodes() const {
  std::string out;
  for (const auto& seed : seeds_) {
    if (!out.empty()) out += ',';
    out += HostPort{options_.listen_address, seed->port.load()}.to_string();
  }
  return out;
}

std::optional<int> Simulator::owner_seed(uint32_t node_id) const {
  auto it = seed_of_node_.find(node_id);
  if (it == seed_of_node_.end()) return std::nullopt;
  return it->second;
}

bool Simulator::lists(int seed, uint32_t node_id) const {
  if (node_id == seeds_[seed]->node_id) return false;  // a node never lists itself
  const uint64_t count = seeds_.size();
  if (count < 2) return true;
  // Each node has one guarantor seed that always lists it (never the node itself), so
  // the union of all views is the whole network; other seeds miss it now and then.
  uint64_t guarantor = hash_of({options_.rng_seed, node_id, 0x6a2a}) % count;
  if (owner_seed(node_id) == static_cast<int>(guarantor)) guarantor = (guarantor + 1) % count;
  if (static_cast<uint64_t>(seed) == guarantor) return true;
  return hash_of({options_.rng_seed, node_id, static_cast<uint64_t>(seed), 0x41dd}) % 1000 >= kUnheardPerMille;
}

std::shared_ptr<Simulator::Tick> Simulator::current_tick() {
  std::lock_guard lock(model_mutex_);
  int64_t t = now();
  if (tick_ && tick_->time == t && !tick_stale_) return tick_;
  tick_stale_ = false;
  auto tick = std::make_shared<Tick>();
  tick->serial = tick_ ? tick_->serial + 1 : 1;
  tick->time = t;
  tick->pods = model_.pods_at(t);
  std::erase_if(tick->pods, [this](const LivePod& pod) {
    return std::any_of(offline_.begin(), offline_.end(), [&](const auto& o) { return o.second == pod.node_id(); });
  });
  tick->seed_row.assign(seeds_.size(), -1);
  for (size_t i = 0; i < tick->pods.size(); ++i)
    if (auto owner = owner_seed(tick->pods[i].node_id())) tick->seed_row[*owner] = static_cast<int>(i);
  tick_ = tick;
  return tick;
}

std::shared_ptr<const std::string> Simulator::pods_body(int seed, bool with_stats, const std::string& id_json) {
  std::shared_ptr<Tick> tick = current_tick();
  const Tick::Rows& rows = tick->rendered(with_stats);
  SeedState& state = *seeds_[seed];
  std::lock_guard lock(state.cache_mutex);
  SeedState::CachedBody& cached = state.cache[with_stats ? 1 : 0];
  if (cached.body && cached.tick_serial == tick->serial && cached.id_json == id_json) return cached.body;

  auto body = std::make_shared<std::string>();
  body->reserve(rows.text.size() + 128);
  append_envelope_ok_head(*body, id_json);
  body->append("{\"pods\":[");
  size_t count = 0;
  for (size_t i = 0; i < tick->pods.size(); ++i) {
    if (!lists(seed, tick->pods[i].node_id())) continue;
    if (count++ > 0) body->push_back(',');
    body->append(rows.text, rows.offsets[i], rows.offsets[i + 1] - rows.offsets[i]);
  }
  body->append("],\"total_count\":").append(std::to_string(count)).append("}}");
  cached = {tick->serial, id_json, body};
  return body;
}

prpc::NodeStats simulated_stats(const LivePod* pod, uint64_t h, int64_t time, int64_t start_time) {
  static constexpr uint64_t kRamSizes[] = {12541509632ULL, 12541607936ULL, 4111622144ULL};
  std::optional<uint64_t> committed, used, uptime;
  if (pod) {
    committed = pod->spec->storage_committed;
    used = pod->storage_used;
    uptime = pod->uptime;
  }
  const uint64_t t = static_cast<uint64_t>(time);
  const uint64_t up = uptime.value_or(0);
  prpc::NodeStats s;
  s.active_streams = 2;
  // The pod computes cpu_percent as an f32 and serde prints it widened to f64.
  s.cpu_percent = static_cast<double>(static_cast<float>(0.1 + 2.4 * unit_from(hash_of({h, t}))));
  s.current_index = h % 24;
  s.file_size = committed.value_or(0);
  // last_updated is often stale on real nodes, sometimes 0.
  s.last_updated = h % 5 == 0 ? 0 : static_cast<uint64_t>(start_time) - (h >> 8) % (6 * 86400);
  s.packets_received = up * 30 + (h >> 16) % 5000;  // cumulative, ~30/s while up
  s.packets_sent = up * 34 + (h >> 24) % 5000;
  s.ram_total = kRamSizes[(h >> 4) % 3 == 2 ? 2 : (h >> 4) % 2];
  s.ram_used = 600000000 + static_cast<uint64_t>(2.5e8 * unit_from(hash_of({h, t / 10})));
  s.total_bytes = used.value_or(0);
  s.total_pages = used.value_or(0) >> 16;
  s.uptime = up;
  return s;
}

prpc::NodeStats Simulator::stats_of(int seed, const Tick& tick) const {
  const int row = tick.seed_row[seed];
  const uint64_t h = hash_of({options_.rng_seed, static_cast<uint64_t>(seed), 0x57a7});
  return simulated_stats(row >= 0 ? &tick.pods[row] : nullptr, h, tick.time, model_.options().start_time);
}

std::string Simulator::seed_version(int seed, const Tick& tick) const {
  const int row = tick.seed_row[seed];
  return row >= 0 ? std::string(tick.pods[row].version) : "unknown";
}

std::shared_ptr<const std::string> Simulator::answer_call(int seed, const std::string& method,
                                                          const std::string& id_json, const Fault& fault) {
  const bool pre07 = fault.kind == FaultKind::kPre07;
  if (method == "get-pods-with-stats" && !pre07) return pods_body(seed, true, id_json);
  if (method == "get-pods") return pods_body(seed, false, id_json);
  if (method == "get-stats") {
    auto tick = current_tick();
    return std::make_shared<const std::string>(envelope_ok(id_json, render_stats_result(stats_of(seed, *tick))));
  }
  if (method == "get-version") {
    std::string version = pre07 ? std::string(kPre07Version) : seed_version(seed, *current_tick());
    return std::make_shared<const std::string>(envelope_ok(id_json, render_version_result(version)));
  }
  return std::make_shared<const std::string>(envelope_error(id_json, kMethodNotFound, "Method not found"));
}

http::Response Simulator::answer_rpc(int seed, const http::Request& request, const Fault& fault) {
  auto parsed = parse_rpc_request(header_of(request, "Content-Type"), request.body);
  if (auto* rejection = std::get_if<Rejection>(&parsed)) return text_response(rejection->status, rejection->text);
  const RpcCall& call = std::get<RpcCall>(parsed);
  if (fault.kind == FaultKind::kWrongShape) return json_response(200, envelope_ok(call.id_json, "\"unexpected\""));

  http::Response response;
  response.status = 200;
  response.content_type = "application/json";
  response.body = answer_call(seed, call.method, call.id_json, fault);
  if (fault.kind == FaultKind::kGarbage) {
    // An answer cut in the middle: never valid JSON, since the outer object is unclosed.
    response.body = std::make_shared<const std::string>(response.body->substr(0, response.body->size() / 2));
  }
  return response;
}

http::Response Simulator::handle(int seed, const http::Request& request) {
  if (seed < 0 || seed >= seed_count()) return empty_response(404);
  const std::string_view path = path_of(request.target);
  if (path == "/rpc") {
    if (request.method != "POST") return empty_response(405, "POST");
    const Fault f = fault(seed);
    if (f.kind == FaultKind::kDrop) {
      http::Response r;
      r.drop_connection = true;
      return r;
    }
    if (f.kind == FaultKind::kHttp500) return text_response(500, "Internal Server Error");
    http::Response r = answer_rpc(seed, request, f);
    if (f.kind == FaultKind::kSlow || f.kind == FaultKind::kHang) r.delay = f.delay;
    return r;
  }
  if (path == "/sim/state") return request.method == "GET" ? state_response() : empty_response(405, "GET");
  if (auto list = credits_list_of_path(path)) {  // the pod-credits sources (credits_feed.h)
    if (request.method != "GET") return empty_response(405, "GET");
    int64_t start = 0;
    {
      std::lock_guard lock(model_mutex_);
      start = model_.options().start_time;
    }
    const int64_t heartbeats = options_.credits_heartbeat > 0 ? (now() - start) / options_.credits_heartbeat : 0;
    return json_response(200, credits_body(network_pods(), *list, options_.rng_seed, heartbeats));
  }
  if (path == "/sim/faults") return request.method == "POST" ? faults_response(request) : empty_response(405, "POST");
  if (path == "/sim/nodes") return request.method == "POST" ? nodes_response(request) : empty_response(405, "POST");
  if (path == "/sim/pods") return pods_response(request);
  return empty_response(404);
}

http::Response Simulator::handle_by_port(const http::Request& request) {
  for (size_t i = 0; i < seeds_.size(); ++i)
    if (seeds_[i]->port.load() == request.local_port) return handle(static_cast<int>(i), request);
  return empty_response(404);
}

Status Simulator::set_fault(int seed, Fault f) {
  if (seed < 0 || seed >= seed_count())
    return make_error(ErrorCode::kInvalidSeed,
                      "no seed " + std::to_string(seed) + " (there are " + std::to_string(seed_count()) + ")");
  std::lock_guard lock(fault_mutex_);
  seeds_[seed]->fault = f;
  return ok_status();
}

Status Simulator::set_node_offline(const std::string& address, bool offline) {
  std::lock_guard lock(model_mutex_);
  if (!offline) {
    if (offline_.erase(address) == 0) return make_error(ErrorCode::kNotFound, "no node " + address + " is offline");
    tick_stale_ = true;  // the next request sees it back
    return ok_status();
  }
  std::optional<uint32_t> node_id;
  for (const LivePod& pod : model_.pods_at(now()))
    if (pod.address() == address) node_id = pod.node_id();
  if (!node_id) return make_error(ErrorCode::kNotFound, "no node is served at " + address);
  if (owner_seed(*node_id)) return make_error(ErrorCode::kInvalidSeed, "a seed cannot go offline");
  offline_[address] = *node_id;
  tick_stale_ = true;
  return ok_status();
}

Fault Simulator::fault(int seed) const {
  std::lock_guard lock(fault_mutex_);
  return seeds_[seed]->fault;
}

std::vector<SeedInfo> Simulator::seeds() {
  std::shared_ptr<Tick> tick = current_tick();
  std::vector<SeedInfo> out;
  for (int i = 0; i < seed_count(); ++i) {
    SeedInfo info;
    info.index = i;
    info.node_id = seeds_[i]->node_id;
    info.gossip_address = tick->seed_row[i] >= 0 ? tick->pods[tick->seed_row[i]].address() : "";
    info.port = seeds_[i]->port.load();
    info.fault = fault(i);
    info.version = info.fault.kind == FaultKind::kPre07 ? std::string(kPre07Version) : seed_version(i, *tick);
    out.push_back(std::move(info));
  }
  return out;
}

std::vector<prpc::Pod> Simulator::network_pods() {
  auto tick = current_tick();
  std::vector<prpc::Pod> out;
  out.reserve(tick->pods.size());
  for (const auto& pod : tick->pods) out.push_back(pod.to_pod());
  return out;
}

std::vector<prpc::Pod> Simulator::view_of(int seed) {
  auto tick = current_tick();
  std::vector<prpc::Pod> out;
  for (const auto& pod : tick->pods)
    if (lists(seed, pod.node_id())) out.push_back(pod.to_pod());
  return out;
}

http::Response Simulator::state_response() {
  auto tick = current_tick();
  JsonWriter w;
  w.begin_object();
  w.key("mode").value(options_.mode == SimMode::kReplay ? "replay" : "synthetic");
  w.key("pod_count").value(static_cast<unsigned long long>(tick->pods.size()));
  w.key("seeds").begin_array();
  for (const SeedInfo& s : seeds()) {
    w.begin_object();
    w.key("address").value(s.gossip_address);
    w.key("delay_ms").value(static_cast<long long>(s.fault.delay.count()));
    w.key("fault").value(fault_name(s.fault.kind));
    w.key("index").value(s.index);
    w.key("port").value(static_cast<unsigned>(s.port));
    w.key("version").value(s.version);
    w.end_object();
  }
  w.end_array();
  w.key("time").value(static_cast<long long>(tick->time));
  w.end_object();
  return json_response(200, w.take());
}

http::Response Simulator::faults_response(const http::Request& request) {
  json::error_code ec;
  json::value root = json::parse(request.body, ec);
  if (ec || !root.is_object())
    return error_json(400, R"(expected {"seed":<i>,"fault":"<kind>","delay_ms":<n>})");
  const json::object& o = root.get_object();
  const json::value* seed = o.if_contains("seed");
  const json::value* kind = o.if_contains("fault");
  if (!seed || !seed->is_int64() || !kind || !kind->is_string())
    return error_json(400, R"(expected {"seed":<i>,"fault":"<kind>","delay_ms":<n>})");
  auto fault_kind = parse_fault_kind(std::string_view(kind->get_string()));
  if (!fault_kind)
    return error_json(400, "unknown fault (none, slow, hang, http500, garbage, wrong_shape, pre07, drop)");
  std::optional<int64_t> delay_ms;
  if (const json::value* d = o.if_contains("delay_ms"); d && !d->is_null()) {
    if (!d->is_int64() || d->get_int64() < 0) return error_json(400, "delay_ms must be a non-negative integer");
    delay_ms = d->get_int64();
  }
  const int64_t index = seed->get_int64();
  if (index < 0 || index >= seed_count()) return error_json(400, "no such seed");
  set_fault(static_cast<int>(index), make_fault(*fault_kind, delay_ms));
  const Fault f = fault(static_cast<int>(index));
  JsonWriter w;
  w.begin_object();
  w.key("delay_ms").value(static_cast<long long>(f.delay.count()));
  w.key("fault").value(fault_name(f.kind));
  w.key("seed").value(static_cast<long long>(index));
  w.end_object();
  return json_response(200, w.take());
}

http::Response Simulator::nodes_response(const http::Request& request) {
  json::error_code ec;
  json::value root = json::parse(request.body, ec);
  const json::object* o = !ec && root.is_object() ? &root.get_object() : nullptr;
  const json::value* address = o ? o->if_contains("address") : nullptr;
  const json::value* online = o ? o->if_contains("online") : nullptr;
  if (!address || !address->is_string() || !online || !online->is_bool())
    return error_json(400, R"(expected {"address":"<host:port>","online":<bool>})");
  const std::string where(address->get_string());
  if (auto s = set_node_offline(where, !online->get_bool()); !s.ok())
    return error_json(s.error().is(ErrorCode::kNotFound) ? 404 : 400, s.error().message);
  JsonWriter w;
  w.begin_object().key("address").value(where).key("online").value(online->get_bool()).end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::sim
