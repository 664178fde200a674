// What the collector remembers about each node between cycles, in memory, to feed the
// scores and alerts that need a little history: the last kFlagCount online/offline
// flags (gossip flapping) and storage_used samples every kSampleSpacing over
// kSampleWindow (capacity growth trend). It starts empty after a restart and fills up
// as cycles run (until then: no flapping alerts, a flat growth trend).
// Thread-safety: owned by the collector thread; not thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "analysis/alerts.h"
#include "analysis/growth_trend.h"
#include "analysis/node_view.h"
#include "util/flat_map.h"

namespace pnode::collect {

class NodeMemory {
 public:
  static constexpr size_t kFlagCount = 20;
  static constexpr int64_t kSampleSpacing = 6 * 3600;
  static constexpr int64_t kSampleWindow = 7 * 86400;

  // Records this cycle's online flag and storage for every node of the views, and forgets
  // nodes the views no longer hold (evicted or pruned), so memory follows the registry cap.
  void record(const analysis::NodeViews& views, int64_t now);
  // A node moved to another address (NAT port change): its memory goes with it, unless
  // something is already remembered under the new address.
  void rename(const std::string& from, const std::string& to);

  analysis::GrowthTrends growth_trends() const;
  // Every remembered node's last kFlagCount online flags, oldest first. Kept up to date
  // by record() and rename() (not rebuilt per call); valid until the next of those.
  const analysis::GossipHistories& gossip_histories() const { return histories_; }
  size_t size() const { return nodes_.size(); }

 private:
  struct Node {
    std::vector<analysis::StorageSample> storage;  // at most kSampleWindow / kSampleSpacing + 1
    uint64_t recorded = 0;  // the last record() call that saw it
  };
  FlatStringMap<Node> nodes_;
  analysis::GossipHistories histories_;  // the same keys as nodes_
  uint64_t records_ = 0;
};

}  // namespace pnode::collect
