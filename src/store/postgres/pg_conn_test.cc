// The connection layer on a real server (the binary's throwaway cluster): COPY rows that
// need escaping, and reconnection with backoff after the server ends the session and
// refuses new ones for a while. The backoff runs on a clock the test drives: attempts
// are counted, nothing is timed.
#include "store/postgres/pg_conn.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "store/postgres/pg_test_cluster.h"
#include "store/postgres/postgres_store.h"
#include "store/store_test_support.h"

namespace pnode::store::postgres {
namespace {

using std::chrono::milliseconds;
using TimePoint = std::chrono::steady_clock::time_point;

class PgConnTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto cluster = PgTestCluster::shared();
    if (!cluster) GTEST_SKIP() << "no PostgreSQL for this test: " << cluster.error().message;
    cluster_ = *cluster;
    auto url = cluster_->create_database();
    ASSERT_TRUE(url.ok()) << url.error().message;
    url_ = *url;
    database_ = url_.substr(url_.rfind('/') + 1);
  }

  // A statement on the cluster's maintenance database (it stays reachable while the
  // test's database refuses connections).
  void admin(const std::string& sql) {
    auto conn = Connection::open(cluster_->url_of("postgres"));
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    auto st = conn->run(sql);
    ASSERT_TRUE(st.ok()) << st.error().message;
  }

  // As a server going away looks to its clients: the sessions end, new ones are refused.
  void take_database_away() {
    admin("ALTER DATABASE " + database_ + " ALLOW_CONNECTIONS false");
    end_sessions();
  }
  void bring_database_back() { admin("ALTER DATABASE " + database_ + " ALLOW_CONNECTIONS true"); }

  // Ends every session on the test's database and waits until they are gone (the
  // termination is a signal the server handles asynchronously).
  void end_sessions() {
    auto conn = Connection::open(cluster_->url_of("postgres"));
    ASSERT_TRUE(conn.ok()) << conn.error().message;
    ASSERT_TRUE(conn->run("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1::text",
                          {database_})
                    .ok());
    for (int i = 0; i < 1000; ++i) {
      auto left = conn->exec("SELECT count(*) FROM pg_stat_activity WHERE datname = $1::text", {database_});
      ASSERT_TRUE(left.ok()) << left.error().message;
      if (left->int64(0, 0) == 0) return;
      ::usleep(10000);
    }
    FAIL() << "the sessions of " << database_ << " did not end";
  }

  PgTestCluster* cluster_ = nullptr;
  std::string url_, database_;
};

// Addresses come from the network: an array literal must carry any of them unchanged.
TEST_F(PgConnTest, ATextArrayCarriesQuotesBackslashesCommasAndBraces) {
  auto conn = Connection::open(url_);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  const std::vector<std::string> values = {"1.2.3.4:9001", "a\"b", "c\\d", "e,f", "{g}", "", "NULL", " h "};
  auto read = conn->exec("SELECT v FROM unnest($1::text[]) WITH ORDINALITY u(v, i) ORDER BY i", {text_array_param(values)});
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->rows(), static_cast<int>(values.size()));
  for (int i = 0; i < read->rows(); ++i) {
    EXPECT_FALSE(read->is_null(i, 0)) << values[static_cast<size_t>(i)];
    EXPECT_EQ(read->string(i, 0), values[static_cast<size_t>(i)]);
  }
}

// Binary COPY rows (a cycle's node samples) arrive as written, bytes of any value included.
TEST_F(PgConnTest, BinaryCopyRowsArriveAsWritten) {
  auto conn = Connection::open(url_);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  ASSERT_TRUE(conn->run("CREATE TABLE t (a bigint, b bigint, body bytea)").ok());
  const std::string bytes("\x00\x5c\x09\xff\n", 5);
  BinaryCopyRows rows;
  rows.begin_row(3);
  rows.int64_field(-2);
  rows.int64_field(int64_t{1} << 40);
  rows.bytes_field(bytes);
  ASSERT_TRUE(conn->copy_in("COPY t (a, b, body) FROM STDIN (FORMAT binary)", rows.finish()).ok());
  auto read = conn->exec("SELECT a, b, body FROM t");
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->rows(), 1);
  EXPECT_EQ(read->int64(0, 0), -2);
  EXPECT_EQ(read->int64(0, 1), int64_t{1} << 40);
  EXPECT_EQ(read->bytea(0, 2), bytes);
}

