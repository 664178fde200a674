// Geography of the served network (issue 13, part 4): where each node is (country and
// autonomous system, from the offline database behind geo::Locator) and how concentrated
// the online nodes are per country and per ASN (analysis/concentration.h). Derived from a
// snapshot once, by the first request that needs it (PerSnapshot), never by the collector:
// an address's place does not change between cycles, so lookups are also remembered by IP
// (at most kMaxRememberedIps, then forgotten all at once) and a cycle costs only the
// lookups of new IPs.
// Nothing is sent anywhere: the database is a local file. Local addresses (the simulator's
// loopback pods) are "local" and left out of the shares.
// Thread-safety: GeographyIndex::build() may be called from several threads; the Locator
// serialises its own lookups and the IP memo has its own mutex.
#pragma once

#include <cstddef>
#include <ctime>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "analysis/concentration.h"
#include "geo/locator.h"
#include "model/snapshot.h"

namespace pnode::api {

// A snapshot's concentration. One node's location is GeographyIndex::locate_address's
// (remembered by IP there), so no per-snapshot map of every node's holds it twice.
struct Geography {
  analysis::Concentration concentration;  // of the online nodes
  analysis::ConcentrationLimits limits;
};

// A country or ASN above the share limit: what /network/concentration and
// /network/analytics' recommendations say of it.
struct ConcentrationWarning {
  std::string dimension;  // "country" or "asn"
  const analysis::Holder* holder = nullptr;  // points into the Geography it came from
  std::string message;
};
std::vector<ConcentrationWarning> concentration_warnings(const Geography& geography);

// "public", "local", "unknown".
const char* reach_name(geo::Reach reach);

// The IP part of a node address ("1.2.3.4:9001" -> "1.2.3.4", "[::1]:9001" -> "::1");
// empty when the address is not host:port.
std::string ip_of_node_address(std::string_view address);

class GeographyIndex {
 public:
  static constexpr size_t kMaxRememberedIps = 200'000;

  GeographyIndex(std::shared_ptr<const geo::Locator> locator, analysis::ConcentrationLimits limits = {})
      : locator_(std::move(locator)), limits_(limits) {}

  Geography build(const model::Snapshot& snapshot) const;
  geo::Location locate_address(std::string_view address) const;
  const geo::Locator& locator() const { return *locator_; }
  size_t remembered_ips() const;

 private:
  std::shared_ptr<const geo::Locator> locator_;
  const analysis::ConcentrationLimits limits_;
  mutable std::mutex mutex_;
  mutable std::unordered_map<std::string, geo::Location> by_ip_;  // guarded by mutex_
};

}  // namespace pnode::api
