// Polling the configured seeds concurrently: get-version, get-stats and
// get-pods-with-stats (falling back to get-pods on -32601) for every seed at once. Each
// seed is isolated: its failures end up in its own SeedPoll and never affect another.
// Thread-safety: poll_seeds may be called from any thread; it blocks until every seed
// has answered or timed out (at most about two total timeouts).
#pragma once

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

std::vector<SeedAnswer> poll_seeds(prpc::Client& client, const std::vector<SeedTarget>& seeds);

}  // namespace pnode::collect
