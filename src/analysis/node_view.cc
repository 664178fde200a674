#include "analysis/node_view.h"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <iterator>
#include <numeric>
#include <utility>

#include "analysis/credits.h"
#include "analysis/scoring.h"
#include "analysis/version.h"

namespace pnode::analysis {
namespace {

NodeView online_view(const model::MergedNode& m, const model::RegistryEntry* reg, int64_t now) {
  const model::Pod& p = m.pod;
  NodeView v;
  v.address = p.address;
  v.pubkey = p.pubkey.value_or("");
  v.is_online = true;
  v.last_seen = p.last_seen_timestamp.value_or(now);
  v.last_checked = now;
  // A cycle that fell back to get-pods learns no stats: show the last known values.
  auto pick = [&](const auto& now_value, const auto& known) { return now_value ? now_value : known; };
  v.version = pick(p.version, reg ? reg->version : std::nullopt).value_or("unknown");
  v.uptime = pick(p.uptime, reg ? reg->uptime : std::nullopt).value_or(0);
  v.is_public = p.is_public.value_or(reg ? reg->is_public : false);
  v.rpc_port = p.rpc_port.value_or(6000);
  v.storage_committed = pick(p.storage_committed, reg ? reg->storage_committed : std::nullopt).value_or(0);
  v.storage_used = pick(p.storage_used, reg ? reg->storage_used : std::nullopt).value_or(0);
  v.storage_usage_percent =
      pick(p.storage_usage_percent, reg ? reg->storage_usage_percent : std::nullopt).value_or(0.0);
  v.peer_sources = m.peer_sources;
  v.first_seen = reg ? reg->first_seen : v.last_seen;
  v.consistency_score = reg ? reg->consistency_score : 1.0;
  if (reg) v.source_ips = reg->source_ips;
  return v;
}

NodeView offline_view(const model::RegistryEntry& r, int64_t now) {
  NodeView v;
  v.address = r.address;
  v.pubkey = r.pubkey;
  v.is_online = false;
  v.last_seen = r.last_seen;
  v.last_checked = now;
  v.version = r.version.value_or("unknown");
  v.uptime = 0;
  v.is_public = r.is_public;
  v.rpc_port = r.rpc_port;
  v.storage_committed = r.storage_committed.value_or(0);
  v.storage_used = r.storage_used.value_or(0);
  v.storage_usage_percent = r.storage_usage_percent.value_or(0.0);
  v.first_seen = r.first_seen;
  v.source_ips = r.source_ips;
  v.consistency_score = r.consistency_score;
  v.scores = offline_scores();
  return v;
}

double sort_value(const NodeView& v, SortKey key) {
  switch (key) {
    case SortKey::kLastSeen: return static_cast<double>(v.last_seen);
    case SortKey::kUptime: return static_cast<double>(v.uptime);
    case SortKey::kScore: return v.score();
    case SortKey::kStorageUsed: return static_cast<double>(v.storage_used);
    case SortKey::kStorageUsagePercent: return v.storage_usage_percent;
    case SortKey::kFirstSeen: return static_cast<double>(v.first_seen);
    case SortKey::kScoreV2: return v.score_v2 ? v.score_v2->score : -1.0;
  }
  return 0;
}

std::optional<CreditsMeasure> credits_measure(const std::string& pubkey, const CreditsView& credits) {
  if (pubkey.empty()) return std::nullopt;
  if (auto it = credits.by_pubkey.find(pubkey); it != credits.by_pubkey.end()) {
    const CreditStanding& s = it->second;
    const NetworkCredits& network = s.network == CreditNetwork::kDevnet ? credits.devnet : credits.mainnet;
    return CreditsMeasure{s.credits, network.percentile_value, s.eligible};
  }
  if (credits.mainnet.pods > 0) return CreditsMeasure{0, credits.mainnet.percentile_value, false};
  if (credits.devnet.pods > 0) return CreditsMeasure{0, credits.devnet.percentile_value, false};
  return std::nullopt;  // no list read yet: nothing is known
}

// A sort value as an integer that orders alike: the sign bit flipped for positive
// values, every bit for negative ones. -0 is +0, and NaN orders below every number.
uint64_t ordered_bits(double value) {
  if (std::isnan(value)) return 0;
  if (value == 0) value = 0.0;
  const uint64_t bits = std::bit_cast<uint64_t>(value);
  return (bits >> 63) ? ~bits : bits | (uint64_t{1} << 63);
}

struct KeyedRank {
  uint64_t key;
  uint32_t rank;  // position in the address order
};

// By key descending, equal keys in their order in `keyed`: a least-significant-byte-first
// radix sort (each pass stable), skipping a byte every key shares.
void sort_descending(std::vector<KeyedRank>& keyed, std::vector<KeyedRank>& scratch) {
  scratch.resize(keyed.size());
  for (int shift = 0; shift < 64; shift += 8) {
    std::array<size_t, 256> start{};
    for (const KeyedRank& k : keyed) ++start[255 - ((k.key >> shift) & 0xff)];
    if (std::find(start.begin(), start.end(), keyed.size()) != start.end()) continue;
    size_t sum = 0;
    for (size_t& bucket : start) sum += std::exchange(bucket, sum);
    for (const KeyedRank& k : keyed) scratch[start[255 - ((k.key >> shift) & 0xff)]++] = k;
    keyed.swap(scratch);
  }
}

// The views' positions in address order. Each address's first 16 bytes go beside its
// position as two big-endian integers, so most comparisons are of contiguous integers;
// only addresses that share those bytes are compared in full (a cache miss into the views
// for every comparison made the sort ~3% of a cycle at 100k nodes).
std::vector<uint32_t> address_order(const std::vector<NodeView>& nodes) {
  struct Keyed {
    uint64_t high, low;
    uint32_t index;
  };
  auto prefix = [](std::string_view text, size_t from) {
    uint64_t value = 0;
    for (size_t i = from; i < from + 8; ++i)
      value = (value << 8) | (i < text.size() ? static_cast<unsigned char>(text[i]) : 0u);
    return value;
  };
  std::vector<Keyed> keyed(nodes.size());
  for (uint32_t i = 0; i < nodes.size(); ++i) keyed[i] = {prefix(nodes[i].address, 0), prefix(nodes[i].address, 8), i};
  std::sort(keyed.begin(), keyed.end(), [&](const Keyed& a, const Keyed& b) {
    if (a.high != b.high) return a.high < b.high;
    if (a.low != b.low) return a.low < b.low;
    return nodes[a.index].address < nodes[b.index].address;
  });
  std::vector<uint32_t> order(nodes.size());
  for (size_t i = 0; i < keyed.size(); ++i) order[i] = keyed[i].index;
  return order;
}

}  // namespace

MeasuredInputs measured_inputs(const NodeView& node, const model::Snapshot& snapshot) {
  MeasuredInputs in;
  if (const model::PodProbe* probe = snapshot.probe ? snapshot.probe->find(node.address) : nullptr;
      probe && probe->failure != "denied") {
    in.reachable = probe->reachable;
    if (probe->reachable) in.probe_latency_ms = probe->connect_ms;
  }
  if (snapshot.credits) in.credits = credits_measure(node.pubkey, *snapshot.credits);
  if (const model::PodAvailability* a = snapshot.availability ? snapshot.availability->find(node.address) : nullptr) {
    in.availability = {a->uptime_24h, a->uptime_7d, a->uptime_30d, a->latency_mean_ms, a->latency_p95_ms};
  }
  return in;
}

std::optional<SortKey> parse_sort_key(std::string_view name) {
  if (name == "last_seen") return SortKey::kLastSeen;
  if (name == "uptime") return SortKey::kUptime;
  if (name == "score") return SortKey::kScore;
  if (name == "storage_used") return SortKey::kStorageUsed;
  if (name == "storage_usage_percent") return SortKey::kStorageUsagePercent;
  if (name == "first_seen") return SortKey::kFirstSeen;
  if (name == "score_v2") return SortKey::kScoreV2;
  return std::nullopt;
}

const NodeView* NodeViews::find(std::string_view address) const {
  auto it = by_address.find(address);
  return it == by_address.end() ? nullptr : &nodes[it->second];
}

void index_node_views(NodeViews& views) {
  views.by_address.clear();
  views.by_address.reserve(views.nodes.size());
  for (uint32_t i = 0; i < views.nodes.size(); ++i) views.by_address.emplace(views.nodes[i].address, i);
  std::vector<uint32_t> by_address = address_order(views.nodes);
  // Each order is by value, ties in address order: a stable sort, by value, of the address
  // order. The values are turned into integers that order alike and radix-sorted, which
  // is stable by construction and reads no node view (a comparison sort of (value, rank)
  // pairs was ~5% of a 100k cycle).
  std::vector<KeyedRank> keyed(views.nodes.size()), scratch;
  for (size_t k = 0; k < kSortKeyCount; ++k) {
    auto key = static_cast<SortKey>(k);
    for (uint32_t r = 0; r < keyed.size(); ++r) keyed[r] = {ordered_bits(sort_value(views.nodes[by_address[r]], key)), r};
    auto fill = [&](std::vector<uint32_t>& order) {
      order.resize(keyed.size());
      for (size_t i = 0; i < keyed.size(); ++i) order[i] = by_address[keyed[i].rank];
    };
    sort_descending(keyed, scratch);
    fill(views.desc_order[k]);
    // Ascending without a second sort: reversed, then each run of equal values reversed
    // back, so ties stay in address order.
    std::reverse(keyed.begin(), keyed.end());
    for (auto run = keyed.begin(); run != keyed.end();) {
      auto end = std::find_if(std::next(run), keyed.end(), [&](const KeyedRank& x) { return x.key != run->key; });
      std::reverse(run, end);
      run = end;
    }
    fill(views.asc_order[k]);
  }
}


std::shared_ptr<const NodeViews> build_node_views(const model::Snapshot& snapshot, const ViewOptions& options,
                                                  const GrowthTrends* growth_trends) {
  auto views = std::make_shared<NodeViews>();
  views->registry = snapshot.registry;
  const model::Registry* registry = snapshot.registry.get();
  int64_t now = snapshot.last_updated;
  views->nodes.reserve(snapshot.nodes.size() + (registry ? registry->entries.size() : 0));
  // Registry positions listed this cycle: the rest are the offline views below.
  std::vector<char> listed(registry ? registry->entries.size() : 0, 0);
  // The cycle's own positions when it left them (a lookup by address each otherwise).
  const bool positioned = registry && snapshot.node_entries.size() == snapshot.nodes.size();
  for (size_t j = 0; j < snapshot.nodes.size(); ++j) {
    const model::MergedNode& m = snapshot.nodes[j];
    if (m.pod.address.empty()) continue;
    const model::RegistryEntry* entry = !registry ? nullptr
                                        : !positioned ? registry->find(m.pod.address)
                                        : snapshot.node_entries[j] == model::kNoRegistryEntry
                                            ? nullptr
                                            : &registry->entries[snapshot.node_entries[j]];
    if (entry) listed[static_cast<size_t>(entry - registry->entries.data())] = 1;
    views->nodes.push_back(online_view(m, entry, now));
  }
  views->online_count = views->nodes.size();

  std::vector<std::string_view> online_versions;
  online_versions.reserve(views->online_count);
  for (const auto& v : views->nodes) online_versions.push_back(v.version);
  views->latest_version = derive_latest_version(online_versions, options.latest_version_override);
  // One block for every online node's v2 score; each view shares it (an aliasing
  // pointer), instead of one allocation per node.
  auto scores_v2 = std::make_shared<std::vector<ScoreV2>>();
  scores_v2->reserve(views->nodes.size());
  for (auto& v : views->nodes) {
    double growth = 0.5;
    if (growth_trends)
      if (auto it = growth_trends->find(v.address); it != growth_trends->end()) growth = it->second;
    ScoringInput in{v.uptime, v.peer_sources.size(), v.version, v.consistency_score,
                    v.storage_committed, v.storage_usage_percent, growth};
    v.scores = score_node(in, views->latest_version);
    const ScoreV2& scored = scores_v2->emplace_back(score_v2(v.scores, measured_inputs(v, snapshot)));
    v.score_v2 = std::shared_ptr<const ScoreV2>(scores_v2, &scored);
  }

  if (registry) {
    for (size_t i = 0; i < registry->entries.size(); ++i) {  // sorted by address
      const model::RegistryEntry& r = registry->entries[i];
      if (!r.address.empty() && !listed[i]) views->nodes.push_back(offline_view(r, now));
    }
  }
  index_node_views(*views);
  return views;
}

}  // namespace pnode::analysis
