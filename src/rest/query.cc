#include "rest/query.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "util/json_writer.h"
#include "util/py_format.h"
#include "util/strings.h"

namespace pnode::rest {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Length of the valid UTF-8 sequence starting at s[i], or 0 when it is not valid.
size_t utf8_sequence_length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // nothing above U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return n;
}

// pydantic v2's lax str -> int: surrounding whitespace ignored, an optional sign, decimal
// digits, and an optional "." followed only by zeros ("5.0" is 5). Values beyond int64
// saturate: they are still integers for pydantic, and every bound we declare is far
// inside int64, so the range checks give the same answer.
std::optional<int64_t> parse_int(std::string_view raw) {
  std::string_view s = trim(raw);
  if (size_t dot = s.find('.'); dot != std::string_view::npos) {
    if (!std::all_of(s.begin() + dot + 1, s.end(), [](char c) { return c == '0'; })) return std::nullopt;
    s = s.substr(0, dot);
  }
  bool negative = false;
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
    negative = s.front() == '-';
    s.remove_prefix(1);
  }
  if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  uint64_t magnitude = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), magnitude);
  constexpr uint64_t kMaxPositive = std::numeric_limits<int64_t>::max();
  if (ec == std::errc::result_out_of_range || magnitude > kMaxPositive) magnitude = kMaxPositive + 1;
  if (negative) return magnitude > kMaxPositive ? std::numeric_limits<int64_t>::min() : -static_cast<int64_t>(magnitude);
  return magnitude > kMaxPositive ? std::numeric_limits<int64_t>::max() : static_cast<int64_t>(magnitude);
}

// pydantic v2's lax str -> float, restricted to finite values (a NaN or infinite query
// parameter is never meaningful here; pydantic would accept "nan" and "inf").
std::optional<double> parse_float(std::string_view raw) {
  std::string_view s = trim(raw);
  if (s.size() > 1 && s.front() == '+' && s[1] != '-' && s[1] != '+') s.remove_prefix(1);
  if (s.empty()) return std::nullopt;
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::general);
  if (ec != std::errc() || ptr != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  return v;
}

// pydantic v2's str -> bool literals, case-insensitive, no trimming.
std::optional<bool> parse_bool(std::string_view raw) {
  std::string s = ascii_lower(raw);
  for (const char* t : {"1", "on", "t", "true", "y", "yes"})
    if (s == t) return true;
  for (const char* f : {"0", "off", "f", "false", "n", "no"})
    if (s == f) return false;
  return std::nullopt;
}

std::string bound_text(const Bound& b) {
  return b.integral ? std::to_string(static_cast<int64_t>(b.value)) : py_repr(b.value);
}

ValidationIssue issue(std::string type, const std::string& param, std::string msg, std::optional<std::string> input) {
  ValidationIssue out;
  out.type = std::move(type);
  out.param = param;
  out.msg = std::move(msg);
  out.input = std::move(input);
  return out;
}

ValidationIssue bound_issue(bool lower_bound, const Bound& b, const std::string& param, const std::string& input) {
  ValidationIssue out = issue(lower_bound ? "greater_than_equal" : "less_than_equal", param,
                              std::string("Input should be ") + (lower_bound ? "greater" : "less") +
                                  " than or equal to " + bound_text(b),
                              input);
  out.ctx_key = lower_bound ? "ge" : "le";
  out.ctx_json = bound_text(b);
  return out;
}

// Range check of a parsed number against the declared bounds (ge first, as pydantic).
std::optional<ValidationIssue> check_bounds(double v, const std::optional<Bound>& ge, const std::optional<Bound>& le,
                                            const std::string& param, const std::string& input) {
  if (ge && !(v >= ge->value)) return bound_issue(true, *ge, param, input);
  if (le && !(v <= le->value)) return bound_issue(false, *le, param, input);
  return std::nullopt;
}

