#include "api/route_util.h"

#include <cctype>
#include <chrono>
#include <limits>

#include "api/errors.h"
#include "api/routes.h"
#include "rest/client_rate_limit.h"

namespace pnode::api {

http::Response shared_json_response(int status, std::shared_ptr<const std::string> body) {
  http::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

http::Response detail_response(int status, std::string_view message) {
  JsonWriter w;
  w.begin_object().field("detail", message).end_object();
  return json_response(status, w.take());
}

int64_t seconds_before(int64_t now, int64_t count, int64_t unit) {
  int64_t span = 0;
  if (__builtin_mul_overflow(count, unit, &span)) return std::numeric_limits<int64_t>::min();
  int64_t out = 0;
  if (__builtin_sub_overflow(now, span, &out)) return std::numeric_limits<int64_t>::min();
  return out;
}

void write_float_or_int_zero(JsonWriter& w, std::string_view key, double value) {
  write_float_or_int_zero(w, key, value, value == 0);
}

void write_float_or_int_zero(JsonWriter& w, std::string_view key, double value, bool is_zero) {
  if (is_zero) {
    w.field(key, 0);
  } else {
    w.field(key, value);
  }
}

void write_growth_metrics(JsonWriter& w, const analysis::GrowthMetrics& g) {
  w.begin_object();
  if (!g.available) {
    w.field("available", false).field("message", analysis::kInsufficientHistoryMessage);
    w.end_object();
    return;
  }
  w.field("available", true).field("period_hours", g.period_hours);
  w.key("comparison").begin_object();
  w.field("start_time", g.comparison.start_time).field("end_time", g.comparison.end_time);
  w.field("start_time_readable", g.comparison.start_time_readable);
  w.field("end_time_readable", g.comparison.end_time_readable);
  w.end_object();
  w.key("nodes").begin_object();
  w.field("start_count", g.nodes.start_count).field("end_count", g.nodes.end_count);
  w.field("growth", g.nodes.growth);
  write_float_or_int_zero(w, "growth_percent", g.nodes.growth_percent, g.nodes.start_count <= 0);
  w.end_object();
  w.key("storage").begin_object();
  w.field("start_committed", g.storage.start_committed).field("end_committed", g.storage.end_committed);
  w.field("growth", g.storage.growth);
  write_float_or_int_zero(w, "growth_percent", g.storage.growth_percent, g.storage.start_committed == 0);
  w.end_object();
  // The samples' avg_peer_count is the reference's "round(mean, 2) or 0".
  w.key("network_health").begin_object();
  write_float_or_int_zero(w, "start_peer_count", g.network_health.start_peer_count);
  write_float_or_int_zero(w, "end_peer_count", g.network_health.end_peer_count);
  w.field("peer_count_change", g.network_health.peer_count_change);
  w.end_object();
  w.end_object();
}

bool secret_equals(std::string_view secret, std::string_view candidate) {
  // Walk the whole candidate whatever its length; fold the length difference in too.
  unsigned char diff = secret.size() == candidate.size() ? 0 : 1;
  for (size_t i = 0; i < candidate.size(); ++i) {
    unsigned char s = secret.empty() ? 0 : static_cast<unsigned char>(secret[i % secret.size()]);
    diff |= static_cast<unsigned char>(s ^ static_cast<unsigned char>(candidate[i]));
  }
  return diff == 0 && !secret.empty();
}

namespace {

// "Authorization: Bearer <token>" (the scheme is case-insensitive, RFC 7235).
bool bearer_matches(std::string_view header, const std::string& token) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() < kScheme.size()) return false;
  for (size_t i = 0; i < kScheme.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(header[i])) != kScheme[i]) return false;
  std::string_view presented = header.substr(kScheme.size());
  while (!presented.empty() && presented.front() == ' ') presented.remove_prefix(1);
  while (!presented.empty() && presented.back() == ' ') presented.remove_suffix(1);
  return secret_equals(token, presented);
}

}  // namespace

std::optional<http::Response> refuse_unless_admin(const Api& api, const rest::RouteRequest& request,
                                                  std::string_view route) {
  const std::string& token = api.config().admin_token;
  if (token.empty()) {
    JsonWriter w;
    w.begin_object()
        .field("detail", std::string(route) + " is disabled: no admin token is configured (ADMIN_TOKEN)")
        .end_object();
    return json_response(403, w.take());
  }
  // A client that sent too many wrong tokens is refused before its token is even looked
  // at, so guessing costs a minute per try once the burst is spent.
  const std::string& client = request.http.remote_address;
  const auto now = std::chrono::steady_clock::now();
  if (auto locked = api.admin_failures().peek(client, api.config().admin_failure_limit, now); !locked.allowed)
    return rest::too_many_requests(locked.retry_after);
  if (!bearer_matches(request.http.header("authorization"), token)) {
    api.admin_failures().take(client, api.config().admin_failure_limit, now);
    http::Response r = json_response(401, R"({"detail":"Invalid or missing admin token"})");
    r.headers.emplace_back("www-authenticate", "Bearer");
    return r;
  }
  return std::nullopt;
}

}  // namespace pnode::api
