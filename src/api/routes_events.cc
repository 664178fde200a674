// GET /events (docs/events.md, "Wiring"): the store's event outbox, oldest first,
// filtered and paged by the sequence cursor. Without a store there are no events; a store
// error answers a fixed message (the driver's text is never sent).
// GET /events/stream: the same events as Server-Sent Events (api/event_hub.h), resuming
// after Last-Event-ID (or ?after=) from the outbox.
#include <charconv>
#include <string>

#include "analysis/events.h"
#include "api/errors.h"
#include "api/event_hub.h"
#include "api/route_util.h"
#include "api/routes.h"
#include "store/store.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

constexpr int64_t kMaxEventsPerPage = 1000;

// "^(node_discovered|...)$" from the event types, so the schema follows events.h.
std::string event_type_pattern() { return names_pattern(analysis::all_event_types(), analysis::event_type_name); }

// Last-Event-ID, a sequence number; nullopt when it is not one.
std::optional<int64_t> parse_event_cursor(std::string_view text) {
  int64_t value = -1;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value < 0) return std::nullopt;
  return value;
}

EventFilter filter_of(const RouteRequest& request) {
  return EventFilter{request.query.opt_str("node"), request.query.opt_str("pubkey"), request.query.opt_str("type")};
}

}  // namespace

const QuerySchema& events_query_schema() {
  static const QuerySchema schema{
      str_param("node"),
      str_param("pubkey"),
      str_param("type").pattern(event_type_pattern()),
      int_param("since").def(0).ge(0),
      int_param("after").def(0).ge(0),
      int_param("limit").def(100).ge(1).le(kMaxEventsPerPage),
  };
  return schema;
}

const QuerySchema& events_stream_query_schema() {
  static const QuerySchema schema{
      str_param("node"),
      str_param("pubkey"),
      str_param("type").pattern(event_type_pattern()),
      int_param("after").ge(0),
  };
  return schema;
}

// The stream is registered before the backlog is read and started at the backlog's end,
// so an event committed meanwhile is sent once (EventSubscription). A backlog that fills
// max_backlog ends the stream after it: the client reconnects with the last id it got.
http::Response get_events_stream(const Api& api, const RouteRequest& request) {
  EventHub* hub = api.config().event_hub.get();
  store::Store* store = api.store();
  if (!hub || !store) return jsonrpc_error(503, "Event stream unavailable");
  std::optional<int64_t> cursor = request.query.opt_integer("after");
  if (auto last_id = request.http.header("Last-Event-ID"); !last_id.empty()) {
    cursor = parse_event_cursor(last_id);
    if (!cursor) return jsonrpc_error(400, "Last-Event-ID must be an event sequence number");
  }
  auto subscription = hub->subscribe(filter_of(request));
  if (!subscription) return jsonrpc_error(503, "Too many event streams open");
  std::string backlog;
  int64_t backlog_end = hub->last_published();
  if (cursor) {
    store::EventQuery query = subscription->filter().query();
    query.after = *cursor;
    query.limit = hub->options().max_backlog;
    auto missed = store->read_events(query);
    if (!missed.ok()) {
      subscription->mailbox()->close();
      return jsonrpc_error(500, "Failed to read events");
    }
    for (const auto& e : *missed) backlog += event_frame(e);
    backlog_end = missed->empty() ? *cursor : missed->back().seq;
    if (missed->size() == query.limit) subscription->mailbox()->close();
  }
  subscription->start(backlog_end);
  return http::open_event_stream(subscription->mailbox(), std::move(backlog));
}

http::Response get_events(const Api& api, const RouteRequest& request) {
  store::EventQuery query = filter_of(request).query();
  query.since = request.query.integer("since");
  query.after = request.query.integer("after");
  query.limit = static_cast<size_t>(request.query.integer("limit"));
  std::vector<store::StoredEvent> events;
  if (store::Store* store = api.store()) {
    auto read = store->read_events(query);
    if (!read.ok()) return jsonrpc_error(500, "Failed to read events");
    events = std::move(*read);
  }
  JsonWriter w;
  w.reserve(128 + events.size() * 400);
  w.begin_object().key("events").begin_array();
  for (const auto& e : events) write_stored_event(w, e);
  w.end_array();
  w.field("count", events.size());
  // Where the next page starts: after the last event given (or where this one started).
  w.field("next", events.empty() ? query.after : events.back().seq);
  w.field("more", events.size() == query.limit);
  w.field("timestamp", api.now()).end_object();
  return json_response(200, w.take());
}

}  // namespace pnode::api
