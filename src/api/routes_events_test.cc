// GET /events over a real SQLite store holding a few events, without a store, and with
// its query bounds.
#include <gtest/gtest.h>

#include "api/route_test_support.h"

namespace pnode::api {
namespace {

using namespace testing;  // NOLINT: the fixture's names

store::EventRecord event_record(const std::string& id, const std::string& type, int64_t time,
                                const std::string& address, const std::string& pubkey) {
  std::string body = "{\"id\":\"" + id + "\",\"type\":\"" + type + "\",\"time\":" + std::to_string(time) +
                     ",\"data\":{}}";
  return store::EventRecord{id, type, time, 2, address, pubkey, body};
}

class EventRoutes : public RoutesTest {
 protected:
  void SetUp() override {
    with_store();
    ASSERT_TRUE(store->write_events({event_record("e1", "node_offline", 1000, kA, "pk-A"),
                                     event_record("e2", "node_online", 1001, kB, "pk-shared"),
                                     event_record("e3", "version_changed", 1002, kA, "pk-A"),
                                     event_record("e4", "node_offline", 1003, kD, "pk-shared")})
                    .ok());
  }

  std::vector<std::string> ids(const std::string& target) {
    auto body = get_json(target);
    std::vector<std::string> out;
    for (const auto& e : body.at("events").as_array()) out.emplace_back(e.at("id").as_string());
    return out;
  }
};

TEST_F(EventRoutes, ListsEventsOldestFirstWithTheirSequenceNumbers) {
  auto body = get_json("/events");
  auto events = body.at("events").as_array();
  ASSERT_EQ(events.size(), 4u);
  EXPECT_EQ(events[0].at("id"), "e1");
  EXPECT_EQ(events[0].at("type"), "node_offline");
  EXPECT_LT(events[0].at("seq").as_int64(), events[1].at("seq").as_int64());
  EXPECT_EQ(body.at("count"), 4);
  EXPECT_EQ(body.at("next"), events[3].at("seq"));
  EXPECT_EQ(body.at("more"), false);
}

TEST_F(EventRoutes, Filters) {
  EXPECT_EQ(ids("/events?node=" + std::string(kA)), (std::vector<std::string>{"e1", "e3"}));
  EXPECT_EQ(ids("/events?pubkey=pk-shared"), (std::vector<std::string>{"e2", "e4"}));
  EXPECT_EQ(ids("/events?type=node_offline"), (std::vector<std::string>{"e1", "e4"}));
  EXPECT_EQ(ids("/events?since=1002"), (std::vector<std::string>{"e3", "e4"}));
}

TEST_F(EventRoutes, PagesWithTheNextCursor) {
  auto first = get_json("/events?limit=3");
  EXPECT_EQ(first.at("count"), 3);
  EXPECT_EQ(first.at("more"), true);
  const std::string next = std::to_string(first.at("next").as_int64());
  EXPECT_EQ(ids("/events?limit=3&after=" + next), (std::vector<std::string>{"e4"}));
  auto end = get_json("/events?after=" + next + "&limit=3&type=node_online");
  EXPECT_EQ(end.at("count"), 0);
  EXPECT_EQ(end.at("next").as_int64(), first.at("next").as_int64()) << "an empty page keeps the cursor";
}

TEST_F(EventRoutes, BoundsTheLimitAndChecksTheType) {
  expect_422("/events?limit=1001", "less_than_equal", "limit", "1001");
  expect_422("/events?limit=0", "greater_than_equal", "limit", "0");
  expect_422("/events?type=node_exploded", "string_pattern_mismatch", "type", "node_exploded");
  expect_422("/events?after=-1", "greater_than_equal", "after", "-1");
}

TEST_F(EventRoutes, WithoutAStoreThereAreNoEvents) {
  store.reset();
  make_api();
  auto body = get_json("/events");
  EXPECT_TRUE(body.at("events").as_array().empty());
  EXPECT_EQ(body.at("next"), 0);
}

}  // namespace
}  // namespace pnode::api
