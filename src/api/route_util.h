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
#include "util/json_writer.h"

namespace pnode::api {

// A JSON response sharing an already serialised body (no copy).
http::Response shared_json_response(int status, std::shared_ptr<const std::string> body);

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

// The answer to an admin route's request that may not go on: 403 (saying "<disabled>: no
// admin token is configured") when there is no admin token, 429 with Retry-After for a
// client whose wrong tokens used up ApiConfig::admin_failure_limit, 401 for a missing or
// wrong "Authorization: Bearer <token>" (counted); nullopt when the token is right.
std::optional<http::Response> refuse_unless_admin(const Api& api, const rest::RouteRequest& request,
                                                  std::string_view disabled);

}  // namespace pnode::api
