#include "sim/credits_feed.h"

#include <algorithm>
#include <functional>
#include <set>

#include "sim/rng.h"
#include "util/json_writer.h"

namespace pnode::sim {
namespace {

uint64_t pubkey_hash(std::string_view pubkey, uint64_t rng_seed) {
  return hash_of({rng_seed, std::hash<std::string_view>{}(pubkey), 0xc4ed175});
}

}  // namespace

std::optional<CreditsList> credits_list_of_path(std::string_view path) {
  if (path == "/credits/mainnet") return CreditsList::kMainnet;
  if (path == "/credits/devnet") return CreditsList::kDevnet;
  return std::nullopt;
}

CreditsList credits_list_of(std::string_view pubkey, uint64_t rng_seed) {
  return pubkey_hash(pubkey, rng_seed) % 4 == 3 ? CreditsList::kDevnet : CreditsList::kMainnet;
}

double credits_of(std::string_view pubkey, uint64_t rng_seed, int64_t heartbeats) {
  const uint64_t h = pubkey_hash(pubkey, rng_seed);
  if ((h >> 8) % 8 == 0) return 0;  // joined this month: no heartbeat counted yet
  heartbeats = std::max<int64_t>(heartbeats, 0);
  int64_t base = static_cast<int64_t>((h >> 16) % 40000);
  // Missed operations (-100 each) early in the month: a small balance, often below zero.
  if ((h >> 40) % 20 == 0) base = base % 300 - 100 * static_cast<int64_t>(1 + (h >> 48) % 5);
  return static_cast<double>(base + heartbeats);
}

std::string credits_body(const std::vector<prpc::Pod>& pods, CreditsList list, uint64_t rng_seed, int64_t heartbeats) {
  std::set<std::string_view> listed;
  JsonWriter w;
  w.begin_object().key("pods_credits").begin_array();
  for (const auto& pod : pods) {
    if (!pod.pubkey || credits_list_of(*pod.pubkey, rng_seed) != list || !listed.insert(*pod.pubkey).second) continue;
    w.begin_object().field("credits", credits_of(*pod.pubkey, rng_seed, heartbeats)).field("pod_id", *pod.pubkey);
    w.end_object();
  }
  w.end_array().field("status", "success").end_object();
  return w.take();
}

}  // namespace pnode::sim
