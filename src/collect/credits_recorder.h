// CreditsRecorder: keeps the pods' credits history (issue 13, part 3) from the credits
// poller's states (credits_poller.h), small by design: a pubkey gets a row when its
// credits or network changed since its last row, or when that row is an hour old
// (kCreditsRowEvery); the first poll after a start writes every pubkey once. Rows of one
// poll go in one transaction with retention. With several instances on one store only
// the collector (the lease holder) writes, so a history is kept once.
// Thread-safety: record() from one thread at a time (the credits poller's); it takes a
// mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>

#include "analysis/credits.h"
#include "collect/leadership.h"
#include "store/store.h"

namespace pnode::collect {

inline constexpr int64_t kCreditsRowEvery = 3600;

// The rows due at `now` for `view`, given each pubkey's last written row (`last`).
std::vector<store::CreditRecord> credit_rows_due(const analysis::CreditsView& view,
                                                 const std::unordered_map<std::string, store::CreditRecord>& last,
                                                 int64_t now);

class CreditsRecorder {
 public:
  // `store` may be null (nothing is written); `fence` says whether this instance writes
  // (the lease holder) and with which token (null: the only instance, unfenced);
  // `retention_days` 0 keeps everything.
  CreditsRecorder(store::Store* store, int64_t retention_days, WriteFence fence);

  void record(const analysis::CreditsView& view, int64_t now);

 private:
  store::Store* store_;
  const int64_t retention_days_;
  const WriteFence fence_;
  std::mutex mutex_;  // guards last_
  std::unordered_map<std::string, store::CreditRecord> last_;  // each pubkey's last row written
};

}  // namespace pnode::collect
