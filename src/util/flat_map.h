// Open-addressing hash maps and sets keyed by strings (Boost.Unordered's flat
// containers), for the per-cycle indexes over every pod: the seeds' merge, the registry's
// address index, the node views' lookup. Each element lives in one contiguous array, so
// building an index of 100k addresses costs no allocation per element and a lookup
// touches one group of slots instead of a bucket list of separately allocated nodes
// (bench/README.md has the profile that made the change).
// Lookups are heterogeneous: a map keyed by std::string is searched with a string_view
// without building a string.
// Unlike std::unordered_map, an insertion may move every element: never keep a pointer
// or reference to an element across an insertion.
// Thread-safety: as the standard containers (concurrent const use only).
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>
#include <cstddef>
#include <functional>
#include <string>
#include <string_view>

namespace pnode {

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};

struct StringEqual {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

// Keys owned by the map.
template <class Value>
using FlatStringMap = boost::unordered_flat_map<std::string, Value, StringHash, StringEqual>;
using FlatStringSet = boost::unordered_flat_set<std::string, StringHash, StringEqual>;

// Keys that view strings owned elsewhere, which must outlive the map's use.
template <class Value>
using FlatViewMap = boost::unordered_flat_map<std::string_view, Value, StringHash, StringEqual>;
using FlatViewSet = boost::unordered_flat_set<std::string_view, StringHash, StringEqual>;

}  // namespace pnode
