#include "sim/render.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "sim/capture.h"
#include "sim/network_model.h"
#include "sim/sim_test_util.h"

namespace pnode::sim {
namespace {

// Rendering the 12-17 capture's own rows at its capture time reproduces the recorded
// bytes exactly, except for the rewritten addresses: number formatting ("0.0", "50.0",
// "4.6764705882352943e-7", "0.000015796376811594205"), key order, nulls, compactness.
TEST(Render, ReproducesTheCompactCaptureByteForByte) {
  std::string recorded = testing::read_file(testing::kCompactCapture);
  auto pods = parse_capture(recorded);
  ASSERT_TRUE(pods);
  AddressMap map;
  int64_t newest = 0;
  for (const auto& p : *pods) newest = std::max(newest, p.last_seen_timestamp.value_or(0));
  ModelOptions options;
  options.generations.push_back(specs_from_capture(*pods, map));
  options.start_time = newest;
  NetworkModel model(std::move(options));

  JsonWriter w(DoubleStyle::kSerde);
  auto rows = model.pods_at(newest);
  w.begin_array();
  for (const auto& row : rows) write_pod_with_stats(w, row);
  w.end_array();
  std::string rendered =
      envelope_ok("1", "{\"pods\":" + w.str() + ",\"total_count\":" + std::to_string(rows.size()) + "}");

  std::string expected = recorded;
  for (const auto& [real, served] : testing::expected_rewrite(testing::kCompactCapture)) {
    std::string from = "\"address\":\"" + real + "\"";
    size_t at = expected.find(from);
    ASSERT_NE(at, std::string::npos) << real;
    expected.replace(at, from.size(), "\"address\":\"" + served + "\"");
  }
  EXPECT_EQ(rendered, expected);
  EXPECT_NE(rendered.find("\"storage_usage_percent\":0.0,"), std::string::npos);
  EXPECT_NE(rendered.find("\"storage_usage_percent\":50.0,"), std::string::npos);
  EXPECT_NE(rendered.find("\"storage_usage_percent\":4.6764705882352943e-7,"), std::string::npos);
}

TEST(Render, ErrorEnvelopeHasNoResultAndEchoesTheId) {
  EXPECT_EQ(envelope_error("1767498079441", kMethodNotFound, "Method not found"),
            R"({"error":{"code":-32601,"message":"Method not found"},"id":1767498079441,"jsonrpc":"2.0"})");
  EXPECT_EQ(envelope_ok("\"abc\"", "{}"), R"({"error":null,"id":"abc","jsonrpc":"2.0","result":{}})");
}

TEST(Render, StatsAreFlatSortedAndPrintCpuAsADouble) {
  prpc::NodeStats s;
  s.active_streams = 2;
  s.cpu_percent = static_cast<double>(0.4934210181236267f);
  s.current_index = 18;
  s.file_size = 219000000000;
  s.last_updated = 1765306922;
  s.packets_received = 3214911;
  s.packets_sent = 3685501;
  s.ram_total = 12541607936;
  s.ram_used = 753451008;
  s.total_bytes = 99230;
  s.total_pages = 0;
  s.uptime = 103309;
  // The result of the recorded 12-16 get-stats of one real seed, compacted.
  EXPECT_EQ(render_stats_result(s),
            R"({"active_streams":2,"cpu_percent":0.4934210181236267,"current_index":18,"file_size":219000000000,)"
            R"("last_updated":1765306922,"packets_received":3214911,"packets_sent":3685501,"ram_total":12541607936,)"
            R"("ram_used":753451008,"total_bytes":99230,"total_pages":0,"uptime":103309})");
  EXPECT_EQ(render_version_result("0.8.0"), R"({"version":"0.8.0"})");
}

}  // namespace
}  // namespace pnode::sim
