#include "collect/pending_writes.h"

#include <utility>

namespace pnode::collect {

void PendingWrites::remember(store::CycleWrite write) {
  ++cycles_;
  if (write.snapshot) snapshot_ = std::move(write.snapshot);
  retention_cutoff_ = write.retention_cutoff;
  if (write.monitor_state) monitor_state_ = std::move(write.monitor_state);
  for (const auto& entry : write.registry_upserts) addresses_.insert(entry.address);
  for (const auto& address : write.registry_deletes) addresses_.insert(address);
  for (auto& missed : write.missed_network) network_.push_back(std::move(missed));
  network_.push_back(std::move(write.network));
  while (network_.size() > limits_.max_network_samples) {
    network_.pop_front();
    ++dropped_network_samples_;
  }
  history_.push_back(std::move(write.nodes));
  while (history_.size() > limits_.max_history_cycles) {
    history_.pop_front();
    ++dropped_history_cycles_;
  }
  remember_events(std::move(write.events));
}

void PendingWrites::remember_events(std::vector<store::EventRecord> events) {
  for (auto& e : events) events_.push_back(std::move(e));
  while (events_.size() > limits_.max_events) {
    events_.pop_front();
    ++dropped_events_;
  }
}

store::CycleWrite PendingWrites::combined(const model::Registry& registry) const {
  store::CycleWrite write;
  write.snapshot = snapshot_;
  write.retention_cutoff = retention_cutoff_;
  write.registry_upserts.reserve(addresses_.size());
  for (const auto& address : addresses_) {
    if (const model::RegistryEntry* entry = registry.find(address)) {
      write.registry_upserts.push_back(*entry);
    } else {  // moved to another address, evicted or pruned since: its row must go
      write.registry_deletes.push_back(address);
    }
  }
  if (!network_.empty()) {
    write.missed_network.assign(network_.begin(), network_.end() - 1);
    write.network = network_.back();
  }
  size_t samples = 0;
  for (const auto& cycle : history_) samples += cycle.size();
  write.nodes.reserve(samples);
  for (const auto& cycle : history_) write.nodes.insert(write.nodes.end(), cycle.begin(), cycle.end());
  write.events.assign(events_.begin(), events_.end());
  write.monitor_state = monitor_state_;
  return write;
}

void PendingWrites::clear() { *this = PendingWrites(limits_); }

}  // namespace pnode::collect
