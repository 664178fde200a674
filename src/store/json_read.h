// Reading the store's JSON documents (the snapshot and its delta, store/snapshot_codec.h)
// from a simdjson DOM: typed reads that throw on a wrong shape, for decoders that catch
// once per document and report it as corrupt.
// A wrong type throws simdjson::simdjson_error; a missing field or an out-of-range value
// throws Malformed.
// Thread-safety: pure functions.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <limits>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "util/error.h"

namespace pnode::store::json_read {

namespace dom = simdjson::dom;

// The document has the wrong shape (caught by the decoder and reported as corrupt).
struct Malformed : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// A field that a newer writer might omit is read as null.
inline std::optional<dom::element> find(dom::object obj, std::string_view key) {
  auto r = obj.at_key(key);
  if (r.error() == simdjson::NO_SUCH_FIELD) return std::nullopt;
  dom::element e = r.value();
  if (e.is_null()) return std::nullopt;
  return e;
}

inline dom::element require(dom::object obj, std::string_view key) {
  auto r = obj.at_key(key);
  if (r.error()) throw Malformed("missing field \"" + std::string(key) + "\"");
  return r.value();
}

// Plain doubles were written as null when they were not finite.
inline double read_double(dom::element e) {
  if (e.is_null()) return std::numeric_limits<double>::quiet_NaN();
  return double(e);
}

template <class T>
T read(dom::element e);
template <>
inline int64_t read<int64_t>(dom::element e) { return int64_t(e); }
template <>
inline uint64_t read<uint64_t>(dom::element e) { return uint64_t(e); }
template <>
inline double read<double>(dom::element e) { return read_double(e); }
template <>
inline bool read<bool>(dom::element e) { return bool(e); }
template <>
inline std::string read<std::string>(dom::element e) { return std::string(std::string_view(e)); }

template <class T>
std::optional<T> read_opt(dom::element e) {
  if (e.is_null()) return std::nullopt;
  return read<T>(e);
}

template <class T>
std::optional<T> read_opt(dom::object obj, std::string_view key) {
  auto e = find(obj, key);
  if (!e) return std::nullopt;
  return read<T>(*e);
}

template <class T>
T read(dom::object obj, std::string_view key) {
  return read<T>(require(obj, key));
}

// An unsigned value that must fit below `limit` (an index, a count).
inline uint64_t read_below(dom::element e, uint64_t limit, std::string_view what) {
  uint64_t v = uint64_t(e);
  if (v >= limit) throw Malformed(std::string(what) + " " + std::to_string(v) + " is out of range");
  return v;
}

inline Error corrupt(std::string_view what, std::string_view detail) {
  return make_error(ErrorCode::kCorrupt, std::string(what) + ": " + std::string(detail));
}

}  // namespace pnode::store::json_read
