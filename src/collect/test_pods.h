// Small builders of pods and seed answers for the collect/ unit tests.
// Thread-safety: test-only helpers, no shared state.
#pragma once

#include <string>

#include "collect/poller.h"
#include "prpc/types.h"

namespace pnode::collect::testing {

inline model::Pod make_pod(std::string address, int64_t last_seen, std::string version = "0.8.0") {
  model::Pod p;
  p.address = std::move(address);
  p.pubkey = "pk-" + p.address;
  p.last_seen_timestamp = last_seen;
  p.version = std::move(version);
  p.is_public = false;
  p.rpc_port = 6000;
  p.storage_committed = 100;
  p.storage_used = 1;
  p.storage_usage_percent = 1.0;
  p.uptime = 1000;
  return p;
}

inline SeedAnswer answer(std::string seed, std::vector<model::Pod> pods) {
  SeedAnswer a;
  a.poll.seed = std::move(seed);
  a.poll.pod_count = pods.size();
  a.pods.pods = std::move(pods);
  return a;
}

inline SeedAnswer failed(std::string seed, ErrorCode code = ErrorCode::kTimeout) {
  SeedAnswer a;
  a.poll.seed = std::move(seed);
  a.poll.pods_error = make_error(code, seed + " timed out");
  return a;
}

}  // namespace pnode::collect::testing