// "^(a|b|c)$" -> {"a","b","c"}.
std::vector<std::string> pattern_alternatives(const std::string& regex) {
  if (regex.size() < 4 || regex.rfind("^(", 0) != 0 || regex.substr(regex.size() - 2) != ")$")
    throw std::invalid_argument("query pattern must look like ^(a|b)$: " + regex);
  std::string_view body(regex.data() + 2, regex.size() - 4);
  std::vector<std::string> out;
  for (size_t start = 0;;) {
    size_t bar = body.find('|', start);
    std::string_view alt = body.substr(start, bar == std::string_view::npos ? std::string_view::npos : bar - start);
    if (alt.find_first_of("^$()[]{}.*+?\\") != std::string_view::npos)
      throw std::invalid_argument("query pattern alternatives must be literals: " + regex);
    out.emplace_back(alt);
    if (bar == std::string_view::npos) break;
    start = bar + 1;
  }
  return out;
}

}  // namespace

std::string sanitize_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size();) {
    size_t n = utf8_sequence_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD, as Python's errors="replace"
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string percent_decode(std::string_view s, bool plus_as_space) {
  std::string bytes;
  bytes.reserve(s.size());
  bool all_ascii = true;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '%' && i + 2 < s.size() && hex_value(s[i + 1]) >= 0 && hex_value(s[i + 2]) >= 0) {
      c = static_cast<char>(hex_value(s[i + 1]) * 16 + hex_value(s[i + 2]));
      i += 2;
    } else if (c == '+' && plus_as_space) {
      c = ' ';
    }
    if (static_cast<unsigned char>(c) >= 0x80) all_ascii = false;
    bytes.push_back(c);
  }
  return all_ascii ? bytes : sanitize_utf8(bytes);
}

