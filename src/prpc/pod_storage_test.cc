#include "prpc/pod_storage.h"

#include <gtest/gtest.h>

#include <string>

#include "prpc/parse.h"

namespace pnode::prpc {
namespace {

std::vector<model::Pod> storage_for(size_t pods) {
  std::vector<model::Pod> v;
  v.reserve(pods);
  v.emplace_back();
  return v;
}

TEST(PodStorage, AGivenBackVectorFillsTheNextLargeListOfItsSize) {
  release_pod_storage();
  EXPECT_TRUE(take_pod_storage(2000).capacity() == 0) << "nothing held yet";
  give_back_pod_storage(storage_for(5000));
  ASSERT_EQ(held_pod_storage(), 1u);
  EXPECT_EQ(take_pod_storage(100).capacity(), 0u) << "a small list allocates its own";
  EXPECT_EQ(take_pod_storage(5001).capacity(), 0u) << "too small for it";
  EXPECT_EQ(take_pod_storage(2000).capacity(), 0u) << "more than twice what it needs";
  std::vector<model::Pod> taken = take_pod_storage(3000);
  EXPECT_GE(taken.capacity(), 3000u);
  EXPECT_EQ(taken.size(), 1u) << "its pods stay, for the parser to recycle";
  EXPECT_EQ(held_pod_storage(), 0u);
}

TEST(PodStorage, HoldsAtMostTwoAndReleasesThemAll) {
  release_pod_storage();
  for (int i = 0; i < 3; ++i) give_back_pod_storage(storage_for(2000));
  EXPECT_EQ(held_pod_storage(), 2u);
  give_back_pod_storage(storage_for(10));
  EXPECT_EQ(held_pod_storage(), 2u) << "a small vector is not kept";
  release_pod_storage();
  EXPECT_EQ(held_pod_storage(), 0u);
}

TEST(PodStorage, TheParserFillsTheStorageGivenBack) {
  release_pod_storage();
  std::string body = "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"pods\":[";
  for (int i = 0; i < 2000; ++i) {
    if (i) body += ',';
    // A row as nodes send it (~200 bytes): the parser sizes a list from its body.
    body += "{\"address\":\"10.0." + std::to_string(i / 250) + "." + std::to_string(i % 250) +
            ":9001\",\"is_public\":true,\"last_seen_timestamp\":1765000000,"
            "\"pubkey\":\"9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin\",\"rpc_port\":6000,"
            "\"storage_committed\":340000000000,\"uptime\":86400,\"version\":\"0.8.0\"}";
  }
  body += "],\"total_count\":2000}}";
  auto first = parse_pods(body);
  ASSERT_TRUE(first.ok()) << first.error().message;
  const model::Pod* storage = first->pods.data();
  give_back_pod_storage(std::move(first->pods));
  auto second = parse_pods(body);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->pods.data(), storage);
  EXPECT_EQ(second->pods.size(), 2000u);
  EXPECT_EQ(second->pods[1999].address, "10.0.7.249:9001");
  release_pod_storage();
}

// A list parsed into storage an earlier list gave back recycles that list's pods: each row
// reads as parsed afresh (no value of the earlier row survives where the new row has none),
// and the new list is exactly as long as its rows.
TEST(PodStorage, RecycledPodsKeepNothingOfTheEarlierList) {
  release_pod_storage();
  auto body_of = [](int rows, bool full) {
    std::string body = "{\"pods\":[";
    for (int i = 0; i < rows; ++i) {
      if (i) body += ',';
      body += "{\"address\":\"10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":9001\"";
      if (full) {
        body += ",\"pubkey\":\"9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin\",\"is_public\":true,"
                "\"last_seen_timestamp\":1765000000,\"rpc_port\":6000,\"storage_committed\":340000000000,"
                "\"storage_used\":1000,\"storage_usage_percent\":1.5,\"uptime\":86400,\"version\":\"0.8.0\","
                "\"last_seen\":\"2025-12-06 10:00:00 UTC\"";
      } else {
        body += std::string(300, ' ');  // as long a row, so the list is sized alike
      }
      body += '}';
    }
    return body + "]}";
  };
  auto full = parse_pods(body_of(3000, true));
  ASSERT_TRUE(full.ok()) << full.error().message;
  ASSERT_EQ(full->pods.size(), 3000u);
  give_back_pod_storage(std::move(full->pods));

  auto bare = parse_pods(body_of(2000, false));
  ASSERT_TRUE(bare.ok()) << bare.error().message;
  ASSERT_EQ(bare->pods.size(), 2000u) << "the earlier list's extra pods are gone";
  for (size_t i = 0; i < bare->pods.size(); ++i) {
    model::Pod expected;
    expected.address = "10.1." + std::to_string(i / 250) + "." + std::to_string(i % 250) + ":9001";
    ASSERT_EQ(bare->pods[i], expected) << "row " << i;
  }
  give_back_pod_storage(std::move(bare->pods));

  auto again = parse_pods(body_of(3000, true));
  ASSERT_TRUE(again.ok());
  ASSERT_EQ(again->pods.size(), 3000u);
  EXPECT_EQ(again->pods[2999].pubkey, "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin");
  EXPECT_EQ(again->pods[2999].last_seen, "2025-12-06 10:00:00 UTC");
  release_pod_storage();
}

}  // namespace
}  // namespace pnode::prpc
