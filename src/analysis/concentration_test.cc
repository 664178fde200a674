#include "analysis/concentration.h"

#include <gtest/gtest.h>

namespace pnode::analysis {
namespace {

PodPlace pod(std::string country, uint32_t asn, uint64_t storage = 0, std::string as_name = "") {
  return PodPlace{std::move(country), asn, std::move(as_name), storage};
}

TEST(Concentration, OneHolderWithEverythingHasAnIndexOfOneAndIsDominant) {
  auto c = measure_concentration({pod("DE", 24940, 10, "HETZNER"), pod("DE", 24940, 30, "HETZNER")});
  ASSERT_EQ(c.asns.holders.size(), 1u);
  EXPECT_DOUBLE_EQ(c.asns.pod_hhi, 1.0);
  EXPECT_DOUBLE_EQ(c.asns.storage_hhi, 1.0);
  EXPECT_EQ(c.asns.holders[0].key, "AS24940");
  EXPECT_EQ(c.asns.holders[0].name, "HETZNER");
  EXPECT_EQ(c.asns.holders[0].pods, 2u);
  EXPECT_EQ(c.asns.holders[0].storage, 40u);
  EXPECT_TRUE(c.asns.holders[0].dominant);
  EXPECT_DOUBLE_EQ(c.countries.pod_hhi, 1.0);
}

TEST(Concentration, EqualHoldersGiveOneOverN) {
  std::vector<PodPlace> pods;
  for (uint32_t asn = 1; asn <= 4; ++asn) pods.push_back(pod("C" + std::to_string(asn), asn, 100));
  auto c = measure_concentration(pods);
  EXPECT_DOUBLE_EQ(c.asns.pod_hhi, 0.25);
  EXPECT_DOUBLE_EQ(c.countries.storage_hhi, 0.25);
  for (const auto& h : c.asns.holders) {
    EXPECT_DOUBLE_EQ(h.pod_share, 0.25);
    EXPECT_FALSE(h.dominant);
  }
}

// Pods are few in one AS but hold most of the storage: dominance looks at both shares.
TEST(Concentration, AHolderDominatesByStorageAloneAndHoldersAreOrderedByPods) {
  auto c = measure_concentration({pod("US", 1, 1000), pod("FR", 2, 1), pod("FR", 2, 1), pod("DE", 3, 1)});
  ASSERT_EQ(c.asns.holders.size(), 3u);
  EXPECT_EQ(c.asns.holders[0].key, "AS2");
  EXPECT_TRUE(c.asns.holders[0].dominant) << "half the pods";
  const Holder& as1 = c.asns.holders[1];
  EXPECT_EQ(as1.key, "AS1");
  EXPECT_DOUBLE_EQ(as1.pod_share, 0.25);
  EXPECT_GT(as1.storage_share, 0.99);
  EXPECT_TRUE(as1.dominant);
  EXPECT_FALSE(c.asns.holders[2].dominant);
  EXPECT_DOUBLE_EQ(c.asns.pod_hhi, 0.25 * 0.25 + 0.5 * 0.5 + 0.25 * 0.25);
}

TEST(Concentration, LocalAndUnknownPodsAreCountedApartAndLeftOutOfTheShares) {
  auto c = measure_concentration({pod("", 0, 500), pod("", 0, 500), pod("NL", 1136, 10)});
  EXPECT_EQ(c.unlocated, 2u);
  EXPECT_EQ(c.located, 1u);
  ASSERT_EQ(c.countries.holders.size(), 1u);
  EXPECT_DOUBLE_EQ(c.countries.holders[0].pod_share, 1.0);
  EXPECT_DOUBLE_EQ(c.countries.holders[0].storage_share, 1.0);
}

TEST(Concentration, NoPodsOrNoStorageGivesZerosNotNaN) {
  auto empty = measure_concentration({});
  EXPECT_EQ(empty.located, 0u);
  EXPECT_DOUBLE_EQ(empty.asns.pod_hhi, 0.0);
  auto no_storage = measure_concentration({pod("DE", 1, 0), pod("FR", 2, 0)});
  EXPECT_DOUBLE_EQ(no_storage.asns.storage_hhi, 0.0);
  EXPECT_DOUBLE_EQ(no_storage.asns.pod_hhi, 0.5);
}

TEST(Concentration, TheLimitIsConfigurable) {
  const std::vector<PodPlace> pods = {pod("DE", 1, 1), pod("DE", 1, 1), pod("FR", 2, 1), pod("IT", 3, 1),
                                      pod("ES", 4, 1)};
  EXPECT_TRUE(measure_concentration(pods).asns.holders[0].dominant) << "40% is above a third";
  EXPECT_FALSE(measure_concentration(pods, ConcentrationLimits{.max_share = 0.5}).asns.holders[0].dominant);
}

}  // namespace
}  // namespace pnode::analysis
