// The JSON value readers of json_values.h.
#include "prpc/json_values.h"

#include <cmath>
#include <cstring>
#include <utility>

#include "prpc/bounds.h"
#include "util/strings.h"

namespace pnode::prpc::json_values {

// ---- scalar readers ----------------------------------------------------------------
// Each reads one value into an optional. A value of another type gives nullopt and
// SUCCESS; only malformed JSON returns an error (which fails the whole parse).

const char* type_name(od::json_type t) {
  switch (t) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "unknown";
}

// True when v is the literal null. A token that only starts like null is malformed JSON.
error_code check_null(od::value& v, od::json_type t, bool& is_null) {
  is_null = false;
  if (t != od::json_type::null) return SUCCESS;
  if (auto e = v.is_null().get(is_null)) return e;
  return is_null ? SUCCESS : simdjson::TAPE_ERROR;
}

namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// True when `token` is a number by the JSON grammar (RFC 8259 §6), whatever its magnitude.
// simdjson's raw token may carry trailing whitespace.
bool is_json_number_token(std::string_view token) {
  token = trim(token);
  size_t i = 0;
  auto digits = [&] {
    const size_t start = i;
    while (i < token.size() && is_digit(token[i])) ++i;
    return i > start;
  };
  auto next_is = [&](char a, char b = '\0') { return i < token.size() && (token[i] == a || (b && token[i] == b)); };
  if (next_is('-')) ++i;
  if (next_is('0')) {
    ++i;
  } else if (!digits()) {
    return false;
  }
  if (next_is('.') && !(++i, digits())) return false;
  if (next_is('e', 'E')) {
    ++i;
    if (next_is('+', '-')) ++i;
    if (!digits()) return false;
  }
  return i == token.size();
}

}  // namespace

// Reads a number; `present` is false for null or a non-number. An integer too large
// for 64 bits is valid JSON but fits no integer field: it comes back in `huge` only. A
// number beyond the double range (1e400) is valid JSON too, but fits no field at all.
error_code read_number(od::value& v, od::number& out, bool& present, std::optional<double>* huge) {
  present = false;
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  bool is_null;
  if (auto e = check_null(v, t, is_null)) return e;
  if (t != od::json_type::number) return SUCCESS;
  if (auto e = v.get_number().get(out)) {
    if (e != simdjson::NUMBER_ERROR) return e;
    double d;
    if (!v.get_double().get(d)) {
      if (huge) *huge = d;
      return SUCCESS;
    }
    return is_json_number_token(v.raw_json_token()) ? SUCCESS : e;  // else a malformed number
  }
  present = true;
  return SUCCESS;
}

error_code read_unsigned(od::value& v, std::optional<uint64_t>& out) {
  out.reset();
  od::number n;
  bool present;
  if (auto e = read_number(v, n, present); e || !present) return e;
  if (n.is_uint64()) {
    out = n.get_uint64();
  } else if (n.is_int64()) {
    if (n.get_int64() >= 0) out = static_cast<uint64_t>(n.get_int64());
  } else {
    const double d = n.get_double();  // whole, non-negative and below 2^64 only
    if (d >= 0 && d < 18446744073709551616.0 && std::trunc(d) == d) out = static_cast<uint64_t>(d);
  }
  return SUCCESS;
}

error_code read_signed(od::value& v, std::optional<int64_t>& out) {
  out.reset();
  od::number n;
  bool present;
  if (auto e = read_number(v, n, present); e || !present) return e;
  if (n.is_int64()) {
    out = n.get_int64();
  } else if (n.is_double()) {
    const double d = n.get_double();  // whole and within int64 only
    if (d >= -9223372036854775808.0 && d < 9223372036854775808.0 && std::trunc(d) == d) {
      out = static_cast<int64_t>(d);
    }
  }
  return SUCCESS;
}

error_code read_double(od::value& v, std::optional<double>& out) {
  out.reset();
  od::number n;
  bool present;
  if (auto e = read_number(v, n, present, &out); e || !present) return e;
  if (n.is_double()) {
    out = n.get_double();
  } else if (n.is_int64()) {
    out = static_cast<double>(n.get_int64());
  } else {
    out = static_cast<double>(n.get_uint64());
  }
  return SUCCESS;
}

error_code read_bool(od::value& v, std::optional<bool>& out) {
  out.reset();
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  bool is_null;
  if (auto e = check_null(v, t, is_null)) return e;
  if (t != od::json_type::boolean) return SUCCESS;
  bool b;
  if (auto e = v.get_bool().get(b)) return e;
  out = b;
  return SUCCESS;
}

// The view points into the parser's string buffer: valid while the document lives.
error_code read_string_view(od::value& v, std::optional<std::string_view>& out) {
  out.reset();
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  bool is_null;
  if (auto e = check_null(v, t, is_null)) return e;
  if (t != od::json_type::string) return SUCCESS;
  std::string_view s;
  if (auto e = v.get_string().get(s)) return e;
  out = s;
  return SUCCESS;
}

error_code read_string(od::value& v, std::optional<std::string>& out) {
  std::optional<std::string_view> s;
  if (auto e = read_string_view(v, s)) return e;
  if (s) {
    out.emplace(*s);
  } else {
    out.reset();
  }
  return SUCCESS;
}

// ---- bounded readers ---------------------------------------------------------------
// As the readers above, then a value outside its bound is dropped too; every value that
// was sent (not null) but dropped adds one to `rejected`.


error_code read_unsigned_upto(od::value& v, std::optional<uint64_t>& out, uint64_t max, uint64_t& rejected) {
  return read_checked(v, out, rejected, read_unsigned, [max](uint64_t x) { return x <= max; });
}

error_code read_signed_within(od::value& v, std::optional<int64_t>& out, int64_t min, int64_t max,
                              uint64_t& rejected) {
  return read_checked(v, out, rejected, read_signed, [min, max](int64_t x) { return x >= min && x <= max; });
}

error_code read_timestamp(od::value& v, std::optional<int64_t>& out, uint64_t& rejected) {
  return read_checked(v, out, rejected, read_signed, is_plausible_timestamp);
}

// NaN and infinities fail every comparison, so they are dropped too.
error_code read_percent(od::value& v, std::optional<double>& out, uint64_t& rejected) {
  return read_checked(v, out, rejected, read_double, [](double x) { return x >= 0 && x <= kMaxPercent; });
}

// The value is checked before it is copied, so a 1 MiB string costs no allocation.
error_code read_text(od::value& v, std::optional<std::string>& out, bool (*valid)(std::string_view),
                     uint64_t& rejected) {
  std::optional<std::string_view> view;
  if (auto e = read_checked(v, view, rejected, read_string_view, valid)) return e;
  if (view) {
    out.emplace(*view);
  } else {
    out.reset();
  }
  return SUCCESS;
}

// A node's error text, cut to kMaxErrorTextBytes of printable ASCII (it is only shown).
error_code read_error_text(od::value& v, std::optional<std::string>& out) {
  std::optional<std::string_view> view;
  if (auto e = read_string_view(v, view)) return e;
  out.reset();
  if (!view) return SUCCESS;
  std::string text(view->substr(0, kMaxErrorTextBytes));
  for (char& c : text)
    if (!is_printable_ascii(c)) c = '?';
  out = std::move(text);
  return SUCCESS;
}

bool is_plausible_text(std::string_view s) { return s.size() <= kMaxTextBytes && all_of_chars(s, is_printable_ascii); }

}  // namespace pnode::prpc::json_values
