// Test-only: runs a store test against every backend. A test written with
// TEST_P(<fixture derived from StoreBackendTest>, ...) gets a fresh, empty database per
// run: a SQLite file in a temporary directory, or a new database on the binary's
// throwaway PostgreSQL cluster (postgres/pg_test_cluster.h). PostgreSQL runs are skipped,
// saying why, when no PostgreSQL server is installed.
// Thread-safety: the test thread only.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>

#include "store/postgres/pg_test_cluster.h"
#include "store/store.h"
#include "store/store_test_support.h"

namespace pnode::store::testing_support {

enum class Backend { kSqlite, kPostgres };

inline std::string backend_name(const ::testing::TestParamInfo<Backend>& info) {
  return info.param == Backend::kSqlite ? "Sqlite" : "Postgres";
}

// How gtest shows the parameter ("GetParam() = Postgres", not its bytes).
inline void PrintTo(Backend backend, std::ostream* os) { *os << (backend == Backend::kSqlite ? "Sqlite" : "Postgres"); }

// A new, empty database on the test binary's throwaway PostgreSQL cluster: its URL. Without
// a PostgreSQL server installed the calling test is skipped, saying why; a cluster that
// would not start or a database it would not create fails the test. nullopt in both cases.
inline std::optional<std::string> fresh_postgres_url() {
  auto cluster = postgres::PgTestCluster::shared();
  if (!cluster && cluster.error().code == ErrorCode::kNotFound) {
    [&] { GTEST_SKIP() << "no PostgreSQL server installed for this test: " << cluster.error().message; }();
    return std::nullopt;
  }
  if (!cluster) {
    ADD_FAILURE() << "the test PostgreSQL cluster did not start: " << cluster.error().message;
    return std::nullopt;
  }
  auto url = (*cluster)->create_database();
  if (!url) {
    ADD_FAILURE() << "cannot create a test database: " << url.error().message;
    return std::nullopt;
  }
  return *url;
}

class StoreBackendTest : public ::testing::TestWithParam<Backend> {
 protected:
  void SetUp() override {
    if (GetParam() == Backend::kSqlite) {
      url_ = "sqlite://" + sqlite_path();
      return;
    }
    if (auto url = fresh_postgres_url()) url_ = *url;
  }

  // The test's database, opened (again); a test failure and nullptr if it cannot be.
  std::unique_ptr<Store> open() {
    auto store = open_store(url_);
    EXPECT_TRUE(store.ok()) << store.error().message;
    return store.ok() ? std::move(*store) : nullptr;
  }

  const std::string& url() const { return url_; }
  // The database file of a SQLite run.
  std::string sqlite_path() const { return dir_.file("store.db"); }

 private:
  TempDir dir_;
  std::string url_;
};

}  // namespace pnode::store::testing_support

// Runs the TEST_Ps of `fixture` on every backend.
#define PNODE_STORE_BACKENDS(fixture)                                                                       \
  INSTANTIATE_TEST_SUITE_P(Backends, fixture,                                                              \
                           ::testing::Values(::pnode::store::testing_support::Backend::kSqlite,            \
                                             ::pnode::store::testing_support::Backend::kPostgres),         \
                           ::pnode::store::testing_support::backend_name)
