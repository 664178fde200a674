// The simulated pods' own pRPC (Simulator::answer_as_pod) and its control endpoint
// (/sim/pods); the serving itself is pod_server.h.
#include <set>
#include <variant>

#include <boost/json.hpp>

#include "sim/rng.h"
#include "sim/rpc_request.h"
#include "sim/simulator.h"
#include "sim/simulator_tick.h"

namespace pnode::sim {
namespace {

// A pod lists a sample of its peers, not the whole network: enough for discovery, and a
// probe round over 10k pods stays cheap for the prober and the simulator.
constexpr uint64_t kPeerSample = 16;
// The sample changes every this many seconds.
constexpr int64_t kPeerSampleSeconds = 60;

http::Response pods_error_json(int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().key("error").value(message).end_object();
  return http::Response::json(status, w.take());
}

http::Response rpc_json(std::string body) { return http::Response::json(200, std::move(body)); }

}  // namespace

std::vector<PodEndpoint> Simulator::public_pod_endpoints() const {
  std::vector<PodEndpoint> out;
  std::set<std::pair<uint32_t, uint16_t>> seen;
  for (const Generation& generation : model_.options().generations) {
    for (const NodeSpec& spec : generation) {
      if (spec.is_public != true || !spec.rpc_port || *spec.rpc_port < 1 || *spec.rpc_port > 65535) continue;
      const auto port = static_cast<uint16_t>(*spec.rpc_port);
      if (seen.emplace(spec.ip, port).second) out.push_back(PodEndpoint{spec.node_id, spec.ip, port});
    }
  }
  return out;
}

Result<size_t> Simulator::start_pods() {
  pods_ = std::make_unique<PodServer>(
      public_pod_endpoints(), options_.rng_seed,
      [this](uint32_t node_id, const http::Request& request) { return answer_as_pod(node_id, request); },
      [this] { return now(); }, options_.pod_behaviours);
  auto served = pods_->start(options_.pod_threads);
  if (!served) pods_.reset();
  return served;
}

http::Response Simulator::answer_as_pod(uint32_t node_id, const http::Request& request) {
  if (request.target != "/rpc") return http::Response::text(404, "");
  if (request.method != "POST") return http::Response::text(405, "");
  auto parsed = parse_rpc_request(request.header("Content-Type"), request.body);
  if (auto* rejection = std::get_if<Rejection>(&parsed)) return http::Response::text(rejection->status, rejection->text);
  const RpcCall& call = std::get<RpcCall>(parsed);

  std::shared_ptr<Tick> tick = current_tick();
  const int row = tick->row_of(node_id);
  if (row < 0) {  // not in the network now (churn): nobody answers
    http::Response gone;
    gone.drop_connection = true;
    return gone;
  }
  const LivePod& self = tick->pods[row];
  if (call.method == "get-version") return rpc_json(envelope_ok(call.id_json, render_version_result(self.version)));
  if (call.method == "get-stats") {
    const uint64_t h = hash_of({options_.rng_seed, node_id, 0x90d5});
    prpc::NodeStats stats = simulated_stats(&self, h, tick->time, model_.options().start_time);
    return rpc_json(envelope_ok(call.id_json, render_stats_result(stats)));
  }
  const bool with_stats = call.method == "get-pods-with-stats";
  if (!with_stats && call.method != "get-pods")
    return rpc_json(envelope_error(call.id_json, kMethodNotFound, "Method not found"));

  const Tick::Rows& rows = tick->rendered(with_stats);
  std::set<size_t> sample;
  const uint64_t window = static_cast<uint64_t>(tick->time / kPeerSampleSeconds);
  for (uint64_t j = 0; j < kPeerSample && tick->pods.size() > 1; ++j) {
    size_t i = hash_of({options_.rng_seed, node_id, j, window}) % tick->pods.size();
    if (static_cast<int>(i) != row) sample.insert(i);
  }
  std::string body;
  append_envelope_ok_head(body, call.id_json);
  body.append("{\"pods\":[");
  bool first = true;
  for (size_t i : sample) {
    if (!first) body.push_back(',');
    first = false;
    body.append(rows.text, rows.offsets[i], rows.offsets[i + 1] - rows.offsets[i]);
  }
  body.append("],\"total_count\":").append(std::to_string(sample.size())).append("}}");
  return rpc_json(std::move(body));
}

Status Simulator::set_pod_reachable(std::string_view host, bool reachable) {
  if (!pods_) return make_error(ErrorCode::kNotFound, "the simulator does not serve its pods (serve_pods)");
  return pods_->set_reachable(host, reachable);
}

std::optional<InFlightStats> Simulator::pod_probes() const {
  if (!pods_) return std::nullopt;
  return pods_->in_flight();
}

void Simulator::reset_pod_probe_max() {
  if (pods_) pods_->reset_max();
}

http::Response Simulator::pods_response(const http::Request& request) {
  if (request.method == "GET") {
    const InFlightStats s = pod_probes().value_or(InFlightStats{});
    JsonWriter w;
    w.begin_object();
    w.key("in_flight").value(static_cast<unsigned long long>(s.in_flight));
    w.key("max_in_flight").value(static_cast<unsigned long long>(s.max_in_flight));
    w.key("max_in_flight_per_pod").value(static_cast<unsigned long long>(s.max_in_flight_per_pod));
    w.key("requests").value(static_cast<unsigned long long>(s.requests));
    w.key("serving").value(pods_ != nullptr);
    w.end_object();
    return http::Response::json(200, w.take());
  }
  if (request.method != "POST") return http::Response::text(405, "");
  namespace json = boost::json;
  json::error_code ec;
  json::value root = json::parse(request.body, ec);
  const json::object* o = !ec && root.is_object() ? &root.get_object() : nullptr;
  const json::value* address = o ? o->if_contains("address") : nullptr;
  const json::value* reachable = o ? o->if_contains("reachable") : nullptr;
  if (!address || !address->is_string() || !reachable || !reachable->is_bool())
    return pods_error_json(400, R"(expected {"address":"<ip>","reachable":<bool>})");
  Status set = set_pod_reachable(std::string_view(address->get_string()), reachable->get_bool());
  if (!set) return pods_error_json(404, set.error().message);
  JsonWriter w;
  w.begin_object().key("address").value(std::string_view(address->get_string()));
  w.key("reachable").value(reachable->get_bool()).end_object();
  return http::Response::json(200, w.take());
}

}  // namespace pnode::sim
