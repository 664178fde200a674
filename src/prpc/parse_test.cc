// Tests of pRPC parsing: every recorded payload, checked field by field against an
// independent scan of the raw text, plus the error, shape and leniency rules of parse.cc.
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
const char* kCompact204 = "get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json";
const char* kPretty198 = "get-pods-with-stats_2025-12-16T0931Z_v0.8_198pods_BarrieLAJ.json";
const char* kGetPods22 = "get-pods_2025-12-07_v0.5-0.6_22pods_atechwebsol01-faq.json";
const char* kGetPodsEmpty = "get-pods_2025-12-05_v0.6.0_empty_nhatlapross.json";

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

// ---- JSON-RPC errors and malformed input --------------------------------------------------

TEST(ParseErrors, MethodNotFoundEnvelope) {
  const std::string body = R"({"error":{"code":-32601,"message":"Method not found"},"id":1,"jsonrpc":"2.0"})";
  auto r = parse_pods(body);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRpcError);
  EXPECT_EQ(r.error().message, "-32601 Method not found");
  EXPECT_EQ(r.error().rpc_code, -32601);
  EXPECT_TRUE(is_method_not_found(r.error()));
  // The same for every method, whatever the key order.
  auto v = parse_get_version(R"({"jsonrpc":"2.0","id":7,"error":{"message":"Method not found","code":-32601}})");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.error().message, "-32601 Method not found");
  EXPECT_TRUE(is_method_not_found(v.error()));
}

TEST(ParseErrors, InternalErrorIsNotMethodNotFound) {
  auto r = parse_get_stats(R"({"error":{"code":-32603,"message":"Internal error"},"id":1,"jsonrpc":"2.0"})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kRpcError);
  EXPECT_EQ(r.error().message, "-32603 Internal error");
  EXPECT_EQ(r.error().rpc_code, -32603);
  EXPECT_FALSE(is_method_not_found(r.error()));
}

TEST(ParseErrors, ErrorWinsOverResult) {
  auto r = parse_get_version(R"({"result":{"version":"1"},"error":{"code":-32000,"message":"x"}})");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().rpc_code, -32000);
}

TEST(ParseErrors, MethodNotFoundIsReadFromTheStructuredCodeNotTheMessage) {
  // The message is never parsed: text that looks like -32601 is not a code.
  EXPECT_FALSE(is_method_not_found(make_error(ErrorCode::kRpcError, "-32601 Method not found")));
  EXPECT_FALSE(is_method_not_found(make_error(ErrorCode::kInvalidJson, "x").with_rpc_code(-32601)));
  EXPECT_TRUE(is_method_not_found(make_error(ErrorCode::kRpcError, "x").with_rpc_code(-32601)));
  auto string_error = parse_pods(R"({"error":"-32601 boom","id":1})");
  ASSERT_FALSE(string_error.ok());
  EXPECT_EQ(string_error.error().code, ErrorCode::kRpcError);
  EXPECT_EQ(string_error.error().message, "-32601 boom");
  EXPECT_EQ(string_error.error().rpc_code, std::nullopt);
  EXPECT_FALSE(is_method_not_found(string_error.error()));
  auto no_code = parse_pods(R"({"error":{"message":"Method not found"},"id":1})");
  ASSERT_FALSE(no_code.ok());
  EXPECT_EQ(no_code.error().message, "Method not found");
  EXPECT_EQ(no_code.error().rpc_code, std::nullopt);
  auto fractional = parse_pods(R"({"error":{"code":-32601.5,"message":"odd"},"id":1})");
  ASSERT_FALSE(fractional.ok());
  EXPECT_EQ(fractional.error().rpc_code, std::nullopt);
}

TEST(ParseErrors, GarbageIsInvalidJson) {
  for (const char* body : {"<html><body>502 Bad Gateway</body></html>", "nonsense", "{\"a\":", "[1,2",
                           "{\"result\":{\"version\":\"1\"}} trailing", "{\"result\":{}}{\"result\":{}}",
                           "{\"result\":{\"pods\":[{\"address\":\"1.2.3.4:1\"]}}", "\"unterminated",
                           "{\"result\":{\"version\":\"0.8.0\",}}"}) {
    SCOPED_TRACE(body);
    auto r = parse_pods(body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson) << r.error().message;
  }
}

TEST(ParseErrors, EmptyBodyIsInvalidJson) {
  for (const char* body : {"", "   ", "\r\n"}) {
    auto r = parse_get_stats(body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson);
  }
}

