// /pnodes over NodeViews built by the real analysis (build_node_views), to check that
// the serialiser and the analysis agree on ratings, colours, orders and counts.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "analysis/node_view.h"
#include "api/api.h"
#include "api/test_support.h"

namespace pnode::api {
namespace {

namespace json = boost::json;

constexpr int64_t kNow = 1700000000;

model::Pod pod(std::string address, uint64_t uptime, uint64_t committed, double usage, std::string version) {
  model::Pod p;
  p.address = std::move(address);
  p.pubkey = "pk-" + p.address;
  p.is_public = true;
  p.last_seen_timestamp = kNow - 5;
  p.rpc_port = 6000;
  p.storage_committed = committed;
  p.storage_used = committed / 2;
  p.storage_usage_percent = usage;
  p.uptime = uptime;
  p.version = std::move(version);
  return p;
}

model::RegistryEntry entry(std::string address, int64_t last_seen) {
  model::RegistryEntry e;
  e.address = std::move(address);
  e.pubkey = "pk-" + e.address;
  e.first_seen = last_seen - 100000;
  e.last_seen = last_seen;
  e.source_ips = {"127.0.0.1:6000"};
  return e;
}

std::shared_ptr<const model::Snapshot> built_snapshot() {
  auto s = std::make_shared<model::Snapshot>();
  s->last_updated = kNow;
  s->summary.last_updated = kNow;
  for (const char* seed : {"127.0.0.1:6000", "127.0.0.2:6000", "127.0.0.3:6000"}) {
    model::SeedPoll poll;
    poll.seed = seed;
    s->seeds.push_back(poll);
  }
  // A strong node seen by all three seeds and a weak one seen by one.
  s->nodes.push_back({pod("10.0.0.1:9001", 40 * 86400, uint64_t{200} << 30, 50.0, "0.8.0"), {0, 1, 2}, 0});
  s->nodes.push_back({pod("10.0.0.2:9001", 3600, uint64_t{1} << 30, 1.0, "0.7.0"), {1}, 1});
  auto registry = std::make_shared<model::Registry>();
  registry->entries = {entry("10.0.0.1:9001", kNow - 5), entry("10.0.0.2:9001", kNow - 5),
                       entry("10.0.0.9:9001", kNow - 86400)};
  registry->reindex();
  s->registry = registry;
  s->summary.total_pnodes = 2;
  s->views = analysis::build_node_views(*s, {});
  return s;
}

TEST(ApiOverBuiltViews, ServesTheAnalysisScoresAndForms) {
  SnapshotHub hub(built_snapshot());
  ApiConfig config;
  config.clock = [] { return kNow + 10; };
  Api api(config, hub);
  auto r = api.handle(testing::make_request("/pnodes?status=all&sort_by=score"));
  ASSERT_EQ(r.status, 200);
  auto body = testing::body_json(r);
  EXPECT_EQ(body.at("summary").at("total_pnodes"), 3);
  EXPECT_EQ(body.at("summary").at("online_pnodes"), 2);
  EXPECT_EQ(body.at("summary").at("offline_pnodes"), 1);
  const auto& nodes = body.at("pnodes").as_array();
  ASSERT_EQ(nodes.size(), 3u);

  const auto& best = nodes[0].as_object();
  EXPECT_EQ(best.at("address"), "10.0.0.1:9001");
  EXPECT_EQ(best.at("peer_sources"), (json::array{"127.0.0.1:6000", "127.0.0.2:6000", "127.0.0.3:6000"}));
  const auto& stake = best.at("scores").at("stake_confidence").as_object();
  EXPECT_EQ(stake.at("rating"), best.at("tier"));
  EXPECT_EQ(stake.at("composite_score"), best.at("score"));
  EXPECT_TRUE(stake.contains("color"));
  EXPECT_TRUE(stake.contains("emoji"));
  EXPECT_TRUE(best.at("scores").at("trust").at("breakdown").at("version_compliance").is_int64());

  const auto& weak = nodes[1].as_object();
  EXPECT_EQ(weak.at("address"), "10.0.0.2:9001");
  EXPECT_LT(weak.at("score").as_double(), best.at("score").as_double());

  const auto& gone = nodes[2].as_object();
  EXPECT_EQ(gone.at("address"), "10.0.0.9:9001");
  EXPECT_EQ(gone.at("tier"), "offline");
  EXPECT_EQ(gone.at("offline_duration"), 86400);
  EXPECT_FALSE(gone.at("scores").at("stake_confidence").as_object().contains("color"));
}

}  // namespace
}  // namespace pnode::api
