// The cycle listener (pg_listener.h) against the binary's throwaway PostgreSQL: what a
// committed, a rolled-back and a fenced-out cycle write tell it, a connection the
// server kills, payloads it must refuse, and interrupt().
#include "store/postgres/pg_listener.h"

#include <gtest/gtest.h>

#include <string>
#include <thread>

#include "store/postgres/pg_conn.h"
#include "store/postgres/pg_statements.h"
#include "store/postgres/pg_test_cluster.h"
#include "store/store_backend_test_support.h"

namespace pnode::store::postgres {
namespace {

using namespace std::chrono_literals;
using testing_support::addresses;
using testing_support::make_cycle;
using Wake = CycleWatch::Wake;

constexpr int64_t kAt = 1765000800;

TEST(CycleNotice, ReadsBackWhatTheLeaderSends) {
  const CycleNotice notice{18446744073709551615u, 9223372036854775807};
  EXPECT_EQ(parse_cycle_notice(format_cycle_notice(notice)), notice);
  EXPECT_EQ(parse_cycle_notice("12:3"), (CycleNotice{12, 3}));
}

TEST(CycleNotice, RefusesPayloadsThatAreNotTwoIntegersWithinBounds) {
  for (const char* bad : {"", "12", "12:", ":3", "+12:3", "-12:3", "12:-3", " 12:3", "12:3 ", "12:3:4", "a:3",
                          "18446744073709551616:3", "12:9223372036854775808"})
    EXPECT_FALSE(parse_cycle_notice(bad)) << bad;
  // Well formed but longer than the bound: leading zeros make it so.
  std::string padded = std::string(kMaxNoticeBytes, '0') + "12:3";
  EXPECT_FALSE(parse_cycle_notice(padded));
  EXPECT_EQ(parse_cycle_notice(padded.substr(padded.size() - kMaxNoticeBytes)), (CycleNotice{12, 3}));
}

// A fresh database on the throwaway cluster (the store tests' fixture, PostgreSQL only).
class CycleListenerTest : public testing_support::StoreBackendTest {
 protected:
  void SetUp() override {
    StoreBackendTest::SetUp();
    if (IsSkipped()) return;
    store_ = open();
    ASSERT_NE(store_, nullptr);
  }

  // A listener that is listening (its first wait says kResumed).
  std::unique_ptr<CycleListener> listening() {
    auto listener = std::make_unique<CycleListener>(url(), ListenerOptions{.reconnect_initial = 50ms});
    auto first = listener->wait(10s);
    EXPECT_EQ(first.wake, Wake::kResumed) << first.error;
    return listener;
  }

  LeaseToken lease(const std::string& holder) {
    auto token = store_->try_acquire_lease(holder, 60s);
    EXPECT_TRUE(token.ok() && *token) << (token.ok() ? "lease held" : token.error().message);
    return token.ok() && *token ? **token : LeaseToken{};
  }

  Status write(uint64_t cycle, std::optional<LeaseToken> fence) {
    CycleWrite w = make_cycle(cycle, kAt + static_cast<int64_t>(cycle), addresses(3));
    w.fence = std::move(fence);
    return store_->write_cycle(w);
  }

  void notify(const std::string& payload) {
    auto conn = Connection::open(url());
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    ASSERT_TRUE(conn->run(kNotifyCycle, {payload}).ok());
  }

