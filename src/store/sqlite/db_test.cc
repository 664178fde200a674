#include "store/sqlite/db.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "store/sqlite/schema.h"
#include "store/store_test_support.h"

namespace pnode::store::sqlite {
namespace {

using testing_support::TempDir;

Database open_db(const std::string& path) {
  auto db = Database::open(path, Database::Mode::kReadWriteCreate);
  EXPECT_TRUE(db.ok()) << db.error().message;
  return std::move(*db);
}

int64_t count_rows(Database& db, const std::string& table) {
  auto n = db.query_int("SELECT count(*) FROM " + table);
  EXPECT_TRUE(n.ok()) << n.error().message;
  return n.ok() ? *n : -1;
}

TEST(SqliteDatabase, OpenFailureNamesTheFile) {
  TempDir dir;
  std::string path = dir.file("missing-dir/x.db");  // parent does not exist; Database does not create it
  auto db = Database::open(path, Database::Mode::kReadWriteCreate);
  ASSERT_FALSE(db.ok());
  EXPECT_EQ(db.error().code, ErrorCode::kCannotOpen);
  EXPECT_EQ(db.error().message, "unable to open database file: " + path);

  auto existing_only = Database::open(dir.file("absent.db"), Database::Mode::kReadWrite);
  ASSERT_FALSE(existing_only.ok());
  EXPECT_EQ(existing_only.error().code, ErrorCode::kCannotOpen);
}

TEST(SqliteStatement, BindsAndReadsEveryTypeIncludingExtremes) {
  TempDir dir;
  Database db = open_db(dir.file("t.db"));
  ASSERT_TRUE(db.exec("CREATE TABLE t (i INTEGER, u INTEGER, d REAL, s TEXT, n INTEGER)").ok());
  auto insert = db.prepare("INSERT INTO t VALUES (?1, ?2, ?3, ?4, ?5)");
  ASSERT_TRUE(insert.ok()) << insert.error().message;
  const uint64_t big = std::numeric_limits<uint64_t>::max() - 1;
  ASSERT_TRUE(insert->bind(1, std::numeric_limits<int64_t>::min())
                  .bind(2, big)
                  .bind(3, 0.1 + 0.2)
                  .bind(4, std::string_view("a\0b", 3))
                  .bind(5, std::optional<int64_t>())
                  .run()
                  .ok());
  // NaN cannot be stored as REAL: SQLite stores NULL.
  ASSERT_TRUE(insert->bind(1, 1).bind(2, uint64_t{0}).bind(3, std::nan("")).bind(4, "x").bind(5, std::optional<int64_t>(5)).run().ok());

  auto select = db.prepare("SELECT i, u, d, s, n FROM t ORDER BY rowid");
  ASSERT_TRUE(select.ok());
  ScopedReset reset(*select);
  auto row = select->step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_EQ(select->column_int64(0), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(select->column_uint64(1), big);
  EXPECT_EQ(select->column_double(2), 0.1 + 0.2);
  EXPECT_EQ(select->column_string(3), std::string("a\0b", 3));
  EXPECT_EQ(select->column_opt_int64(4), std::nullopt);
  row = select->step();
  ASSERT_TRUE(row.ok() && *row);
  EXPECT_TRUE(select->is_null(2));
  EXPECT_EQ(select->column_opt_double(2), std::nullopt);
  EXPECT_EQ(select->column_opt_int64(4), 5);
  row = select->step();
  ASSERT_TRUE(row.ok());
  EXPECT_FALSE(*row);
}

TEST(SqliteStatement, ABadBindIsReportedByStepWithTheParameter) {
  TempDir dir;
  Database db = open_db(dir.file("t.db"));
  auto stmt = db.prepare("SELECT ?1");
  ASSERT_TRUE(stmt.ok());
  auto st = stmt->bind(2, int64_t{1}).run();  // there is no parameter 2
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("binding parameter 2"), std::string::npos) << st.error().message;
  // reset() forgot the failure: the statement is usable again.
  EXPECT_TRUE(stmt->bind(1, int64_t{1}).run().ok());
}

TEST(SqliteStatement, ConstraintFailuresHaveTheirKindAndSqliteMessage) {
  TempDir dir;
  Database db = open_db(dir.file("t.db"));
  ASSERT_TRUE(db.exec("CREATE TABLE t (k INTEGER PRIMARY KEY)").ok());
  auto insert = db.prepare("INSERT INTO t VALUES (?1)");
  ASSERT_TRUE(insert.ok());
  ASSERT_TRUE(insert->bind(1, 1).run().ok());
  auto st = insert->bind(1, 1).run();
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kConstraint);
  EXPECT_NE(st.error().message.find("UNIQUE constraint failed: t.k"), std::string::npos) << st.error().message;

