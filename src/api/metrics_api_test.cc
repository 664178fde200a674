#include "api/metrics.h"

#include <gtest/gtest.h>

#include <exception>
#include <string>
#include <string_view>
#include <utility>

#include "api/api.h"
#include "api/metrics_test_support.h"
#include "api/test_support.h"
#include "rest/router.h"

namespace pnode::api {
namespace {

using metrics_testing::Exposition;
using metrics_testing::kPublished;
using metrics_testing::network;
using metrics_testing::ok_cycle;
using metrics_testing::parse_exposition;
using metrics_testing::request_labels;

using testing::make_request;

// ---- the router reports the pattern, not the path ----

TEST(RouterPatternTest, DispatchReportsTheMatchedPatternAndNothingWhenNoneMatched) {
  rest::Router router;
  auto ok = [](const rest::RouteRequest&) { return http::Response::json(200, "{}"); };
  router.get("/node/{address:path}/history", ok);
  router.add("DELETE", "/prune", {}, ok);

  std::string_view pattern;
  EXPECT_EQ(router.dispatch(make_request("/node/10.0.0.1%3A9001/history?hours=2"), &pattern).status, 200);
  EXPECT_EQ(pattern, "/node/{address:path}/history");

  pattern = {};
  EXPECT_EQ(router.dispatch(make_request("/prune"), &pattern).status, 405);
  EXPECT_EQ(pattern, "/prune");

  pattern = {};
  EXPECT_EQ(router.dispatch(make_request("/nothing/here"), &pattern).status, 404);
  EXPECT_TRUE(pattern.empty());
  EXPECT_EQ(router.dispatch(make_request("/prune/"), &pattern).status, 307);
  EXPECT_TRUE(pattern.empty());

  EXPECT_EQ(router.route_pattern("/node/x/history"), "/node/{address:path}/history");
  EXPECT_EQ(router.route_pattern("/nothing"), "");
}

// ---- through a real Api: GET /metrics, and counters that move ----

class ApiMetricsTest : public ::testing::Test {
 protected:
  ApiMetricsTest() : api(config(), hub) {}

  ApiConfig config() {
    ApiConfig c;
    c.process_start = kPublished - 500;
    c.clock = [this] { return now; };
    c.metrics = &metrics;
    return c;
  }

  http::Response get(std::string target, std::string method = "GET", http::Headers headers = {}) {
    return api.handle(make_request(std::move(target), std::move(method), std::move(headers)));
  }

  Exposition scrape() {
    http::Response r = get("/metrics");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "text/plain; version=0.0.4; charset=utf-8");
    last_scrape = testing::body_text(r);
    try {
      return parse_exposition(last_scrape);
    } catch (const std::exception& e) {
      ADD_FAILURE() << e.what() << "\n" << last_scrape;
      throw;
    }
  }

  double requests(std::string route, std::string method, std::string status) {
    return scrape().value("http_requests_total", request_labels(std::move(route), std::move(method), std::move(status)))
        .value_or(0);
  }

  int64_t now = kPublished + 45;
  Metrics metrics;
  SnapshotHub hub;
  std::string last_scrape;
  Api api;
};

TEST_F(ApiMetricsTest, CountersMoveWhenRequestsAreMade) {
  hub.publish(network(kPublished));
  EXPECT_EQ(requests("/health", "GET", "200"), 0);
  EXPECT_EQ(requests("unmatched", "GET", "404"), 0);

  EXPECT_EQ(get("/health").status, 200);
  EXPECT_EQ(get("/nonexistent").status, 404);
  Exposition e = scrape();
  EXPECT_EQ(e.value("http_requests_total", request_labels("/health", "GET", "200")), 1);
  EXPECT_EQ(e.value("http_requests_total", request_labels("unmatched", "GET", "404")), 1);
  EXPECT_EQ(e.value("http_request_duration_seconds_count", request_labels("/health", "GET", "200")), 1);
  // The two scrapes before this one were counted too (a scrape is recorded once answered).
  EXPECT_EQ(e.value("http_requests_total", request_labels("/metrics", "GET", "200")), 2);
  EXPECT_EQ(last_scrape.find("/nonexistent"), std::string::npos) << "raw paths must never become labels";

  EXPECT_EQ(get("/health").status, 200);
  EXPECT_EQ(requests("/health", "GET", "200"), 2);
}

TEST_F(ApiMetricsTest, RoutesAreLabelledByPatternForEveryKindOfAnswer) {
  EXPECT_EQ(get("/health").status, 503);  // no snapshot yet
  EXPECT_EQ(get("/pnodes?limit=1").status, 503);
  EXPECT_EQ(get("/pnodes?limit=banana").status, 422);
  EXPECT_EQ(get("/pnodes", "HEAD").status, 503);
  EXPECT_EQ(get("/health", "POST").status, 405);
  EXPECT_EQ(get("/health/").status, 307);
  EXPECT_EQ(get("/pnodes", "OPTIONS",
                {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "GET"}})
                .status,
            200);
  Exposition e = scrape();
  EXPECT_EQ(e.value("http_requests_total", request_labels("/health", "GET", "503")), 1);
  EXPECT_EQ(e.value("http_requests_total", request_labels("/pnodes", "GET", "503")), 1);
  EXPECT_EQ(e.value("http_requests_total", request_labels("/pnodes", "GET", "422")), 1);
  EXPECT_EQ(e.value("http_requests_total", request_labels("/pnodes", "HEAD", "503")), 1);
  EXPECT_EQ(e.value("http_requests_total", request_labels("/health", "POST", "405")), 1);
  EXPECT_EQ(e.value("http_requests_total", request_labels("unmatched", "GET", "307")), 1);
  EXPECT_EQ(e.value("http_requests_total", request_labels("/pnodes", "OPTIONS", "200")), 1);
}

TEST_F(ApiMetricsTest, MetricsShowTheServedSnapshotAgeAndTheCollectorsCycles) {
  EXPECT_EQ(scrape().count("pnode_snapshot_age_seconds"), 0u);
  auto snapshot = network(kPublished);
  hub.publish(snapshot);
  metrics.record_cycle(ok_cycle(snapshot, 1200), kPublished);
  Exposition e = scrape();
  EXPECT_EQ(e.value("pnode_snapshot_age_seconds"), 45);
  EXPECT_EQ(e.value("pnode_pods_per_cycle"), 3);
  EXPECT_EQ(e.value("process_start_time_seconds").has_value(), true);
  now += 30;
  EXPECT_EQ(scrape().value("pnode_snapshot_age_seconds"), 75);
}

TEST(ApiWithoutMetricsTest, HasNoMetricsRoute) {
  SnapshotHub hub;
  Api api(ApiConfig{}, hub);
  EXPECT_EQ(api.handle(make_request("/metrics")).status, 404);
}

}  // namespace
}  // namespace pnode::api
