// keep_first(): bounds a node-based map (std::map, std::unordered_map) to its `keep`
// elements that come first in an order, erasing the rest in one linear pass
// (nth_element), for the caps on containers fed from the network.
// Thread-safety: as the map (the caller owns it).
#pragma once

#include <algorithm>
#include <cstddef>
#include <utility>
#include <vector>

namespace pnode {

// Erases every element of `map` but the `keep` first in an order: `rank(it)` is computed
// once per element, and `first(a, b)` is a strict weak order on (rank, iterator) pairs.
// Needs a map whose erasure leaves other iterators valid (not the flat maps of
// util/flat_map.h). Nothing happens at or below `keep` elements.
template <class Map, class Rank, class First>
void keep_first(Map& map, size_t keep, Rank rank, First first) {
  if (map.size() <= keep) return;
  using Ranked = std::pair<decltype(rank(map.begin())), typename Map::iterator>;
  std::vector<Ranked> order;
  order.reserve(map.size());
  for (auto it = map.begin(); it != map.end(); ++it) order.emplace_back(rank(it), it);
  const auto kept_end = order.begin() + static_cast<std::ptrdiff_t>(keep);
  std::nth_element(order.begin(), kept_end, order.end(), first);
  for (auto it = kept_end; it != order.end(); ++it) map.erase(it->second);
}

}  // namespace pnode
