// How concentrated the network is: the share of pods and of committed storage held by
// each country and each autonomous system (ASN), the Herfindahl–Hirschman index of each
// (the sum of squared shares, 0 to 1: 1 when one holder has everything, 1/n when n
// holders share equally), and which holders exceed the share a decentralised network
// should tolerate. Pods whose location is local (the simulator's loopback pods) or
// unknown are counted apart and left out of the shares, so they neither dilute nor
// dominate them.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace pnode::analysis {

// One pod's place, as the geo lookup gave it.
struct PodPlace {
  std::string country_code;  // empty: local or unknown
  uint32_t asn = 0;          // 0: local or unknown
  std::string as_name;
  uint64_t storage_committed = 0;
};

struct Holder {
  std::string key;   // country code, or "AS<number>"
  std::string name;  // AS name (empty for countries: the code says it)
  uint64_t pods = 0;
  uint64_t storage = 0;
  double pod_share = 0;      // of the located pods
  double storage_share = 0;  // of the located pods' storage
  bool dominant = false;     // pod_share or storage_share above the limit
};

struct Dimension {
  std::vector<Holder> holders;  // largest pod share first (then storage, then key)
  double pod_hhi = 0;
  double storage_hhi = 0;
};

struct Concentration {
  uint64_t located = 0;    // pods with a country or an ASN
  uint64_t unlocated = 0;  // local or unknown
  Dimension countries;
  Dimension asns;
};

struct ConcentrationLimits {
  double max_share = 1.0 / 3.0;  // one holder above a third of pods or storage is dominant
};

Concentration measure_concentration(const std::vector<PodPlace>& pods, const ConcentrationLimits& limits = {});

}  // namespace pnode::analysis
