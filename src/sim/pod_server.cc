#include "sim/pod_server.h"

#include <algorithm>

#include "http/server.h"
#include "sim/address_map.h"
#include "sim/rng.h"
#include "util/loopback.h"

namespace pnode::sim {
namespace {

uint64_t socket_key(uint32_t ip, uint16_t port) { return (static_cast<uint64_t>(ip) << 16) | port; }

void raise_to(std::atomic<size_t>& maximum, size_t value) {
  size_t seen = maximum.load();
  while (value > seen && !maximum.compare_exchange_weak(seen, value)) {
  }
}

}  // namespace

PodBehaviour pod_behaviour(uint64_t rng_seed, uint32_t node_id) {
  const double u = unit_from(hash_of({rng_seed, node_id, 0x1a7e}));
  const double kind = unit_from(hash_of({rng_seed, node_id, 0x5104}));
  PodBehaviour b;
  b.latency = std::chrono::milliseconds(1 + static_cast<int64_t>(19 * u * u));
  b.slow = kind < 0.02;
  b.flapping = kind >= 0.02 && kind < 0.05;
  if (b.slow) b.latency = std::chrono::milliseconds(200 + static_cast<int64_t>(400 * u));
  b.failure_rate = 0.02 * unit_from(hash_of({rng_seed, node_id, 0xfa11}));
  return b;
}

bool flap_down(uint64_t rng_seed, uint32_t node_id, int64_t t) {
  const int64_t phase = static_cast<int64_t>(hash_of({rng_seed, node_id, 0xf1a9}) % kFlapPeriodSeconds);
  return (t + phase) % kFlapPeriodSeconds < kFlapDownSeconds;
}

struct PodServer::Counters {
  std::atomic<uint64_t> requests{0};
  std::atomic<size_t> in_flight{0};
  std::atomic<size_t> max_in_flight{0};
  std::atomic<size_t> max_per_pod{0};
  std::unique_ptr<std::atomic<size_t>[]> per_pod;

  explicit Counters(size_t pods) : per_pod(new std::atomic<size_t>[pods]) {
    for (size_t i = 0; i < pods; ++i) per_pod[i] = 0;
  }
  void enter(size_t endpoint) {
    ++requests;
    raise_to(max_in_flight, ++in_flight);
    raise_to(max_per_pod, ++per_pod[endpoint]);
  }
  void leave(size_t endpoint) {
    --per_pod[endpoint];
    --in_flight;
  }
};


PodServer::PodServer(std::vector<PodEndpoint> endpoints, uint64_t rng_seed, Answer answer, Clock clock,
                     bool behaviours)
    : endpoints_(std::move(endpoints)), rng_seed_(rng_seed), behaviours_(behaviours), answer_(std::move(answer)), clock_(std::move(clock)),
      counters_(std::make_shared<Counters>(endpoints_.size())) {
  for (size_t i = 0; i < endpoints_.size(); ++i)
    by_socket_.emplace(socket_key(endpoints_[i].ip, endpoints_[i].rpc_port), i);
}

PodServer::~PodServer() { stop(); }

Result<size_t> PodServer::start(int threads) {
  const size_t limit = http::raise_open_file_limit();
  // One descriptor per acceptor and thread, with room left for the connections.
  const size_t needed = endpoints_.size() * static_cast<size_t>(std::max(threads, 1)) + 256;
  if (limit < needed)
    return make_error(ErrorCode::kBind, "serving " + std::to_string(endpoints_.size()) + " pods needs " +
                                            std::to_string(needed) + " descriptors; the limit is " +
                                            std::to_string(limit));
  http::ServerOptions options;
  options.listen.clear();
  for (const PodEndpoint& e : endpoints_) options.listen.push_back(http::Listen{format_ipv4(e.ip), e.rpc_port});
  options.threads = std::max(threads, 1);
  options.max_connections = limit - needed + 128;
  server_ = std::make_unique<http::Server>(options, [this](const http::Request& r) { return handle(r); });
  auto ports = server_->start();
  if (!ports) {
    server_.reset();
    return ports.error();
  }
  return ports->size();
}

void PodServer::stop() {
  if (server_) server_->stop();
  server_.reset();
}

Status PodServer::set_reachable(std::string_view host, bool reachable) {
  if (auto split = split_address(host)) host = split->host;
  auto ip = parse_ipv4(host);
  const bool known = ip && std::any_of(endpoints_.begin(), endpoints_.end(),
                                       [&](const PodEndpoint& e) { return e.ip == *ip; });
  if (!known) return make_error(ErrorCode::kNotFound, "no public simulated pod at " + std::string(host));
  std::lock_guard lock(unreachable_mutex_);
  if (reachable)
    unreachable_.erase(*ip);
  else
    unreachable_.insert(*ip);
  return ok_status();
}

InFlightStats PodServer::in_flight() const {
  InFlightStats s;
  s.requests = counters_->requests.load();
  s.in_flight = counters_->in_flight.load();
  s.max_in_flight = counters_->max_in_flight.load();
  s.max_in_flight_per_pod = counters_->max_per_pod.load();
  return s;
}

void PodServer::reset_max() {
  counters_->max_in_flight = counters_->in_flight.load();
  counters_->max_per_pod = 0;
}

http::Response PodServer::handle(const http::Request& request) {
  auto ip = parse_ipv4(request.local_address);
  auto it = ip ? by_socket_.find(socket_key(*ip, request.local_port)) : by_socket_.end();
  if (it == by_socket_.end()) return http::Response::text(404, "");
  const size_t endpoint = it->second;
  counters_->enter(endpoint);
  http::Response response = answer_counted(endpoint, request);
  if (response.drop_connection) {
    counters_->leave(endpoint);
    return response;
  }
  response.body = http::body_with_release(std::move(response.body),
                                          [counters = counters_, endpoint] { counters->leave(endpoint); });
  return response;
}

http::Response PodServer::answer_counted(size_t endpoint, const http::Request& request) {
  const PodEndpoint& pod = endpoints_[endpoint];
  const PodBehaviour behaviour = behaviours_ ? pod_behaviour(rng_seed_, pod.node_id) : PodBehaviour{};
  const uint64_t serial = counters_->requests.load();
  bool down = false;
  {
    std::lock_guard lock(unreachable_mutex_);
    down = unreachable_.count(pod.ip) > 0;
  }
  down = down || (behaviour.flapping && flap_down(rng_seed_, pod.node_id, clock_()));
  down = down || unit_from(hash_of({rng_seed_, pod.node_id, serial, 0xd209})) < behaviour.failure_rate;
  if (down) {
    http::Response dropped;
    dropped.drop_connection = true;
    return dropped;
  }
  http::Response response = answer_(pod.node_id, request);
  response.delay += behaviour.latency;
  return response;
}

}  // namespace pnode::sim
