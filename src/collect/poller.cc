#include "collect/poller.h"

#include <chrono>
#include <future>

namespace pnode::collect {
namespace {

double elapsed_ms(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - since).count();
}

SeedAnswer poll_one(prpc::Client& client, const SeedTarget& target, std::chrono::milliseconds budget) {
  auto start = std::chrono::steady_clock::now();
  const prpc::Deadline deadline = start + budget;
  auto version = client.get_version(target.endpoint, deadline);
  auto stats = client.get_stats(target.endpoint, deadline);
  auto pods = client.get_pods_best(target.endpoint, deadline);

  SeedAnswer out;
  out.poll.seed = target.label;
  if (pods.ok()) {
    out.pods = std::move(pods.value().list);
    out.poll.used_fallback = pods->used_fallback;
    out.poll.pod_count = out.pods.pods.size();
    out.poll.pods_total_count = out.pods.total_count;
  } else {
    out.poll.pods_error = pods.error();
  }
  if (auto v = version.get(); v.ok()) out.poll.version = std::move(v.value());
  else out.poll.version_error = v.error();
  if (auto s = stats.get(); s.ok()) out.poll.stats = std::move(s.value());
  else out.poll.stats_error = s.error();
  out.poll.duration_ms = elapsed_ms(start);
  return out;
}

}  // namespace

std::vector<SeedAnswer> poll_seeds(prpc::Client& client, const std::vector<SeedTarget>& seeds,
                                   std::chrono::milliseconds seed_deadline, const OnSeedAnswer& on_answer) {
  std::vector<std::future<SeedAnswer>> pending;
  pending.reserve(seeds.size());
  for (size_t i = 0; i < seeds.size(); ++i) {
    pending.push_back(std::async(std::launch::async, [&client, &target = seeds[i], i, seed_deadline, &on_answer] {
      SeedAnswer answer = poll_one(client, target, seed_deadline);
      if (on_answer) on_answer(i, answer);
      return answer;
    }));
  }
  std::vector<SeedAnswer> answers;
  answers.reserve(seeds.size());
  for (auto& f : pending) answers.push_back(f.get());
  return answers;
}

}  // namespace pnode::collect