TEST_F(PgConnTest, CopyCarriesNullsAndEveryCharacterTheTextFormatEscapes) {
  auto conn = Connection::open(url_);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  ASSERT_TRUE(conn->run("CREATE TABLE t (id bigint PRIMARY KEY, s text, b bytea)").ok());
  const std::string awkward = "tab\there\nnew\\line\rcr \\N end";
  const std::string bytes("\x00\x5c\x09\xff", 4);
  std::vector<Params> rows = {{int_param(1), awkward, bytea_param(bytes)}, {int_param(2), std::nullopt, std::nullopt}};
  ASSERT_TRUE(conn->run("BEGIN").ok());
  auto st = copy_upsert(*conn, "copy_t", "id bigint, s text, b bytea", rows,
                        "INSERT INTO t SELECT id, s, b FROM copy_t ON CONFLICT (id) DO UPDATE SET s = excluded.s");
  ASSERT_TRUE(st.ok()) << st.error().message;
  ASSERT_TRUE(conn->run("COMMIT").ok());
  auto read = conn->exec("SELECT s, b, s IS NULL, b IS NULL FROM t ORDER BY id");
  ASSERT_TRUE(read.ok()) << read.error().message;
  ASSERT_EQ(read->rows(), 2);
  EXPECT_EQ(read->string(0, 0), awkward);
  EXPECT_EQ(read->bytea(0, 1), bytes);
  EXPECT_TRUE(read->boolean(1, 2));
  EXPECT_TRUE(read->boolean(1, 3));
  // The temporary table emptied at commit: a second upsert sees only its own rows.
  ASSERT_TRUE(conn->run("BEGIN").ok());
  ASSERT_TRUE(copy_upsert(*conn, "copy_t", "id bigint, s text, b bytea", {{int_param(1), "again", std::nullopt}},
                          "INSERT INTO t SELECT id, s, b FROM copy_t ON CONFLICT (id) DO UPDATE SET s = excluded.s")
                  .ok());
  ASSERT_TRUE(conn->run("COMMIT").ok());
  EXPECT_EQ(conn->exec("SELECT count(*) FROM t WHERE s = 'again'")->int64(0, 0), 1);
}

TEST_F(PgConnTest, ACopyTheServerRejectsIsAnErrorAndTheConnectionStaysUsable) {
  auto conn = Connection::open(url_);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  ASSERT_TRUE(conn->run("BEGIN").ok());
  auto st = copy_upsert(*conn, "copy_n", "n bigint", {{std::string("not a number")}}, "SELECT 1");
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("not a number"), std::string::npos) << st.error().message;
  ASSERT_TRUE(conn->run("ROLLBACK").ok());
  EXPECT_TRUE(conn->run("SELECT 1").ok());
}

