// Simulator::Tick: everything the simulator serves during one clock second, built once
// and shared by every request of that second (the seeds' lists and the pods' own answers).
// Private to the simulator's .cc files.
// Thread-safety: immutable after construction except the lazily rendered rows and the
// node index, each built once under std::call_once.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "sim/network_model.h"
#include "sim/render.h"
#include "sim/simulator.h"
#include "util/json_writer.h"

namespace pnode::sim {

// Everything served during one clock second, built once and shared by every request.
struct Simulator::Tick {
  uint64_t serial = 0;  // increases with every new tick
  int64_t time = 0;
  std::vector<LivePod> pods;
  std::vector<int> seed_row;  // index in pods of each seed's own row, -1 when absent

  // Rows serialised lazily, back to back; row i is [offsets[i], offsets[i+1]).
  struct Rows {
    std::once_flag once;
    std::string text;
    std::vector<size_t> offsets;
  };
  Rows rows[2];  // [0] get-pods rows, [1] get-pods-with-stats rows

  const Rows& rendered(bool with_stats) {
    Rows& r = rows[with_stats ? 1 : 0];
    std::call_once(r.once, [&] {
      JsonWriter w(DoubleStyle::kSerde);
      w.reserve(pods.size() * (with_stats ? 300 : 130));
      r.offsets.reserve(pods.size() + 1);
      r.offsets.push_back(0);
      for (const LivePod& pod : pods) {
        with_stats ? write_pod_with_stats(w, pod) : write_pod_basic(w, pod);
        r.offsets.push_back(w.str().size());
      }
      r.text = w.take();
    });
    return r;
  }

  // The row of node `node_id` in pods, or -1 (the index is built on first use).
  int row_of(uint32_t node_id) {
    std::call_once(node_index_once, [&] {
      node_index.reserve(pods.size());
      for (size_t i = 0; i < pods.size(); ++i) node_index.emplace(pods[i].node_id(), static_cast<int>(i));
    });
    auto it = node_index.find(node_id);
    return it == node_index.end() ? -1 : it->second;
  }

 private:
  std::once_flag node_index_once;
  std::unordered_map<uint32_t, int> node_index;
};

// A node's get-stats answer at `time`, drawn from hash `h` (per seed or per pod) and its
// row (null when it is not in the network now); `start_time` is the network's start.
prpc::NodeStats simulated_stats(const LivePod* pod, uint64_t h, int64_t time, int64_t start_time);

}  // namespace pnode::sim
