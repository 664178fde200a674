#include "sim/address_map.h"

#include <gtest/gtest.h>

#include "sim/capture.h"
#include "sim/sim_test_util.h"
#include "util/loopback.h"

namespace pnode::sim {
namespace {

TEST(AddressRewrite, IndexMapsToLoopbackCountingFrom127_1_0_1) {
  EXPECT_EQ(format_ipv4(loopback_ip_for_index(0)), "127.1.0.1");
  EXPECT_EQ(format_ipv4(loopback_ip_for_index(1)), "127.1.0.2");
  EXPECT_EQ(format_ipv4(loopback_ip_for_index(254)), "127.1.0.255");
  EXPECT_EQ(format_ipv4(loopback_ip_for_index(255)), "127.1.1.0");
  EXPECT_EQ(format_ipv4(loopback_ip_for_index(99999)), "127.2.134.160");
  EXPECT_EQ(format_ipv4(loopback_ip_for_index(kMaxLoopbackIndex)), "127.255.255.255");
}

TEST(AddressRewrite, MapAssignsIndicesInOrderOfFirstAppearance) {
  AddressMap map;
  EXPECT_EQ(map.index_of("10.0.0.9"), 0u);
  EXPECT_EQ(map.index_of("10.0.0.1"), 1u);
  EXPECT_EQ(map.index_of("10.0.0.9"), 0u);
  EXPECT_EQ(map.find("10.0.0.1"), 1u);
  EXPECT_FALSE(map.find("10.0.0.2"));
  EXPECT_EQ(map.size(), 2u);
}

TEST(AddressRewrite, SplitsAddressAtTheLastColon) {
  auto a = split_address("173.212.207.32:9001");
  ASSERT_TRUE(a);
  EXPECT_EQ(a->host, "173.212.207.32");
  EXPECT_EQ(a->port, 9001);
  EXPECT_FALSE(split_address("173.212.207.32"));
  EXPECT_FALSE(split_address("1.2.3.4:70000"));
  EXPECT_FALSE(split_address("1.2.3.4:x"));
}

TEST(AddressRewrite, FirstRowsOfThe1217CaptureGetTheFirstLoopbackAddresses) {
  auto pods = load_capture_file(testing::kCompactCapture);
  ASSERT_TRUE(pods) << pods.error().message;
  AddressMap map;
  Generation gen = specs_from_capture(*pods, map);
  ASSERT_EQ(gen.size(), 204u);
  // The capture starts with 173.212.207.32:9001, 161.97.181.230:9001, 173.249.5.111:9001.
  EXPECT_EQ(format_endpoint(gen[0].ip, gen[0].port), "127.1.0.1:9001");
  EXPECT_EQ(format_endpoint(gen[1].ip, gen[1].port), "127.1.0.2:9001");
  EXPECT_EQ(format_endpoint(gen[2].ip, gen[2].port), "127.1.0.3:9001");
  EXPECT_EQ(map.find("173.212.207.32"), 0u);
  EXPECT_EQ(map.find("161.97.181.230"), 1u);

  // Every row, including 127.0.0.1:9015 (TestPubkey14) and the 192.168/100.64 rows,
  // follows the rule computed independently from the file.
  auto expected = testing::expected_rewrite(testing::kCompactCapture);
  size_t checked = 0;
  for (size_t i = 0; i < gen.size(); ++i) {
    EXPECT_EQ(format_endpoint(gen[i].ip, gen[i].port), expected.at((*pods)[i].address)) << (*pods)[i].address;
    ++checked;
  }
  EXPECT_EQ(checked, 204u);
  EXPECT_TRUE(expected.count("127.0.0.1:9015"));
  EXPECT_NE(expected.at("127.0.0.1:9015"), "127.0.0.1:9015");
  EXPECT_TRUE(expected.at("127.0.0.1:9015").ends_with(":9015"));
}

TEST(AddressRewrite, LaterCapturesKeepTheAddressesOfKnownIps) {
  auto first = load_capture_file(testing::kCompactCapture);
  auto second = load_capture_file(testing::kPrettyCapture);
  ASSERT_TRUE(first && second);
  AddressMap map;
  Generation a = specs_from_capture(*first, map);
  size_t known = map.size();
  Generation b = specs_from_capture(*second, map);
  EXPECT_GT(map.size(), known);  // the 12-16 capture has IPs the 12-17 one lacks
  for (const auto& spec : b) {
    for (const auto& earlier : a) {
      if (earlier.node_id == spec.node_id) {
        EXPECT_EQ(earlier.ip, spec.ip);
      }
    }
  }
  EXPECT_EQ(b.size(), 198u);
}

}  // namespace
}  // namespace pnode::sim
