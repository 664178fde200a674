#include "api/live_updates.h"

#include <algorithm>
#include <string_view>
#include <unordered_set>

#include "api/event_hub.h"
#include "api/node_json.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

// The node as /pnodes writes it, with the fields that change every cycle by themselves
// (the cycle time and what is derived from it) pinned, for comparison only.
std::string comparable_node(const analysis::NodeView& node, const model::Snapshot& snapshot) {
  analysis::NodeView pinned = node;
  pinned.last_checked = pinned.last_seen;
  JsonWriter w;
  write_node(w, pinned, snapshot);
  return w.take();
}

bool node_changed(const analysis::NodeView& node, const model::Snapshot& current, const model::Snapshot& previous) {
  const analysis::NodeView* before = previous.views->find(node.address);
  if (!before) return true;
  if (before->is_online != node.is_online) return true;
  return comparable_node(node, current) != comparable_node(*before, previous);
}

// Everything but "changed" and "removed".
void write_header(JsonWriter& w, const model::Snapshot& current, int64_t now) {
  const analysis::NodeViews& views = *current.views;
  w.field("type", "snapshot");
  w.field("cycle", current.cycle);
  w.field("last_updated", snapshot_last_updated(current, now));
  w.key("summary");
  write_pnodes_summary(w, views, current, now);
  w.key("network_stats");
  write_network_stats(w, compute_network_stats(views));
}

}  // namespace

std::shared_ptr<const std::string> live_update_message(const model::Snapshot& current,
                                                       const model::Snapshot* previous, int64_t now) {
  if (!current.views) return nullptr;
  if (previous && !previous->views) previous = nullptr;
  JsonWriter w;
  w.begin_object();
  write_header(w, current, now);
  w.key("changed").begin_array();
  for (const analysis::NodeView& node : current.views->nodes) {
    if (!previous || node_changed(node, current, *previous)) write_node(w, node, current);
  }
  w.end_array();
  w.key("removed").begin_array();
  if (previous) {
    for (const analysis::NodeView& node : previous->views->nodes) {
      if (!current.views->find(node.address)) w.value(node.address);
    }
  }
  w.end_array();
  w.end_object();
  return std::make_shared<const std::string>(w.take());
}

std::shared_ptr<const std::string> live_hello_message(const model::Snapshot* current, int64_t now) {
  if (!current || !current->views) return nullptr;
  JsonWriter w;
  w.begin_object();
  write_header(w, *current, now);
  w.key("changed").begin_array().end_array();
  w.key("removed").begin_array().end_array();
  w.end_object();
  return std::make_shared<const std::string>(w.take());
}

std::vector<std::shared_ptr<const std::string>> live_events_messages(const std::vector<store::StoredEvent>& events,
                                                                     size_t per_message) {
  std::vector<std::shared_ptr<const std::string>> messages;
  per_message = std::max<size_t>(per_message, 1);
  for (size_t begin = 0; begin < events.size(); begin += per_message) {
    JsonWriter w;
    w.begin_object().field("type", "events").key("events").begin_array();
    for (size_t i = begin; i < std::min(events.size(), begin + per_message); ++i) write_stored_event(w, events[i]);
    w.end_array().end_object();
    messages.push_back(std::make_shared<const std::string>(w.str()));
  }
  return messages;
}

}  // namespace pnode::api
