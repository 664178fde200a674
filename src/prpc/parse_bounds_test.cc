// Tests of the bounds on network input (bounds.h): each hostile value reads as missing,
// is counted in rejected_fields, and never costs the row or the rest of the answer.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "http/tail_room.h"
#include "prpc/bounds.h"
#include "prpc/parse.h"

namespace pnode::prpc {
namespace {

// One pod row with `fields` (a JSON fragment) added after its address.
Result<PodList> parse_row(const std::string& fields) {
  return parse_pods(std::string(R"({"pods":[{"address":"1.2.3.4:9001",)") + fields + "}]}");
}

const Pod& only_pod(const Result<PodList>& r) {
  EXPECT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pods.size(), 1u);
  return r->pods.at(0);
}

std::string quoted(const std::string& s) { return "\"" + s + "\""; }

// ---- strings --------------------------------------------------------------------------------

TEST(ParseBounds, AOneMebibyteVersionIsDroppedWithoutCostingTheRow) {
  const std::string huge(1 << 20, '1');
  auto r = parse_row(R"("version":)" + quoted(huge) + R"(,"uptime":5)");
  const Pod& p = only_pod(r);
  EXPECT_FALSE(p.version);
  EXPECT_EQ(p.uptime, 5u);
  EXPECT_EQ(r->rejected_fields, 1u);
}

TEST(ParseBounds, VersionsKeepTheirLengthAndCharsetRule) {
  const std::vector<std::string> valid = {"0.8.0", "0.8.0-trynet.20251212183600.9eea72e", "unknown", "1.0.0+build_7",
                                          std::string(kMaxVersionBytes, '9')};
  for (const std::string& version : valid) {
    auto r = parse_row(R"("version":)" + quoted(version));
    EXPECT_EQ(only_pod(r).version, version);
    EXPECT_EQ(r->rejected_fields, 0u) << version;
  }
  const std::vector<std::string> invalid = {std::string(kMaxVersionBytes + 1, '9'), "0.8.0 beta", "<script>",
                                            "0.8.0\\n", "0.8.0\\u0000", "v\\u00e9", "(other)"};
  for (const std::string& version : invalid) {
    auto r = parse_row(R"("version":)" + quoted(version));
    EXPECT_FALSE(only_pod(r).version) << version;
    EXPECT_EQ(r->rejected_fields, 1u) << version;
  }
}

TEST(ParseBounds, TheV04LastSeenTextIsShortPrintableAscii) {
  auto kept = parse_row(R"("last_seen":"2025-09-19 10:00:00 UTC")");
  EXPECT_EQ(only_pod(kept).last_seen, "2025-09-19 10:00:00 UTC");
  const std::vector<std::string> invalid = {std::string(1 << 20, 'x'), std::string(kMaxTextBytes + 1, 'x'), "a\\tb",
                                            "\\u00e9t\\u00e9"};
  for (const std::string& text : invalid) {
    auto r = parse_row(R"("last_seen":)" + quoted(text));
    EXPECT_FALSE(only_pod(r).last_seen) << text.substr(0, 20);
    EXPECT_EQ(r->rejected_fields, 1u);
  }
}

TEST(ParseBounds, AnAddressWithASpaceOrControlByteSkipsTheRow) {
  auto r = parse_pods(R"({"pods":[
      {"address":"1.1.1.1:9001\nFAKE LOG LINE"},
      {"address":"1.1.1.2 :9001"},
      {"address":"1.1.1.3:9001\u00e9"},
      {"address":"[2001:db8::1]:9001"},
      {"address":"1.1.1.4:9001"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 2u);
  EXPECT_EQ(r->pods[0].address, "[2001:db8::1]:9001");
  EXPECT_EQ(r->pods[1].address, "1.1.1.4:9001");
  EXPECT_EQ(r->skipped, 3u);
}

TEST(ParseBounds, APubkeyOutsideBase58IsMissing) {
  auto r = parse_pods(R"({"pods":[
      {"address":"1.1.1.1:9001","pubkey":"Has0Zero"},
      {"address":"2.2.2.2:9001","pubkey":"HasOLetterO"},
      {"address":"3.3.3.3:9001","pubkey":"has space"},
      {"address":"4.4.4.4:9001","pubkey":"9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin"},
      {"pubkey":"Il1"}]})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  ASSERT_EQ(r->pods.size(), 4u);
  EXPECT_FALSE(r->pods[0].pubkey);
  EXPECT_FALSE(r->pods[1].pubkey);
  EXPECT_FALSE(r->pods[2].pubkey);
  EXPECT_EQ(r->pods[3].pubkey, "9xQeWvG816bUx9EPjHmaT23yvVM2ZWbrrpZb9PusVFin");
  EXPECT_EQ(r->skipped, 1u);  // no address, and its key is no key
  EXPECT_EQ(r->rejected_fields, 4u);
}

