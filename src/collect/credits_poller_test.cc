// CreditsPoller with a scripted fetch: lists read and judged, a failing source keeping its
// last good list with its age and error, an unset source never read.
#include "collect/credits_poller.h"

#include <gtest/gtest.h>

#include <map>
#include <thread>

namespace pnode::collect {
namespace {

const std::string kMainnetUrl = "http://127.0.0.1:1/credits/mainnet";
const std::string kDevnetUrl = "http://127.0.0.1:1/credits/devnet";

// A 40-character base58 pubkey per i (no 0, O, I or l).
std::string key(int i) {
  std::string k = "Pod";
  for (int n = i + 1; n > 0; n /= 9) k += static_cast<char>('1' + n % 9);
  return k + std::string(40 - k.size(), 'z');
}

std::string list_body(int first, int count, double credits_step) {
  std::string body = "{\"pods_credits\":[";
  for (int i = 0; i < count; ++i) {
    if (i) body += ",";
    body += "{\"credits\":" + std::to_string((i + 1) * credits_step) + ",\"pod_id\":\"" + key(first + i) + "\"}";
  }
  return body + "],\"status\":\"success\"}";
}

struct ScriptedSources {
  std::map<std::string, Result<std::string>> answers;
  int calls = 0;
  CreditsPoller::Fetch fetch() {
    return [this](const std::string& url) -> Result<std::string> {
      ++calls;
      auto it = answers.find(url);
      if (it == answers.end()) return make_error(ErrorCode::kRefused, "nothing listens");
      return it->second;
    };
  }
};

TEST(CreditsPoller, ReadsBothListsAndJudgesThemAsTheRuleSays) {
  ScriptedSources sources;
  sources.answers.emplace(kMainnetUrl, list_body(0, 20, 10));  // 10, 20, ..., 200
  sources.answers.emplace(kDevnetUrl, list_body(100, 5, 1));
  int64_t now = 5000;
  CreditsPoller poller({kMainnetUrl, kDevnetUrl}, sources.fetch(), {}, [&now] { return now; });
  EXPECT_EQ(poller.current()->mainnet.fetched_at, 0) << "nothing read before the first poll";
  poller.poll_once();
  auto state = poller.current();
  EXPECT_EQ(state->mainnet.pods.size(), 20u);
  EXPECT_EQ(state->devnet.pods.size(), 5u);
  EXPECT_EQ(state->mainnet.fetched_at, 5000);
  // p95 by nearest rank of 20 values is the 19th: 190; 80 % of it is 152.
  EXPECT_DOUBLE_EQ(state->view.mainnet.percentile_value, 190);
  EXPECT_DOUBLE_EQ(state->view.mainnet.threshold, 152);
  EXPECT_EQ(state->view.mainnet.eligible, 5u) << "160 to 200";
  EXPECT_TRUE(state->view.by_pubkey.at(key(19)).eligible);
  EXPECT_FALSE(state->view.by_pubkey.at(key(0)).eligible);
  EXPECT_EQ(state->view.by_pubkey.at(key(100)).network, analysis::CreditNetwork::kDevnet);
}

TEST(CreditsPoller, AFailingSourceKeepsItsLastGoodListAndSaysWhenAndWhy) {
  ScriptedSources sources;
  sources.answers.emplace(kMainnetUrl, list_body(0, 3, 10));
  int64_t now = 1000;
  CreditsPoller poller({kMainnetUrl, ""}, sources.fetch(), {}, [&now] { return now; });
  poller.poll_once();
  sources.answers.erase(kMainnetUrl);
  sources.answers.emplace(kMainnetUrl, Result<std::string>(std::string("<html>not json</html>")));
  now = 1300;
  poller.poll_once();
  auto state = poller.current();
  EXPECT_EQ(state->mainnet.pods.size(), 3u) << "the last good list stays";
  EXPECT_EQ(state->mainnet.fetched_at, 1000);
  EXPECT_EQ(state->mainnet.attempted_at, 1300);
  EXPECT_FALSE(state->mainnet.error.empty());
  EXPECT_EQ(state->view.by_pubkey.size(), 3u);
  EXPECT_FALSE(state->devnet.configured);
  EXPECT_EQ(state->devnet.attempted_at, 0) << "an unset source is never read";
  EXPECT_EQ(sources.calls, 2);
}

TEST(CreditsPoller, RunPollsAtOnceAndStopsWhenAsked) {
  ScriptedSources sources;
  sources.answers.emplace(kMainnetUrl, list_body(0, 2, 1));
  CreditsPoller poller({kMainnetUrl, ""}, sources.fetch(), {}, [] { return int64_t{7}; });
  std::thread runner([&poller] { poller.run(std::chrono::hours(1)); });
  while (poller.current()->mainnet.fetched_at == 0) std::this_thread::yield();
  poller.stop();
  runner.join();  // returns although the interval is an hour
  EXPECT_EQ(poller.current()->mainnet.pods.size(), 2u);
}

}  // namespace
}  // namespace pnode::collect
