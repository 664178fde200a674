// release_between_cycles: nothing a cycle kept for the next stays held.
#include "collect/between_cycles.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "prpc/parse.h"
#include "prpc/pod_storage.h"

namespace pnode::collect {
namespace {

TEST(BetweenCycles, TheListsStorageAndTheirParseBuffersAreFreed) {
  std::string body = "{\"pods\":[";
  for (int i = 0; i < 4000; ++i) {
    if (i) body += ',';
    body += "{\"address\":\"10.3." + std::to_string(i / 250) + "." + std::to_string(i % 250) +
            ":9001\",\"pubkey\":\"9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin\",\"version\":\"0.8.0\","
            "\"storage_committed\":340000000000,\"last_seen_timestamp\":1765000000,\"uptime\":86400}";
  }
  body += "]}";
  auto list = prpc::parse_pods(body);
  ASSERT_TRUE(list.ok()) << list.error().message;
  prpc::give_back_pod_storage(std::move(list->pods));
  ASSERT_EQ(prpc::held_pod_storage(), 1u);
  ASSERT_GT(prpc::shared_pods_parse_buffer_bytes(), 0u);

  release_between_cycles(nullptr);
  EXPECT_EQ(prpc::held_pod_storage(), 0u);
  EXPECT_EQ(prpc::shared_pods_parse_buffer_bytes(), 0u);
}

}  // namespace
}  // namespace pnode::collect