// ---- numbers --------------------------------------------------------------------------------

TEST(ParseBounds, UsagePercentMustLieWithinZeroToHundred) {
  for (const char* percent : {"0", "0.0", "4.6764705882352943e-7", "50", "100"}) {
    auto r = parse_row(std::string(R"("storage_usage_percent":)") + percent);
    EXPECT_TRUE(only_pod(r).storage_usage_percent) << percent;
    EXPECT_EQ(r->rejected_fields, 0u) << percent;
  }
  for (const char* percent : {"-50", "-0.001", "100.0001", "1.8e308", "-1.8e308", "1e30", "\"50\"", "true"}) {
    auto r = parse_row(std::string(R"("storage_usage_percent":)") + percent);
    EXPECT_FALSE(only_pod(r).storage_usage_percent) << percent;
    EXPECT_EQ(r->rejected_fields, 1u) << percent;
  }
}

TEST(ParseBounds, NumbersBeyondTheDoubleRangeAreDroppedNotMalformed) {
  for (const char* number : {"1e400", "-1e400", "1E+400", "123456789e999"}) {
    auto r = parse_row(std::string(R"("storage_usage_percent":)") + number + R"( ,"uptime":)" + number +
                       R"(,"rpc_port":)" + number + R"(,"version":"0.8.0")");
    const Pod& p = only_pod(r);
    EXPECT_FALSE(p.storage_usage_percent) << number;
    EXPECT_FALSE(p.uptime) << number;
    EXPECT_FALSE(p.rpc_port) << number;
    EXPECT_EQ(p.version, "0.8.0");  // the rest of the row is read
    EXPECT_EQ(r->rejected_fields, 3u) << number;
  }
  for (const char* malformed : {"-", "1.", "1e", "--1", "01"}) {
    auto r = parse_row(std::string(R"("uptime":)") + malformed);
    ASSERT_FALSE(r.ok()) << malformed;
    EXPECT_EQ(r.error().code, ErrorCode::kInvalidJson) << malformed;
  }
}

TEST(ParseBounds, UptimesBeyondAHundredYearsAreDropped) {
  auto kept = parse_row(R"("uptime":)" + std::to_string(kMaxUptimeSeconds));
  EXPECT_EQ(only_pod(kept).uptime, kMaxUptimeSeconds);
  // 5e15 hours, in seconds: fits 64 bits, fits no machine.
  for (const char* uptime : {"18000000000000000000", "3155760001", "-1"}) {
    auto r = parse_row(std::string(R"("uptime":)") + uptime);
    EXPECT_FALSE(only_pod(r).uptime) << uptime;
    EXPECT_EQ(r->rejected_fields, 1u) << uptime;
    auto alias = parse_row(std::string(R"("uptime_seconds":)") + uptime);
    EXPECT_FALSE(only_pod(alias).uptime) << uptime;
  }
}

TEST(ParseBounds, GossipTimesBefore2020OrAfter2099AreDropped) {
  for (int64_t t : {kMinTimestamp, int64_t{1765978692}, kMaxTimestamp - 1}) {
    auto r = parse_row(R"("last_seen_timestamp":)" + std::to_string(t));
    EXPECT_EQ(only_pod(r).last_seen_timestamp, t);
  }
  for (int64_t t : {int64_t{-1}, int64_t{0}, kMinTimestamp - 1, kMaxTimestamp, int64_t{9223372036854775807}}) {
    auto r = parse_row(R"("last_seen_timestamp":)" + std::to_string(t));
    EXPECT_FALSE(only_pod(r).last_seen_timestamp) << t;
    EXPECT_EQ(r->rejected_fields, 1u) << t;
  }
}

TEST(ParseBounds, PortsLieWithinOneTo65535) {
  for (int64_t port : {kMinPort, int64_t{6000}, kMaxPort}) {
    auto r = parse_row(R"("rpc_port":)" + std::to_string(port));
    EXPECT_EQ(only_pod(r).rpc_port, port);
  }
  for (int64_t port : {int64_t{0}, int64_t{-1}, kMaxPort + 1}) {
    auto r = parse_row(R"("rpc_port":)" + std::to_string(port));
    EXPECT_FALSE(only_pod(r).rpc_port) << port;
    EXPECT_EQ(r->rejected_fields, 1u) << port;
  }
}

