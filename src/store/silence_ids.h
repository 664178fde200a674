// Ids of rows the API adds, as both backends give them: a prefix and the row's sequence
// number (never reused), so an id means the same row on every instance. Silences are
// "s<n>"; notification subscriptions added through the API are "api-<n>".
// Thread-safety: pure functions.
#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pnode::store {

// The sequence number of an id "<prefix><n>", or nullopt for anything else.
inline std::optional<int64_t> prefixed_seq(std::string_view prefix, std::string_view id) {
  if (id.size() <= prefix.size() || !id.starts_with(prefix)) return std::nullopt;
  int64_t seq = 0;
  auto r = std::from_chars(id.data() + prefix.size(), id.data() + id.size(), seq);
  if (r.ec != std::errc() || r.ptr != id.data() + id.size()) return std::nullopt;
  return seq;
}

inline std::string silence_id(int64_t seq) { return "s" + std::to_string(seq); }
inline std::optional<int64_t> silence_seq(std::string_view id) { return prefixed_seq("s", id); }

inline std::string subscription_id(int64_t seq) { return "api-" + std::to_string(seq); }
inline std::optional<int64_t> subscription_seq(std::string_view id) { return prefixed_seq("api-", id); }

}  // namespace pnode::store
