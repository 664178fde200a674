#include "bench/bench_support.h"

#include <cstdio>
#include <cstdlib>

#include "http/message.h"
#include "http/tail_room.h"
#include "prpc/parse.h"
#include "sim/address_map.h"
#include "sim/simulator.h"
#include "sim/synthetic.h"

namespace pnode::bench {
namespace {

[[noreturn]] void die(const std::string& what) {
  std::fprintf(stderr, "bench: %s\n", what.c_str());
  std::exit(2);
}

}  // namespace

struct SeedBodies::Impl {
  std::shared_ptr<std::atomic<int64_t>> now = std::make_shared<std::atomic<int64_t>>(kBenchNow);
  std::unique_ptr<sim::Simulator> simulator;
};

SeedBodies::SeedBodies(size_t pods, int seeds) : impl_(std::make_unique<Impl>()) {
  sim::SimOptions options;
  options.mode = sim::SimMode::kSynthetic;
  options.pods = pods;
  options.seeds = seeds;
  options.base_port = 0;
  options.clock = [now = impl_->now] { return now->load(); };
  auto simulator = sim::Simulator::create(options);
  if (!simulator.ok()) die("simulator: " + simulator.error().message);
  impl_->simulator = std::move(*simulator);
}

SeedBodies::~SeedBodies() = default;

std::vector<std::string> SeedBodies::bodies(int64_t offset) {
  impl_->now->store(kBenchNow + offset);
  std::vector<std::string> out;
  for (int i = 0; i < impl_->simulator->seed_count(); ++i) {
    http::Request request;
    request.method = "POST";
    request.target = "/rpc";
    request.headers = {{"Content-Type", "application/json"}};
    request.body = R"({"jsonrpc":"2.0","method":"get-pods-with-stats","id":1})";
    http::Response response = impl_->simulator->handle(i, request);
    if (response.status != 200 || !response.body)
      die("seed " + std::to_string(i) + " answered " + std::to_string(response.status));
    // As the HTTP client delivers a body: with room for the parser's padding after it.
    std::string& body = out.emplace_back();
    body.reserve(response.body->size() + http::kBodyTailRoom);
    body = *response.body;
  }
  return out;
}

std::vector<std::string> seed_bodies(size_t pods, int seeds, int64_t clock_offset) {
  return SeedBodies(pods, seeds).bodies(clock_offset);
}

collect::SeedAnswer parse_answer(std::string& body, size_t seed) {
  auto pods = prpc::parse_pods_in_place(body);
  if (!pods.ok()) die("parse: " + pods.error().message);
  collect::SeedAnswer answer;
  answer.poll.seed = "127.0.0.1:" + std::to_string(16001 + seed);
  answer.poll.pod_count = pods->pods.size();
  answer.pods = std::move(*pods);
  return answer;
}

std::vector<collect::SeedAnswer> parse_answers(std::vector<std::string>& bodies) {
  std::vector<collect::SeedAnswer> answers;
  for (size_t i = 0; i < bodies.size(); ++i) answers.push_back(parse_answer(bodies[i], i));
  return answers;
}

std::vector<SimulatedPod> simulated_pods(size_t pods) {
  const sim::SimOptions defaults;
  std::vector<SimulatedPod> out;
  for (const sim::NodeSpec& pod : sim::generate_synthetic_network(pods, defaults.rng_seed, defaults.public_percent))
    out.push_back({sim::format_endpoint(pod.ip, pod.port), pod.pubkey.value_or("Pk" + std::to_string(out.size()))});
  return out;
}

}  // namespace pnode::bench
