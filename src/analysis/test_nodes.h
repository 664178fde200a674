// Test helpers: NodeViews built by hand (no snapshot needed) for the analysis tests.
// Thread-safety: test code only.
#pragma once

#include <string>
#include <vector>

#include "analysis/node_view.h"
#include "analysis/scoring.h"

namespace pnode::analysis::testing {

inline constexpr uint64_t kGiB = 1024ull * 1024 * 1024;

// An online node with the given facts; scores are left for the caller to set.
inline NodeView online_node(std::string address, uint64_t uptime, double usage_percent, std::string version,
                            size_t peers) {
  NodeView v;
  v.address = std::move(address);
  v.pubkey = "pk-" + v.address;
  v.is_online = true;
  v.last_seen = 1'000'000;
  v.last_checked = 1'000'000;
  v.uptime = uptime;
  v.storage_usage_percent = usage_percent;
  v.version = std::move(version);
  for (size_t i = 0; i < peers; ++i) v.peer_sources.push_back(static_cast<uint16_t>(i));
  return v;
}

// An offline node last seen `offline_for` seconds before the cycle time 1'000'000.
inline NodeView offline_node(std::string address, int64_t offline_for) {
  NodeView v;
  v.address = std::move(address);
  v.pubkey = "pk-" + v.address;
  v.is_online = false;
  v.last_checked = 1'000'000;
  v.last_seen = 1'000'000 - offline_for;
  v.version = "0.8.0";
  v.scores = offline_scores();
  return v;
}

inline NodeView with_score(NodeView v, double trust, double capacity) {
  v.scores.trust.score = trust;
  v.scores.capacity.score = capacity;
  v.scores.stake = stake_confidence(trust, capacity);
  return v;
}

}  // namespace pnode::analysis::testing
