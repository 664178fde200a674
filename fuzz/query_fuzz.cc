// Fuzz target: the query-string parser and its validation (rest/query.h). The input is a
// raw query string (what follows "?" in a request target). Beyond "no crash, no sanitizer
// report", the properties the API relies on:
//   - every decoded name and value, and every percent_decode() result, is valid UTF-8
//     (sanitize_utf8 leaves it unchanged), so it can be echoed in JSON;
//   - encode_path_for_location() writes only printable ASCII (no header injection);
//   - a query the schema accepts yields values inside the declared bounds and patterns.
// Seeds: fuzz/corpus/query.
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "rest/query.h"

namespace {

using namespace pnode::rest;  // NOLINT: a fuzz target of this one unit

// One parameter of each type and modifier, like the API's routes declare them.
const QuerySchema& schema() {
  static const QuerySchema s{
      str_param("status").def("online").pattern("^(all|online|offline)$"),
      int_param("limit").def(100).ge(1).le(1000),
      int_param("skip").def(0).ge(0),
      float_param("min_score").ge(0.0).le(100.0),
      bool_param("include_offline").def(false),
      str_param("address"),
      int_param("hours").required().ge(1).le(720),
  };
  return s;
}

bool is_valid_utf8(const std::string& s) { return sanitize_utf8(s) == s; }

bool is_printable_ascii(const std::string& s) {
  for (unsigned char c : s)
    if (c < 0x21 || c > 0x7e) return false;
  return true;
}

void check_decoding(std::string_view input) {
  pnode::fuzz::require(is_valid_utf8(percent_decode(input)), "percent_decode gives valid UTF-8");
  pnode::fuzz::require(is_valid_utf8(percent_decode(input, true)), "percent_decode (+ as space) gives valid UTF-8");
  std::string sanitized = sanitize_utf8(input);
  pnode::fuzz::require(is_valid_utf8(sanitized), "sanitize_utf8 is idempotent");
  pnode::fuzz::require(is_printable_ascii(encode_path_for_location(percent_decode(input))),
                       "a Location path is printable ASCII");
}

void check_accepted(const Params& p) {
  const std::string& status = p.str("status");
  pnode::fuzz::require(status == "all" || status == "online" || status == "offline", "status matches its pattern");
  pnode::fuzz::require(p.integer("limit") >= 1 && p.integer("limit") <= 1000, "limit within 1..1000");
  pnode::fuzz::require(p.integer("skip") >= 0, "skip >= 0");
  if (auto score = p.opt_number("min_score"))
    pnode::fuzz::require(std::isnan(*score) || (*score >= 0 && *score <= 100), "min_score within 0..100");
  (void)p.boolean("include_offline");
  if (auto address = p.opt_str("address")) pnode::fuzz::require(is_valid_utf8(*address), "address is valid UTF-8");
  pnode::fuzz::require(p.integer("hours") >= 1 && p.integer("hours") <= 720, "hours within 1..720");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  check_decoding(input);
  QueryPairs pairs = parse_query_string(input);
  for (const auto& [name, value] : pairs) {
    pnode::fuzz::require(is_valid_utf8(name), "a query name is valid UTF-8");
    pnode::fuzz::require(is_valid_utf8(value), "a query value is valid UTF-8");
  }
  Params params;
  auto issues = schema().parse(pairs, params);
  for (const auto& issue : issues) {
    pnode::fuzz::require(!issue.input || is_valid_utf8(*issue.input), "a 422 input is valid UTF-8");
  }
  if (issues.empty()) check_accepted(params);
  return 0;
}
