// The dedupe subcommand: which rows it groups, keeps and never touches; dry run and
// --apply on a temporary SQLite database filled through the Store interface; rows that
// change between planning and deleting; the command line.
#include "app/dedupe.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "store/store.h"

namespace pnode::app {
namespace {

using model::RegistryEntry;

class TempDatabase {
 public:
  TempDatabase() {
    static int counter = 0;
    dir_ = std::filesystem::path(::testing::TempDir()) /
           ("pnode-dedupe-" + std::to_string(::getpid()) + "-" + std::to_string(++counter));
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  ~TempDatabase() {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }
  std::string path() const { return (dir_ / "registry.db").string(); }
  std::string url() const { return "sqlite://" + path(); }
  std::filesystem::path dir() const { return dir_; }

 private:
  std::filesystem::path dir_;
};

RegistryEntry entry(const std::string& address, const std::string& pubkey, int64_t last_seen,
                    int64_t last_checked = 0) {
  RegistryEntry e;
  e.address = address;
  e.pubkey = pubkey;
  e.first_seen = last_seen - 100;
  e.last_seen = last_seen;
  e.last_checked = last_checked != 0 ? last_checked : last_seen + 1;
  e.created_at = last_seen - 100;
  e.version = "0.8.0";
  return e;
}

// Writes the entries in order (so node ids follow it), each address with one history row.
void write_entries(store::Store& store, const std::vector<RegistryEntry>& entries, int64_t ts) {
  store::CycleWrite w;
  w.network.timestamp = ts;
  for (const auto& e : entries) {
    w.registry_upserts.push_back(e);
    store::NodeHistoryRow h;
    h.address = e.address;
    h.timestamp = ts;
    h.version = "0.8.0";
    w.nodes.push_back(h);
  }
  auto st = store.write_cycle(w);
  ASSERT_TRUE(st.ok()) << st.error().message;
}

// The registry as a test sees it: NAT groups, a shared NAT IP, one key at two IPs, rows
// without a real pubkey, and addresses that are not IP:port.
std::vector<RegistryEntry> messy_registry() {
  return {
      // Node A behind NAT: three ports; 40003 and 40002 tie on last_seen, 40003 was
      // checked later and is kept.
      entry("100.1.1.1:40001", "PkA", 1000),
      entry("100.1.1.1:40002", "PkA", 2000, 2001),
      entry("100.1.1.1:40003", "PkA", 2000, 2005),
      // Node B: a full tie; the row written first (smaller id) is kept.
      entry("100.9.9.9:9001", "PkB", 3000, 3001),
      entry("100.9.9.9:1047", "PkB", 3000, 3001),
      // One shared NAT IP, two different nodes: not duplicates.
      entry("100.2.2.2:9001", "PkX", 1000),
      entry("100.2.2.2:9002", "PkY", 1000),
      // One key at two IPs: not duplicates (the IP differs).
      entry("100.3.3.3:9001", "PkZ", 1000),
      entry("100.4.4.4:9001", "PkZ", 1000),
      // No real pubkey (the collector stores the address): never touched.
      entry("100.5.5.5:1", "100.5.5.5:1", 1000),
      entry("100.5.5.5:2", "100.5.5.5:2", 1000),
      entry("100.6.6.6:1", "", 900),
      entry("100.6.6.6:2", "", 1000),
      // Same key and IP as node A, but the address is not IP:port: never touched.
      entry(" 100.1.1.1:40004", "PkA", 500),
      entry("100.1.1.1", "PkA", 500),
      entry("node.example:9001", "PkA", 500),
  };
}

std::unique_ptr<store::Store> open_ok(const std::string& url) {
  auto store = store::open_store(url);
  EXPECT_TRUE(store.ok()) << store.error().message;
  return store.ok() ? std::move(*store) : nullptr;
}

std::vector<std::string> addresses(store::Store& store) {
  std::vector<std::string> out;
  auto rows = store.registry_rows();
  EXPECT_TRUE(rows.ok());
  if (rows.ok())
    for (const auto& r : *rows) out.push_back(r.entry.address);
  return out;
}

std::vector<store::StoredRegistryRow> stored(const std::vector<RegistryEntry>& entries) {
  std::vector<store::StoredRegistryRow> out;
  int64_t id = 0;
  for (const auto& e : entries) out.push_back({++id, e});
  return out;
}

TEST(DedupeAddress, OnlyExactIpPortAddressesHaveAnIp) {
  EXPECT_EQ(ip_of_address("1.2.3.4:9001"), "1.2.3.4");
  EXPECT_EQ(ip_of_address("[2001:db8::1]:9001"), "2001:db8::1");
  EXPECT_EQ(ip_of_address("1.2.3.4"), std::nullopt);        // no port
  EXPECT_EQ(ip_of_address(" 1.2.3.4:9001"), std::nullopt);  // surrounding space
  EXPECT_EQ(ip_of_address("1.2.3.4:9001 "), std::nullopt);
  EXPECT_EQ(ip_of_address("01.2.3.4:9001"), std::nullopt);  // not canonical
  EXPECT_EQ(ip_of_address("host.example:9001"), std::nullopt);
  EXPECT_EQ(ip_of_address("1.2.3.4:0"), std::nullopt);
  EXPECT_EQ(ip_of_address("PkSomeBase58Key"), std::nullopt);  // a pubkey used as address
  EXPECT_EQ(ip_of_address(""), std::nullopt);
}

TEST(DedupePlan, GroupsSamePubkeyAtSameIpAndKeepsTheNewest) {
  const DedupePlan plan = plan_dedupe(stored(messy_registry()));
  EXPECT_EQ(plan.total_rows, 16u);
  ASSERT_EQ(plan.groups.size(), 2u);

  const DuplicateGroup& a = plan.groups[0];
  EXPECT_EQ(a.ip, "100.1.1.1");
  EXPECT_EQ(a.pubkey, "PkA");
  EXPECT_EQ(a.kept.address, "100.1.1.1:40003");
  ASSERT_EQ(a.removed.size(), 2u);
  EXPECT_EQ(a.removed[0].address, "100.1.1.1:40002");
  EXPECT_EQ(a.removed[1].address, "100.1.1.1:40001");

  const DuplicateGroup& b = plan.groups[1];
  EXPECT_EQ(b.ip, "100.9.9.9");
  EXPECT_EQ(b.kept.address, "100.9.9.9:9001");  // full tie: the smaller id
  ASSERT_EQ(b.removed.size(), 1u);
  EXPECT_EQ(b.removed[0].address, "100.9.9.9:1047");

  EXPECT_EQ(plan.duplicate_rows(), 3u);
  EXPECT_EQ(plan.skipped_count(SkipReason::kNoPubkey), 4u);
  EXPECT_EQ(plan.skipped_count(SkipReason::kNotIpPort), 3u);
  std::vector<std::string> deleted;
  for (const auto& d : plan.deletions()) deleted.push_back(d.address);
  EXPECT_EQ(deleted, (std::vector<std::string>{"100.1.1.1:40002", "100.1.1.1:40001", "100.9.9.9:1047"}));
}

TEST(DedupePlan, TieBreakDoesNotDependOnInputOrder) {
  auto rows = stored(messy_registry());
  std::reverse(rows.begin(), rows.end());  // ids stay with their rows
  const DedupePlan plan = plan_dedupe(rows);
  ASSERT_EQ(plan.groups.size(), 2u);
  EXPECT_EQ(plan.groups[0].kept.address, "100.1.1.1:40003");
  EXPECT_EQ(plan.groups[1].kept.address, "100.9.9.9:9001");
}

TEST(DedupePlan, CleanRegistryHasNothingToDo) {
  const DedupePlan plan = plan_dedupe(stored({entry("1.1.1.1:9001", "K1", 5), entry("1.1.1.2:9001", "K2", 5)}));
  EXPECT_TRUE(plan.groups.empty());
  EXPECT_TRUE(plan.deletions().empty());
  EXPECT_NE(format_dedupe_plan(plan).find("No duplicate rows"), std::string::npos);
  EXPECT_TRUE(plan_dedupe({}).groups.empty());
}

TEST(DedupeText, PlanAndSummaryNameEveryRowAndCount) {
  const DedupePlan plan = plan_dedupe(stored(messy_registry()));
  const std::string text = format_dedupe_plan(plan);
  EXPECT_NE(text.find("Node PkA at 100.1.1.1: 3 rows\n"
                      "  keep    100.1.1.1:40003          last_seen 1970-01-01 00:33:20 UTC (2000)\n"
                      "  delete  100.1.1.1:40002          last_seen 1970-01-01 00:33:20 UTC (2000)\n"
                      "  delete  100.1.1.1:40001          last_seen 1970-01-01 00:16:40 UTC (1000)\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("\" 100.1.1.1:40004\"  pubkey PkA"), std::string::npos) << text;
  EXPECT_NE(text.find("\"node.example:9001\""), std::string::npos) << text;

  const std::string dry = format_dedupe_summary(plan, std::nullopt);
  EXPECT_NE(dry.find("Total registry rows:     16\n"), std::string::npos) << dry;
  EXPECT_NE(dry.find("Duplicate rows found:    3 (of 2 nodes)\n"), std::string::npos) << dry;
  EXPECT_NE(dry.find("Duplicate rows removed:  0 (dry run"), std::string::npos) << dry;
  EXPECT_NE(dry.find("Rows left after --apply: 13\n"), std::string::npos) << dry;
  EXPECT_NE(dry.find("Not touched:             7 (4 without a pubkey, 3 whose address is not IP:port)"),
            std::string::npos)
      << dry;
  const std::string applied = format_dedupe_summary(plan, 3);
  EXPECT_NE(applied.find("Duplicate rows removed:  3\n"), std::string::npos) << applied;
  EXPECT_NE(applied.find("Rows left:               13\n"), std::string::npos) << applied;
}

TEST(DedupeStore, DryRunChangesNothingApplyRemovesExactlyThePlanAndARerunFindsNone) {
  TempDatabase db;
  auto store = open_ok(db.url());
  ASSERT_TRUE(store);
  write_entries(*store, messy_registry(), 5000);
  auto before = store->registry_rows();
  ASSERT_TRUE(before.ok());

  std::ostringstream out, err;
  EXPECT_EQ(run_dedupe(*store, false, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("Mode: dry run"), std::string::npos);
  EXPECT_NE(out.str().find("Duplicate rows found:    3"), std::string::npos) << out.str();
  auto after_dry = store->registry_rows();
  ASSERT_TRUE(after_dry.ok());
  ASSERT_EQ(after_dry->size(), before->size());
  for (size_t i = 0; i < before->size(); ++i) EXPECT_EQ((*after_dry)[i].entry, (*before)[i].entry);

  std::ostringstream out2, err2;
  EXPECT_EQ(run_dedupe(*store, true, out2, err2), 0) << err2.str() << out2.str();
  EXPECT_NE(out2.str().find("Deleted 3 of 3 planned rows"), std::string::npos) << out2.str();
  EXPECT_NE(out2.str().find("Re-check: no duplicate rows left."), std::string::npos) << out2.str();
  std::vector<std::string> expected;
  for (const auto& e : messy_registry()) expected.push_back(e.address);
  for (const char* gone : {"100.1.1.1:40001", "100.1.1.1:40002", "100.9.9.9:1047"})
    expected.erase(std::find(expected.begin(), expected.end(), gone));
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(addresses(*store), expected);
  // The kept rows are untouched, field for field.
  auto after_apply = store->registry_rows();
  ASSERT_TRUE(after_apply.ok());
  for (const auto& r : *after_apply) {
    auto same = std::find_if(before->begin(), before->end(),
                             [&](const store::StoredRegistryRow& b) { return b.entry.address == r.entry.address; });
    ASSERT_NE(same, before->end());
    EXPECT_EQ(r.entry, same->entry);
    EXPECT_EQ(r.node_id, same->node_id);
  }
  // History of the deleted rows is kept.
  EXPECT_EQ(store->node_history("100.1.1.1:40001", 0, 9999)->samples.size(), 1u);

  std::ostringstream out3, err3;
  EXPECT_EQ(run_dedupe(*store, true, out3, err3), 0);
  EXPECT_NE(out3.str().find("No duplicate rows"), std::string::npos) << out3.str();
  EXPECT_NE(out3.str().find("Duplicate rows removed:  0\n"), std::string::npos) << out3.str();
  EXPECT_EQ(addresses(*store), expected);
}

// Forwards to a real store, but lets a "collector" touch a row between planning and
// deleting, as a running serve could.
class StoreTouchedBeforeDelete final : public store::Store {
 public:
  StoreTouchedBeforeDelete(store::Store& inner, RegistryEntry touched) : inner_(inner), touched_(std::move(touched)) {}
  Status write_cycle(const store::CycleWrite& w) override { return inner_.write_cycle(w); }
  Result<store::LoadedState> load() override { return inner_.load(); }
  Result<std::vector<store::NetworkHistoryRow>> network_history(int64_t a, int64_t b) override {
    return inner_.network_history(a, b);
  }
  Result<std::optional<store::NetworkHistoryRow>> network_sample_at_or_before(int64_t at) override {
    return inner_.network_sample_at_or_before(at);
  }
  Result<store::NodeHistory> node_history(const std::string& a, int64_t s, int64_t u) override {
    return inner_.node_history(a, s, u);
  }
  Result<std::vector<store::HistoryStatusRow>> history_status(size_t limit) override {
    return inner_.history_status(limit);
  }
  Result<int64_t> prune_registry(int64_t cutoff) override { return inner_.prune_registry(cutoff); }
  Result<std::vector<store::StoredRegistryRow>> registry_rows() override { return inner_.registry_rows(); }
  Result<int64_t> delete_registry_rows(const std::vector<store::RegistryRowMatch>& rows) override {
    store::CycleWrite w;
    w.network.timestamp = touched_.last_checked;
    w.registry_upserts = {touched_};
    if (auto st = inner_.write_cycle(w); !st.ok()) return st.error();
    return inner_.delete_registry_rows(rows);
  }

 private:
  store::Store& inner_;
  RegistryEntry touched_;
};

TEST(DedupeStore, RowsChangedAfterPlanningAreKeptAndReported) {
  TempDatabase db;
  auto store = open_ok(db.url());
  ASSERT_TRUE(store);
  write_entries(*store, {entry("100.1.1.1:40001", "PkA", 1000), entry("100.1.1.1:40002", "PkA", 2000),
                         entry("100.1.1.1:40003", "PkA", 1500)},
                5000);
  // 40001 is listed again while dedupe runs: newer than every other row now.
  StoreTouchedBeforeDelete racing(*store, entry("100.1.1.1:40001", "PkA", 2500));
  std::ostringstream out, err;
  EXPECT_EQ(run_dedupe(racing, true, out, err), 1);  // a duplicate remains
  EXPECT_NE(out.str().find("Deleted 1 of 2 planned rows"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("1 planned rows changed since they were read"), std::string::npos) << out.str();
  EXPECT_NE(out.str().find("Re-check: 1 duplicate rows remain"), std::string::npos) << out.str();
  EXPECT_EQ(addresses(*store), (std::vector<std::string>{"100.1.1.1:40001", "100.1.1.1:40002"}));

  // The next run sorts it out with the new values.
  std::ostringstream out2, err2;
  EXPECT_EQ(run_dedupe(*store, true, out2, err2), 0) << out2.str();
  EXPECT_EQ(addresses(*store), (std::vector<std::string>{"100.1.1.1:40001"}));
}

// ---- the command line -------------------------------------------------------------------

int run(std::vector<std::string> args, std::string* out_text = nullptr, std::string* err_text = nullptr) {
  args.insert(args.begin(), "dedupe");
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  std::ostringstream out, err;
  int code = run_dedupe_command(static_cast<int>(argv.size()), argv.data(), out, err);
  if (out_text) *out_text = out.str();
  if (err_text) *err_text = err.str();
  return code;
}

TEST(DedupeCommand, DryRunByDefaultApplyWithTheFlag) {
  TempDatabase db;
  {
    auto store = open_ok(db.url());
    ASSERT_TRUE(store);
    write_entries(*store, messy_registry(), 5000);
  }
  std::string out, err;
  EXPECT_EQ(run({"--database-url", db.url()}, &out, &err), 0) << err;
  EXPECT_NE(out.find("Database: " + db.url()), std::string::npos) << out;
  EXPECT_NE(out.find("Mode: dry run"), std::string::npos) << out;
  EXPECT_EQ(addresses(*open_ok(db.url())).size(), 16u);

  EXPECT_EQ(run({"--database-url", db.url(), "--apply"}, &out, &err), 0) << err;
  EXPECT_NE(out.find("Mode: apply"), std::string::npos) << out;
  EXPECT_EQ(addresses(*open_ok(db.url())).size(), 13u);
}

TEST(DedupeCommand, MissingDatabaseIsAnErrorAndIsNotCreated) {
  TempDatabase db;
  const std::string missing = (db.dir() / "nothing" / "here.db").string();
  std::string out, err;
  EXPECT_EQ(run({"--database-url", "sqlite://" + missing}, &out, &err), 1);
  EXPECT_NE(err.find("no database at " + missing), std::string::npos) << err;
  EXPECT_FALSE(std::filesystem::exists(missing));
  EXPECT_FALSE(std::filesystem::exists(db.dir() / "nothing"));
}

TEST(DedupeCommand, BadUrlsAndFlagsAreErrors) {
  std::string out, err;
  EXPECT_EQ(run({"--database-url", "mysql://user:secret@host/db"}, &out, &err), 1);
  EXPECT_EQ(err.find("secret"), std::string::npos) << err;  // credentials are never echoed
  EXPECT_EQ(out.find("secret"), std::string::npos) << out;
  EXPECT_EQ(run({"--bogus"}, &out, &err), 2);
  EXPECT_EQ(run({"--apply", "extra"}, &out, &err), 2);
  EXPECT_EQ(run({"--help"}, &out, &err), 0);
  EXPECT_NE(out.find("--apply"), std::string::npos) << out;
  EXPECT_NE(out.find("Exit codes"), std::string::npos) << out;
}

TEST(DedupeCommand, DatabaseUrlComesFromFlagThenEnvironmentThenServesDefault) {
  EXPECT_EQ(choose_database_url("sqlite:///a.db", "sqlite:///b.db"), "sqlite:///a.db");
  EXPECT_EQ(choose_database_url("", "sqlite:///b.db"), "sqlite:///b.db");
  const std::string fallback = "sqlite://" + (std::filesystem::current_path() / "data" / "pnode-analytics.db").string();
  EXPECT_EQ(choose_database_url("", ""), fallback);
  EXPECT_EQ(choose_database_url("", nullptr), fallback);
}

}  // namespace
}  // namespace pnode::app
