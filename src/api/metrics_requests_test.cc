#include "api/metrics.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "api/metrics_test_support.h"

namespace pnode::api {
namespace {

using metrics_testing::Exposition;
using metrics_testing::LabelSet;
using metrics_testing::Sample;
using metrics_testing::render;
using metrics_testing::request_labels;

using namespace std::chrono_literals;

// ---- Metrics on its own ----

LabelSet with_le(LabelSet labels, std::string le) {
  labels.emplace("le", std::move(le));
  return labels;
}

TEST(MetricsTest, AFreshMetricsRendersEveryFamilyWithTypeAndHelp) {
  Metrics m(1234.5);
  Exposition e = render(m);
  for (const char* family :
       {"http_requests_total", "http_request_duration_seconds", "pnode_cycles_total", "pnode_cycle_duration_seconds",
        "pnode_store_write_seconds", "pnode_store_errors_total", "pnode_rpc_errors_total", "pnode_seed_up",
        "pnode_seed_pods", "pnode_pods", "pnode_pods_per_cycle", "pnode_registry_nodes",
        "pnode_last_cycle_timestamp_seconds", "pnode_snapshot_age_seconds", "process_start_time_seconds",
        "process_resident_memory_bytes"}) {
    EXPECT_TRUE(e.types.count(family)) << family;
    EXPECT_TRUE(e.help.count(family)) << family;
  }
  EXPECT_EQ(e.types.at("http_request_duration_seconds"), "histogram");
  EXPECT_EQ(e.types.at("pnode_cycles_total"), "counter");
  EXPECT_EQ(e.types.at("pnode_pods"), "gauge");
  EXPECT_EQ(e.count("http_requests_total"), 0u);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "ok"}}), 0);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "failed"}}), 0);
  EXPECT_EQ(e.value("pnode_cycle_duration_seconds_count"), 0);
  // Before the first cycle there is nothing to report, rather than a misleading 0.
  EXPECT_EQ(e.count("pnode_pods"), 0u);
  EXPECT_EQ(e.count("pnode_last_cycle_timestamp_seconds"), 0u);
  EXPECT_EQ(e.count("pnode_snapshot_age_seconds"), 0u);
  EXPECT_EQ(e.value("process_start_time_seconds"), 1234.5);
  EXPECT_EQ(render(Metrics(1700000000.25)).value("process_start_time_seconds"), 1700000000.25);
  ASSERT_TRUE(e.value("process_resident_memory_bytes"));
  EXPECT_GT(*e.value("process_resident_memory_bytes"), 0);
}

TEST(MetricsTest, RequestsAreCountedAndBucketedPerRouteMethodAndStatus) {
  Metrics m;
  m.record_request("/pnodes", "GET", 200, 700us);
  m.record_request("/pnodes", "GET", 200, 1ms);  // exactly on a bound: "less than or equal"
  m.record_request("/pnodes", "GET", 200, 2ms);
  m.record_request("/pnodes", "GET", 200, 3s);
  m.record_request("/pnodes", "GET", 422, 100us);
  m.record_request("/pnodes", "HEAD", 200, 100us);
  Exposition e = render(m);

  LabelSet ok = request_labels("/pnodes", "GET", "200");
  EXPECT_EQ(e.value("http_requests_total", ok), 4);
  EXPECT_EQ(e.value("http_requests_total", request_labels("/pnodes", "GET", "422")), 1);
  EXPECT_EQ(e.value("http_requests_total", request_labels("/pnodes", "HEAD", "200")), 1);
  EXPECT_EQ(e.count("http_requests_total"), 3u);

  EXPECT_EQ(e.value("http_request_duration_seconds_bucket", with_le(ok, "0.0005")), 0);
  EXPECT_EQ(e.value("http_request_duration_seconds_bucket", with_le(ok, "0.001")), 2);
  EXPECT_EQ(e.value("http_request_duration_seconds_bucket", with_le(ok, "0.0025")), 3);
  EXPECT_EQ(e.value("http_request_duration_seconds_bucket", with_le(ok, "1")), 3);
  EXPECT_EQ(e.value("http_request_duration_seconds_bucket", with_le(ok, "+Inf")), 4);
  EXPECT_EQ(e.value("http_request_duration_seconds_count", ok), 4);
  EXPECT_NEAR(*e.value("http_request_duration_seconds_sum", ok), 0.0007 + 0.001 + 0.002 + 3, 1e-9);
  // Every bound of the issue, in order, then +Inf.
  std::vector<std::string> les;
  for (const Sample& s : e.samples)
    if (s.name == "http_request_duration_seconds_bucket" && s.labels.at("status") == "422") les.push_back(s.labels.at("le"));
  EXPECT_EQ(les, (std::vector<std::string>{"0.0005", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
                                           "0.25", "0.5", "1", "+Inf"}));
}

TEST(MetricsTest, LabelValuesAreEscapedAndMethodsBounded) {
  Metrics m;
  m.record_request("/odd\"route\\with\nnewline", "GET", 200, 1ms);
  m.record_request("/pnodes", "BREW", 405, 1ms);
  m.record_request("/pnodes", "PROPFIND", 405, 1ms);
  Exposition e = render(m);
  EXPECT_EQ(e.value("http_requests_total", request_labels("/odd\"route\\with\nnewline", "GET", "200")), 1);
  EXPECT_EQ(e.value("http_requests_total", request_labels("/pnodes", "other", "405")), 2);
}

TEST(MetricsTest, ConcurrentRecordingLosesNothing) {
  Metrics m;
  constexpr int kThreads = 4, kPerThread = 2000;
  const std::vector<std::string> routes{"/a", "/b", "/c", "/d", "/e"};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i)
        m.record_request(routes[(i + t) % routes.size()], "GET", 200 + i % 3, std::chrono::microseconds(i));
    });
  for (auto& t : threads) t.join();
  Exposition e = render(m);
  double total = 0, counted = 0;
  for (const Sample& s : e.samples) {
    if (s.name == "http_requests_total") total += s.value;
    if (s.name == "http_request_duration_seconds_count") counted += s.value;
  }
  EXPECT_EQ(total, kThreads * kPerThread);
  EXPECT_EQ(counted, kThreads * kPerThread);
  EXPECT_EQ(e.count("http_requests_total"), routes.size() * 3);
}

}  // namespace
}  // namespace pnode::api
