// The alert lifecycle's routes (docs/events.md, "Silences and acknowledgements"), over the
// state every instance shares through the store: the collector's alert states (written
// with each cycle), the silences and the acknowledgements (written here, by any instance).
//   GET /alerts/active      pending and firing states, acknowledgements merged and the
//                           silences active now marked (collect/alert_store.h)
//   GET /alerts/history     alert_firing / alert_resolved events from the outbox
//   GET /silences           active silences (?expired=true: also those ended recently)
//   POST /silences          adds one (admin token); 201 with it
//   DELETE /silences/{id}   removes one (admin token)
//   POST /alerts/ack        acknowledges a firing alert until it resolves (admin token)
// Without a store these answer 503. Request bodies are JSON objects of at most
// kMaxBodyBytes; everything in them is bounded by ApiConfig::alert_limits.
#include <algorithm>
#include <boost/json.hpp>
#include <string>
#include <vector>

#include "analysis/alert_lifecycle.h"
#include "api/errors.h"
#include "api/event_hub.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "collect/alert_store.h"
#include "store/store.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

namespace json = boost::json;

constexpr size_t kMaxBodyBytes = 16 * 1024;
constexpr int64_t kMaxHistoryPerPage = 1000;
// GET /alerts/history with a rule filter reads the outbox in batches until a page is
// full; it stops after this many events and answers with what it found (`more` true,
// `next` where it stopped), so one request never scans the whole outbox.
constexpr size_t kMaxHistoryScan = 20000;

// "^(offline|low_uptime|...)$" from the alert types, so the schema follows alerts.h.
std::string rule_pattern() { return names_pattern(analysis::all_alert_types(), analysis::alert_type_name); }

http::Response no_store() { return jsonrpc_error(503, "Alert lifecycle unavailable: no store is configured"); }

// ---- request bodies ----------------------------------------------------------------------

// The body as a JSON object, or the 400/413 answer.
Result<json::object> parse_body(const RouteRequest& request) {
  if (request.http.body.size() > kMaxBodyBytes)
    return make_error(ErrorCode::kTooLarge, "the body is larger than " + std::to_string(kMaxBodyBytes) + " bytes");
  boost::system::error_code ec;
  json::value v = json::parse(request.http.body, ec);
  if (ec || !v.is_object()) return make_error(ErrorCode::kInvalidData, "the body must be a JSON object");
  return std::move(v.as_object());
}

http::Response body_refused(const Error& e) { return detail_response(e.is(ErrorCode::kTooLarge) ? 413 : 400, e.message); }

// A string field: nullopt when absent or null; an error when of another type.
Result<std::optional<std::string>> opt_string(const json::object& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end() || it->value().is_null()) return std::optional<std::string>();
  if (!it->value().is_string())
    return make_error(ErrorCode::kInvalidData, std::string(key) + " must be a string");
  return std::optional<std::string>(std::string(it->value().as_string()));
}

Result<std::optional<int64_t>> opt_int(const json::object& body, std::string_view key) {
  auto it = body.find(key);
  if (it == body.end() || it->value().is_null()) return std::optional<int64_t>();
  if (!it->value().is_int64()) return make_error(ErrorCode::kInvalidData, std::string(key) + " must be an integer");
  return std::optional<int64_t>(it->value().as_int64());
}

// The first error among the fields read, or null.
template <class... R>
const Error* first_error(const R&... fields) {
  const Error* e = nullptr;
  ((e = (!e && !fields.ok()) ? &fields.error() : e), ...);
  return e;
}

Result<analysis::AlertType> rule_of(const std::string& name) {
  auto rule = analysis::parse_alert_type(name);
  if (!rule) return make_error(ErrorCode::kInvalidData, "unknown alert rule \"" + name + "\"");
  return *rule;
}

// "duration": seconds, or a duration text ("90m", "2h", "1d").
Result<int64_t> duration_of(const json::object& body) {
  const json::value& v = body.at("duration");
  if (v.is_int64() && v.as_int64() > 0) return v.as_int64();
  if (v.is_string()) {
    auto d = analysis::parse_for_duration(std::string(v.as_string()));
    if (d.ok() && d->cycles == 0 && d->seconds > 0) return d->seconds;
  }
  return make_error(ErrorCode::kInvalidData, "duration must be a positive number of seconds or \"90m\", \"2h\", \"1d\"");
}