// The server ends the session and refuses new ones: the first call fails with the loss,
// the next reconnects at once, and after each failed attempt the calls fail without
// asking the server until the wait (100 ms, doubling to 5 s) has passed. Once the server
// takes connections again, the next attempt succeeds and the wait starts over.
TEST_F(PgConnTest, ReconnectionAttemptsBackOffExponentiallyAndCallsBetweenFailAtOnce) {
  auto conn = Connection::open(url_);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  auto now = std::make_shared<TimePoint>();
  conn->set_clock([now] { return *now; });
  take_database_away();

  auto lost = conn->run("SELECT 1");
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.error().code, ErrorCode::kIoError) << lost.error().message;
  EXPECT_EQ(conn->reconnect_attempts(), 0);

  const std::vector<milliseconds> waits = {milliseconds(0),    milliseconds(100),  milliseconds(200),
                                           milliseconds(400),  milliseconds(800),  milliseconds(1600),
                                           milliseconds(3200), milliseconds(5000), milliseconds(5000)};
  int attempts = 0;
  for (auto wait : waits) {
    if (wait > milliseconds(0)) {
      *now += wait - milliseconds(1);
      auto early = conn->run("SELECT 1");
      ASSERT_FALSE(early.ok());
      EXPECT_EQ(early.error().code, ErrorCode::kIoError);
      EXPECT_NE(early.error().message.find("next reconnection attempt in 1 ms"), std::string::npos)
          << early.error().message;
      ASSERT_EQ(conn->reconnect_attempts(), attempts) << "an attempt before the wait of " << wait.count() << " ms";
      *now += milliseconds(1);
    }
    auto refused = conn->run("SELECT 1");
    ASSERT_FALSE(refused.ok());
    EXPECT_EQ(refused.error().code, ErrorCode::kIoError) << refused.error().message;
    ASSERT_EQ(conn->reconnect_attempts(), ++attempts) << "no attempt after the wait of " << wait.count() << " ms";
  }

  bring_database_back();
  EXPECT_FALSE(conn->run("SELECT 1").ok());  // still within the wait: the server is not asked
  EXPECT_EQ(conn->reconnect_attempts(), attempts);
  *now += milliseconds(5000);
  auto back = conn->exec("SELECT current_setting('TimeZone')");
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(back->string(0, 0), "UTC");  // the new session is configured as the first was
  EXPECT_EQ(conn->reconnect_attempts(), ++attempts);

  // A success resets the wait: the next loss is retried at once, then after 100 ms.
  take_database_away();
  EXPECT_FALSE(conn->run("SELECT 1").ok());
  EXPECT_FALSE(conn->run("SELECT 1").ok());
  EXPECT_EQ(conn->reconnect_attempts(), ++attempts);
  bring_database_back();
  *now += milliseconds(100);
  EXPECT_TRUE(conn->run("SELECT 1").ok());
  EXPECT_EQ(conn->reconnect_attempts(), ++attempts);
}

// A transaction whose connection was lost does not reconnect just to roll back.
TEST_F(PgConnTest, ALostTransactionIsNotRolledBackOnANewSession) {
  auto conn = Connection::open(url_);
  ASSERT_TRUE(conn.ok()) << conn.error().message;
  auto now = std::make_shared<TimePoint>();
  conn->set_clock([now] { return *now; });
  {
    auto tx = Transaction::begin(*conn);
    ASSERT_TRUE(tx.ok()) << tx.error().message;
    end_sessions();
    EXPECT_FALSE(conn->run("SELECT 1").ok());
  }
  EXPECT_EQ(conn->reconnect_attempts(), 0);
  EXPECT_TRUE(conn->run("SELECT 1").ok());
  EXPECT_EQ(conn->reconnect_attempts(), 1);
}

// The same through the store: while its server is away a cycle fails as a value (the
// collector logs it and the API keeps its last snapshot), calls within the backoff do not
// reach the server, and the first cycle after it is back is written.
TEST_F(PgConnTest, AStoreWhoseServerIsAwayFailsItsCallsAndWritesAgainOnceItIsBack) {
  using testing_support::addresses;
  using testing_support::make_cycle;
  auto now = std::make_shared<TimePoint>();
  auto opened = open_postgres_store(url_, PostgresOptions{[now] { return *now; }});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Store& store = **opened;
  ASSERT_TRUE(store.write_cycle(make_cycle(1, 1000, addresses(3))).ok());
  take_database_away();
  for (uint64_t cycle : {2, 3}) {  // the loss, then a refused reconnection
    auto st = store.write_cycle(make_cycle(cycle, 1000 + static_cast<int64_t>(cycle) * 60, addresses(3)));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, ErrorCode::kIoError) << st.error().message;
  }
  EXPECT_FALSE(store.latest_cycle().ok());
  EXPECT_FALSE(store.node_history(addresses(1)[0], 0, 5000).ok());
  bring_database_back();
  auto early = store.write_cycle(make_cycle(4, 1240, addresses(3)));
  ASSERT_FALSE(early.ok());
  EXPECT_NE(early.error().message.find("next reconnection attempt"), std::string::npos) << early.error().message;
  *now += Connection::kFirstBackoff;
  auto back = store.write_cycle(make_cycle(5, 1300, addresses(3)));
  ASSERT_TRUE(back.ok()) << back.error().message;
  EXPECT_EQ(*store.latest_cycle(), 5u);
  EXPECT_EQ(store.network_history(0, 5000)->size(), 2u);  // cycles 1 and 5 only
}

}  // namespace
}  // namespace pnode::store::postgres
