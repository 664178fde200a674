#include "analysis/concentration.h"

#include <algorithm>
#include <map>
#include <tuple>

namespace pnode::analysis {
namespace {

double share(uint64_t part, uint64_t whole) { return whole == 0 ? 0.0 : static_cast<double>(part) / static_cast<double>(whole); }

// Shares, indices and dominance of holders already counted.
Dimension finish(std::map<std::string, Holder>& counted, uint64_t pods, uint64_t storage, double max_share) {
  Dimension out;
  for (auto& [key, holder] : counted) {
    holder.pod_share = share(holder.pods, pods);
    holder.storage_share = share(holder.storage, storage);
    holder.dominant = holder.pod_share > max_share || holder.storage_share > max_share;
    out.pod_hhi += holder.pod_share * holder.pod_share;
    out.storage_hhi += holder.storage_share * holder.storage_share;
    out.holders.push_back(std::move(holder));
  }
  std::sort(out.holders.begin(), out.holders.end(), [](const Holder& a, const Holder& b) {
    return std::tie(b.pods, b.storage, a.key) < std::tie(a.pods, a.storage, b.key);
  });
  return out;
}

void count(std::map<std::string, Holder>& holders, const std::string& key, const std::string& name, uint64_t storage) {
  Holder& h = holders[key];
  if (h.key.empty()) {
    h.key = key;
    h.name = name;
  }
  ++h.pods;
  h.storage += storage;
}

}  // namespace

Concentration measure_concentration(const std::vector<PodPlace>& pods, const ConcentrationLimits& limits) {
  Concentration out;
  std::map<std::string, Holder> countries, asns;
  uint64_t country_pods = 0, country_storage = 0, asn_pods = 0, asn_storage = 0;
  for (const PodPlace& pod : pods) {
    const bool has_country = !pod.country_code.empty();
    const bool has_asn = pod.asn != 0;
    if (!has_country && !has_asn) {
      ++out.unlocated;
      continue;
    }
    ++out.located;
    if (has_country) {
      count(countries, pod.country_code, "", pod.storage_committed);
      ++country_pods;
      country_storage += pod.storage_committed;
    }
    if (has_asn) {
      count(asns, "AS" + std::to_string(pod.asn), pod.as_name, pod.storage_committed);
      ++asn_pods;
      asn_storage += pod.storage_committed;
    }
  }
  out.countries = finish(countries, country_pods, country_storage, limits.max_share);
  out.asns = finish(asns, asn_pods, asn_storage, limits.max_share);
  return out;
}

}  // namespace pnode::analysis
