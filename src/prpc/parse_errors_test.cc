// Tests of pRPC parsing: JSON-RPC errors, malformed input and the shapes parse.cc accepts.
#include "prpc/parse.h"
#include "prpc/test_fixtures.h"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

namespace pnode::prpc {
namespace {

using testing::fixture;
using testing::kCompact204;

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

}  // namespace
}  // namespace pnode::prpc