// Every prefix of a real response is malformed JSON and must be reported as such
// (never a crash, never a partial list).
TEST(ParseErrors, TruncatedResponsesAreInvalidJson) {
  const std::string body = fixture(kCompact204);
  ASSERT_TRUE(parse_pods(body).ok());
  std::vector<size_t> cuts;
  for (size_t n = 1; n < body.size(); n += 97) cuts.push_back(n);
  for (size_t n = body.size() - 64; n < body.size(); ++n) cuts.push_back(n);
  for (size_t n = body.find("},{"); n != std::string::npos && cuts.size() < 2000; n = body.find("},{", n + 1)) {
    cuts.push_back(n + 1);  // cut right after a complete pod: the last byte is '}'
  }
  for (size_t n : cuts) {
    auto r = parse_pods(std::string_view(body).substr(0, n));
    ASSERT_FALSE(r.ok()) << "prefix of " << n << " bytes parsed";
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson) << "prefix of " << n << ": " << r.error().message;
  }
  const std::string small = R"({"error":null,"id":1,"jsonrpc":"2.0","result":{"version":"0.8.0"}})";
  for (size_t n = 1; n < small.size(); ++n) {
    auto r = parse_get_version(std::string_view(small).substr(0, n));
    ASSERT_FALSE(r.ok()) << small.substr(0, n);
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson) << small.substr(0, n);
  }
}

// ---- shapes ------------------------------------------------------------------------------

void expect_wrong_shape(const Result<PodList>& r) {
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kWrongShape) << r.error().message;
}

TEST(ParseShape, ResultOfTheWrongType) {
  expect_wrong_shape(parse_pods(R"({"error":null,"id":1,"jsonrpc":"2.0","result":"pods"})"));
  expect_wrong_shape(parse_pods(R"({"error":null,"id":1,"jsonrpc":"2.0","result":{"pods":5,"total_count":5}})"));
  expect_wrong_shape(parse_pods(R"({"error":null,"id":1,"jsonrpc":"2.0","result":{"pods":null,"total_count":0}})"));
  expect_wrong_shape(parse_pods(R"({"error":null,"id":1,"jsonrpc":"2.0","result":{"total_count":0}})"));
  expect_wrong_shape(parse_pods(R"({"error":null,"id":1,"jsonrpc":"2.0","result":null})"));
  expect_wrong_shape(parse_pods(R"({"error":null,"id":1,"jsonrpc":"2.0"})"));
  expect_wrong_shape(parse_pods(R"({"status":"error","message":"node down"})"));
  expect_wrong_shape(parse_pods("42"));
  expect_wrong_shape(parse_pods("null"));
  expect_wrong_shape(parse_pods(R"("a string")"));

  auto s = parse_get_stats(R"({"error":null,"id":1,"jsonrpc":"2.0","result":"busy"})");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kWrongShape);
  EXPECT_EQ(s.error().message, "result is a string, expected an object");
  // Another method's answer is not all-null stats.
  s = parse_get_stats(R"({"error":null,"id":1,"jsonrpc":"2.0","result":{"version":"0.8.0"}})");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kWrongShape);
  s = parse_get_stats(R"([{"uptime":1}])");
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kWrongShape);

  for (const char* body : {R"({"error":null,"id":1,"jsonrpc":"2.0","result":{}})",
                           R"({"error":null,"id":1,"jsonrpc":"2.0","result":{"version":null}})",
                           R"({"error":null,"id":1,"jsonrpc":"2.0","result":{"version":8}})",
                           R"({"error":null,"id":1,"jsonrpc":"2.0","result":["0.8.0"]})"}) {
    auto v = parse_get_version(body);
    ASSERT_FALSE(v.ok()) << body;
    EXPECT_EQ(v.error().code, ErrorCode::kWrongShape) << body;
  }
}

TEST(ParseShape, BareResultsAndWrappers) {
  auto bare = parse_get_version(R"({"version":"0.7.3"})");
  ASSERT_TRUE(bare.ok());
  EXPECT_EQ(bare->version, "0.7.3");
  auto wrapped = parse_get_version(R"({"status":"success","data":{"version":"1.2.0"}})");
  ASSERT_TRUE(wrapped.ok());
  EXPECT_EQ(wrapped->version, "1.2.0");

  const char* pod = R"({"address":"10.0.0.1:9001","version":"0.8.0"})";
  for (std::string body : {std::string("[") + pod + "]",
                           std::string(R"({"pods":[)") + pod + "]}",
                           std::string(R"({"status":"success","data":{"pods":[)") + pod + "]}}",
                           std::string(R"({"jsonrpc":"2.0","result":[)") + pod + "]}"}) {
    auto r = parse_pods(body);
    ASSERT_TRUE(r.ok()) << body << ": " << r.error().message;
    ASSERT_EQ(r->pods.size(), 1u) << body;
    EXPECT_EQ(r->pods[0].address, "10.0.0.1:9001");
    EXPECT_EQ(r->pods[0].version, "0.8.0");
    EXPECT_FALSE(r->total_count);
  }
}

