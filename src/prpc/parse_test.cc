// Tests of pRPC parsing of every recorded payload, checked field by field against an
// independent scan of the raw text. The error, shape and leniency rules of parse.cc are
// tested in parse_errors_test.cc and parse_rows_test.cc.
#include "prpc/parse.h"
#include "prpc/test_fixtures.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

namespace pnode::prpc {
namespace {

namespace fs = std::filesystem;

const fs::path kFixtures = PNODE_FIXTURES_DIR;

using testing::kCompact204;
using testing::kPretty198;
using testing::kGetPods22;
using testing::kGetPodsEmpty;

using testing::fixture;
using testing::read_file;

// The raw token after every `"key":` in text, in document order (a scan that shares no
// code with the parser). Tokens end at ',', '}', ']' or a newline; strings keep quotes.
std::vector<std::string> raw_values(const std::string& text, const std::string& key) {
  std::vector<std::string> out;
  const std::string needle = "\"" + key + "\"";
  for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) {
    size_t i = at + needle.size();
    while (i < text.size() && text[i] == ' ') ++i;
    if (i >= text.size() || text[i] != ':') continue;  // a value, not a key
    ++i;
    while (i < text.size() && text[i] == ' ') ++i;
    size_t end = i;
    if (text[i] == '"') {
      end = text.find('"', i + 1) + 1;
    } else {
      while (end < text.size() && std::string_view(",}]\r\n").find(text[end]) == std::string_view::npos) ++end;
    }
    out.push_back(text.substr(i, end - i));
  }
  return out;
}

std::string raw_of(const std::optional<std::string>& s) { return s ? "\"" + *s + "\"" : "null"; }
std::string raw_of(const std::optional<bool>& b) { return b ? (*b ? "true" : "false") : "null"; }
template <class Int>
std::string raw_of(const std::optional<Int>& n) { return n ? std::to_string(*n) : "null"; }

// Checks that every pod field the text carries equals the raw token at the same position.
void expect_pods_match_raw_text(const std::string& text, const PodList& list) {
  const size_t n = list.pods.size();
  auto check_strings = [&](const std::string& key, auto get) {
    auto raw = raw_values(text, key);
    ASSERT_EQ(raw.size(), n) << key;
    for (size_t i = 0; i < n; ++i) EXPECT_EQ(raw_of(get(list.pods[i])), raw[i]) << key << " of pod " << i;
  };
  check_strings("address", [](const Pod& p) { return std::optional<std::string>(p.address); });
  check_strings("pubkey", [](const Pod& p) { return p.pubkey; });
  check_strings("version", [](const Pod& p) { return p.version; });
  check_strings("last_seen_timestamp", [](const Pod& p) { return p.last_seen_timestamp; });
  if (raw_values(text, "is_public").empty()) return;  // plain get-pods: no stats keys
  check_strings("is_public", [](const Pod& p) { return p.is_public; });
  check_strings("rpc_port", [](const Pod& p) { return p.rpc_port; });
  check_strings("storage_committed", [](const Pod& p) { return p.storage_committed; });
  check_strings("storage_used", [](const Pod& p) { return p.storage_used; });
  check_strings("uptime", [](const Pod& p) { return p.uptime; });
  auto percents = raw_values(text, "storage_usage_percent");
  ASSERT_EQ(percents.size(), n);
  for (size_t i = 0; i < n; ++i) {
    const auto& got = list.pods[i].storage_usage_percent;
    if (percents[i] == "null") {
      EXPECT_FALSE(got) << "pod " << i;
    } else {
      ASSERT_TRUE(got) << "pod " << i;
      EXPECT_EQ(*got, std::strtod(percents[i].c_str(), nullptr)) << "pod " << i;  // exact: same decimal
    }
  }
}

size_t count_raw(const std::string& text, const std::string& key, const std::string& value) {
  auto raw = raw_values(text, key);
  return std::count(raw.begin(), raw.end(), value);
}

size_t count_pods(const PodList& list, std::optional<bool> is_public) {
  return std::count_if(list.pods.begin(), list.pods.end(), [&](const Pod& p) { return p.is_public == is_public; });
}

const Pod* find_pod(const PodList& list, const std::string& address) {
  for (const auto& p : list.pods) {
    if (p.address == address) return &p;
  }
  return nullptr;
}

// ---- every recorded payload -----------------------------------------------------------

TEST(ParseFixtures, EveryPrpcPayloadInTheFolderParses) {
  size_t parsed = 0;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    const std::string name = entry.path().filename().string();
    if (entry.path().extension() != ".json" || name.rfind("aux_", 0) == 0) continue;
    const std::string body = read_file(entry.path());
    SCOPED_TRACE(name);
    if (name.rfind("get-pods", 0) == 0) {
      auto r = parse_pods(body);
      ASSERT_TRUE(r.ok()) << r.error().kind() << ": " << r.error().message;
      EXPECT_EQ(r->skipped, 0u);
      EXPECT_EQ(r->rejected_fields, 0u);  // the bounds (bounds.h) keep every real value
      ASSERT_TRUE(r->total_count);
      EXPECT_EQ(*r->total_count, r->pods.size());
      EXPECT_EQ(r->pods.size(), raw_values(body, "address").size());
    } else if (name.rfind("get-stats", 0) == 0) {
      auto r = parse_get_stats(body);
      ASSERT_TRUE(r.ok()) << r.error().kind() << ": " << r.error().message;
      // Every capture carries all 12 keys with a value.
      EXPECT_TRUE(r->active_streams && r->cpu_percent && r->current_index && r->file_size &&
                  r->last_updated && r->packets_received && r->packets_sent && r->ram_total &&
                  r->ram_used && r->total_bytes && r->total_pages && r->uptime);
      EXPECT_EQ(r->active_streams, 2u);
      EXPECT_EQ(r->rejected_fields, 0u);
    } else if (name.rfind("get-version", 0) == 0) {
      auto r = parse_get_version(body);
      ASSERT_TRUE(r.ok()) << r.error().kind() << ": " << r.error().message;
      EXPECT_EQ("\"" + r->version + "\"", raw_values(body, "version").at(0));
    } else {
      ADD_FAILURE() << "unexpected fixture " << name;
      continue;
    }
    ++parsed;
  }
  EXPECT_GE(parsed, 11u);  // 4 pods, 5 stats, 2 version captures at the time of writing
}

