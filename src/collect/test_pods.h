// Builders of seed answers (collect::SeedAnswer) for the collect/ unit tests; the pods in
// them come from make_gossip_pod of testing/builders.h (re-exported here).
// Thread-safety: test-only helpers, no shared state.
#pragma once

#include <string>

#include "collect/poller.h"
#include "prpc/types.h"
#include "testing/builders.h"

namespace pnode::collect::testing {

using ::pnode::testing::make_gossip_pod;

inline SeedAnswer make_seed_answer(std::string seed, std::vector<model::Pod> pods) {
  SeedAnswer a;
  a.poll.seed = std::move(seed);
  a.poll.pod_count = pods.size();
  a.pods.pods = std::move(pods);
  return a;
}

inline SeedAnswer make_failed_seed_answer(std::string seed, ErrorCode code = ErrorCode::kTimeout) {
  SeedAnswer a;
  a.poll.seed = std::move(seed);
  a.poll.pods_error = make_error(code, seed + " timed out");
  return a;
}

}  // namespace pnode::collect::testing
