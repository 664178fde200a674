// Polling the configured seeds concurrently: get-version, get-stats and
// get-pods-with-stats (falling back to get-pods on -32601) for every seed at once. Each
// seed is isolated: its failures end up in its own SeedPoll and never affect another.
// Each seed has a deadline for all its calls together (the get-pods fallback included),
// so however slow or hanging a seed is, a poll ends within `seed_deadline`.
// Thread-safety: poll_seeds may be called from any thread; it blocks until every seed
// has answered, timed out or passed its deadline.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "collect/snapshot.h"
#include "prpc/client.h"
#include "util/loopback.h"

namespace pnode::collect {

struct SeedTarget {
  std::string label;  // as configured ("host:port"); used in peer_sources and logs
  HostPort endpoint;
};

struct SeedAnswer {
  SeedPoll poll;
  model::PodList pods;  // empty when the pods call failed
};

std::vector<SeedAnswer> poll_seeds(prpc::Client& client, const std::vector<SeedTarget>& seeds,
                                   std::chrono::milliseconds seed_deadline = std::chrono::hours(1));

}  // namespace pnode::collect
