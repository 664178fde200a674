// Silence ids as both backends give them: "s<n>", n the row's sequence number (never
// reused), so an id means the same silence on every instance.
// Thread-safety: pure functions.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pnode::store {

inline std::string silence_id(int64_t seq) { return "s" + std::to_string(seq); }

// The sequence number of an id "s<n>", or nullopt for anything else.
inline std::optional<int64_t> silence_seq(std::string_view id) {
  if (id.size() < 2 || id[0] != 's') return std::nullopt;
  int64_t seq = 0;
  auto r = std::from_chars(id.data() + 1, id.data() + id.size(), seq);
  if (r.ec != std::errc() || r.ptr != id.data() + id.size()) return std::nullopt;
  return seq;
}

}  // namespace pnode::store
