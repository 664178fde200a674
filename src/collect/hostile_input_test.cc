// The attacks of issue 10 point 5 on strings, run from the wire to the database: a seed's
// answer goes through the real parser, the cycle and a SQLite store, and what the process
// keeps and the database grows stay under a stated ceiling.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "collect/cycle.h"
#include "collect/summary.h"
#include "prpc/bounds.h"
#include "prpc/parse.h"
#include "store/store.h"
#include "store/store_test_support.h"

namespace pnode::collect {
namespace {

constexpr int64_t kNow = 1765978692;

// A get-pods-with-stats answer with one row per version; row i is 10.0.x.y:9001.
std::string pods_answer(const std::vector<std::string>& versions) {
  std::string body = R"({"jsonrpc":"2.0","id":1,"error":null,"result":{"pods":[)";
  for (size_t i = 0; i < versions.size(); ++i) {
    if (i) body += ',';
    body += R"({"address":"10.0.)" + std::to_string(i / 250) + "." + std::to_string(i % 250 + 1) +
            R"(:9001","last_seen_timestamp":)" + std::to_string(kNow - 5) +
            R"(,"storage_committed":1000000000,"storage_used":1000,"uptime":3600,"version":")" + versions[i] + "\"}";
  }
  return body + R"(],"total_count":)" + std::to_string(versions.size()) + "}}";
}

SeedAnswer answer_of(const std::string& body) {
  auto parsed = prpc::parse_pods(body);
  EXPECT_TRUE(parsed.ok()) << parsed.error().message;
  SeedAnswer a;
  a.poll.seed = "seed:6000";
  a.pods = std::move(*parsed);
  a.poll.pod_count = a.pods.pods.size();
  return a;
}

// Bytes of text the pods hold (their strings' capacities).
size_t text_bytes(const model::PodList& list) {
  size_t bytes = 0;
  for (const auto& p : list.pods)
    bytes += p.address.capacity() + (p.pubkey ? p.pubkey->capacity() : 0) + (p.version ? p.version->capacity() : 0);
  return bytes;
}

// The database and its write-ahead log.
uintmax_t database_bytes(const std::string& path) {
  uintmax_t bytes = std::filesystem::file_size(path);
  std::error_code ec;
  if (auto wal = std::filesystem::file_size(path + "-wal", ec); !ec) bytes += wal;
  return bytes;
}

// Three cycles of the same answer, written to a fresh store; returns the database size.
uintmax_t write_three_cycles(const SeedAnswer& answer, const std::string& path, std::vector<size_t>* version_keys) {
  auto store = store::open_store("sqlite://" + path);
  EXPECT_TRUE(store.ok()) << store.error().message;
  model::Registry registry;
  for (int cycle = 1; cycle <= 3; ++cycle) {
    const int64_t at = kNow + cycle * 60;
    auto result = assemble_cycle({answer}, registry, static_cast<uint64_t>(cycle), at - 1, at, {});
    EXPECT_TRUE((*store)->write_cycle(result.write).ok());
    registry = *result.snapshot->registry;
  }
  auto rows = (*store)->network_history(0, kNow + 3600);
  EXPECT_TRUE(rows.ok());
  for (const auto& row : *rows) version_keys->push_back(row.version_distribution.size());
  return database_bytes(path);
}

TEST(HostileInput, SixtyPodsWithAOneMebibyteVersionCostNeitherMemoryNorDatabase) {
  const std::vector<std::string> versions(60, std::string(1 << 20, '7'));
  SeedAnswer answer = answer_of(pods_answer(versions));
  ASSERT_EQ(answer.pods.pods.size(), 60u);  // every row kept
  EXPECT_EQ(answer.pods.rejected_fields, 60u);
  for (const auto& p : answer.pods.pods) EXPECT_FALSE(p.version);
  EXPECT_LT(text_bytes(answer.pods), 60u * 256);  // not 60 MiB

  store::testing_support::TempDir dir;
  std::vector<size_t> version_keys;
  const uintmax_t bytes = write_three_cycles(answer, dir.file("hostile.db"), &version_keys);
  EXPECT_LT(bytes, uintmax_t{1} << 20);  // about 240 KB; the attack added 500 MB in 3 cycles
  EXPECT_EQ(version_keys, (std::vector<size_t>{1, 1, 1}));  // all "unknown"
}

TEST(HostileInput, InventedVersionsKeepEveryHistoryRowWithinFiftyOneVersions) {
  // 500 distinct versions, each as long as the version rule allows.
  std::vector<std::string> versions;
  for (int i = 0; i < 500; ++i) {
    std::string v = "9." + std::to_string(i) + ".";
    versions.push_back(v + std::string(prpc::kMaxVersionBytes - v.size(), 'x'));
  }
  SeedAnswer answer = answer_of(pods_answer(versions));
  ASSERT_EQ(answer.pods.pods.size(), 500u);
  EXPECT_EQ(answer.pods.rejected_fields, 0u);  // each one is a valid version

  store::testing_support::TempDir dir;
  std::vector<size_t> version_keys;
  const uintmax_t bytes = write_three_cycles(answer, dir.file("versions.db"), &version_keys);
  EXPECT_EQ(version_keys, (std::vector<size_t>{kMaxHistoryVersions + 1, kMaxHistoryVersions + 1,
                                               kMaxHistoryVersions + 1}));
  EXPECT_LT(bytes, uintmax_t{4} << 20);
}

}  // namespace
}  // namespace pnode::collect