TEST(ParseFixtures, Compact204PodsFirstPodAndAllFields) {
  const std::string body = fixture(kCompact204);
  auto r = parse_pods(body);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 204u);
  EXPECT_EQ(r->total_count, 204u);
  EXPECT_EQ(r->skipped, 0u);

  const Pod& first = r->pods.front();
  EXPECT_EQ(first.address, "173.212.207.32:9001");
  EXPECT_EQ(first.is_public, true);
  EXPECT_EQ(first.last_seen_timestamp, 1765978692);
  EXPECT_EQ(first.pubkey, "EcTqXgB6VJStAtBZAXcjLHf5ULj41H1PFZQ17zKosbhL");
  EXPECT_EQ(first.rpc_port, 6000);
  EXPECT_EQ(first.storage_committed, 340000000000u);
  EXPECT_EQ(first.storage_usage_percent, 4.6764705882352943e-7);
  EXPECT_EQ(first.storage_used, 1590u);
  EXPECT_EQ(first.uptime, 208871u);
  EXPECT_EQ(first.version, "0.8.0");
  EXPECT_FALSE(first.last_seen);

  expect_pods_match_raw_text(body, *r);
  EXPECT_EQ(count_pods(*r, true), count_raw(body, "is_public", "true"));
  EXPECT_EQ(count_pods(*r, false), count_raw(body, "is_public", "false"));
  EXPECT_EQ(count_pods(*r, true), 58u);  // docs/protocol.md §5.1
}

TEST(ParseFixtures, Compact204PodsAllNullRow) {
  auto r = parse_pods(fixture(kCompact204));
  ASSERT_TRUE(r.ok());
  const Pod* p = find_pod(*r, "149.102.137.195:9001");
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->last_seen_timestamp, 1765975314);
  EXPECT_EQ(p->version, "unknown");
  EXPECT_FALSE(p->is_public);
  EXPECT_FALSE(p->pubkey);
  EXPECT_FALSE(p->rpc_port);
  EXPECT_FALSE(p->storage_committed);
  EXPECT_FALSE(p->storage_usage_percent);
  EXPECT_FALSE(p->storage_used);
  EXPECT_FALSE(p->uptime);
  EXPECT_FALSE(p->last_seen);
  EXPECT_EQ(count_pods(*r, std::nullopt), 1u);
}

TEST(ParseFixtures, Pretty198Pods) {
  const std::string body = fixture(kPretty198);
  auto r = parse_pods(body);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 198u);
  EXPECT_EQ(r->total_count, 198u);
  expect_pods_match_raw_text(body, *r);
  EXPECT_EQ(count_pods(*r, true), 57u);  // §5.1: 57 / 140 / 1
  EXPECT_EQ(count_pods(*r, false), 140u);
  EXPECT_EQ(count_pods(*r, std::nullopt), 1u);
  const Pod& first = r->pods.front();
  EXPECT_EQ(first.address, "173.212.207.32:9001");
  EXPECT_EQ(first.storage_usage_percent, 0.000028513823529411764);
  EXPECT_EQ(first.storage_used, 96947u);
  EXPECT_EQ(r->pods[1].storage_usage_percent, 0.0);
}

