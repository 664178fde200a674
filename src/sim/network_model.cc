#include "sim/network_model.h"

#include <algorithm>
#include <cassert>
#include <limits>

#include "sim/address_map.h"
#include "sim/rng.h"

namespace pnode::sim {
namespace {

constexpr int64_t kNever = std::numeric_limits<int64_t>::min();
constexpr std::string_view kRolloutFrom = "0.8.0";
constexpr std::string_view kRolloutTo = "1.2.0";

bool is_fresh(const NodeSpec& spec) { return spec.age && *spec.age <= kFreshAgeSeconds; }

int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

}  // namespace

std::string LivePod::address() const { return format_endpoint(spec->ip, port); }

std::optional<double> LivePod::storage_usage_percent() const {
  if (!spec->storage_committed || !storage_used || *spec->storage_committed == 0) return std::nullopt;
  return static_cast<double>(*storage_used) / static_cast<double>(*spec->storage_committed) * 100.0;
}

prpc::Pod LivePod::to_pod() const {
  prpc::Pod pod;
  pod.address = address();
  pod.pubkey = spec->pubkey;
  pod.is_public = spec->is_public;
  pod.last_seen_timestamp = last_seen_timestamp;
  pod.rpc_port = spec->rpc_port;
  pod.storage_committed = spec->storage_committed;
  pod.storage_used = storage_used;
  pod.storage_usage_percent = storage_usage_percent();
  pod.uptime = uptime;
  pod.version = std::string(version);
  return pod;
}

NetworkModel::NetworkModel(ModelOptions options) : options_(std::move(options)) {
  assert(!options_.generations.empty());
  if (options_.generation_interval <= 0) options_.generation_interval = 1;
  for (const auto& gen : options_.generations)
    for (const auto& spec : gen) node_id_bound_ = std::max(node_id_bound_, spec.node_id + 1);
  pinned_.assign(node_id_bound_, 0);
  for (uint32_t id : options_.pinned)
    if (id < node_id_bound_) pinned_[id] = 1;

  // A pinned node (a seed) answers, so it is alive in every generation: when a later
  // capture lacks it, it is carried over from the first one as a fresh row.
  const Generation& first = options_.generations.front();
  for (size_t g = 1; g < options_.generations.size(); ++g) {
    Generation& gen = options_.generations[g];
    for (uint32_t id : options_.pinned) {
      bool present = std::any_of(gen.begin(), gen.end(), [&](const NodeSpec& s) { return s.node_id == id; });
      if (present) continue;
      auto it = std::find_if(first.begin(), first.end(), [&](const NodeSpec& s) { return s.node_id == id; });
      if (it == first.end()) continue;
      NodeSpec carried = *it;
      carried.age = 0;
      gen.push_back(std::move(carried));
    }
  }
  reset_churn();
}

std::pair<size_t, int64_t> NetworkModel::generation_at(int64_t t) const {
  size_t count = options_.generations.size();
  if (count == 1 || t <= options_.start_time) return {0, options_.start_time};
  int64_t slot = (t - options_.start_time) / options_.generation_interval;
  return {static_cast<size_t>(slot % static_cast<int64_t>(count)),
          options_.start_time + slot * options_.generation_interval};
}

void NetworkModel::reset_churn() {
  applied_epoch_ = 0;
  departed_.assign(node_id_bound_, 0);
  upgraded_.assign(node_id_bound_, 0);
  restart_time_.assign(node_id_bound_, kNever);
  restart_uptime_.assign(node_id_bound_, 0);
  returns_ = {};
}

void NetworkModel::advance_churn_to(int64_t t) {
  int64_t target = std::max<int64_t>(0, floor_div(t - options_.start_time, kChurnEpochSeconds));
  if (target < applied_epoch_) reset_churn();  // the clock went back: replay from the start
  while (applied_epoch_ < target) apply_epoch(++applied_epoch_);
}

void NetworkModel::restart(uint32_t node_id, int64_t at, Rng& rng) {
  restart_time_[node_id] = at - static_cast<int64_t>(rng.below(kChurnEpochSeconds));
  restart_uptime_[node_id] = static_cast<uint32_t>(rng.below(30));
}

void NetworkModel::apply_epoch(int64_t epoch) {
  const int64_t at = options_.start_time + epoch * kChurnEpochSeconds;
  Rng rng(hash_of({options_.rng_seed, 0xc412, static_cast<uint64_t>(epoch)}));
  const Generation& gen = options_.generations[generation_at(at).first];
  const double per_epoch = options_.churn.rate_per_minute * kChurnEpochSeconds / 60.0;
  const double n = static_cast<double>(gen.size());

  while (!returns_.empty() && returns_.top().first <= epoch) {
    uint32_t id = returns_.top().second;
    returns_.pop();
    departed_[id] = 0;
    if (rng.chance(0.5)) restart(id, at, rng);  // often a node is gone because it restarted
  }
  if (gen.empty()) return;

  for (uint64_t i = rng.count_with_mean(per_epoch * n); i > 0; --i) {
    const NodeSpec& spec = gen[rng.below(gen.size())];
    if (pinned_[spec.node_id] || departed_[spec.node_id]) continue;
    departed_[spec.node_id] = 1;
    returns_.emplace(epoch + 6 + static_cast<int64_t>(rng.below(55)), spec.node_id);
  }
  for (uint64_t i = rng.count_with_mean(per_epoch * n / 4); i > 0; --i) {
    const NodeSpec& spec = gen[rng.below(gen.size())];
    if (is_fresh(spec) && !departed_[spec.node_id]) restart(spec.node_id, at, rng);
  }
  for (uint64_t i = rng.count_with_mean(per_epoch * n / 2); i > 0; --i) {
    const NodeSpec& spec = gen[rng.below(gen.size())];
    if (!spec.version.starts_with(kRolloutFrom) || upgraded_[spec.node_id] || !is_fresh(spec)) continue;
    upgraded_[spec.node_id] = 1;  // an upgrade is a restart on the new version
    restart(spec.node_id, at, rng);
  }
}

uint16_t NetworkModel::port_at(const NodeSpec& spec, int64_t t) const {
  bool nat = spec.port != 9001 && spec.is_public != true && !pinned_[spec.node_id];
  if (!options_.churn.enabled || !nat) return spec.port;
  uint64_t h = hash_of({options_.rng_seed, spec.node_id, 0x9a7});
  int64_t slot = floor_div(t - options_.start_time + static_cast<int64_t>(h % kNatRotationSeconds), kNatRotationSeconds);
  if (slot == 0) return spec.port;
  uint16_t port = static_cast<uint16_t>(1024 + hash_of({h, static_cast<uint64_t>(slot)}) % 64000);
  return port == 9001 ? 9002 : port;
}

LivePod NetworkModel::live_row(const NodeSpec& spec, int64_t t, int64_t activated) const {
  const int64_t elapsed = std::max<int64_t>(0, t - activated);
  const bool fresh = is_fresh(spec);
  LivePod row;
  row.spec = &spec;
  row.port = port_at(spec, t);
  row.version = spec.version;
  if (spec.age) {
    int64_t age = fresh ? *spec.age : (*spec.age + elapsed) % (kMaxAgeSeconds + 1);
    row.last_seen_timestamp = t - age;
  }
  row.storage_used = spec.storage_used;
  if (spec.uptime) row.uptime = *spec.uptime + (fresh ? static_cast<uint64_t>(elapsed) : 0);
  if (!options_.churn.enabled) return row;

  const uint32_t id = spec.node_id;
  if (restart_time_[id] != kNever && restart_time_[id] <= t && row.uptime) {
    uint64_t since = static_cast<uint64_t>(t - restart_time_[id]) + restart_uptime_[id];
    row.uptime = std::min(*row.uptime, since);
  }
  if (upgraded_[id] && spec.version.starts_with(kRolloutFrom)) row.version = kRolloutTo;
  if (fresh && row.storage_used && spec.storage_committed) {
    uint64_t h = hash_of({options_.rng_seed, id, 0x6203});
    double bytes_per_second = h % 4 == 0 ? 0.0 : static_cast<double>((h >> 8) % 1000) / 500.0;
    uint64_t grown = *row.storage_used + static_cast<uint64_t>(bytes_per_second * static_cast<double>(elapsed));
    row.storage_used = std::min(grown, *spec.storage_committed);
  }
  return row;
}

std::vector<LivePod> NetworkModel::pods_at(int64_t t) {
  if (options_.churn.enabled) advance_churn_to(t);
  auto [index, activated] = generation_at(t);
  const Generation& gen = options_.generations[index];
  std::vector<LivePod> out;
  out.reserve(gen.size());
  for (const NodeSpec& spec : gen) {
    if (options_.churn.enabled && departed_[spec.node_id]) continue;
    out.push_back(live_row(spec, t, activated));
  }
  return out;
}

}  // namespace pnode::sim
