// Small helpers the route handlers share: responses from cached bodies, saturating time
// arithmetic for "N days ago" parameters, the reference's integer-zero convention, and
// JSON writers used by more than one routes_<resource>.cc file.
// Internal to api/. Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "analysis/growth.h"
#include "analysis/insights.h"
#include "api/api.h"
#include "http/message.h"
#include "rest/router.h"
#include "util/json_writer.h"

namespace pnode::api {

// A JSON response sharing an already serialised body (no copy).
http::Response shared_json_response(int status, std::shared_ptr<const std::string> body);

// {"detail": message}, the answer the mutating routes give a request they refuse.
http::Response detail_response(int status, std::string_view message);

// now - count * unit, saturating at the int64 range instead of overflowing (a huge
// "days" parameter is valid input and simply reaches back to the beginning of time).
int64_t seconds_before(int64_t now, int64_t count, int64_t unit);

// The reference's "x or 0" and "... if n > 0 else 0" values: the integer 0 when `is_zero`
// (by default when the value is 0), otherwise the float.
void write_float_or_int_zero(JsonWriter& w, std::string_view key, double value);
void write_float_or_int_zero(JsonWriter& w, std::string_view key, double value, bool is_zero);

// G of /network/growth and /network/analytics (docs/reference-compat.md §1.4.12).
void write_growth_metrics(JsonWriter& w, const analysis::GrowthMetrics& growth);

// Constant-time comparison of a secret with a candidate (no early exit on the first
// differing byte, so response times do not reveal how much of a token was right).
bool secret_equals(std::string_view secret, std::string_view candidate);

// A query parameter pattern accepting exactly these names: "^(a|b|c)$" from a list of
// enum values and their name function, so a schema follows the enum it names.
template <class Values, class NameOf>
std::string names_pattern(const Values& values, NameOf name_of) {
  std::string pattern = "^(";
  for (const auto& v : values) {
    if (pattern.size() > 2) pattern += '|';
    pattern += name_of(v);
  }
  return pattern + ")$";
}

// The admin token check of the mutating routes (DELETE /prune, the silences and
// acknowledgements): nullopt when the request carries "Authorization: Bearer
// <admin_token>"; otherwise the answer: 403 naming `route` when no token is configured,
// 401 for a wrong or missing one (counted against the client's admin_failure_limit), 429
// with Retry-After once the client's wrong tokens exhausted it, whatever token it sends.
std::optional<http::Response> refuse_unless_admin(const Api& api, const rest::RouteRequest& request,
                                                  std::string_view route);

}  // namespace pnode::api