TEST(ParseFixtures, GetPods22WithoutStats) {
  const std::string body = fixture(kGetPods22);
  auto r = parse_pods(body);
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 22u);
  EXPECT_EQ(r->total_count, 22u);
  expect_pods_match_raw_text(body, *r);
  for (const Pod& p : r->pods) {
    EXPECT_TRUE(p.pubkey);
    EXPECT_FALSE(p.is_public);
    EXPECT_FALSE(p.rpc_port);
    EXPECT_FALSE(p.storage_committed);
    EXPECT_FALSE(p.storage_used);
    EXPECT_FALSE(p.storage_usage_percent);
    EXPECT_FALSE(p.uptime);
  }
  EXPECT_EQ(r->pods[0].address, "147.93.179.46:9001");
  EXPECT_EQ(r->pods[0].last_seen_timestamp, 1765121904);
  EXPECT_EQ(r->pods[0].version, "0.5.1");
  EXPECT_EQ(r->pods.back().pubkey, "6hNpdshq9w1m2D7YwYgWHgtxyhSmwbTAhaddCbxkhqj6");
}

TEST(ParseFixtures, GetPodsEmpty) {
  auto r = parse_pods(fixture(kGetPodsEmpty));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(r->pods.empty());
  EXPECT_EQ(r->total_count, 0u);
  EXPECT_EQ(r->skipped, 0u);
}

TEST(ParseFixtures, GetVersion) {
  auto v6 = parse_get_version(fixture("get-version_2025-12-05_v0.6.0_nhatlapross.json"));
  ASSERT_TRUE(v6.ok());
  EXPECT_EQ(v6->version, "0.6.0");
  auto v8 = parse_get_version(fixture("get-version_2026-01-04_v0.8.0_id-1767498079441_discord-xandria.json"));
  ASSERT_TRUE(v8.ok());
  EXPECT_EQ(v8->version, "0.8.0");
}

TEST(ParseFixtures, GetStatsFullEnvelopes) {
  auto a = parse_get_stats(fixture("get-stats_2025-12-05T0439Z_v0.6.0_"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->cpu_percent, 0.16447368264198303);
  EXPECT_EQ(a->current_index, 3u);
  EXPECT_EQ(a->file_size, 219000000000u);
  EXPECT_EQ(a->last_updated, 1764909555u);
  EXPECT_EQ(a->packets_received, 1694u);
  EXPECT_EQ(a->packets_sent, 1721u);
  EXPECT_EQ(a->ram_total, 12541607936u);
  EXPECT_EQ(a->ram_used, 728117248u);
  EXPECT_EQ(a->total_bytes, 1749u);
  EXPECT_EQ(a->total_pages, 0u);
  EXPECT_EQ(a->uptime, 41408u);

  auto b = parse_get_stats(fixture("get-stats_2025-12-16T0818Z_v0.8.0_"));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->cpu_percent, 0.4934210181236267);
  EXPECT_EQ(b->current_index, 18u);
  EXPECT_EQ(b->packets_received, 3214911u);
  EXPECT_EQ(b->total_bytes, 99230u);
  EXPECT_EQ(b->uptime, 103309u);
}

TEST(ParseFixtures, GetStatsResultOnly) {
  auto a = parse_get_stats(fixture("get-stats_2025-12-17_v0.7.3_216.234.134.5_result-only_discord-atechwebsol01.json"));
  ASSERT_TRUE(a.ok()) << a.error().message;
  EXPECT_EQ(a->cpu_percent, 1.2195121049880981);
  EXPECT_EQ(a->file_size, 1073741824u);
  EXPECT_EQ(a->ram_total, 4111622144u);
  EXPECT_EQ(a->total_bytes, 0u);
  EXPECT_EQ(a->uptime, 229999u);

  // file_size first: key order must not matter.
  auto b = parse_get_stats(fixture("get-stats_2025-12-22_v0.8.x_result-only_BarrieLAJ-schema-comment.json"));
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(b->file_size, 140000000000u);
  EXPECT_EQ(b->active_streams, 2u);
  EXPECT_EQ(b->total_pages, 1u);
  EXPECT_EQ(b->last_updated, 1766400915u);
  EXPECT_EQ(b->uptime, 302255u);
}

TEST(ParseFixtures, GetStatsStatusDataWrapper) {
  auto r = parse_get_stats(fixture("get-stats_2025-12-28_wrapped-by-client-tool_status-data_discord-xandria.json"));
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->last_updated, 0u);
  EXPECT_EQ(r->total_bytes, 0u);
  EXPECT_EQ(r->file_size, 104857600u);
  EXPECT_EQ(r->cpu_percent, 1.9900497198104858);
  EXPECT_EQ(r->packets_received, 10060552u);
  EXPECT_EQ(r->packets_sent, 11658263u);
  EXPECT_EQ(r->ram_used, 1220251648u);
  EXPECT_EQ(r->uptime, 330117u);
}

}  // namespace
}  // namespace pnode::prpc
