// Query strings the way the reference service (Starlette + FastAPI + pydantic v2) reads
// them, and a declarative schema that validates them. A route declares its parameters in
// one line each:
//
//   const QuerySchema kPnodes{
//       str_param("status").def("online").pattern("^(all|online|offline)$"),
//       int_param("limit").def(100).ge(1).le(1000),
//   };
//
// parse() checks every declared parameter (unknown ones are ignored), reports all the
// invalid ones at once in declaration order (the service shapes them into its 422 body:
// RouterErrors in router.h), and otherwise fills a Params with the typed values and
// defaults.
// Thread-safety: schemas are immutable after construction and safe to share; Params is a
// plain value.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace pnode::rest {

// Python's urllib.parse.unquote, which the reference's server applies to the path and to
// every query name and value: "%XX" is decoded, a malformed escape is kept literally, and
// bytes that do not form valid UTF-8 become U+FFFD. With plus_as_space, '+' is a space
// (query strings only).
std::string percent_decode(std::string_view s, bool plus_as_space = false);

// Replaces every invalid UTF-8 sequence in s by U+FFFD, so it is safe to echo in JSON.
std::string sanitize_utf8(std::string_view s);

// Percent-encodes the bytes of a decoded path that are not allowed raw in a Location
// header, keeping the same characters as Starlette's redirect (":/%#?=@[]!$&'()*+,;").
std::string encode_path_for_location(std::string_view path);

// Name/value pairs in order of appearance (Python's parse_qsl with blank values kept:
// "a" and "a=" both give ("a", "")). A repeated name appears several times.
using QueryPairs = std::vector<std::pair<std::string, std::string>>;
QueryPairs parse_query_string(std::string_view query);

enum class ParamType { kInt, kFloat, kBool, kString };

// A ge/le bound as the route declared it: an integer bound prints as "1", a float bound
// as "0.0", both in the message and in the 422 ctx.
struct Bound {
  double value = 0;
  bool integral = true;
  Bound(int v) : value(v), integral(true) {}  // NOLINT: implicit by design
  Bound(int64_t v) : value(static_cast<double>(v)), integral(true) {}  // NOLINT
  Bound(double v) : value(v), integral(false) {}  // NOLINT
};

// A typed parameter value; monostate is Python's None (optional and absent).
using ParamValue = std::variant<std::monostate, int64_t, double, bool, std::string>;

// One declared query parameter. Built with int_param()/float_param()/bool_param()/
// str_param() and chained modifiers. A parameter without def() and without required()
// is optional and reads as absent (None) when not given.
class ParamSpec {
 public:
  ParamSpec(std::string name, ParamType type) : name_(std::move(name)), type_(type) {}

  // The default must fit the type (an int is accepted for a float); else throws.
  ParamSpec def(int v) const { return with_default(static_cast<int64_t>(v)); }
  ParamSpec def(int64_t v) const { return with_default(v); }
  ParamSpec def(double v) const { return with_default(v); }
  ParamSpec def(bool v) const { return with_default(v); }
  ParamSpec def(const char* v) const { return with_default(std::string(v)); }
  ParamSpec ge(Bound b) const;
  ParamSpec le(Bound b) const;
  // An anchored list of alternatives, "^(a|b|c)$", matched exactly and case-sensitively
  // (the only pattern form the reference uses). Anything else throws at construction.
  ParamSpec pattern(std::string regex) const;
  ParamSpec required() const;

  const std::string& name() const { return name_; }
  ParamType type() const { return type_; }
  // The declaration, for documentation (the OpenAPI document reads them).
  const ParamValue& default_value() const { return default_; }
  const std::optional<Bound>& min() const { return ge_; }
  const std::optional<Bound>& max() const { return le_; }
  const std::string& pattern_text() const { return pattern_; }  // "" when none
  const std::vector<std::string>& allowed() const { return alternatives_; }  // the pattern's literals
  bool is_required() const { return required_; }

 private:
  friend class QuerySchema;
  ParamSpec with_default(ParamValue v) const;

  std::string name_;
  ParamType type_;
  ParamValue default_;
  std::optional<Bound> ge_, le_;
  std::string pattern_;
  std::vector<std::string> alternatives_;
  bool required_ = false;
};

inline ParamSpec int_param(std::string name) { return ParamSpec(std::move(name), ParamType::kInt); }
inline ParamSpec float_param(std::string name) { return ParamSpec(std::move(name), ParamType::kFloat); }
inline ParamSpec bool_param(std::string name) { return ParamSpec(std::move(name), ParamType::kBool); }
inline ParamSpec str_param(std::string name) { return ParamSpec(std::move(name), ParamType::kString); }

// One entry of the 422 "detail" list (pydantic v2 shape).
struct ValidationIssue {
  std::string type;                  // int_parsing, greater_than_equal, missing, ...
  std::string param;                 // loc is ["query", param]
  std::string msg;
  std::optional<std::string> input;  // the raw value; nullopt is JSON null (missing)
  std::string ctx_key;               // "" when there is no ctx
  std::string ctx_json;              // the ctx value, already serialised JSON
};

// The validated values of one request, by parameter name.
class Params {
 public:
  // Typed accessors; the parameter must be declared with that type and have a value
  // (a default or required); asking otherwise is a programming error (asserts).
  int64_t integer(std::string_view name) const;
  double number(std::string_view name) const;
  bool boolean(std::string_view name) const;
  const std::string& str(std::string_view name) const;

  // For optional parameters (no default): nullopt when the client did not send it.
  std::optional<int64_t> opt_integer(std::string_view name) const;
  std::optional<double> opt_number(std::string_view name) const;
  std::optional<bool> opt_boolean(std::string_view name) const;
  std::optional<std::string> opt_str(std::string_view name) const;

  const ParamValue& get(std::string_view name) const;
  void set(std::string name, ParamValue value);

 private:
  std::vector<std::pair<std::string, ParamValue>> values_;
};

class QuerySchema {
 public:
  QuerySchema() = default;
  QuerySchema(std::initializer_list<ParamSpec> specs) : specs_(specs) {}

  // Validates `query` against the schema. Returns the issues (empty when valid); fills
  // `out` with every declared parameter (its value, its default, or None).
  std::vector<ValidationIssue> parse(const QueryPairs& query, Params& out) const;

  const std::vector<ParamSpec>& specs() const { return specs_; }

 private:
  std::vector<ParamSpec> specs_;
};

}  // namespace pnode::rest
