#include "analysis/operators.h"

#include <gtest/gtest.h>

#include <limits>
#include <string>

#include "analysis/test_nodes.h"

namespace pnode::analysis {
namespace {

using testing::offline_node;
using testing::online_node;

NodeView node(std::string address, std::string pubkey, bool online, std::string version, uint64_t committed,
              int64_t first_seen) {
  NodeView n = online ? online_node(address, 86400, 10, version, 3) : offline_node(address, 10);
  n.pubkey = std::move(pubkey);
  n.version = std::move(version);
  n.storage_committed = committed;
  n.storage_used = committed / 10;
  n.first_seen = first_seen;
  return n;
}

// Six nodes: operator P runs three (one offline), Q two, and one node has no pubkey.
std::vector<NodeView> operators_sample() {
  return {node("a:1", "P", true, "0.8.0", 1000, 500), node("b:1", "Q", true, "0.7.0", 200, 300),
          node("c:1", "P", false, "0.7.0", 10, 100), node("d:1", "", true, "0.8.0", 5, 900),
          node("e:1", "Q", true, "0.8.0", 1, 50), node("f:1", "P", true, "0.8.0", 100, 700)};
}

TEST(Operators, StorageTotalsSaturateInsteadOfWrapping) {
  std::vector<NodeView> nodes;
  for (int i = 0; i < 3; ++i)
    nodes.push_back(node("n" + std::to_string(i) + ":1", "P", true, "0.8.0", uint64_t{1} << 63, 1));
  OperatorReport r = group_operators(nodes, 1, 100);
  ASSERT_EQ(r.operators.size(), 1u);
  EXPECT_EQ(r.operators[0].total_storage_committed, std::numeric_limits<uint64_t>::max());  // not 2^63 after a wrap
}

TEST(Operators, GroupsByPubkeyWithAddressFallback) {
  auto nodes = operators_sample();
  OperatorReport r = group_operators(nodes, 1, 100);
  ASSERT_EQ(r.operators.size(), 3u);
  const Operator& p = r.operators[0];
  EXPECT_EQ(p.pubkey, "P");
  EXPECT_EQ(p.node_count, 3);
  EXPECT_EQ(p.online_nodes, 2);
  EXPECT_EQ(p.total_storage_committed, 1110u);  // 1000 + 10 + 100
  EXPECT_EQ(p.total_storage_used, 111u);        // 100 + 1 + 10
  EXPECT_EQ(p.addresses, (std::vector<std::string>{"a:1", "c:1", "f:1"}));
  EXPECT_EQ(p.versions, (std::vector<std::string>{"0.7.0", "0.8.0"}));
  EXPECT_EQ(p.first_seen, 100);
  EXPECT_EQ(r.operators[1].pubkey, "Q");
  EXPECT_EQ(r.operators[1].first_seen, 50);
  EXPECT_EQ(r.operators[2].pubkey, "d:1");  // no pubkey: grouped under its address
  // 3 operators, 6 nodes: avg 2.0; largest 3/6 = 50 %; decentralisation 50.
  EXPECT_EQ(r.summary.total_operators, 3);
  EXPECT_EQ(r.summary.total_nodes, 6);
  EXPECT_DOUBLE_EQ(r.summary.avg_nodes_per_operator, 2.0);
  EXPECT_DOUBLE_EQ(r.summary.largest_operator_share_percent, 50.0);
  EXPECT_DOUBLE_EQ(r.summary.decentralization_score, 50.0);
}

TEST(Operators, MinNodesFiltersBeforeSummaryAndLimitAfter) {
  auto nodes = operators_sample();
  // min_nodes 2 keeps P (3) and Q (2): avg 2.5, share 3/5 = 60 %, score 40.
  OperatorReport r = group_operators(nodes, 2, 1);
  EXPECT_EQ(r.summary.total_operators, 2);
  EXPECT_EQ(r.summary.total_nodes, 5);
  EXPECT_DOUBLE_EQ(r.summary.avg_nodes_per_operator, 2.5);
  EXPECT_DOUBLE_EQ(r.summary.largest_operator_share_percent, 60.0);
  EXPECT_DOUBLE_EQ(r.summary.decentralization_score, 40.0);
  ASSERT_EQ(r.operators.size(), 1u);  // limit 1
  EXPECT_EQ(r.operators[0].pubkey, "P");
}

TEST(Operators, SharesRoundToTwoDecimals) {
  // One operator with 1 node among 3 single-node operators: share 1/3 = 33.33 %, score 66.67.
  std::vector<NodeView> nodes{node("a:1", "A", true, "0.8.0", 0, 1), node("b:1", "B", true, "0.8.0", 0, 1),
                              node("c:1", "C", true, "0.8.0", 0, 1)};
  OperatorReport r = group_operators(nodes, 1, 100);
  EXPECT_DOUBLE_EQ(r.summary.largest_operator_share_percent, 33.33);
  EXPECT_DOUBLE_EQ(r.summary.decentralization_score, 66.67);
  EXPECT_DOUBLE_EQ(r.summary.avg_nodes_per_operator, 1.0);
  // Ties keep first-appearance order.
  EXPECT_EQ(r.operators[0].pubkey, "A");
  EXPECT_EQ(r.operators[2].pubkey, "C");
}

TEST(Operators, NoneLeft) {
  OperatorReport r = group_operators({}, 1, 100);
  EXPECT_EQ(r.summary.total_operators, 0);
  EXPECT_EQ(r.summary.total_nodes, 0);
  EXPECT_DOUBLE_EQ(r.summary.avg_nodes_per_operator, 0);
  EXPECT_DOUBLE_EQ(r.summary.decentralization_score, 100);
  auto nodes = operators_sample();
  EXPECT_TRUE(group_operators(nodes, 4, 100).operators.empty());
}

}  // namespace
}  // namespace pnode::analysis
