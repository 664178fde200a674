// The bounds every value from the network must fit (docs/limits.md lists them). The
// parser (parse.cc) applies them: a string or number outside its bound reads as missing
// (std::nullopt) and is counted in the answer's rejected_fields, so a hostile or broken
// node can neither bloat memory and history with huge strings nor feed impossible
// numbers (negative, NaN, 1.8e308 %, uptimes of millions of years) into the analysis.
// Thread-safety: constants and pure functions.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace pnode::prpc {

// Gossip is not trusted: an identity longer than this is not a real address or key.
inline constexpr size_t kMaxIdentityBytes = 128;
// Versions ("0.8.0", "0.8.0-trynet.20251212183600.9eea72e", "unknown"): at most this
// long, and only [0-9A-Za-z.+_-].
inline constexpr size_t kMaxVersionBytes = 64;
// Other free text (v0.4's "last_seen" date): printable ASCII, at most this long.
inline constexpr size_t kMaxTextBytes = 64;
// A JSON-RPC error's message is kept for logs and /metrics-free diagnostics: cut to this
// many bytes, any byte outside printable ASCII shown as '?'.
inline constexpr size_t kMaxErrorTextBytes = 256;

// Unix times: from 2020-01-01 up to (not including) 2100-01-01. The collector also drops
// gossip times more than kMaxClockAheadSeconds ahead of its own clock (collect/cycle.cc).
inline constexpr int64_t kMinTimestamp = 1577836800;
inline constexpr int64_t kMaxTimestamp = 4102444800;
// Bytes (storage, RAM, file sizes, traffic) and other running counters: 2^60 (1 EiB).
inline constexpr uint64_t kMaxBytes = uint64_t{1} << 60;
// Small counts (active streams, a list's total_count).
inline constexpr uint64_t kMaxCount = uint64_t{1} << 32;
// Uptimes: 100 years, in seconds.
inline constexpr uint64_t kMaxUptimeSeconds = uint64_t{100} * 36525 * 864;
inline constexpr double kMaxPercent = 100.0;
// Pod credits: +1 per 30 s heartbeat, reset monthly, -100 per missed operation; far
// beyond any real count either way.
inline constexpr double kMaxCreditsMagnitude = 1e12;
// A pod_id is a Solana public key: 32 to 44 base58 characters.
inline constexpr size_t kMinPubkeyBytes = 32, kMaxPubkeyBytes = 44;
inline constexpr int64_t kMinPort = 1, kMaxPort = 65535;

constexpr bool is_version_char(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '.' || c == '+' ||
         c == '_' || c == '-';
}

// The base58 alphabet of Solana public keys: no 0, O, I or l.
namespace bounds_detail {
constexpr bool in_base58_alphabet(unsigned char c) {
  return (c >= '1' && c <= '9') || (c >= 'A' && c <= 'H') || (c >= 'J' && c <= 'N') || (c >= 'P' && c <= 'Z') ||
         (c >= 'a' && c <= 'k') || (c >= 'm' && c <= 'z');
}
// One load a character: every pubkey of every row of every seed is checked each cycle.
inline constexpr auto kBase58Table = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 256; ++c) table[static_cast<size_t>(c)] = in_base58_alphabet(static_cast<unsigned char>(c));
  return table;
}();
}  // namespace bounds_detail

constexpr bool is_base58_char(char c) { return bounds_detail::kBase58Table[static_cast<unsigned char>(c)]; }

constexpr bool is_printable_ascii(char c) { return c >= 0x20 && c <= 0x7e; }

// A template, not a function pointer: each call inlines its character test (checking the
// 44-character pubkeys of 90k rows a cycle through an indirect call was ~4% of a cycle).
template <class Allowed>
constexpr bool all_of_chars(std::string_view s, Allowed allowed) {
  for (char c : s)
    if (!allowed(c)) return false;
  return true;
}

constexpr bool is_plausible_version(std::string_view s) {
  return s.size() <= kMaxVersionBytes && all_of_chars(s, is_version_char);
}

// "ip:port" (or a pubkey standing in for it): no space, control or non-ASCII byte, so an
// address can go into logs and keys as it is.
constexpr bool is_address_char(char c) { return c > 0x20 && c <= 0x7e; }
constexpr bool is_plausible_address(std::string_view s) {
  return s.size() <= kMaxIdentityBytes && all_of_chars(s, is_address_char);
}

constexpr bool is_plausible_timestamp(int64_t t) { return t >= kMinTimestamp && t < kMaxTimestamp; }

}  // namespace pnode::prpc
