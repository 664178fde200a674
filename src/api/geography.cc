#include "api/geography.h"

#include <cmath>

#include <fmt/format.h>

#include "analysis/node_view.h"
#include "util/loopback.h"

namespace pnode::api {

const char* reach_name(geo::Reach reach) {
  switch (reach) {
    case geo::Reach::kPublic: return "public";
    case geo::Reach::kLocal: return "local";
    case geo::Reach::kUnknown: break;
  }
  return "unknown";
}

std::string ip_of_node_address(std::string_view address) {
  auto parsed = parse_host_port(address, 0);
  if (!parsed.ok() || parsed->port == 0) return {};
  return parsed->host;
}

geo::Location GeographyIndex::locate_address(std::string_view address) const {
  std::string ip = ip_of_node_address(address);
  if (ip.empty()) return {};
  {
    std::lock_guard lock(mutex_);
    if (auto it = by_ip_.find(ip); it != by_ip_.end()) return it->second;
  }
  geo::Location location = locator_->locate(ip);  // outside the memo's lock: lookups may be slow
  std::lock_guard lock(mutex_);
  if (by_ip_.size() >= kMaxRememberedIps) by_ip_.clear();
  by_ip_.emplace(std::move(ip), location);
  return location;
}

size_t GeographyIndex::remembered_ips() const {
  std::lock_guard lock(mutex_);
  return by_ip_.size();
}

Geography GeographyIndex::build(const model::Snapshot& snapshot) const {
  Geography out;
  out.limits = limits_;
  if (!snapshot.views) return out;
  std::vector<analysis::PodPlace> places;
  places.reserve(snapshot.views->online_count);
  for (const auto& node : snapshot.views->nodes) {
    if (!node.is_online) continue;
    geo::Location location = locate_address(node.address);
    places.push_back({std::move(location.country_code), location.asn, std::move(location.as_name), node.storage_committed});
  }
  out.concentration = analysis::measure_concentration(places, limits_);
  return out;
}

std::vector<ConcentrationWarning> concentration_warnings(const Geography& geography) {
  std::vector<ConcentrationWarning> out;
  auto add = [&out, &geography](const char* dimension, const analysis::Dimension& d) {
    for (const auto& h : d.holders) {
      if (!h.dominant) continue;
      const bool by_pods = h.pod_share >= h.storage_share;
      const std::string who = h.name.empty() ? h.key : fmt::format("{} ({})", h.key, h.name);
      out.push_back({dimension, &h,
                     fmt::format("{} holds {:.0f}% of the online nodes' {} (limit {:.0f}%)", who,
                                 std::round(100 * (by_pods ? h.pod_share : h.storage_share)),
                                 by_pods ? "count" : "committed storage", std::round(100 * geography.limits.max_share))});
    }
  };
  add("country", geography.concentration.countries);
  add("asn", geography.concentration.asns);
  return out;
}

}  // namespace pnode::api
