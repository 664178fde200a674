#include "sim/synthetic.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "sim/address_map.h"
#include "sim/rng.h"

namespace pnode::sim {
namespace {

constexpr char kBase58[] = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
constexpr int kMaxAddressesPerPubkey = 15;

// The committed sizes seen most often in the late-December capture
// (docs/protocol.md §5.3), with weights.
struct WeightedSize {
  uint64_t bytes;
  int weight;
};
constexpr WeightedSize kCommonSizes[] = {
    {100000000000ULL, 28}, {10737418240ULL, 27}, {17540000000000ULL, 14}, {104857600ULL, 11},
    {175000000000ULL, 6},  {140000000000ULL, 6}, {30000000000ULL, 5},     {200000000000ULL, 5},
    {50000000000ULL, 5},   {320000000000ULL, 4}, {1073741824ULL, 4},      {17580000000000ULL, 2},
};

std::string pick_version(Rng& rng, bool is_public) {
  double u = rng.uniform();
  if (u < 0.70) return "0.8.0";
  if (u < 0.85) return "0.7.3";
  if (u < 0.86) return "0.7.1";
  if (u < 0.93) return "0.8.0-trynet.20251217111503.7a5b024";
  if (u < 0.96) return "0.8.0-trynet.20251212183600.9eea72e";
  if (u < 0.99) return "0.7.3-trynet.20251210055354.57fd475";
  return is_public ? "0.8.0" : "0.6.0";
}

uint64_t pick_committed(Rng& rng) {
  if (rng.chance(0.4)) return (10 + rng.below(590)) * 1000000000ULL;  // 10 GB .. 600 GB
  int total = 0;
  for (const auto& s : kCommonSizes) total += s.weight;
  int r = static_cast<int>(rng.below(total));
  for (const auto& s : kCommonSizes) {
    if (r < s.weight) return s.bytes;
    r -= s.weight;
  }
  return kCommonSizes[0].bytes;
}

uint64_t pick_used(Rng& rng, uint64_t committed) {
  if (rng.chance(0.13)) return 0;
  double v = std::exp(std::log(5000.0) + 1.8 * rng.normal());  // median ~5 KB, p90 ~50-100 KB
  return std::min<uint64_t>(static_cast<uint64_t>(v), committed);
}

uint64_t pick_uptime(Rng& rng) {
  if (rng.chance(0.01)) return 0;                       // stuck at zero
  if (rng.chance(0.10)) return rng.below(3600);         // restarted within the hour
  double days = std::exp(std::log(4.0) + 0.8 * rng.normal());  // median ~4 days
  return static_cast<uint64_t>(std::min(days, 40.0) * 86400.0);
}

int64_t pick_age(Rng& rng) {
  if (rng.chance(0.82)) return static_cast<int64_t>(rng.below(kFreshAgeSeconds + 1));
  double u = rng.uniform();
  return kFreshAgeSeconds + 1 + static_cast<int64_t>(u * u * (kMaxAgeSeconds - kFreshAgeSeconds - 1));
}

uint16_t pick_port(Rng& rng) {
  if (!rng.chance(0.16)) return 9001;  // private rows only: ~12 % of all rows
  uint16_t port = static_cast<uint16_t>(1024 + rng.below(64000));
  return port == 9001 ? 9002 : port;
}

NodeSpec all_null_row(const NodeSpec& base) {
  NodeSpec s;
  s.node_id = base.node_id;
  s.ip = base.ip;
  s.port = 9001;
  s.version = "unknown";
  s.age = base.age;
  return s;
}

NodeSpec test_row(const NodeSpec& base) {
  NodeSpec s = base;
  s.port = 9015;
  s.pubkey = "TestPubkey14";
  s.is_public = true;
  s.rpc_port = 6000;
  s.storage_committed = 10000000000ULL;
  s.storage_used = 5000000000ULL;
  s.uptime = 3600;
  s.version = "1.0.0";
  s.age = 3402;
  return s;
}

}  // namespace

std::string random_base58_key(uint64_t h) {
  std::string key(44, '1');
  Rng rng(h);
  key[0] = kBase58[1 + rng.below(16)];  // 44-character keys start low in the alphabet
  for (size_t i = 1; i < key.size(); ++i) key[i] = kBase58[rng.below(58)];
  return key;
}

Generation generate_synthetic_network(size_t pod_count, uint64_t rng_seed, int public_percent) {
  Generation out;
  out.reserve(pod_count);
  Rng rng(hash_of({rng_seed, 0x5e7e71c}));
  std::vector<std::string> keys;  // distinct pubkeys so far
  std::unordered_map<size_t, int> key_uses;
  // One operator runs exactly 15 addresses, spread over the list (as 8Pjj... did).
  const std::string big_operator = random_base58_key(hash_of({rng_seed, 15}));
  const size_t spread = pod_count / kMaxAddressesPerPubkey;

  for (size_t k = 0; k < pod_count; ++k) {
    NodeSpec s;
    s.node_id = static_cast<uint32_t>(k);
    s.ip = loopback_ip_for_index(k);
    s.is_public = rng.chance(public_percent / 100.0);
    s.port = *s.is_public ? 9001 : pick_port(rng);
    s.rpc_port = 6000;
    s.storage_committed = pick_committed(rng);
    s.storage_used = pick_used(rng, *s.storage_committed);
    s.uptime = pick_uptime(rng);
    s.version = pick_version(rng, *s.is_public);
    s.age = pick_age(rng);
    if (spread >= 4 && k % spread == spread / 2 && k / spread < kMaxAddressesPerPubkey) {
      s.pubkey = big_operator;
    } else if (!keys.empty() && rng.chance(0.08)) {
      size_t pick = rng.below(keys.size());
      if (key_uses[pick] < kMaxAddressesPerPubkey - 1) {
        ++key_uses[pick];
        s.pubkey = keys[pick];
      }
    }
    if (!s.pubkey) {
      keys.push_back(random_base58_key(rng.next()));
      key_uses[keys.size() - 1] = 1;
      s.pubkey = keys.back();
    }
    out.push_back(std::move(s));
  }
  // The odd rows every real snapshot carries, away from the front where seeds are taken.
  if (pod_count >= 4) {
    out[pod_count * 3 / 4] = all_null_row(out[pod_count * 3 / 4]);
    out[pod_count / 2] = test_row(out[pod_count / 2]);
  }
  return out;
}

}  // namespace pnode::sim
