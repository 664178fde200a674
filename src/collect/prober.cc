#include "collect/prober.h"

#include <algorithm>
#include <unordered_set>

#include "http/client.h"
#include "prpc/bounds.h"
#include "prpc/parse.h"
#include "util/loopback.h"

namespace pnode::collect {
namespace {

using SteadyClock = std::chrono::steady_clock;

int64_t system_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

double ms_between(SteadyClock::time_point from, SteadyClock::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

double ms_of(std::chrono::microseconds us) { return static_cast<double>(us.count()) / 1000.0; }

std::string endpoint_of(const ProbeTarget& t) { return HostPort{t.host, t.rpc_port}.to_string(); }

// Pods the round already covers (by address, endpoint and pubkey), and what the lists
// taught that it does not: the next round's extra targets, at most `cap`. Workers share it.
class Discovery {
 public:
  Discovery(const std::vector<ProbeTarget>& targets, size_t cap) : cap_(cap) {
    for (const auto& t : targets) remember(t);
  }
  void consider(const std::vector<model::Pod>& listed) {
    std::lock_guard lock(mutex_);
    for (const model::Pod& pod : listed) {
      if (found_.size() >= cap_) return;
      auto target = probe_target(pod);
      if (!target || known(*target)) continue;
      target->discovered = true;
      remember(*target);
      found_.push_back(std::move(*target));
    }
  }
  std::vector<ProbeTarget> take() {
    std::lock_guard lock(mutex_);
    return std::move(found_);
  }

 private:
  bool known(const ProbeTarget& t) const {
    return addresses_.count(t.address) || endpoints_.count(endpoint_of(t)) || (t.pubkey && pubkeys_.count(*t.pubkey));
  }
  void remember(const ProbeTarget& t) {
    addresses_.insert(t.address);
    endpoints_.insert(endpoint_of(t));
    if (t.pubkey) pubkeys_.insert(*t.pubkey);
  }

  size_t cap_;
  std::mutex mutex_;
  std::unordered_set<std::string> addresses_, endpoints_, pubkeys_;
  std::vector<ProbeTarget> found_;
};

}  // namespace

std::optional<ProbeTarget> probe_target(const model::Pod& pod) {
  if (pod.is_public != true || !pod.rpc_port || *pod.rpc_port < prpc::kMinPort || *pod.rpc_port > prpc::kMaxPort)
    return std::nullopt;
  auto host_port = parse_host_port(pod.address, 0);
  if (!host_port) return std::nullopt;
  ProbeTarget t;
  t.address = pod.address;
  t.host = host_port->host;
  t.rpc_port = static_cast<uint16_t>(*pod.rpc_port);
  t.pubkey = pod.pubkey;
  return t;
}

std::vector<ProbeTarget> probe_targets(const std::vector<model::MergedNode>& nodes, const model::Registry& registry) {
  std::vector<ProbeTarget> out;
  for (const auto& node : nodes) {
    if (!registry.find(node.pod.address)) continue;  // not admitted (the cap, the admission budget)
    if (auto t = probe_target(node.pod)) out.push_back(std::move(*t));
  }
  return out;
}

Prober::Prober(ProberConfig config, Clock clock)
    : config_(std::move(config)), clock_(clock ? std::move(clock) : Clock(system_seconds)),
      http_(std::make_unique<http::Client>(1)) {
  config_.concurrency = std::max<size_t>(config_.concurrency, 1);
}

Prober::~Prober() { stop(); }

bool Prober::start_round(std::vector<ProbeTarget> targets) {
  std::lock_guard lock(mutex_);
  if (!config_.enabled || running_ || stopped_) return false;
  running_ = true;
  if (thread_.joinable()) thread_.join();  // the last round's thread, already done
  thread_ = std::thread([this, targets = std::move(targets)]() mutable {
    run_round(std::move(targets));
    {
      std::lock_guard done(mutex_);
      running_ = false;
    }
    idle_.notify_all();
  });
  return true;
}

std::shared_ptr<const model::ProbeRound> Prober::latest() const {
  std::lock_guard lock(mutex_);
  return latest_;
}

bool Prober::wait_idle(std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  return idle_.wait_for(lock, timeout, [this] { return !running_; });
}

void Prober::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  http_->shutdown();
  if (thread_.joinable() && thread_.get_id() != std::this_thread::get_id()) thread_.join();
}

std::vector<ProbeTarget> Prober::round_targets(std::vector<ProbeTarget> targets) const {
  {
    std::lock_guard lock(mutex_);
    targets.insert(targets.end(), discovered_.begin(), discovered_.end());
  }
  // Each pod at most once: by address, by the endpoint dialled, and by pubkey.
  std::unordered_set<std::string> addresses, endpoints, pubkeys;
  std::vector<ProbeTarget> out;
  out.reserve(targets.size());
  for (auto& t : targets) {
    if (!addresses.insert(t.address).second || !endpoints.insert(endpoint_of(t)).second) continue;
    if (t.pubkey && !pubkeys.insert(*t.pubkey).second) continue;
    out.push_back(std::move(t));
  }
  return out;
}

std::shared_ptr<const model::ProbeRound> Prober::run_round(std::vector<ProbeTarget> given) {
  const auto start = SteadyClock::now();
  auto round = std::make_shared<model::ProbeRound>();
  round->started_at = clock_();
  const std::vector<ProbeTarget> targets = round_targets(std::move(given));
  round->public_pods = targets.size();
  round->concurrency = config_.concurrency;
  round->results.resize(targets.size());

  Discovery discovery(targets, config_.max_discovered);
  std::atomic<size_t> next{0};
  auto work = [&] {
    std::vector<model::Pod> listed;
    for (size_t i = next++; i < targets.size(); i = next++) {
      listed.clear();
      round->results[i] = probe_pod(targets[i], listed);
      discovery.consider(listed);
    }
  };
  std::vector<std::thread> workers;
  const size_t count = std::min(config_.concurrency, targets.size());
  for (size_t w = 0; w < count; ++w) workers.emplace_back(work);
  for (auto& worker : workers) worker.join();

  for (const model::PodProbe& r : round->results) {
    round->answered += r.reachable;
    round->denied += r.failure == "denied";
  }
  round->probed = round->results.size() - round->denied;
  std::vector<ProbeTarget> found = discovery.take();
  round->discovered_next = found.size();
  round->finished_at = clock_();
  round->duration_ms = ms_between(start, SteadyClock::now());
  round->reindex();
  {
    std::lock_guard lock(mutex_);
    round->round = rounds_ + 1;
  }
  // Before the round becomes latest(): a snapshot holding this round holds what the
  // listener derived from it (availability) too.
  if (listener_) listener_(*round);
  std::lock_guard lock(mutex_);
  round->round = ++rounds_;
  discovered_ = std::move(found);
  latest_ = round;
  return round;
}

model::PodProbe Prober::probe_pod(const ProbeTarget& target, std::vector<model::Pod>& listed) {
  model::PodProbe r;
  r.address = target.address;
  r.endpoint = endpoint_of(target);
  r.pubkey = target.pubkey;
  r.discovered = target.discovered;
  r.probed_at = clock_();
  if (auto refusal = dial_refusal(config_.policy, target.host)) {
    r.failure = "denied";
    r.detail = *refusal;
    return r;
  }
  const auto start = SteadyClock::now();
  const auto deadline = start + config_.total_timeout;
  // One call, within what is left of the pod's total timeout; a non-200 status is an error.
  auto call = [&](std::string_view method) -> Result<http::ClientResponse> {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - SteadyClock::now());
    if (left.count() <= 0) return make_error(ErrorCode::kTimeout, "the pod's total timeout ran out");
    http::ClientRequest request;
    request.host = target.host;
    request.port = target.rpc_port;
    request.target = "/rpc";
    request.body = std::string(R"({"jsonrpc":"2.0","method":")") + std::string(method) + R"(","id":1})";
    request.connect_timeout = std::min(config_.connect_timeout, left);
    request.total_timeout = left;
    request.max_response_bytes = config_.max_response_bytes;
    Result<http::ClientResponse> answer = http_->send(std::move(request)).get();
    if (answer && answer->status != 200)
      return make_error(ErrorCode::kHttpStatus, "HTTP " + std::to_string(answer->status))
          .with_http_status(answer->status);
    return answer;
  };
  auto fail = [&](const Error& e) {
    r.failure = std::string(e.kind());
    r.detail = e.message;
    r.total_ms = ms_between(start, SteadyClock::now());
    return r;
  };

  auto version_answer = call("get-version");
  if (!version_answer) return fail(version_answer.error());
  r.connect_ms = ms_of(version_answer->connect_elapsed);
  auto version = prpc::parse_get_version(version_answer->body);
  if (!version) return fail(version.error());
  r.reachable = true;
  r.version = version->version;

  auto stats_answer = call("get-stats");
  Result<model::NodeStats> stats = stats_answer ? prpc::parse_get_stats(stats_answer->body)
                                                : Result<model::NodeStats>(stats_answer.error());
  if (stats)
    r.stats = std::move(*stats);
  else
    r.stats_failure = std::string(stats.error().kind());

  auto pods_answer = call("get-pods-with-stats");
  if (pods_answer) {
    if (auto pods = prpc::parse_pods(pods_answer->body)) {
      r.pods_listed = pods->pods.size();
      listed = std::move(pods->pods);
    }
  }
  r.total_ms = ms_between(start, SteadyClock::now());
  return r;
}

}  // namespace pnode::collect