  std::unique_ptr<Store> store_;
};
INSTANTIATE_TEST_SUITE_P(Backends, CycleListenerTest, ::testing::Values(testing_support::Backend::kPostgres),
                         testing_support::backend_name);

TEST_P(CycleListenerTest, ACommittedFencedWriteIsHeardWithItsCycleAndEpoch) {
  auto listener = listening();
  const LeaseToken token = lease("a");
  ASSERT_TRUE(write(7, token).ok());
  auto heard = listener->wait(10s);
  ASSERT_EQ(heard.wake, Wake::kCycle) << heard.error;
  EXPECT_EQ(heard.notice, (CycleNotice{7, token.epoch}));
  EXPECT_EQ(listener->wait(100ms).wake, Wake::kTimeout) << "one notice per commit";
}

TEST_P(CycleListenerTest, ARolledBackOrFencedOutWriteIsNotHeard) {
  auto listener = listening();
  const LeaseToken old_token = lease("a");
  ASSERT_TRUE(store_->resign_lease(old_token).ok());
  const LeaseToken token = lease("b");
  Status fenced_out = write(50, old_token);
  ASSERT_FALSE(fenced_out.ok());
  EXPECT_EQ(fenced_out.error().code, ErrorCode::kNotLeader);
  // Fails after the notice was queued (a sample timestamp out of range): rolled back.
  CycleWrite bad = make_cycle(60, kAt, addresses(3));
  bad.nodes.front().timestamp = -1;
  bad.fence = token;
  ASSERT_FALSE(store_->write_cycle(bad).ok());
  ASSERT_TRUE(write(9, token).ok());
  // Had 50 or 60 been sent, they would have arrived first and be the newest heard.
  auto heard = listener->wait(10s);
  ASSERT_EQ(heard.wake, Wake::kCycle) << heard.error;
  EXPECT_EQ(heard.notice, (CycleNotice{9, token.epoch}));
  EXPECT_EQ(listener->wait(200ms).wake, Wake::kTimeout);
}

TEST_P(CycleListenerTest, SurvivesAConnectionTheServerKillsAndSaysItMayHaveMissedNotices) {
  auto listener = listening();
  EXPECT_EQ(listener->reconnects(), 0);
  auto admin = Connection::open(url());
  ASSERT_TRUE(admin.ok()) << admin.error().message;
  auto killed = admin->exec(
      "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
      "WHERE application_name = 'pnode-analytics listener' AND datname = current_database()");
  ASSERT_TRUE(killed.ok()) << killed.error().message;
  ASSERT_EQ(killed->int64(0, 0), 1);
  // kLost (maybe more than once while the server cleans up), then kResumed.
  CycleWatch::Event event;
  bool lost = false;
  for (int i = 0; i < 20 && event.wake != Wake::kResumed; ++i) {
    event = listener->wait(10s);
    lost = lost || event.wake == Wake::kLost;
  }
  EXPECT_TRUE(lost);
  ASSERT_EQ(event.wake, Wake::kResumed) << event.error;
  EXPECT_EQ(listener->reconnects(), 1);
  ASSERT_TRUE(write(3, std::nullopt).ok());
  auto heard = listener->wait(10s);
  ASSERT_EQ(heard.wake, Wake::kCycle) << heard.error;
  EXPECT_EQ(heard.notice, (CycleNotice{3, 0}));
}

TEST_P(CycleListenerTest, RefusesOversizeAndMalformedPayloadsAndListensOn) {
  auto listener = listening();
  notify(std::string(kMaxNoticeBytes, '0') + "99:1");  // a valid notice but for its length
  notify("99:x");
  notify("5:2");
  auto heard = listener->wait(10s);
  ASSERT_EQ(heard.wake, Wake::kCycle) << heard.error;
  EXPECT_EQ(heard.notice, (CycleNotice{5, 2}));
  EXPECT_EQ(listener->refused(), 2);
}

TEST_P(CycleListenerTest, InterruptEndsAWaitAtOnceWhetherListeningOrRetrying) {
  auto listener = listening();
  std::thread interrupter([&] {
    std::this_thread::sleep_for(50ms);
    listener->interrupt();
  });
  EXPECT_EQ(listener->wait(600s).wake, Wake::kInterrupted);
  interrupter.join();
  // A server that refuses connections: the retries wait out their backoff, interruptibly.
  CycleListener unreachable(PgTestCluster::shared().value()->url_of("nowhere"),
                            ListenerOptions{.reconnect_initial = 600s});
  auto lost = unreachable.wait(10s);
  EXPECT_EQ(lost.wake, Wake::kLost);
  EXPECT_NE(lost.error.find("nowhere"), std::string::npos) << lost.error;
  unreachable.interrupt();
  EXPECT_EQ(unreachable.wait(600s).wake, Wake::kInterrupted);
}

}  // namespace
}  // namespace pnode::store::postgres
