// Live update messages between two hand-built snapshots, compared with what /pnodes
// writes for the same nodes.
#include "api/live_updates.h"

#include <gtest/gtest.h>

#include "api/node_json.h"
#include "api/test_support.h"
#include "util/json_writer.h"

namespace pnode::api {
namespace {

namespace json = boost::json;
using testing::make_snapshot;
using testing::make_views;
using testing::make_offline_view;
using testing::make_online_view;

std::shared_ptr<model::Snapshot> cycle(uint64_t n, int64_t t, std::vector<analysis::NodeView> nodes) {
  auto s = std::const_pointer_cast<model::Snapshot>(make_snapshot(t, {"127.0.0.1:6000"}, make_views(std::move(nodes))));
  s->cycle = n;
  return s;
}

json::value parse(const std::shared_ptr<const std::string>& text) {
  EXPECT_TRUE(text);
  return text ? json::parse(*text) : json::value();
}

std::vector<std::string> addresses(const json::value& list) {
  std::vector<std::string> out;
  for (const auto& node : list.as_array()) {
    out.emplace_back(node.is_string() ? node.as_string() : node.at("address").as_string());
  }
  return out;
}

json::value as_pnodes_writes(const model::Snapshot& s, int64_t now, std::string_view block) {
  JsonWriter w;
  if (block == "summary") write_pnodes_summary(w, *s.views, s, now);
  if (block == "network_stats") write_network_stats(w, compute_network_stats(*s.views));
  return json::parse(w.str());
}

TEST(LiveUpdates, MessageCarriesSummaryStatsAndNodesAsPnodesWritesThem) {
  auto first = cycle(7, 1000, {make_online_view("127.1.0.1:9001", 990, 50, 70), make_offline_view("127.1.0.9:9001", 500)});
  json::value m = parse(live_update_message(*first, nullptr, 1003));
  EXPECT_EQ(m.at("type"), "snapshot");
  EXPECT_EQ(m.at("cycle"), 7);
  EXPECT_EQ(m.at("last_updated"), 1000);
  EXPECT_EQ(m.at("summary"), as_pnodes_writes(*first, 1003, "summary"));
  EXPECT_EQ(m.at("summary").at("snapshot_age_seconds"), 3);
  EXPECT_EQ(m.at("network_stats"), as_pnodes_writes(*first, 1003, "network_stats"));
  // Without a previous snapshot every node is new.
  EXPECT_EQ(addresses(m.at("changed")), (std::vector<std::string>{"127.1.0.1:9001", "127.1.0.9:9001"}));
  EXPECT_TRUE(m.at("removed").as_array().empty());
  JsonWriter node;
  write_node(node, first->views->nodes[0], *first);
  EXPECT_EQ(m.at("changed").at(0), json::parse(node.str()));
}

TEST(LiveUpdates, OnlyChangedNewAndFlippedNodesAndRemovedAddresses) {
  auto before = cycle(1, 1000, {make_online_view("127.1.0.1:9001", 990, 50, 70), make_online_view("127.1.0.2:9001", 990, 50, 70),
                                make_online_view("127.1.0.3:9001", 990, 50, 70), make_offline_view("127.1.0.8:9001", 500),
                                make_offline_view("127.1.0.9:9001", 500)});
  auto after = cycle(2, 1060, {make_online_view("127.1.0.1:9001", 990, 50, 70),    // unchanged
                               make_online_view("127.1.0.2:9001", 990, 110, 70),   // uptime moved
                               make_offline_view("127.1.0.3:9001", 990),           // went offline
                               make_online_view("127.1.0.8:9001", 1050, 10, 60),   // came back
                               make_offline_view("127.1.0.9:9001", 500),           // still offline: not resent
                               make_online_view("127.1.0.4:9001", 1055, 5, 65)});  // new
  // 127.1.0.1's last_checked moved with the cycle; that alone is no change.
  json::value m = parse(live_update_message(*after, before.get(), 1060));
  EXPECT_EQ(m.at("cycle"), 2);
  auto changed = addresses(m.at("changed"));
  std::sort(changed.begin(), changed.end());
  EXPECT_EQ(changed, (std::vector<std::string>{"127.1.0.2:9001", "127.1.0.3:9001", "127.1.0.4:9001", "127.1.0.8:9001"}));
  EXPECT_TRUE(m.at("removed").as_array().empty());

  auto pruned = cycle(3, 1120, {make_online_view("127.1.0.1:9001", 990, 50, 70)});
  json::value p = parse(live_update_message(*pruned, before.get(), 1120));
  EXPECT_TRUE(p.at("changed").as_array().empty());
  auto removed = addresses(p.at("removed"));
  std::sort(removed.begin(), removed.end());
  EXPECT_EQ(removed, (std::vector<std::string>{"127.1.0.2:9001", "127.1.0.3:9001", "127.1.0.8:9001", "127.1.0.9:9001"}));
}

TEST(LiveUpdates, ScoreOrVersionChangeCounts) {
  auto before = cycle(1, 1000, {make_online_view("127.1.0.1:9001", 990, 50, 70), make_online_view("127.1.0.2:9001", 990, 50, 70)});
  auto after = cycle(2, 1060, {make_online_view("127.1.0.1:9001", 990, 50, 85), make_online_view("127.1.0.2:9001", 990, 50, 70, "0.9.0")});
  json::value m = parse(live_update_message(*after, before.get(), 1060));
  EXPECT_EQ(m.at("changed").as_array().size(), 2u);
}

TEST(LiveUpdates, HelloHasCurrentSummaryAndNoNodes) {
  EXPECT_FALSE(live_hello_message(nullptr, 0));
  auto s = cycle(4, 1000, {make_online_view("127.1.0.1:9001", 990, 50, 70)});
  json::value m = parse(live_hello_message(s.get(), 1010));
  EXPECT_EQ(m.at("type"), "snapshot");
  EXPECT_EQ(m.at("cycle"), 4);
  EXPECT_EQ(m.at("summary"), as_pnodes_writes(*s, 1010, "summary"));
  EXPECT_EQ(m.at("network_stats"), as_pnodes_writes(*s, 1010, "network_stats"));
  EXPECT_TRUE(m.at("changed").as_array().empty());
  EXPECT_TRUE(m.at("removed").as_array().empty());
}

std::vector<store::StoredEvent> stored_events(int count) {
  std::vector<store::StoredEvent> out;
  for (int i = 1; i <= count; ++i) {
    std::string id = std::to_string(i) + ".0:node_offline:127.1.0." + std::to_string(i) + ":9001";
    out.push_back({i + 10, {id, "node_offline", 1000, 7, "127.1.0." + std::to_string(i) + ":9001", "pk",
                            "{\"id\":\"" + id + "\",\"type\":\"node_offline\"}"}});
  }
  return out;
}

TEST(LiveUpdates, EventsMessagesCarryEachEventWithItsSeqInOrder) {
  auto messages = live_events_messages(stored_events(3));
  ASSERT_EQ(messages.size(), 1u);
  json::value m = parse(messages[0]);
  EXPECT_EQ(m.at("type"), "events");
  const auto& events = m.at("events").as_array();
  ASSERT_EQ(events.size(), 3u);
  EXPECT_EQ(events[0].at("seq"), 11);
  EXPECT_EQ(events[0].at("type"), "node_offline");
  EXPECT_EQ(events[2].at("seq"), 13);
  EXPECT_EQ(events[2].at("id"), "3.0:node_offline:127.1.0.3:9001");
}

TEST(LiveUpdates, ALargeBatchIsSplitIntoBoundedMessagesAndNothingIsLost) {
  EXPECT_TRUE(live_events_messages({}).empty());
  auto messages = live_events_messages(stored_events(5), 2);
  ASSERT_EQ(messages.size(), 3u);
  std::vector<int64_t> seqs;
  for (const auto& text : messages) {
    json::value m = parse(text);
    const auto& events = m.at("events").as_array();
    EXPECT_LE(events.size(), 2u);
    for (const auto& e : events) seqs.push_back(e.at("seq").as_int64());
  }
  EXPECT_EQ(seqs, (std::vector<int64_t>{11, 12, 13, 14, 15}));
}

}  // namespace
}  // namespace pnode::api