// The silence a POST /silences body describes (not yet validated against the limits).
Result<analysis::Silence> silence_of(const json::object& body, int64_t now) {
  analysis::Silence s;
  auto address = opt_string(body, "address");
  auto pubkey = opt_string(body, "pubkey");
  auto rule = opt_string(body, "rule");
  auto comment = opt_string(body, "comment");
  auto author = opt_string(body, "author");
  auto starts_at = opt_int(body, "starts_at");
  auto ends_at = opt_int(body, "ends_at");
  if (const Error* e = first_error(address, pubkey, rule, comment, author, starts_at, ends_at)) return *e;
  s.address = *address;
  s.pubkey = *pubkey;
  if (*rule) {
    auto type = rule_of(**rule);
    if (!type.ok()) return type.error();
    s.rule = *type;
  }
  s.comment = comment->value_or("");
  s.author = author->value_or("");
  s.starts_at = starts_at->value_or(now);
  const bool has_duration = body.contains("duration");
  if (ends_at->has_value() == has_duration) return make_error(ErrorCode::kInvalidData, "give ends_at or duration (one)");
  if (has_duration) {
    auto seconds = duration_of(body);
    if (!seconds.ok()) return seconds.error();
    s.ends_at = s.starts_at + *seconds;
  } else {
    s.ends_at = **ends_at;
  }
  return s;
}

// ---- responses -----------------------------------------------------------------------------

bool state_matches(const analysis::AlertState& s, const RouteRequest& request) {
  if (s.phase != analysis::AlertPhase::kPending && s.phase != analysis::AlertPhase::kFiring) return false;
  auto node = request.query.opt_str("node");
  auto pubkey = request.query.opt_str("pubkey");
  auto rule = request.query.opt_str("rule");
  auto severity = request.query.opt_str("severity");
  auto state = request.query.opt_str("state");
  return (!node || *node == s.address) && (!pubkey || *pubkey == s.pubkey) &&
         (!rule || *rule == analysis::alert_type_name(s.rule)) &&
         (!severity || *severity == analysis::severity_name(s.alert.severity)) &&
         (!state || *state == analysis::alert_phase_name(s.phase));
}

void write_silence_list(JsonWriter& w, const std::vector<store::SilenceRecord>& silences, int64_t now) {
  w.begin_object().key("silences").begin_array();
  for (const auto& record : silences) analysis::write_silence_json(w, collect::to_silence(record));
  w.end_array().field("count", silences.size()).field("timestamp", now).end_object();
}

// The alert events of the outbox after `after` matching `query` (and `rule`, when given),
// oldest first, at most `limit`: alert_firing and alert_resolved read apart and merged
// by sequence number. `scanned_to` is where the reading stopped.
struct AlertEventsPage {
  std::vector<store::StoredEvent> events;
  int64_t scanned_to = 0;
  bool more = false;
};

Result<AlertEventsPage> read_alert_events(store::Store& store, store::EventQuery query,
                                          const std::optional<std::string>& rule, size_t limit) {
  AlertEventsPage page;
  page.scanned_to = query.after;
  const std::string subject = rule ? ":" + *rule + "@" : "";
  size_t scanned = 0;
  query.limit = limit;
  for (;;) {
    std::vector<store::StoredEvent> batch;
    for (const char* type : {"alert_firing", "alert_resolved"}) {
      query.type = type;
      query.after = page.scanned_to;
      auto read = store.read_events(query);
      if (!read.ok()) return read.error();
      batch.insert(batch.end(), read->begin(), read->end());
    }
    std::sort(batch.begin(), batch.end(), [](const auto& a, const auto& b) { return a.seq < b.seq; });
    if (batch.size() > limit) batch.resize(limit);  // what the next read continues after
    for (auto& e : batch) {
      page.scanned_to = e.seq;
      ++scanned;
      if (!rule || e.event.id.find(subject) != std::string::npos) page.events.push_back(std::move(e));
      if (page.events.size() == limit) {
        page.more = true;
        return page;
      }
    }
    if (batch.size() < limit) return page;  // the outbox has no more
    if (scanned >= kMaxHistoryScan) {
      page.more = true;
      return page;
    }
  }
}

}  // namespace

const QuerySchema& active_alerts_query_schema() {
  static const QuerySchema schema{
      str_param("node"),
      str_param("pubkey"),
      str_param("rule").pattern(rule_pattern()),
      str_param("severity").pattern("^(critical|warning|info)$"),
      str_param("state").pattern("^(pending|firing)$"),
  };
  return schema;
}

http::Response get_active_alerts(const Api& api, const RouteRequest& request) {
  store::Store* store = api.store();
  if (!store) return no_store();
  const int64_t now = api.now();
  auto states = collect::load_served_alert_states(*store, now);
  if (!states.ok()) return jsonrpc_error(500, "Failed to read alert states");
  JsonWriter w;
  w.begin_object().key("alerts").begin_array();
  size_t count = 0;
  for (const auto& [key, s] : states->states) {
    if (!state_matches(s, request)) continue;
    analysis::write_alert_state_json(w, s);
    ++count;
  }
  w.end_array().field("count", count).field("timestamp", now).end_object();
  return json_response(200, w.take());
}

const QuerySchema& alert_history_query_schema() {
  static const QuerySchema schema{
      str_param("node"),
      str_param("pubkey"),
      str_param("rule").pattern(rule_pattern()),
      int_param("since").def(0).ge(0),
      int_param("after").def(0).ge(0),
      int_param("limit").def(100).ge(1).le(kMaxHistoryPerPage),
  };
  return schema;
}

