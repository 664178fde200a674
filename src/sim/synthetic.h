// Synthetic networks for scale tests and demos: N pods whose distributions follow the
// real captures (docs/protocol.md §5.3/§5.4): versions mostly 0.8.0 with some 0.7.x,
// trynet builds and a few 0.6.0; ~26 % public; ~12 % gossip ports other than 9001;
// storage_committed from the common values; tiny storage_used; uptime median of a few
// days with ~10 % under an hour; 44-character base58 pubkeys, some shared by several
// addresses (at most 15); ~80 % of rows fresh, a tail of ages up to an hour; one
// all-null "unknown" row and one TestPubkey14-like test row. Pod k gets the loopback
// address 127.1.0.0 + k + 1.
// Thread-safety: a pure function of its arguments.
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/node_spec.h"

namespace pnode::sim {

// The 0.6.0 rows are always private, so a public pod picked as a seed serves
// get-pods-with-stats. `public_percent` (0..100) overrides the captures' share of public
// pods, e.g. for a probe round over more public pods than the real network has today.
inline constexpr int kCapturedPublicPercent = 26;
Generation generate_synthetic_network(size_t pod_count, uint64_t rng_seed,
                                      int public_percent = kCapturedPublicPercent);

// 44 characters of the base58 alphabet.
std::string random_base58_key(uint64_t h);

}  // namespace pnode::sim
