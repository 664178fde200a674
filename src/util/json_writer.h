// JsonWriter: a small, fast, append-only JSON serialiser on std::to_chars.
// Commas and nesting are tracked for the caller; strings are escaped; doubles are
// written in the shortest form that round-trips. NaN and infinities, which JSON cannot
// carry, are written as null. Two double styles:
//   - kPython: like Python's json/repr (integral floats keep ".0"; exponent form below
//     1e-4 and from 1e16, written "1e-05", "1e+16"). Used for API responses.
//   - kSerde: like serde_json/ryu, as the pNodes print (exponent form below 1e-5 and
//     from 1e16, written "4.6764705882352943e-7"). Used by the simulator.
// Thread-safety: none; one writer per thread.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pnode {

enum class DoubleStyle { kPython, kSerde };

// Formats one double alone, in the given style ("null" for non-finite values).
std::string format_double(double v, DoubleStyle style = DoubleStyle::kPython);
// Appends the JSON string literal for s (with quotes) to out.
void append_json_string(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(DoubleStyle style = DoubleStyle::kPython) : style_(style) {}

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();
  JsonWriter& key(std::string_view k);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  JsonWriter& value(bool b);
  JsonWriter& value(int v) { return value_int(v); }
  JsonWriter& value(long v) { return value_int(v); }
  JsonWriter& value(long long v) { return value_int(v); }
  JsonWriter& value(unsigned v) { return value_uint(v); }
  JsonWriter& value(unsigned long v) { return value_uint(v); }
  JsonWriter& value(unsigned long long v) { return value_uint(v); }
  JsonWriter& value(double v);
  JsonWriter& null();
  template <class T>
  JsonWriter& value(const std::optional<T>& v) {
    return v ? value(*v) : null();
  }
  // Appends an already-serialised JSON value verbatim (e.g. a cached fragment).
  JsonWriter& raw(std::string_view json);

  // key(k).value(v) in one call.
  template <class T>
  JsonWriter& field(std::string_view k, const T& v) {
    key(k);
    return value(v);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }
  void reserve(size_t n) { out_.reserve(n); }

 private:
  JsonWriter& value_int(int64_t v);
  JsonWriter& value_uint(uint64_t v);
  void before_value();

  std::string out_;
  std::vector<bool> first_;  // per open container: no element written yet
  bool after_key_ = false;
  DoubleStyle style_;
};

}  // namespace pnode
