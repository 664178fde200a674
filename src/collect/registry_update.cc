#include "collect/registry_update.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "model/registry_sighting.h"
#include "util/flat_map.h"

namespace pnode::collect {
namespace {

constexpr size_t kNone = static_cast<size_t>(-1);

using model::apply_sighting;
using model::sighting_detail::add_source;

void refresh_consistency(RegistryEntry& e) {
  int64_t events = e.gossip_appearances + e.gossip_disappearances;
  e.consistency_score = events > 0 ? static_cast<double>(e.gossip_appearances) / static_cast<double>(events) : 1.0;
}

bool drop_was_observed(const RegistryEntry& e, const std::unordered_set<std::string>& answering) {
  for (const auto& s : e.source_ips)
    if (answering.count(s)) return true;
  return false;
}

// Who a node is, for carrying it across port changes: its pubkey and IP. Empty when the
// node never told a real pubkey (the collector then stores its address as the pubkey).
std::string identity(const std::string& pubkey, const std::string& address) {
  if (pubkey.empty() || pubkey == address) return {};
  std::string key(address_host(address));
  key += '\n';
  key += pubkey;
  return key;
}

std::string identity(const RegistryEntry& e) { return identity(e.pubkey, e.address); }

std::string identity(const MergedNode& m) { return m.pod.pubkey ? identity(*m.pod.pubkey, m.pod.address) : ""; }

// `to` now also answers for `from` and everything `from` was called before.
void remember_addresses(RegistryEntry& to, const RegistryEntry& from) {
  std::vector<std::string> merged = from.previous_addresses;
  merged.push_back(from.address);
  for (const auto& a : to.previous_addresses) merged.push_back(a);
  std::vector<std::string> kept;
  for (auto it = merged.rbegin(); it != merged.rend(); ++it)  // newest first, so duplicates keep the newest
    if (*it != to.address && std::find(kept.begin(), kept.end(), *it) == kept.end()) kept.push_back(*it);
  if (kept.size() > RegistryEntry::kMaxPreviousAddresses) kept.resize(RegistryEntry::kMaxPreviousAddresses);
  to.previous_addresses.assign(kept.rbegin(), kept.rend());
}

// One cycle's work on a copy of the registry. Entries are edited in place; removed ones
// are marked and compacted away at the end.
class Updater {
 public:
  Updater(const Registry& previous, const std::vector<SeedPoll>& seeds, int64_t now, const AdmissionRules& rules)
      : previous_(previous), seeds_(seeds), now_(now), rules_(rules) {
    out_.registry = std::make_shared<Registry>();
    out_.changes.first_cycle = previous.entries.empty();
    touched_.assign(previous.entries.size(), false);
    sighted_.assign(previous.entries.size(), nullptr);
    gone_.assign(previous.entries.size(), false);
    in_view_.assign(previous.entries.size(), false);
    for (const auto& s : seeds)
      if (s.ok()) answering_.insert(s.seed);
    budget_.assign(seeds.size(), rules.new_nodes_per_seed);
  }

  RegistryUpdate run(const std::vector<MergedNode>& nodes) {
    std::vector<size_t> position = find_listed(nodes);
    copy_previous(static_cast<size_t>(std::count(position.begin(), position.end(), kNone)));
    collect_ghosts();
    out_.node_entries.assign(nodes.size(), model::kNoRegistryEntry);
    for (size_t j = 0; j < nodes.size(); ++j) {
      size_t at = position[j];
      if (at == kNone) at = take_ghost(nodes[j]);
      const bool fresh = at == kNone;
      if (fresh) at = admit(nodes[j]);
      if (at == kNone) continue;
      sight(at, nodes[j], fresh);
      out_.node_entries[j] = static_cast<uint32_t>(at);
    }
    fold_left_behind();
    record_drops();
    keep_cap();
    compact();
    return std::move(out_);
  }

 private:
  std::vector<RegistryEntry>& entries() { return out_.registry->entries; }

  // Positions of the listed nodes already in the registry (kNone for new addresses).
  std::vector<size_t> find_listed(const std::vector<MergedNode>& nodes) {
    std::vector<size_t> position(nodes.size(), kNone);
    for (size_t j = 0; j < nodes.size(); ++j) {
      auto it = previous_.index.find(nodes[j].pod.address);
      if (it == previous_.index.end()) continue;
      position[j] = it->second;
      touched_[it->second] = true;
    }
    return position;
  }

  // The entries to edit: the previous ones, with room for the unlisted addresses that
  // may be admitted (so no admission moves them all to a larger block).
  void copy_previous(size_t unlisted) {
    entries().reserve(previous_.entries.size() + unlisted);
    entries().assign(previous_.entries.begin(), previous_.entries.end());
  }

  // Entries with a real pubkey whose address is not listed this cycle, newest first per identity.
  void collect_ghosts() {
    for (size_t i = 0; i < entries().size(); ++i) {
      if (touched_[i]) continue;
      std::string key = identity(entries()[i]);
      if (!key.empty()) ghosts_[key].push_back(i);
    }
    for (auto& [key, list] : ghosts_) {
      std::sort(list.begin(), list.end(), [this](size_t a, size_t b) {
        return entries()[a].last_seen < entries()[b].last_seen;  // newest last: popped first
      });
    }
  }