TEST(ParseBounds, StorageBeyondAnExbibyteIsDropped) {
  auto kept = parse_row(R"("storage_committed":)" + std::to_string(kMaxBytes) + R"(,"storage_used":0)");
  EXPECT_EQ(only_pod(kept).storage_committed, kMaxBytes);
  EXPECT_EQ(only_pod(kept).storage_used, 0u);
  auto r = parse_row(R"("storage_committed":)" + std::to_string(kMaxBytes + 1) +
                     R"(,"storage_used":18446744073709551615)");
  EXPECT_FALSE(only_pod(r).storage_committed);
  EXPECT_FALSE(only_pod(r).storage_used);
  EXPECT_EQ(r->rejected_fields, 2u);
}

TEST(ParseBounds, NullIsMissingButNotRejected) {
  auto r = parse_row(R"("version":null,"uptime":null,"storage_usage_percent":null,"pubkey":null)");
  EXPECT_FALSE(only_pod(r).version);
  EXPECT_EQ(r->rejected_fields, 0u);
}

TEST(ParseBounds, RejectionsAddUpOverRowsAndTotalCount) {
  auto r = parse_pods(R"({"pods":[{"address":"1.1.1.1:9001","uptime":-1},{"address":"2.2.2.2:9001","rpc_port":0}],
      "total_count":-3})");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->pods.size(), 2u);
  EXPECT_FALSE(r->total_count);
  EXPECT_EQ(r->rejected_fields, 3u);
}

// ---- get-stats and get-version ----------------------------------------------------------------

TEST(ParseBounds, StatsOutOfRangeAreDroppedAndCounted) {
  auto s = parse_get_stats(R"({"cpu_percent":-50,"uptime":18000000000000000000,"ram_total":1000,"ram_used":2000,
      "total_bytes":18446744073709551615,"active_streams":5000000000,"last_updated":5,"file_size":1024})");
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_FALSE(s->cpu_percent);
  EXPECT_FALSE(s->uptime);
  EXPECT_EQ(s->ram_total, 1000u);
  EXPECT_FALSE(s->ram_used);  // more RAM used than there is
  EXPECT_FALSE(s->total_bytes);
  EXPECT_FALSE(s->active_streams);
  EXPECT_FALSE(s->last_updated);
  EXPECT_EQ(s->file_size, 1024u);
  EXPECT_EQ(s->rejected_fields, 6u);

  auto ok = parse_get_stats(R"({"cpu_percent":100,"last_updated":0,"ram_total":8,"ram_used":8})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->cpu_percent, 100.0);
  EXPECT_EQ(ok->last_updated, 0u);  // nodes send 0 before their first update
  EXPECT_EQ(ok->ram_used, 8u);
  EXPECT_EQ(ok->rejected_fields, 0u);
}

TEST(ParseBounds, AnImplausibleGetVersionIsWrongShape) {
  for (const std::string& version : std::vector<std::string>{std::string(1 << 20, '1'), std::string("0.8.0; rm -rf")}) {
    auto r = parse_get_version(R"({"result":{"version":)" + quoted(version) + "}}");
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kWrongShape);
    EXPECT_LT(r.error().message.size(), 100u);  // the message does not echo the value
  }
  auto ok = parse_get_version(R"({"result":{"version":"0.8.0-trynet.20251212183600.9eea72e"}})");
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->version, "0.8.0-trynet.20251212183600.9eea72e");
}

TEST(ParseBounds, AnRpcErrorMessageIsCutToShortPrintableText) {
  const std::string huge(1 << 20, 'x');
  for (const std::string& body : {R"({"error":{"code":-32000,"message":")" + huge + R"("},"id":1})",
                                  R"({"error":")" + huge + R"(","id":1})"}) {
    auto r = parse_pods(body);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, ErrorCode::kRpcError);
    EXPECT_LE(r.error().message.size(), kMaxErrorTextBytes + 7);  // "-32000 " and the cut message
  }
  auto odd = parse_pods(R"({"error":{"code":-32000,"message":"bad\nline \u00e9\u001b[31m"},"id":1})");
  ASSERT_FALSE(odd.ok());
  EXPECT_EQ(odd.error().message, "-32000 bad?line ???[31m");  // é is two bytes
}

}  // namespace
}  // namespace pnode::prpc

namespace pnode::prpc {
namespace {

// A pods answer of `bytes` or a little more: rows padded with a long last_seen-free field.
std::string pods_body_of(size_t bytes) {
  std::string body = R"({"pods":[)";
  const std::string pad(200, 'x');
  for (size_t i = 0; body.size() < bytes; ++i) {
    if (i) body += ',';
    body += R"({"address":"10.)" + std::to_string(i / 65536 % 256) + "." + std::to_string(i / 256 % 256) + "." +
            std::to_string(i % 256) + R"(:9001","note":")" + pad + R"("})";
  }
  return body + "]}";
}

