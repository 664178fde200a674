#include "sim/synthetic.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "sim/address_map.h"
#include "util/loopback.h"

namespace pnode::sim {
namespace {

TEST(Synthetic, TenThousandPodsHaveRealisticDistributions) {
  const size_t n = 10000;
  Generation gen = generate_synthetic_network(n, 7);
  ASSERT_EQ(gen.size(), n);
  size_t is_public = 0, other_port = 0, all_null = 0, test_rows = 0, v080 = 0, v07 = 0, trynet = 0, v06 = 0;
  size_t fresh = 0, under_hour = 0;
  std::map<std::string, int> per_key;
  std::vector<uint64_t> uptimes;
  std::set<uint32_t> ips;
  for (size_t k = 0; k < n; ++k) {
    const NodeSpec& s = gen[k];
    EXPECT_EQ(s.ip, loopback_ip_for_index(k));
    ips.insert(s.ip);
    is_public += s.is_public == true;
    other_port += s.port != 9001;
    if (!s.pubkey && !s.is_public && !s.rpc_port && !s.storage_committed && !s.storage_used && !s.uptime) {
      ++all_null;
      EXPECT_EQ(s.version, "unknown");
      continue;
    }
    if (s.pubkey == "TestPubkey14") {
      ++test_rows;
      EXPECT_EQ(s.port, 9015);
      EXPECT_EQ(s.storage_used, 5000000000ULL);
    } else {
      ASSERT_TRUE(s.pubkey);
      EXPECT_EQ(s.pubkey->size(), 44u);
      ++per_key[*s.pubkey];
    }
    v080 += s.version == "0.8.0";
    v07 += s.version.starts_with("0.7.");
    trynet += s.version.find("trynet") != std::string::npos;
    v06 += s.version == "0.6.0";
    if (s.version == "0.6.0") {
      EXPECT_FALSE(*s.is_public);
    }
    fresh += s.age && *s.age <= kFreshAgeSeconds;
    EXPECT_LE(*s.age, kMaxAgeSeconds);
    uptimes.push_back(*s.uptime);
    under_hour += *s.uptime < 3600;
    EXPECT_LE(*s.storage_used, *s.storage_committed);
  }
  EXPECT_EQ(ips.size(), n);  // one row per IP
  EXPECT_EQ(all_null, 1u);
  EXPECT_EQ(test_rows, 1u);
  EXPECT_NEAR(is_public / double(n), 0.26, 0.03);
  EXPECT_NEAR(other_port / double(n), 0.12, 0.03);
  EXPECT_GT(v080, n / 2);
  EXPECT_GT(v07, n / 20);
  EXPECT_GT(trynet, n / 50);
  EXPECT_GT(v06, 0u);
  EXPECT_NEAR(fresh / double(n), 0.82, 0.04);
  EXPECT_NEAR(under_hour / double(n), 0.11, 0.04);
  std::nth_element(uptimes.begin(), uptimes.begin() + uptimes.size() / 2, uptimes.end());
  double median_days = uptimes[uptimes.size() / 2] / 86400.0;
  EXPECT_GT(median_days, 1.5);
  EXPECT_LT(median_days, 10.0);
  int shared = 0, max_per_key = 0;
  for (const auto& [key, count] : per_key) {
    shared += count > 1;
    max_per_key = std::max(max_per_key, count);
  }
  EXPECT_GT(shared, 50);
  EXPECT_EQ(max_per_key, 15);
}

// The probe benchmark asks for the "about a third public"; the default keeps the
// captures' share (tested above).
TEST(Synthetic, PublicShareCanBeChosen) {
  for (int percent : {0, 34, 100}) {
    Generation gen = generate_synthetic_network(5000, 7, percent);
    size_t is_public = 0;
    for (const NodeSpec& s : gen) is_public += s.is_public == true;
    // The all-null row is never public whatever the share.
    EXPECT_NEAR(is_public / 5000.0, percent / 100.0, 0.02) << percent;
  }
}

TEST(Synthetic, SameSeedSameNetworkOtherSeedOtherNetwork) {
  Generation a = generate_synthetic_network(500, 1);
  Generation b = generate_synthetic_network(500, 1);
  Generation c = generate_synthetic_network(500, 2);
  size_t same_ab = 0, same_ac = 0;
  for (size_t k = 0; k < 500; ++k) {
    same_ab += a[k].pubkey == b[k].pubkey && a[k].uptime == b[k].uptime && a[k].port == b[k].port;
    same_ac += a[k].pubkey == c[k].pubkey && a[k].uptime == c[k].uptime;
  }
  EXPECT_EQ(same_ab, 500u);
  EXPECT_LT(same_ac, 10u);
}

}  // namespace
}  // namespace pnode::sim
