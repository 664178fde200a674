#include "collect/credits_recorder.h"

#include <spdlog/spdlog.h>

namespace pnode::collect {

std::vector<store::CreditRecord> credit_rows_due(const analysis::CreditsView& view,
                                                 const std::unordered_map<std::string, store::CreditRecord>& last,
                                                 int64_t now) {
  std::vector<store::CreditRecord> due;
  for (const auto& [pubkey, standing] : view.by_pubkey) {
    store::CreditRecord row{pubkey, now, standing.credits, analysis::credit_network_name(standing.network)};
    auto it = last.find(pubkey);
    const bool changed = it == last.end() || it->second.credits != row.credits || it->second.network != row.network;
    if (changed || now - it->second.at >= kCreditsRowEvery) due.push_back(std::move(row));
  }
  return due;
}

CreditsRecorder::CreditsRecorder(store::Store* store, int64_t retention_days, WriteFence fence)
    : store_(store), retention_days_(retention_days), fence_(std::move(fence)) {}

void CreditsRecorder::record(const analysis::CreditsView& view, int64_t now) {
  if (!store_ || !store_->read_only_reason().empty()) return;
  std::optional<store::LeaseToken> fence;
  if (fence_) {
    auto held = fence_();
    if (!held) return;  // a follower: the collector keeps the history
    fence = *held;
  }
  std::lock_guard lock(mutex_);
  std::vector<store::CreditRecord> due = credit_rows_due(view, last_, now);
  if (due.empty()) return;
  const int64_t cutoff = retention_days_ > 0 ? now - retention_days_ * 86400 : 0;
  if (auto st = store_->write_credits(due, cutoff, fence); !st.ok()) {
    spdlog::warn("credits history: {} rows not stored (tried again next poll): {}", due.size(), st.error().message);
    return;
  }
  for (auto& row : due) last_[row.pubkey] = std::move(row);
}

}  // namespace pnode::collect