  // A new address whose node we know under an address that left the view: move it.
  size_t take_ghost(const MergedNode& m) {
    std::string key = identity(m);
    auto it = key.empty() ? ghosts_.end() : ghosts_.find(key);
    if (it == ghosts_.end() || it->second.empty()) return kNone;
    size_t at = it->second.back();
    it->second.pop_back();
    RegistryEntry& e = entries()[at];
    RegistryEntry old_name;
    old_name.address = e.address;
    old_name.previous_addresses = e.previous_addresses;
    e.previous_addresses.clear();
    e.address = m.pod.address;
    remember_addresses(e, old_name);
    renamed_.push_back(at);
    out_.changes.moved.push_back(AddressMove{old_name.address, e.address});
    out_.removed.push_back(old_name.address);
    touched_[at] = true;
    reordered_ = true;
    return at;
  }

  size_t admit(const MergedNode& m) {
    if (!charge_budget(m)) {
      ++out_.changes.admission_deferred;
      return kNone;
    }
    RegistryEntry e;
    e.address = m.pod.address;
    e.created_at = now_;
    entries().push_back(std::move(e));
    touched_.push_back(true);
    gone_.push_back(false);
    in_view_.push_back(false);
    fresh_.push_back(entries().size() - 1);
    reordered_ = true;
    return entries().size() - 1;
  }

  // Two answering seeds vouch for a node; one alone spends its budget.
  bool charge_budget(const MergedNode& m) {
    if (m.peer_sources.size() >= 2) return true;
    size_t& left = budget_[m.peer_sources.front()];
    if (left == 0) return false;
    --left;
    return true;
  }

  void sight(size_t at, const MergedNode& m, bool fresh) {
    RegistryEntry& e = entries()[at];
    in_view_[at] = true;
    if (!e.in_gossip) {
      if (!fresh) e.gossip_appearances += 1;  // new entries start at A=1
      e.last_gossip_appearance = now_;
      e.in_gossip = true;
      refresh_consistency(e);
      out_.changes.appeared.push_back(m.pod.address);
    }
    apply_sighting(e, m, seeds_, now_);
    if (at < sighted_.size()) sighted_[at] = &m;
    // Only identities that some unlisted entry shares matter to fold_left_behind().
    if (ghosts_.empty()) return;
    std::string key = identity(e);
    if (!key.empty() && ghosts_.contains(key)) live_.emplace(std::move(key), at);
  }

  // Entries still unlisted whose node is listed under another port: one node, one entry.
  void fold_left_behind() {
    for (auto& [key, list] : ghosts_) {
      auto live = live_.find(key);
      if (live == live_.end()) continue;
      for (size_t i : list) fold(i, live->second);
    }
  }

  void fold(size_t from_at, size_t into_at) {
    RegistryEntry& from = entries()[from_at];
    RegistryEntry& into = entries()[into_at];
    // While `from` was still listed, the new port's first sighting was no appearance.
    into.gossip_appearances += from.gossip_appearances - (from.in_gossip ? 1 : 0);
    into.gossip_disappearances += from.gossip_disappearances;
    if (from.last_gossip_drop && (!into.last_gossip_drop || *into.last_gossip_drop < *from.last_gossip_drop))
      into.last_gossip_drop = from.last_gossip_drop;
    if (from.first_seen > 0) into.first_seen = into.first_seen > 0 ? std::min(into.first_seen, from.first_seen) : from.first_seen;
    into.created_at = std::min(into.created_at, from.created_at);
    for (const auto& s : from.source_ips) add_source(into.source_ips, s);
    remember_addresses(into, from);
    refresh_consistency(into);
    out_.changes.moved.push_back(AddressMove{from.address, into.address});
    remove(from_at);
  }

  void remove(size_t at) {
    gone_[at] = true;
    out_.removed.push_back(entries()[at].address);
    reordered_ = true;
  }

  void record_drops() {
    for (size_t i = 0; i < entries().size(); ++i) {
      RegistryEntry& e = entries()[i];
      if (touched_[i] || gone_[i] || !e.in_gossip || !drop_was_observed(e, answering_)) continue;
      e.in_gossip = false;
      e.gossip_disappearances += 1;
      e.last_gossip_drop = now_;
      refresh_consistency(e);
      out_.changes.dropped.push_back(e.address);
      touched_[i] = true;  // written this cycle
    }
  }

