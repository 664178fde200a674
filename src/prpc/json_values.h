// The scalar and bounded JSON value readers the pRPC parser is made of (simdjson On-Demand).
// Scalar readers read one value into an optional: a value of another type gives nullopt and
// SUCCESS; only malformed JSON returns an error (which fails the whole parse). Bounded
// readers do the same, then drop a value outside its bound (prpc/bounds.h) and count every
// value that was sent (not null) but dropped in `rejected`.
// Internal to prpc/ (parse.cc); not part of the parser's interface.
// Thread-safety: pure functions of their arguments.
#pragma once

#include <simdjson.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pnode::prpc::json_values {

namespace od = simdjson::ondemand;
using simdjson::error_code;
using simdjson::SUCCESS;

const char* type_name(od::json_type t);
error_code check_null(od::value& v, od::json_type t, bool& is_null);
// `present` is false for null or a non-number; an integer too large for 64 bits comes back
// in `huge` only.
error_code read_number(od::value& v, od::number& out, bool& present, std::optional<double>* huge = nullptr);
error_code read_unsigned(od::value& v, std::optional<uint64_t>& out);
error_code read_signed(od::value& v, std::optional<int64_t>& out);
error_code read_double(od::value& v, std::optional<double>& out);
error_code read_bool(od::value& v, std::optional<bool>& out);
// The view points into the parser's string buffer: valid while the document lives.
error_code read_string_view(od::value& v, std::optional<std::string_view>& out);
error_code read_string(od::value& v, std::optional<std::string>& out);
error_code read_unsigned_upto(od::value& v, std::optional<uint64_t>& out, uint64_t max, uint64_t& rejected);
error_code read_signed_within(od::value& v, std::optional<int64_t>& out, int64_t min, int64_t max,
                              uint64_t& rejected);
error_code read_timestamp(od::value& v, std::optional<int64_t>& out, uint64_t& rejected);
error_code read_percent(od::value& v, std::optional<double>& out, uint64_t& rejected);
// A string that `valid` accepts, checked before it is copied.
error_code read_text(od::value& v, std::optional<std::string>& out, bool (*valid)(std::string_view),
                     uint64_t& rejected);
// A node's error text, cut to kMaxErrorTextBytes of printable ASCII (it is only shown).
error_code read_error_text(od::value& v, std::optional<std::string>& out);
bool is_plausible_text(std::string_view s);

// Reads with `read`, then drops a value for which `in_range` is false.
template <class T, class Read, class InRange>
error_code read_checked(od::value& v, std::optional<T>& out, uint64_t& rejected, Read read, InRange in_range) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (auto e = read(v, out)) return e;
  if (out && !in_range(*out)) out.reset();
  if (!out && t != od::json_type::null) ++rejected;
  return SUCCESS;
}

// Calls on_field(key, value) for each field of obj; stops at the first error.
template <class OnField>
error_code for_each_field(od::object& obj, OnField&& on_field) {
  for (auto f : obj) {
    if (f.error()) return f.error();
    od::raw_json_string key = f.value_unsafe().key();
    od::value v = f.value_unsafe().value();
    if (auto e = on_field(key, v)) return e;
  }
  return SUCCESS;
}

}  // namespace pnode::prpc::json_values
