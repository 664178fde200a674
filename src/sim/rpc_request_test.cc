#include "sim/rpc_request.h"

#include <gtest/gtest.h>

namespace pnode::sim {
namespace {

RpcCall expect_call(std::string_view content_type, std::string_view body) {
  auto r = parse_rpc_request(content_type, body);
  EXPECT_TRUE(std::holds_alternative<RpcCall>(r)) << body;
  return std::holds_alternative<RpcCall>(r) ? std::get<RpcCall>(r) : RpcCall{};
}

Rejection expect_rejection(std::string_view content_type, std::string_view body) {
  auto r = parse_rpc_request(content_type, body);
  EXPECT_TRUE(std::holds_alternative<Rejection>(r)) << body;
  return std::holds_alternative<Rejection>(r) ? std::get<Rejection>(r) : Rejection{};
}

TEST(RpcRequest, EchoesAnyIdVerbatimAndNullWhenAbsent) {
  EXPECT_EQ(expect_call("application/json", R"({"jsonrpc":"2.0","method":"get-version","id":1767498079441})").id_json,
            "1767498079441");
  EXPECT_EQ(expect_call("application/json", R"({"jsonrpc":"2.0","method":"m","id":"req-7"})").id_json, "\"req-7\"");
  EXPECT_EQ(expect_call("application/json", R"({"jsonrpc":"2.0","method":"m"})").id_json, "null");
  EXPECT_EQ(expect_call("application/json", R"({"id":18446744073709551615,"jsonrpc":"2.0","method":"m"})").id_json,
            "18446744073709551615");
  EXPECT_EQ(expect_call("application/json", R"({"id":-3,"jsonrpc":"2.0","method":"m"})").id_json, "-3");
  EXPECT_EQ(expect_call("application/json", R"({"id":1.0,"jsonrpc":"2.0","method":"m"})").id_json, "1.0");
  // serde_json::Value re-serialises objects compactly with sorted keys.
  EXPECT_EQ(expect_call("application/json", R"({"id": {"b": 1, "a": [true, null]},"jsonrpc":"2.0","method":"m"})")
                .id_json,
            R"({"a":[true,null],"b":1})");
}

TEST(RpcRequest, IgnoresParamsAndAcceptsJsonContentTypeVariants) {
  auto call = expect_call("Application/JSON; charset=utf-8",
                          R"({"jsonrpc":"1.0","method":"get-pods","params":[],"id":1})");
  EXPECT_EQ(call.method, "get-pods");
  expect_call("application/vnd.api+json", R"({"jsonrpc":"2.0","method":"x","params":null})");
}

TEST(RpcRequest, RejectsLikeAxum) {
  auto missing = expect_rejection("", R"({"jsonrpc":"2.0","method":"get-version"})");
  EXPECT_EQ(missing.status, 415);
  EXPECT_EQ(missing.text, "Expected request with `Content-Type: application/json`");
  EXPECT_EQ(expect_rejection("text/plain", R"({"jsonrpc":"2.0","method":"m"})").status, 415);

  auto invalid = expect_rejection("application/json", R"({"jsonrpc":"2.0",)");
  EXPECT_EQ(invalid.status, 400);
  EXPECT_TRUE(invalid.text.starts_with("Failed to parse the request body as JSON: ")) << invalid.text;
  EXPECT_EQ(expect_rejection("application/json", "").status, 400);
  EXPECT_EQ(expect_rejection("application/json", R"({"jsonrpc":"2.0","method":"m"} x)").status, 400);

  auto no_method = expect_rejection("application/json", R"({"jsonrpc":"2.0","id":1})");
  EXPECT_EQ(no_method.status, 422);
  EXPECT_EQ(no_method.text, "Failed to deserialize the JSON body into the target type: missing field `method`");
  EXPECT_EQ(expect_rejection("application/json", R"({"method":"get-version"})").status, 422);
  EXPECT_EQ(expect_rejection("application/json", R"({"jsonrpc":2,"method":"get-version"})").status, 422);
  EXPECT_EQ(expect_rejection("application/json", R"([{"jsonrpc":"2.0","method":"get-version"}])").status, 422);
  EXPECT_EQ(expect_rejection("application/json", "42").status, 422);
}

TEST(CanonicalJson, SortsKeysAndCompacts) {
  EXPECT_EQ(canonical_json(R"( { "z" : 1 , "a" : { "y" : 0.5 , "b" : "s" } } )"), R"({"a":{"b":"s","y":0.5},"z":1})");
  EXPECT_EQ(canonical_json("{"), "");
}

}  // namespace
}  // namespace pnode::sim