TEST(ParseShape, NestedGetStatsDocsForm) {
  auto r = parse_get_stats(R"({"jsonrpc":"2.0","id":1,"result":{
      "metadata":{"total_bytes":1749,"total_pages":2,"current_index":3,"last_updated":1764909555},
      "stats":{"cpu_percent":0.5,"ram_used":728117248,"ram_total":12541607936,"uptime":41408,
               "packets_received":1694,"packets_sent":1721,"active_streams":2},
      "file_size":219000000000}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  NodeStats want;
  want.total_bytes = 1749;
  want.total_pages = 2;
  want.current_index = 3;
  want.last_updated = 1764909555;
  want.cpu_percent = 0.5;
  want.ram_used = 728117248;
  want.ram_total = 12541607936;
  want.uptime = 41408;
  want.packets_received = 1694;
  want.packets_sent = 1721;
  want.active_streams = 2;
  want.file_size = 219000000000;
  EXPECT_EQ(*r, want);

  // A nested group that is null leaves its fields empty.
  auto partial = parse_get_stats(R"({"result":{"metadata":null,"stats":{"uptime":5},"file_size":1}})");
  ASSERT_TRUE(partial.ok());
  EXPECT_EQ(partial->uptime, 5u);
  EXPECT_EQ(partial->file_size, 1u);
  EXPECT_FALSE(partial->total_bytes);
}

// ---- numbers -------------------------------------------------------------------------------

TEST(ParseNumbers, IntegralFloatsAreIntegers) {
  auto r = parse_pods(R"({"result":{"pods":[{"address":"1.2.3.4:9001","last_seen_timestamp":1765978692.0,
      "rpc_port":6000.0,"storage_committed":5.0,"storage_used":0.0,"uptime":2.5e3,
      "storage_usage_percent":0}],"total_count":1.0}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 1u);
  const Pod& p = r->pods[0];
  EXPECT_EQ(p.last_seen_timestamp, 1765978692);
  EXPECT_EQ(p.rpc_port, 6000);
  EXPECT_EQ(p.storage_committed, 5u);
  EXPECT_EQ(p.storage_used, 0u);
  EXPECT_EQ(p.uptime, 2500u);
  EXPECT_EQ(p.storage_usage_percent, 0.0);  // an integer where a double is expected
  EXPECT_EQ(r->total_count, 1u);

  auto s = parse_get_stats(R"({"file_size":219000000000.0,"cpu_percent":3,"uptime":5.0})");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->file_size, 219000000000u);
  EXPECT_EQ(s->cpu_percent, 3.0);
  EXPECT_EQ(s->uptime, 5u);
}

TEST(ParseNumbers, UnusableNumbersReadAsNullAndKeepTheRow) {
  auto r = parse_pods(R"({"pods":[{"address":"1.2.3.4:9001","storage_used":-1,"uptime":1.5,
      "storage_committed":1e30,"last_seen_timestamp":0.5,"rpc_port":"6000","is_public":"yes",
      "version":7,"pubkey":false},
      {"address":"5.6.7.8:9001","storage_used":18446744073709551615,"storage_committed":99999999999999999999999,
       "last_seen_timestamp":-5,"rpc_port":9223372036854775808}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 2u);
  const Pod& a = r->pods[0];
  EXPECT_EQ(a.address, "1.2.3.4:9001");
  EXPECT_FALSE(a.storage_used);
  EXPECT_FALSE(a.uptime);
  EXPECT_FALSE(a.storage_committed);
  EXPECT_FALSE(a.last_seen_timestamp);
  EXPECT_FALSE(a.rpc_port);
  EXPECT_FALSE(a.is_public);
  EXPECT_FALSE(a.version);
  EXPECT_FALSE(a.pubkey);
  const Pod& b = r->pods[1];
  EXPECT_EQ(b.storage_used, std::numeric_limits<uint64_t>::max());
  EXPECT_FALSE(b.storage_committed);  // beyond 64 bits
  EXPECT_EQ(b.last_seen_timestamp, -5);  // signed field: a negative value is kept
  EXPECT_FALSE(b.rpc_port);              // beyond int64
}

// ---- pod rows ------------------------------------------------------------------------------

