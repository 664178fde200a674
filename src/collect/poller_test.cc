#include "collect/poller.h"

#include <gtest/gtest.h>

#include <mutex>
#include <set>

#include "collect/test_fake_node.h"
#include "http/client.h"

namespace pnode::collect {
namespace {

using testing::FakeNode;

// Each seed's answer reaches the hook once, from the seed's own poll, where the hook may
// take its pods (as the collector's merge does); a failed seed's answer comes too.
TEST(PollSeeds, EachSeedsAnswerReachesTheHookOnceAndTheHookMayTakeItsPods) {
  FakeNode nodes[3];
  nodes[0].set_pods({{"10.0.0.1:9001", 100}, {"10.0.0.2:9001", 100}});
  nodes[1].set_pods({{"10.0.0.3:9001", 100}});
  nodes[2].set_broken(true);
  http::Client http{2};
  prpc::Client rpc{http, prpc::ClientOptions{std::chrono::milliseconds(500), std::chrono::milliseconds(1000)}};
  std::vector<SeedTarget> seeds;
  for (int i = 0; i < 3; ++i) seeds.push_back({"s" + std::to_string(i), HostPort{"127.0.0.1", nodes[i].port()}});

  std::mutex mutex;
  std::multiset<size_t> called;
  std::map<size_t, size_t> pods_seen;
  auto answers = poll_seeds(rpc, seeds, std::chrono::seconds(5), [&](size_t i, SeedAnswer& answer) {
    std::lock_guard lock(mutex);
    called.insert(i);
    pods_seen[i] = answer.pods.pods.size();
    answer.pods.pods.clear();
  });
  EXPECT_EQ(called, (std::multiset<size_t>{0, 1, 2}));
  EXPECT_EQ(pods_seen[0], 2u);
  EXPECT_EQ(pods_seen[1], 1u);
  EXPECT_EQ(pods_seen[2], 0u);
  ASSERT_EQ(answers.size(), 3u);
  EXPECT_EQ(answers[0].poll.seed, "s0");
  EXPECT_EQ(answers[0].poll.pod_count, 2u) << "the poll keeps its count";
  EXPECT_TRUE(answers[0].pods.pods.empty()) << "what the hook took stays taken";
  EXPECT_FALSE(answers[2].poll.ok());
}

}  // namespace
}  // namespace pnode::collect
