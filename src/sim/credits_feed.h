// The simulator's pod-credits sources (issue 13): GET /credits/mainnet and
// /credits/devnet on every seed's port answer as the network's real sources do,
//   {"pods_credits":[{"credits":<number>,"pod_id":"<pubkey>"}, ...],"status":"success"}
// for the simulated pods that have a pubkey. Each pubkey belongs to one list (about three
// in four to mainnet, by a hash of the pubkey and the run's seed) and holds credits made
// of a base drawn from the same hash (about one in eight has none yet, one in twenty
// lost 100s to missed operations) plus one per heartbeat since the simulator started
// (every 30 s by default, as on the real network; `--credits-heartbeat 0` freezes them for
// tests that compare two reads), so the numbers move like the real ones between polls.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "prpc/types.h"

namespace pnode::sim {

enum class CreditsList { kMainnet, kDevnet };

// The list a credits path names ("/credits/mainnet", "/credits/devnet"), nullopt otherwise.
std::optional<CreditsList> credits_list_of_path(std::string_view path);

// Which list a pubkey is on, and its credits `heartbeats` heartbeats after the start.
CreditsList credits_list_of(std::string_view pubkey, uint64_t rng_seed);
double credits_of(std::string_view pubkey, uint64_t rng_seed, int64_t heartbeats);

// The body of one list over `pods` (those without a pubkey are left out; a pubkey listed
// twice appears once).
std::string credits_body(const std::vector<prpc::Pod>& pods, CreditsList list, uint64_t rng_seed, int64_t heartbeats);

}  // namespace pnode::sim