  // Above the cap: evict the entries offline longest; then, if entries in the view alone
  // exceed it, the newest admissions wait for room.
  void keep_cap() {
    size_t live = 0;
    for (bool g : gone_) live += !g;
    if (live <= rules_.max_nodes) return;
    std::vector<size_t> offline;
    for (size_t i = 0; i < entries().size(); ++i)
      if (!gone_[i] && !in_view_[i]) offline.push_back(i);
    std::sort(offline.begin(), offline.end(),
              [this](size_t a, size_t b) { return entries()[a].last_seen < entries()[b].last_seen; });
    for (size_t i : offline) {
      if (live <= rules_.max_nodes) break;
      out_.changes.evicted.push_back(entries()[i].address);
      remove(i);
      --live;
    }
    // Collected, then erased in one pass: erasing each from `appeared` in turn was
    // quadratic (a million-pod flood over a 100k cap spent minutes here).
    FlatViewSet deferred;
    for (auto it = fresh_.rbegin(); it != fresh_.rend() && live > rules_.max_nodes; ++it) {
      gone_[*it] = true;  // never stored: not in `removed`
      ++out_.changes.admission_deferred;
      deferred.insert(entries()[*it].address);
      --live;
    }
    if (!deferred.empty())
      std::erase_if(out_.changes.appeared, [&](const std::string& a) { return deferred.contains(a); });
  }

  // Touched, and not an entry of the previous registry that only this cycle's complete
  // sighting changed (model/registry_sighting.h: loading re-applies it from the snapshot).
  bool needs_row_write(size_t i) const {
    if (!touched_[i]) return false;
    if (i >= previous_.entries.size() || !sighted_[i]) return true;
    return !model::row_rebuilt_by_sighting(previous_.entries[i], out_.registry->entries[i], *sighted_[i]);
  }

  void compact() {
    Registry& reg = *out_.registry;
    if (!reordered_) {
      reg.index = previous_.index;
      reg.index_moves();
      for (size_t i = 0; i < touched_.size(); ++i)
        if (needs_row_write(i)) out_.changed.push_back(i);
      return;
    }
    std::vector<size_t> order = sorted_order();
    std::vector<RegistryEntry> sorted;
    sorted.reserve(order.size());
    std::vector<uint32_t> moved_to(reg.entries.size(), model::kNoRegistryEntry);
    for (size_t i : order) {
      if (needs_row_write(i)) out_.changed.push_back(sorted.size());
      moved_to[i] = static_cast<uint32_t>(sorted.size());
      sorted.push_back(std::move(reg.entries[i]));
    }
    reg.entries = std::move(sorted);
    reg.reindex();
    for (uint32_t& at : out_.node_entries)
      if (at != model::kNoRegistryEntry) at = moved_to[at];
  }

  // The kept entries' positions in address order. The previous registry is sorted, so
  // only the admitted and renamed entries are sorted and merged in (a full sort when the
  // previous entries turn out unsorted).
  std::vector<size_t> sorted_order() {
    const std::vector<RegistryEntry>& all = entries();
    auto by_address = [&](size_t a, size_t b) { return all[a].address < all[b].address; };
    std::vector<bool> placed(all.size(), false);
    for (size_t i : renamed_) placed[i] = true;
    for (size_t i = previous_.entries.size(); i < all.size(); ++i) placed[i] = true;
    std::vector<size_t> kept, moved;
    kept.reserve(all.size());
    for (size_t i = 0; i < all.size(); ++i)
      if (!gone_[i]) (placed[i] ? moved : kept).push_back(i);
    if (!std::is_sorted(kept.begin(), kept.end(), by_address)) {
      kept.insert(kept.end(), moved.begin(), moved.end());
      std::sort(kept.begin(), kept.end(), by_address);
      return kept;
    }
    std::sort(moved.begin(), moved.end(), by_address);
    std::vector<size_t> order(kept.size() + moved.size());
    std::merge(kept.begin(), kept.end(), moved.begin(), moved.end(), order.begin(), by_address);
    return order;
  }

  const Registry& previous_;
  const std::vector<SeedPoll>& seeds_;
  const int64_t now_;
  const AdmissionRules& rules_;
  RegistryUpdate out_;
  std::vector<bool> touched_;  // listed, moved, admitted or dropped this cycle: to be written
  std::vector<const MergedNode*> sighted_;  // previous entries listed this cycle: the sighting
  std::vector<bool> gone_;     // moved into another entry or evicted
  std::vector<bool> in_view_;  // listed this cycle
  std::vector<size_t> fresh_;  // admitted this cycle, in admission order
  std::vector<size_t> renamed_;  // entries moved to a new address this cycle
  std::unordered_set<std::string> answering_;
  std::vector<size_t> budget_;  // per seed: new nodes it may still add alone this cycle
  FlatStringMap<std::vector<size_t>> ghosts_;  // identity -> unlisted entries
  FlatStringMap<size_t> live_;                 // identity -> a listed entry sharing it with a ghost
  bool reordered_ = false;
};

}  // namespace

std::string_view address_host(std::string_view address) {
  size_t colon = address.rfind(':');
  return colon == std::string_view::npos ? address : address.substr(0, colon);
}

RegistryUpdate update_registry(const Registry& previous, const std::vector<MergedNode>& nodes,
                               const std::vector<SeedPoll>& seeds, int64_t now, const AdmissionRules& rules) {
  return Updater(previous, seeds, now, rules).run(nodes);
}

}  // namespace pnode::collect