std::string encode_path_for_location(std::string_view path) {
  static constexpr std::string_view kSafe = ":/%#?=@[]!$&'()*+,;_.-~";
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  out.reserve(path.size());
  for (unsigned char c : path) {
    bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (alnum || kSafe.find(static_cast<char>(c)) != std::string_view::npos) {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

QueryPairs parse_query_string(std::string_view query) {
  QueryPairs out;
  size_t start = 0;
  while (start <= query.size()) {
    size_t amp = query.find('&', start);
    if (amp == std::string_view::npos) amp = query.size();
    std::string_view piece = query.substr(start, amp - start);
    if (!piece.empty()) {
      size_t eq = piece.find('=');
      std::string_view name = piece.substr(0, eq);
      std::string_view value = eq == std::string_view::npos ? std::string_view() : piece.substr(eq + 1);
      out.emplace_back(percent_decode(name, true), percent_decode(value, true));
    }
    start = amp + 1;
  }
  return out;
}

ParamSpec ParamSpec::with_default(ParamValue v) const {
  // def(0) on a float parameter means 0.0; any other mismatch is a declaration mistake
  // that would otherwise surface as a 500 on the first request.
  if (type_ == ParamType::kFloat && std::holds_alternative<int64_t>(v))
    v = static_cast<double>(std::get<int64_t>(v));
  bool matches = (type_ == ParamType::kInt && std::holds_alternative<int64_t>(v)) ||
                 (type_ == ParamType::kFloat && std::holds_alternative<double>(v)) ||
                 (type_ == ParamType::kBool && std::holds_alternative<bool>(v)) ||
                 (type_ == ParamType::kString && std::holds_alternative<std::string>(v));
  if (!matches) throw std::invalid_argument("default of query parameter '" + name_ + "' has the wrong type");
  ParamSpec out = *this;
  out.default_ = std::move(v);
  return out;
}

ParamSpec ParamSpec::ge(Bound b) const {
  ParamSpec out = *this;
  out.ge_ = b;
  return out;
}

ParamSpec ParamSpec::le(Bound b) const {
  ParamSpec out = *this;
  out.le_ = b;
  return out;
}

ParamSpec ParamSpec::pattern(std::string regex) const {
  ParamSpec out = *this;
  out.alternatives_ = pattern_alternatives(regex);
  out.pattern_ = std::move(regex);
  return out;
}

ParamSpec ParamSpec::required() const {
  ParamSpec out = *this;
  out.required_ = true;
  return out;
}

const ParamValue& Params::get(std::string_view name) const {
  for (const auto& [n, v] : values_)
    if (n == name) return v;
  static const ParamValue kNone;
  assert(false && "query parameter not declared in the route's schema");
  return kNone;
}

void Params::set(std::string name, ParamValue value) {
  for (auto& [n, v] : values_)
    if (n == name) {
      v = std::move(value);
      return;
    }
  values_.emplace_back(std::move(name), std::move(value));
}

int64_t Params::integer(std::string_view name) const { return std::get<int64_t>(get(name)); }
double Params::number(std::string_view name) const { return std::get<double>(get(name)); }
bool Params::boolean(std::string_view name) const { return std::get<bool>(get(name)); }
const std::string& Params::str(std::string_view name) const { return std::get<std::string>(get(name)); }

template <class T>
static std::optional<T> optional_of(const ParamValue& v) {
  if (std::holds_alternative<std::monostate>(v)) return std::nullopt;
  return std::get<T>(v);
}

std::optional<int64_t> Params::opt_integer(std::string_view name) const { return optional_of<int64_t>(get(name)); }
std::optional<double> Params::opt_number(std::string_view name) const { return optional_of<double>(get(name)); }
std::optional<bool> Params::opt_boolean(std::string_view name) const { return optional_of<bool>(get(name)); }
std::optional<std::string> Params::opt_str(std::string_view name) const { return optional_of<std::string>(get(name)); }

std::vector<ValidationIssue> QuerySchema::parse(const QueryPairs& query, Params& out) const {
  std::vector<ValidationIssue> issues;
  for (const ParamSpec& spec : specs_) {
    // A repeated parameter takes its last value (Starlette's QueryParams.get).
    const std::string* raw = nullptr;
    for (const auto& [name, value] : query)
      if (name == spec.name_) raw = &value;

    if (!raw) {
      if (spec.required_) issues.push_back(issue("missing", spec.name_, "Field required", std::nullopt));
      out.set(spec.name_, spec.default_);
      continue;
    }

    const std::string& input = *raw;
    switch (spec.type_) {
      case ParamType::kInt: {
        auto v = parse_int(input);
        if (!v) {
          issues.push_back(issue("int_parsing", spec.name_,
                                 "Input should be a valid integer, unable to parse string as an integer", input));
        } else if (auto bad = check_bounds(static_cast<double>(*v), spec.ge_, spec.le_, spec.name_, input)) {
          issues.push_back(std::move(*bad));
        } else {
          out.set(spec.name_, *v);
        }
        break;
      }
      case ParamType::kFloat: {
        auto v = parse_float(input);
        if (!v) {
          issues.push_back(issue("float_parsing", spec.name_,
                                 "Input should be a valid number, unable to parse string as a number", input));
        } else if (auto bad = check_bounds(*v, spec.ge_, spec.le_, spec.name_, input)) {
          issues.push_back(std::move(*bad));
        } else {
          out.set(spec.name_, *v);
        }
        break;
      }
      case ParamType::kBool: {
        auto v = parse_bool(input);
        if (!v) {
          issues.push_back(issue("bool_parsing", spec.name_,
                                 "Input should be a valid boolean, unable to interpret input", input));
        } else {
          out.set(spec.name_, *v);
        }
        break;
      }
      case ParamType::kString: {
        if (!spec.pattern_.empty() &&
            std::find(spec.alternatives_.begin(), spec.alternatives_.end(), input) == spec.alternatives_.end()) {
          ValidationIssue bad = issue("string_pattern_mismatch", spec.name_,
                                      "String should match pattern '" + spec.pattern_ + "'", input);
          bad.ctx_key = "pattern";
          std::string pattern_json;
          append_json_string(pattern_json, spec.pattern_);
          bad.ctx_json = std::move(pattern_json);
          issues.push_back(std::move(bad));
        } else {
          out.set(spec.name_, input);
        }
        break;
      }
    }
  }
  return issues;
}

}  // namespace pnode::rest