  auto bad_sql = db.prepare("SELEC 1");
  ASSERT_FALSE(bad_sql.ok());
  EXPECT_NE(bad_sql.error().message.find("SELEC 1"), std::string::npos);
  auto bad_exec = db.exec("INSERT INTO nowhere VALUES (1)");
  ASSERT_FALSE(bad_exec.ok());
  EXPECT_EQ(bad_exec.error().message, "no such table: nowhere");
}

TEST(SqliteTransaction, RollsBackUnlessCommitted) {
  TempDir dir;
  Database db = open_db(dir.file("t.db"));
  ASSERT_TRUE(db.exec("CREATE TABLE t (k INTEGER)").ok());
  {
    auto tx = Transaction::begin(db, Transaction::Kind::kImmediate);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (1)").ok());
  }  // dropped without commit
  EXPECT_EQ(count_rows(db, "t"), 0);
  {
    auto tx = Transaction::begin(db, Transaction::Kind::kDeferred);
    ASSERT_TRUE(tx.ok());
    ASSERT_TRUE(db.exec("INSERT INTO t VALUES (2)").ok());
    ASSERT_TRUE(tx->commit().ok());
  }
  EXPECT_EQ(count_rows(db, "t"), 1);
}

constexpr Migration kV1[] = {{1, "create a", "CREATE TABLE a (x INTEGER)"}};
constexpr Migration kV2[] = {{1, "create a", "CREATE TABLE a (x INTEGER)"},
                             {2, "add b", "CREATE TABLE b (y INTEGER); INSERT INTO b SELECT x FROM a"}};
constexpr Migration kBrokenV2[] = {{1, "create a", "CREATE TABLE a (x INTEGER)"},
                                   {2, "break", "CREATE TABLE c (z INTEGER); INSERT INTO nowhere VALUES (1)"}};

TEST(SqliteMigrations, MigratesAnOlderDatabaseAndKeepsItsData) {
  TempDir dir;
  std::string path = dir.file("m.db");
  {
    Database db = open_db(path);
    ASSERT_TRUE(migrate(db, kV1).ok());
    ASSERT_TRUE(db.exec("INSERT INTO a VALUES (41), (42)").ok());
    EXPECT_EQ(*db.query_int("PRAGMA user_version"), 1);
  }
  Database db = open_db(path);
  ASSERT_TRUE(migrate(db, kV2).ok());
  EXPECT_EQ(*db.query_int("PRAGMA user_version"), 2);
  EXPECT_EQ(count_rows(db, "a"), 2);
  EXPECT_EQ(count_rows(db, "b"), 2);  // step 2 ran on the old data
  ASSERT_TRUE(migrate(db, kV2).ok());  // nothing left to do: no step runs twice
  EXPECT_EQ(count_rows(db, "b"), 2);
}

TEST(SqliteMigrations, AFailingStepLeavesThePreviousVersionIntact) {
  TempDir dir;
  Database db = open_db(dir.file("m.db"));
  ASSERT_TRUE(migrate(db, kV1).ok());
  auto st = migrate(db, kBrokenV2);
  ASSERT_FALSE(st.ok());
  EXPECT_NE(st.error().message.find("schema version 2 (break)"), std::string::npos) << st.error().message;
  EXPECT_NE(st.error().message.find("no such table: nowhere"), std::string::npos) << st.error().message;
  EXPECT_EQ(*db.query_int("PRAGMA user_version"), 1);
  EXPECT_FALSE(db.query_int("SELECT count(*) FROM c").ok());  // the step's first half was rolled back
}

TEST(SqliteMigrations, RefusesADatabaseNewerThanTheBuild) {
  TempDir dir;
  Database db = open_db(dir.file("m.db"));
  ASSERT_TRUE(migrate(db, kV2).ok());
  auto st = migrate(db, kV1);
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, ErrorCode::kSchemaTooNew);
  EXPECT_NE(st.error().message.find("schema version 2, newer than this build supports (1)"), std::string::npos)
      << st.error().message;
}

TEST(SqliteMigrations, TheStoreSchemaIsNumberedInOrder) {
  auto steps = schema_migrations();
  ASSERT_FALSE(steps.empty());
  for (size_t i = 0; i < steps.size(); ++i) EXPECT_EQ(steps[i].version, static_cast<int>(i + 1));
  TempDir dir;
  Database db = open_db(dir.file("s.db"));
  ASSERT_TRUE(migrate(db, steps).ok());
  EXPECT_EQ(*db.query_int("PRAGMA user_version"), static_cast<int64_t>(steps.size()));
  for (const char* table : {"nodes", "registry", "network_history", "raw_samples", "raw_cycles", "node_chunks",
                            "node_history_counts", "history_versions", "current_snapshot"})
    EXPECT_EQ(count_rows(db, table), 0) << table;
}

}  // namespace
}  // namespace pnode::store::sqlite
