// Polling the configured seeds concurrently: get-version, get-stats and
// get-pods-with-stats (falling back to get-pods on -32601) for every seed at once. Each
// seed is isolated: its failures end up in its own SeedPoll and never affect another.
// Each seed has a deadline for all its calls together (the get-pods fallback included),
// so however slow or hanging a seed is, a poll ends within `seed_deadline`.
// `on_answer`, when given, receives each seed's answer (its index and the answer, which it
// may consume) on that seed's own thread as soon as the seed is done, so the pod lists are
// merged as they come rather than held until the last seed answers.
// Thread-safety: poll_seeds may be called from any thread; it blocks until every seed
// has answered, timed out or passed its deadline. `on_answer` runs on several threads at
// once.
#pragma once

#include <chrono>
#include <functional>
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

using OnSeedAnswer = std::function<void(size_t index, SeedAnswer& answer)>;

std::vector<SeedAnswer> poll_seeds(prpc::Client& client, const std::vector<SeedTarget>& seeds,
                                   std::chrono::milliseconds seed_deadline = std::chrono::hours(1),
                                   const OnSeedAnswer& on_answer = {});

}  // namespace pnode::collect