http::Response get_alert_history(const Api& api, const RouteRequest& request) {
  store::Store* store = api.store();
  if (!store) return no_store();
  store::EventQuery query;
  query.address = request.query.opt_str("node");
  query.pubkey = request.query.opt_str("pubkey");
  query.since = request.query.integer("since");
  query.after = request.query.integer("after");
  const auto limit = static_cast<size_t>(request.query.integer("limit"));
  auto page = read_alert_events(*store, query, request.query.opt_str("rule"), limit);
  if (!page.ok()) return jsonrpc_error(500, "Failed to read events");
  JsonWriter w;
  w.begin_object().key("events").begin_array();
  for (const auto& e : page->events) write_stored_event(w, e);
  w.end_array();
  w.field("count", page->events.size()).field("next", page->scanned_to).field("more", page->more);
  w.field("timestamp", api.now()).end_object();
  return json_response(200, w.take());
}

const QuerySchema& silences_query_schema() {
  static const QuerySchema schema{bool_param("expired").def(false)};
  return schema;
}

http::Response get_silences(const Api& api, const RouteRequest& request) {
  store::Store* store = api.store();
  if (!store) return no_store();
  const int64_t now = api.now();
  const bool expired = request.query.boolean("expired");
  auto silences = store->silences(expired ? now - store::kExpiredSilenceRetentionSeconds : now);
  if (!silences.ok()) return jsonrpc_error(500, "Failed to read silences");
  JsonWriter w;
  write_silence_list(w, *silences, now);
  return json_response(200, w.take());
}

http::Response post_silence(const Api& api, const RouteRequest& request) {
  if (auto refused = refuse_unless_admin(api, request, "POST /silences")) return *std::move(refused);
  store::Store* store = api.store();
  if (!store) return no_store();
  auto body = parse_body(request);
  if (!body.ok()) return body_refused(body.error());
  const int64_t now = api.now();
  auto silence = silence_of(*body, now);
  if (!silence.ok()) return body_refused(silence.error());
  const analysis::AlertLimits& limits = api.config().alert_limits;
  if (auto st = analysis::validate_silence(*silence, now, limits); !st.ok()) return detail_response(400, st.error().message);
  auto stored = store->add_silence(collect::to_silence_record(*silence), now, limits.max_silences);
  if (!stored.ok() && stored.error().is(ErrorCode::kTooLarge)) return detail_response(409, stored.error().message);
  if (!stored.ok()) return jsonrpc_error(500, "Failed to save the silence");
  JsonWriter w;
  analysis::write_silence_json(w, collect::to_silence(*stored));
  return json_response(201, w.take());
}

http::Response delete_silence(const Api& api, const RouteRequest& request) {
  if (auto refused = refuse_unless_admin(api, request, "DELETE /silences")) return *std::move(refused);
  store::Store* store = api.store();
  if (!store) return no_store();
  const std::string& id = request.path_param("id");
  auto removed = store->remove_silence(id);
  if (!removed.ok()) return jsonrpc_error(500, "Failed to remove the silence");
  if (!*removed) return detail_response(404, "no silence " + id);
  JsonWriter w;
  w.begin_object().field("status", "ok").field("id", id).end_object();
  return json_response(200, w.take());
}

http::Response post_alert_ack(const Api& api, const RouteRequest& request) {
  if (auto refused = refuse_unless_admin(api, request, "POST /alerts/ack")) return *std::move(refused);
  store::Store* store = api.store();
  if (!store) return no_store();
  auto body = parse_body(request);
  if (!body.ok()) return body_refused(body.error());
  auto rule_name = opt_string(*body, "rule");
  auto address = opt_string(*body, "address");
  auto author = opt_string(*body, "author");
  auto comment = opt_string(*body, "comment");
  if (const Error* e = first_error(rule_name, address, author, comment)) return body_refused(*e);
  if (!*rule_name || !*address) return detail_response(400, "rule and address are required");
  auto rule = rule_of(**rule_name);
  if (!rule.ok()) return body_refused(rule.error());
  const int64_t now = api.now();
  auto states = collect::load_served_alert_states(*store, now);
  if (!states.ok()) return jsonrpc_error(500, "Failed to read alert states");
  // acknowledge() checks that it fires and bounds the texts; the store keeps the record.
  const analysis::AlertLimits& limits = api.config().alert_limits;
  analysis::Acknowledgement ack{author->value_or(""), comment->value_or(""), now};
  if (auto st = analysis::acknowledge(*states, *rule, **address, ack, limits); !st.ok())
    return detail_response(st.error().is(ErrorCode::kNotFound) ? 404 : 400, st.error().message);
  const analysis::AlertState& state = *states->find(*rule, **address);
  store::AckRecord record{**rule_name, **address, state.firing_since, ack.author, ack.comment, now};
  if (!store->record_ack(record, limits.max_acknowledgements).ok())
    return jsonrpc_error(500, "Failed to save the acknowledgement");
  return json_response(200, analysis::alert_state_to_json(state));
}

}  // namespace pnode::api