TEST(ParsePods, BadRowsAreSkippedAndCounted) {
  const std::string long_address(129, '1');
  const std::string max_address(128, '2');
  auto r = parse_pods(R"({"result":{"pods":[
      {"address":"1.1.1.1:9001","version":"0.8.0"},
      42, null, "1.2.3.4:9001", [1,2], true,
      {"version":"0.8.0"},
      {"address":null,"pubkey":null,"version":"unknown"},
      {"address":"","pubkey":""},
      {"address":")" + long_address + R"("},
      {"address":"3.3.3.3:9001","pubkey":")" + long_address + R"("},
      {"address":")" + max_address + R"("},
      {"pubkey":"KeyOnly111"},
      {"address":"2.2.2.2:9001","pubkey":"PK2"}],"total_count":14}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->skipped, 10u);
  ASSERT_EQ(r->pods.size(), 4u);
  EXPECT_EQ(r->pods[0].address, "1.1.1.1:9001");
  EXPECT_EQ(r->pods[1].address, max_address);
  EXPECT_EQ(r->pods[2].address, "KeyOnly111");  // keyed by its pubkey
  EXPECT_EQ(r->pods[2].pubkey, "KeyOnly111");
  EXPECT_EQ(r->pods[3].address, "2.2.2.2:9001");
  EXPECT_EQ(r->pods[3].pubkey, "PK2");
  EXPECT_EQ(r->total_count, 14u);  // as sent, not recounted
}

TEST(ParsePods, ExtraUnknownFieldsAreIgnoredAtEveryLevel) {
  auto r = parse_pods(R"({"error":null,"id":"abc","jsonrpc":"2.0","server":{"x":[1,{"y":null}]},
      "result":{"cluster":"devnet","pods":[{"address":"1.2.3.4:9001","pod_credits":12.5,
      "geo":{"lat":1.0,"tags":["a","b"]},"uptime":9,"z":null}],"total_count":1,"next":null}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 1u);
  EXPECT_EQ(r->pods[0].address, "1.2.3.4:9001");
  EXPECT_EQ(r->pods[0].uptime, 9u);
  EXPECT_EQ(r->total_count, 1u);
}

TEST(ParsePods, KeyOrderDoesNotMatter) {
  const std::string sorted =
      R"({"error":null,"id":1,"jsonrpc":"2.0","result":{"pods":[{"address":"173.212.207.32:9001","is_public":true,"last_seen_timestamp":1765978692,"pubkey":"EcTq","rpc_port":6000,"storage_committed":340000000000,"storage_usage_percent":4.6764705882352943e-7,"storage_used":1590,"uptime":208871,"version":"0.8.0"}],"total_count":1}})";
  const std::string shuffled =
      R"({"result":{"total_count":1,"pods":[{"version":"0.8.0","uptime":208871,"storage_used":1590,"storage_usage_percent":4.6764705882352943e-7,"storage_committed":340000000000,"rpc_port":6000,"pubkey":"EcTq","last_seen_timestamp":1765978692,"is_public":true,"address":"173.212.207.32:9001"}]},"jsonrpc":"2.0","id":1,"error":null})";
  auto a = parse_pods(sorted);
  auto b = parse_pods(shuffled);
  ASSERT_TRUE(a.ok() && b.ok());
  ASSERT_EQ(a->pods.size(), 1u);
  EXPECT_EQ(a->pods, b->pods);
  EXPECT_EQ(b->pods[0].uptime, 208871u);
  EXPECT_EQ(b->total_count, 1u);
}

TEST(ParsePods, V04LastSeenStringAndUptimeSecondsAlias) {
  auto r = parse_pods(R"({"result":{"pods":[
      {"address":"1.2.3.4:9001","last_seen":"2025-09-19 10:00:00 UTC","last_seen_timestamp":1758276000,"version":"unknown"},
      {"address":"5.6.7.8:9001","uptime_seconds":77},
      {"address":"9.9.9.9:9001","uptime":0,"uptime_seconds":77},
      {"uptime_seconds":77,"uptime":null,"address":"8.8.8.8:9001"}],"total_count":4}})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 4u);
  EXPECT_EQ(r->pods[0].last_seen, "2025-09-19 10:00:00 UTC");
  EXPECT_EQ(r->pods[0].last_seen_timestamp, 1758276000);
  EXPECT_EQ(r->pods[1].uptime, 77u);
  EXPECT_EQ(r->pods[2].uptime, 0u);  // a real 0 is kept, unlike the original's `or`
  EXPECT_EQ(r->pods[3].uptime, 77u);
}

TEST(ParsePods, EscapedStringsAreUnescaped) {
  auto r = parse_pods(R"({"pods":[{"address":"1.2.3.4:9001","version":"0.8.0-\u0074rynet \"x\""}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pods[0].version, "0.8.0-trynet \"x\"");
}

}  // namespace
}  // namespace pnode::prpc