// The large pod-list parses keep their buffers for the next seed's list, but a hostile
// answer much larger than usual pins its size only until the next usual one; an answer
// beyond the reusable size is parsed in buffers of its own, never kept.
TEST(ParseBounds, ALargeAnswerPinsItsParseBuffersOnlyUntilTheNextUsualOne) {
  const std::string usual = pods_body_of(1u << 20), large = pods_body_of(40u << 20), huge = pods_body_of(65u << 20);
  ASSERT_TRUE(parse_pods(usual).ok());
  const size_t kept = shared_pods_parse_buffer_bytes();
  EXPECT_GE(kept, usual.size());
  EXPECT_LT(kept, 2 * usual.size());
  ASSERT_TRUE(parse_pods(large).ok());
  EXPECT_GE(shared_pods_parse_buffer_bytes(), large.size());
  ASSERT_TRUE(parse_pods(usual).ok());
  EXPECT_LT(shared_pods_parse_buffer_bytes(), 2 * usual.size()) << "shrunk back at the next usual answer";
  ASSERT_TRUE(parse_pods(huge).ok());
  EXPECT_LT(shared_pods_parse_buffer_bytes(), 2 * usual.size()) << "a body beyond the reusable size is not kept";
}

// A list's storage is sized from its body's bytes, never from its row count: a body of
// a million empty rows (3 bytes each, every one skipped) reserves room for the rows its
// size could hold at real rows' length, not a million pods (256 MB).
TEST(ParseBounds, AListOfTinyRowsReservesByItsBytesNotItsRowCount) {
  constexpr size_t kRows = 1'000'000;
  std::string body = "{\"pods\":[";
  body.reserve(3 * kRows + 16);
  for (size_t i = 0; i < kRows; ++i) body += i ? ",{}" : "{}";
  body += "]}";
  auto r = parse_pods(body);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->skipped, kRows);
  EXPECT_TRUE(r->pods.empty());
  EXPECT_LE(r->pods.capacity(), body.size() / 128 * 17 / 16 + 1);
}

// The server frees the shared buffers after each cycle: nothing of them stays between
// cycles, and the next large answer parses as before.
TEST(ParseBounds, ReleasedSharedParseBuffersHoldNothingAndParseAgain) {
  const std::string usual = pods_body_of(1u << 20);
  ASSERT_TRUE(parse_pods(usual).ok());
  EXPECT_GE(shared_pods_parse_buffer_bytes(), usual.size());
  release_shared_parse_buffers();
  EXPECT_EQ(shared_pods_parse_buffer_bytes(), 0u);
  auto again = parse_pods(usual);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_FALSE(again->pods.empty());
  EXPECT_GE(shared_pods_parse_buffer_bytes(), usual.size());
}

// A body with room for the padding after it is parsed where it lies: no padded copy is
// made, the result is the copying parse's, and the body is given back unchanged. Without
// the room it is copied as before.
TEST(ParseBounds, ABodyWithTailRoomIsParsedInPlaceAndGivenBackUnchanged) {
  const std::string text = pods_body_of(1u << 20);
  auto copied = parse_pods(text);
  ASSERT_TRUE(copied.ok());
  release_shared_parse_buffers();

  std::string roomy;
  roomy.reserve(text.size() + http::kBodyTailRoom);
  roomy = text;
  auto in_place = parse_pods_in_place(roomy);
  ASSERT_TRUE(in_place.ok()) << in_place.error().message;
  EXPECT_EQ(in_place->pods, copied->pods);
  EXPECT_EQ(roomy, text);
  EXPECT_EQ(shared_pods_parse_buffer_bytes(), 0u) << "no padded copy";

  std::string tight = text;
  tight.shrink_to_fit();
  ASSERT_LT(tight.capacity(), text.size() + http::kBodyTailRoom);
  auto fallback = parse_pods_in_place(tight);
  ASSERT_TRUE(fallback.ok());
  EXPECT_EQ(fallback->pods, copied->pods);
  EXPECT_EQ(tight, text);
  EXPECT_GE(shared_pods_parse_buffer_bytes(), text.size()) << "copied into the padded buffers";

  std::string broken = text.substr(0, text.size() / 2);
  broken.reserve(text.size() + http::kBodyTailRoom);
  EXPECT_FALSE(parse_pods_in_place(broken).ok());
  EXPECT_EQ(broken, text.substr(0, text.size() / 2)) << "given back unchanged after a failed parse too";
}

}  // namespace
}  // namespace pnode::prpc
