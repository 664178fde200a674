// Test fixture for the route tests: a small network run through the real collection cycle
// (collect::assemble_cycle, so views, scores, alerts and insights are the real ones) in
// two cycles eight days apart, an Api over it with a settable clock, and an optional
// SQLite store that both cycles were written to.
//
// The network (seeds s0 = 127.0.0.1:6001 with stats, s1 = 127.0.0.2:6001, s2 = 127.0.0.3:6001):
//   cycle 1 at kT1: s0 lists A, B, F; s1 lists A; s2 fails.
//   cycle 2 at kT2 = kT1 + 8 days + 100 s: s0 lists A, B, C, E; s1 A, B, D, E; s2 A, D, E.
//   So in cycle 2 A, B, C, E, D are online (in that merged order) and F is offline.
//
//   node       uptime       committed  usage  version  public  seeds  pubkey
//   A .1:9001  40 d         200 GiB    50.0   0.8.0    yes     3      pk-A
//   B .2:9001  15 d          50 GiB    10.0   0.8.0    no      2      pk-shared
//   C .3:9001  1800 s        10 GiB    96.0   0.7.2    yes     1      pk-C
//   D .4:9001  2 d          100 GiB     2.0   0.6.0    no      2      pk-shared
//   E .5:9001  36000 s        1 GiB    88.0   0.8.0    yes     3      pk-E
//   F .9:9001  (cycle 1 only: 20 d, 500 GiB, 30.0, 0.8.0, public, s0)  pk-F
//   In cycle 1, A has uptime 32 d and two seeds; B as in cycle 2 but one seed.
// Test-only; not part of pnode_api. Thread-safety: none needed.
#pragma once

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "api/api.h"
#include "api/test_support.h"
#include "collect/cycle.h"
#include "store/store.h"
#include "store/store_test_support.h"
#include "testing/builders.h"
#include "util/json_writer.h"

namespace pnode::api::testing {

namespace json = boost::json;

using ::pnode::testing::make_pod;

inline constexpr int64_t kT1 = 1700000000;
inline constexpr int64_t kT2 = kT1 + 8 * 86400 + 100;
inline constexpr uint64_t kGiB = uint64_t{1} << 30;
inline constexpr const char* kS0 = "127.0.0.1:6001";
inline constexpr const char* kS1 = "127.0.0.2:6001";
inline constexpr const char* kS2 = "127.0.0.3:6001";
inline constexpr const char* kA = "10.0.0.1:9001";
inline constexpr const char* kB = "10.0.0.2:9001";
inline constexpr const char* kC = "10.0.0.3:9001";
inline constexpr const char* kD = "10.0.0.4:9001";
inline constexpr const char* kE = "10.0.0.5:9001";
inline constexpr const char* kF = "10.0.0.9:9001";

// JSON text of a parsed value with doubles written as the API writes them (Python repr:
// "94.0", "0.9167"), where json::serialize would write "9.4E1". Integers stay integers,
// so comparing texts also checks each number's JSON type.
inline std::string to_text(const json::value& v) {
  switch (v.kind()) {
    case json::kind::double_: return format_double(v.get_double());
    case json::kind::object: {
      std::string out = "{";
      for (const auto& kv : v.get_object()) {
        if (out.size() > 1) out += ",";
        out += json::serialize(json::value(kv.key())) + ":" + to_text(kv.value());
      }
      return out + "}";
    }
    case json::kind::array: {
      std::string out = "[";
      for (const auto& item : v.get_array()) {
        if (out.size() > 1) out += ",";
        out += to_text(item);
      }
      return out + "]";
    }
    default: return json::serialize(v);
  }
}

inline collect::SeedAnswer make_seed_answer(std::string seed, std::vector<model::Pod> pods) {
  collect::SeedAnswer a;
  a.poll.seed = std::move(seed);
  a.poll.pod_count = pods.size();
  a.poll.pods_total_count = pods.size();
  a.pods.pods = std::move(pods);
  return a;
}

inline collect::SeedAnswer make_failed_seed_answer(std::string seed) {
  collect::SeedAnswer a;
  a.poll.seed = std::move(seed);
  a.poll.pods_error = make_error(ErrorCode::kTimeout, "timed out");
  return a;
}

struct TestNetwork {
  collect::CycleResult cycle1;
  collect::CycleResult cycle2;
};

inline TestNetwork build_test_network() {
  auto a1 = make_pod(kA, "pk-A", 32 * 86400, 200 * kGiB, 50.0, "0.8.0", true, kT1 - 5);
  auto b1 = make_pod(kB, "pk-shared", 15 * 86400 - 8 * 86400, 50 * kGiB, 10.0, "0.8.0", false, kT1 - 5);
  auto f1 = make_pod(kF, "pk-F", 20 * 86400, 500 * kGiB, 30.0, "0.8.0", true, kT1 - 5);
  auto s0 = make_seed_answer(kS0, {a1, b1, f1});
  model::NodeStats stats;
  stats.cpu_percent = 12.5;
  stats.ram_used = 2 * kGiB;
  stats.ram_total = 8 * kGiB;
  stats.active_streams = 4;
  stats.uptime = 1000;
  stats.total_bytes = 123456;
  s0.poll.stats = stats;
  model::Registry empty;
  TestNetwork net;
  net.cycle1 = collect::assemble_cycle({s0, make_seed_answer(kS1, {a1}), make_failed_seed_answer(kS2)}, empty, 1, kT1 - 2, kT1, {});

  int64_t seen = kT2 - 10;
  auto a = make_pod(kA, "pk-A", 40 * 86400, 200 * kGiB, 50.0, "0.8.0", true, seen);
  auto b = make_pod(kB, "pk-shared", 15 * 86400, 50 * kGiB, 10.0, "0.8.0", false, seen);
  auto c = make_pod(kC, "pk-C", 1800, 10 * kGiB, 96.0, "0.7.2", true, seen);
  auto d = make_pod(kD, "pk-shared", 2 * 86400, 100 * kGiB, 2.0, "0.6.0", false, seen);
  auto e = make_pod(kE, "pk-E", 36000, 1 * kGiB, 88.0, "0.8.0", true, seen);
  auto c2s0 = make_seed_answer(kS0, {a, b, c, e});
  c2s0.poll.stats = stats;
  net.cycle2 = collect::assemble_cycle({c2s0, make_seed_answer(kS1, {a, b, d, e}), make_seed_answer(kS2, {a, d, e})},
                                       *net.cycle1.snapshot->registry, 2, kT2 - 2, kT2, {});
  return net;
}

// An Api over the test network's second cycle (published at construction) with a
// settable clock (`now`, 60 s after kT2 by default) and no store; with_store() opens a
// temporary SQLite store holding both cycles and rebuilds the Api over it.
class RoutesTest : public ::testing::Test {
 protected:
  RoutesTest() : network(build_test_network()) {
    hub.publish(network.cycle2.snapshot);
    make_api();
  }

