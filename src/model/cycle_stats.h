// What one collector cycle reports, for logs and metrics: whether it produced a
// snapshot, how long it and its store write took, why it failed, and the snapshot.
// Thread-safety: a plain value.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "model/snapshot.h"

namespace pnode::model {

struct CycleStats {
  uint64_t cycle = 0;
  bool ok = false;
  double duration_ms = 0;
  double store_ms = 0;
  std::string error;  // why the cycle or the store write failed
  std::shared_ptr<const Snapshot> snapshot;
};

}  // namespace pnode::model
