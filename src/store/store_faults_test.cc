// Opening damaged and unwritable databases, and what a read-only store does.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>

#include "store/sqlite/sqlite_store.h"
#include "store/store.h"
#include "store/store_test_support.h"

namespace pnode::store {
namespace {

using namespace testing_support;

// A database of a few MB (many cycles of history), closed.
void write_some_history(const std::string& path) {
  auto store = open_ok(path);
  for (uint64_t cycle = 1; cycle <= 30; ++cycle)
    ASSERT_TRUE(store->write_cycle(make_cycle(cycle, 1000 + static_cast<int64_t>(cycle) * 60, addresses(400))).ok());
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

TEST(StoreFaults, RandomBytesInTheMiddleOfTheFileAreRefusedWithAClearMessage) {
  TempDir dir;
  std::string path = dir.file("damaged.db");
  write_some_history(path);
  int64_t size = static_cast<int64_t>(std::filesystem::file_size(path));
  ASSERT_GT(size, 1 << 20);
  scribble(path, size / 2, 64 * 1024);

  auto opened = open_store("sqlite://" + path);
  ASSERT_FALSE(opened.ok()) << "a damaged database must not open without a word";
  EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt);
  EXPECT_TRUE(contains(opened.error().message, "the database " + path + " is damaged (quick_check: "))
      << opened.error().message;
}

TEST(StoreFaults, ADamagedHeaderIsRefusedAsDamaged) {
  TempDir dir;
  std::string path = dir.file("header.db");
  { open_ok(path); }
  scribble(path, 0, 100);
  auto opened = open_store("sqlite://" + path);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.error().code, ErrorCode::kCorrupt);
  EXPECT_TRUE(contains(opened.error().message, "is damaged")) << opened.error().message;
}

TEST(StoreFaults, AFullIntegrityCheckAlsoRefusesAndNoCheckOpens) {
  TempDir dir;
  std::string path = dir.file("index.db");
  write_some_history(path);
  damage_an_index(path);
  auto full = open_store("sqlite://" + path, {.integrity_check = IntegrityCheck::kFull});
  ASSERT_FALSE(full.ok());
  EXPECT_TRUE(contains(full.error().message, "(integrity_check: ")) << full.error().message;
  // Unchecked, the damage goes unnoticed at start (which is why the check exists).
  auto unchecked = open_store("sqlite://" + path, {.integrity_check = IntegrityCheck::kOff});
  EXPECT_TRUE(unchecked.ok()) << unchecked.error().message;
}

TEST(StoreFaults, ADamagedDatabaseOpensReadOnlyWhenAskedServesWhatItHoldsAndWritesNothing) {
  TempDir dir;
  std::string path = dir.file("readonly.db");
  write_some_history(path);
  damage_an_index(path);
  int64_t size = static_cast<int64_t>(std::filesystem::file_size(path));

  auto opened = open_store("sqlite://" + path, {.on_corrupt = OnCorrupt::kReadOnly});
  ASSERT_TRUE(opened.ok()) << opened.error().message;
  Store& store = **opened;
  EXPECT_TRUE(store.read_only_reason().starts_with("the database failed its integrity check (quick_check: "))
      << store.read_only_reason();
  auto state = store.load();
  ASSERT_TRUE(state.ok()) << state.error().message;
  ASSERT_NE(state->snapshot, nullptr);
  EXPECT_EQ(state->snapshot->cycle, 30u);
  EXPECT_EQ(state->registry.entries.size(), 400u);
  EXPECT_EQ(store.network_history(0, 99999)->size(), 30u);

  auto written = store.write_cycle(make_cycle(31, 9000, addresses(1)));
  ASSERT_FALSE(written.ok());
  EXPECT_EQ(written.error().code, ErrorCode::kReadOnly);
  EXPECT_TRUE(contains(written.error().message, "opened read-only")) << written.error().message;
  EXPECT_EQ(store.prune_registry(99999).error().code, ErrorCode::kReadOnly);
  EXPECT_EQ(store.write_history_bulk({}).error().code, ErrorCode::kReadOnly);
  EXPECT_EQ(store.delete_registry_rows({}).error().code, ErrorCode::kReadOnly);
  EXPECT_EQ(store.load()->snapshot->cycle, 30u);
  opened->reset();
  EXPECT_EQ(static_cast<int64_t>(std::filesystem::file_size(path)), size);
}

TEST(StoreFaults, AWritableStoreHasNoReadOnlyReason) {
  TempDir dir;
  EXPECT_EQ(open_ok(dir.file("fine.db"))->read_only_reason(), "");
}

// Opens `path` as an unprivileged user would (root writes whatever the permissions say)
// and exits 0 when refused with kind "read_only", printing the message.
void open_as_unprivileged_user(const std::string& path) {
  if (::geteuid() == 0 && ::setresuid(65534, 65534, 65534) != 0) std::_Exit(3);
  auto opened = open_store("sqlite://" + path);
  if (opened.ok()) std::_Exit(1);
  std::fprintf(stderr, "%s\n", opened.error().message.c_str());
  std::_Exit(opened.error().code == ErrorCode::kReadOnly ? 0 : 2);
}

TEST(StoreFaultsDeathTest, AWriteProtectedFileIsRefusedWithAClearMessage) {
  TempDir dir;
  std::string path = dir.file("protected.db");
  { open_ok(path); }
  ASSERT_EQ(::chmod(dir.path().c_str(), 0777), 0);
  ASSERT_EQ(::chmod(path.c_str(), 0444), 0);
  EXPECT_EXIT(open_as_unprivileged_user(path), ::testing::ExitedWithCode(0),
              "cannot write the database file .*protected.db .*permissions");
}

TEST(StoreFaultsDeathTest, AWriteProtectedDirectoryIsRefusedWithAClearMessage) {
  TempDir dir;
  std::string path = dir.file("in-protected-dir.db");
  { open_ok(path); }
  ASSERT_EQ(::chmod(path.c_str(), 0666), 0);
  ASSERT_EQ(::chmod(dir.path().c_str(), 0555), 0);
  EXPECT_EXIT(open_as_unprivileged_user(path), ::testing::ExitedWithCode(0),
              "cannot write the directory .* of the database .*-wal");
  ::chmod(dir.path().c_str(), 0755);
}

TEST(StoreFaults, MissedNetworkSamplesAreWrittenWithTheCycle) {
  TempDir dir;
  auto store = open_ok(dir.file("missed.db"));
  CycleWrite write = make_cycle(3, 1120, addresses(2));
  write.missed_network = {make_network_row(1000, 1), make_network_row(1060, 2), make_network_row(1120, 99)};
  ASSERT_TRUE(store->write_cycle(write).ok());
  auto rows = store->network_history(0, 9999);
  ASSERT_EQ(rows->size(), 3u);
  EXPECT_EQ((*rows)[0].total_pnodes, 1);
  EXPECT_EQ((*rows)[1].total_pnodes, 2);
  EXPECT_EQ((*rows)[2], write.network) << "the cycle's own sample wins at an equal time";
}

}  // namespace
}  // namespace pnode::store