  void make_api(ApiConfig extra = {}) {
    ApiConfig c = std::move(extra);
    c.cache_ttl = 60;
    c.process_start = kT1;
    c.clock = [this] { return now; };
    api = std::make_unique<Api>(c, hub, store.get());
  }

  void with_store(ApiConfig extra = {}) {
    auto opened = store::open_store("sqlite://" + dir.file("history.db"));
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store = std::move(*opened);
    ASSERT_TRUE(store->write_cycle(network.cycle1.write).ok());
    ASSERT_TRUE(store->write_cycle(network.cycle2.write).ok());
    make_api(std::move(extra));
  }

  http::Response get(const std::string& target, std::string method = "GET", http::Headers headers = {}) {
    return api->handle(make_request(target, std::move(method), std::move(headers)));
  }

  json::value get_json(const std::string& target, int expected_status = 200) {
    auto r = get(target);
    EXPECT_EQ(r.status, expected_status) << target << ": " << body_text(r);
    EXPECT_EQ(r.content_type, "application/json") << target;
    return body_json(r);
  }

  // Asserts one 422 issue (type, loc ["query", param], input) for `target`.
  void expect_422(const std::string& target, const std::string& type, const std::string& param,
                  const std::optional<std::string>& input) {
    auto r = get(target);
    ASSERT_EQ(r.status, 422) << target << ": " << body_text(r);
    auto detail = body_json(r).at("detail").as_array();
    ASSERT_EQ(detail.size(), 1u) << target;
    EXPECT_EQ(detail[0].at("type"), type.c_str()) << target;
    EXPECT_EQ(detail[0].at("loc"), (json::array{"query", param.c_str()})) << target;
    if (input) {
      EXPECT_EQ(detail[0].at("input"), input->c_str()) << target;
    } else {
      EXPECT_TRUE(detail[0].at("input").is_null()) << target;
    }
  }

  // An Api with no snapshot published: every snapshot route answers 503.
  http::Response get_without_snapshot(const std::string& target) {
    SnapshotHub empty;
    ApiConfig c;
    c.clock = [this] { return now; };
    Api bare(c, empty);
    return bare.handle(make_request(target));
  }

  static std::vector<std::string> keys_of(const json::value& v) {
    std::vector<std::string> out;
    for (const auto& kv : v.as_object()) out.emplace_back(kv.key());
    return out;
  }

  store::testing_support::TempDir dir;
  TestNetwork network;
  int64_t now = kT2 + 60;
  SnapshotHub hub;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<Api> api;
};

// A JSON float (written with a decimal point or exponent) equal to `expected`.
#define EXPECT_JSON_FLOAT(actual, expected)                    \
  do {                                                         \
    const ::boost::json::value& v_ = (actual);                 \
    ASSERT_TRUE(v_.is_double()) << #actual << " = " << v_;     \
    EXPECT_DOUBLE_EQ(v_.as_double(), (expected)) << #actual;   \
  } while (0)

// A JSON integer equal to `expected`.
#define EXPECT_JSON_INT(actual, expected)                                          \
  do {                                                                             \
    const ::boost::json::value& v_ = (actual);                                     \
    ASSERT_TRUE(v_.is_int64() || v_.is_uint64()) << #actual << " = " << v_;        \
    EXPECT_EQ(v_.to_number<int64_t>(), static_cast<int64_t>(expected)) << #actual; \
  } while (0)

inline const std::string kSnapshotUnavailable =
    R"({"jsonrpc":"2.0","error":{"code":-32603,"message":"Snapshot not available"},"id":1})";

}  // namespace pnode::api::testing
