// The reference service's clients, pointed at our server on a simulated network: the
// React frontend (docs/reference-compat.md §1.7 and each route's "Dashboard reads" in §1.4)
// and the reference's Python test suites (§1.5). Every route they call is called with the query
// strings they send, and every field they read must exist with the JSON type they use
// it as; a failure names the route and the field. Finally every live response is held
// to the schema our own /openapi.json documents for it. On SQLite and on PostgreSQL.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>

#include "api/openapi.h"
#include "e2e_support.h"
#include "process.h"

namespace pnode::testing {
namespace {

namespace json = boost::json;
using namespace std::chrono_literals;

const char* kCapture = "get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json";

// The JSON types a client uses a field as.
enum class Type {
  kNumber,         // arithmetic, .toFixed()
  kString,
  kBool,
  kObject,
  kArray,
  kScoreOrNumber,  // the frontend's "number or {score, breakdown}" (scores.trust, scores.capacity)
};

const char* type_name(Type t) {
  switch (t) {
    case Type::kNumber: return "a number";
    case Type::kString: return "a string";
    case Type::kBool: return "a boolean";
    case Type::kObject: return "an object";
    case Type::kArray: return "an array";
    case Type::kScoreOrNumber: return "a number or an object with a numeric score";
  }
  return "?";
}

bool has_type(const json::value& v, Type t) {
  switch (t) {
    case Type::kNumber: return v.is_number();
    case Type::kString: return v.is_string();
    case Type::kBool: return v.is_bool();
    case Type::kObject: return v.is_object();
    case Type::kArray: return v.is_array();
    case Type::kScoreOrNumber:
      return v.is_number() || (v.is_object() && v.as_object().contains("score") && v.at("score").is_number());
  }
  return false;
}

// One response as a client reads it. `where` names the request in every failure.
class Reading {
 public:
  Reading(std::string where, const json::value& root) : where_(std::move(where)), root_(root) {}

  // The field at a dotted path below `at` (the root by default), which must have type `t`.
  const json::value* read(std::string_view path, Type t) { return read_at(root_, "", path, t); }
  const json::value* read_at(const json::value& at, const std::string& at_label, std::string_view path, Type t) {
    const json::value* v = &at;
    std::string walked = at_label;
    size_t start = 0;
    while (start <= path.size()) {
      size_t dot = path.find('.', start);
      std::string key(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
      std::string parent = walked.empty() ? "the body" : walked;
      walked += (walked.empty() ? "" : ".") + key;
      if (!v->is_object()) {
        ADD_FAILURE() << where_ << ": field " << walked << " cannot be read, " << parent << " is not an object";
        return nullptr;
      }
      v = v->as_object().if_contains(key);
      if (!v) {
        ADD_FAILURE() << where_ << ": field " << walked << " is missing";
        return nullptr;
      }
      if (dot == std::string_view::npos) break;
      start = dot + 1;
    }
    if (!has_type(*v, t)) {
      ADD_FAILURE() << where_ << ": field " << walked << " should be " << type_name(t) << ", got "
                    << json::serialize(*v).substr(0, 120);
      return nullptr;
    }
    return v;
  }

  // The array at `path`, with at least `min_items` items (each then read with item()).
  const json::array* items(std::string_view path, size_t min_items) {
    const json::value* v = read(path, Type::kArray);
    if (!v) return nullptr;
    const json::array& a = v->as_array();
    if (a.size() < min_items) {
      ADD_FAILURE() << where_ << ": " << path << " has " << a.size() << " items, expected at least " << min_items;
      return nullptr;
    }
    return &a;
  }

  // Reads the fields `reads` of every item of the array at `path`.
  void each_item(std::string_view path, size_t min_items,
                 std::initializer_list<std::pair<std::string_view, Type>> reads) {
    const json::array* a = items(path, min_items);
    if (!a) return;
    for (size_t i = 0; i < a->size(); ++i) {
      std::string label = std::string(path) + "[" + std::to_string(i) + "]";
      for (const auto& [field, type] : reads) read_at((*a)[i], label, field, type);
    }
  }

  void fields(std::initializer_list<std::pair<std::string_view, Type>> reads) {
    for (const auto& [field, type] : reads) read(field, type);
  }

 private:
  std::string where_;
  const json::value& root_;
};

// The reader itself: what a client could not use must fail, naming route and field.
TEST(ReferenceClientReading, AMissingOrMistypedFieldFailsNamingRouteAndField) {
  json::value body = json::parse(R"({"summary":{"total":"5"},"pnodes":[{"score":1,"scores":{"trust":{"score":2}}},
                                     {"scores":{"trust":{"breakdown":{}}}}]})");
  Reading r("GET /x?limit=2", body);
  EXPECT_NONFATAL_FAILURE(r.read("summary.online", Type::kNumber), "GET /x?limit=2: field summary.online is missing");
  EXPECT_NONFATAL_FAILURE(r.read("summary.total", Type::kNumber),
                          "GET /x?limit=2: field summary.total should be a number, got \"5\"");
  EXPECT_NONFATAL_FAILURE(r.read("summary.total.x", Type::kNumber), "cannot be read, summary.total is not an object");
  EXPECT_NONFATAL_FAILURE(r.each_item("pnodes", 1, {{"score", Type::kNumber}}), "field pnodes[1].score is missing");
  EXPECT_NONFATAL_FAILURE(r.each_item("pnodes", 3, {}), "pnodes has 2 items, expected at least 3");
  EXPECT_NONFATAL_FAILURE(r.each_item("pnodes", 0, {{"scores.trust", Type::kScoreOrNumber}}),
                          "field pnodes[1].scores.trust should be a number or an object with a numeric score");
  EXPECT_NE(r.read("pnodes", Type::kArray), nullptr);
}

// One simulator and one server per backend for the whole suite, started by the first
// test on that backend: the clients only read.
class ReferenceClient : public ::testing::TestWithParam<Backend> {
 protected:
  struct Instance {
    std::filesystem::path dir;
    std::optional<std::string> database_url;
    std::unique_ptr<ChildProcess> sim, server;
    uint16_t port = 0;
  };

  static void start(Instance& instance) {
    instance.sim = std::make_unique<ChildProcess>(
        std::vector<std::string>{PNODE_BINARY, "sim", "--seeds", "9", "--base-port", "0", "--capture",
                                 fixture(kCapture), "--seed", "7"},
        std::map<std::string, std::string>{}, (instance.dir / "sim.log").string());
    std::string ip_nodes;
    for (int i = 0; i < 9; ++i) {
      auto m = instance.sim->wait_for_line(std::regex("seed " + std::to_string(i) + " (127\\.0\\.0\\.1:\\d+)"), 10s);
      if (!m) return;
      ip_nodes += (ip_nodes.empty() ? "" : ",") + (*m)[1].str();
    }
    instance.server = std::make_unique<ChildProcess>(
        std::vector<std::string>{PNODE_BINARY, "serve"},
        std::map<std::string, std::string>{
            {"IP_NODES", ip_nodes}, {"CACHE_TTL", "1"}, {"PORT", "0"}, {"DATABASE_URL", *instance.database_url}},
        (instance.dir / "server.log").string());
    auto m = instance.server->wait_for_line(std::regex("serving http://127\\.0\\.0\\.1:(\\d+)"), 10s);
    if (!m) return;
    // Two cycles: a snapshot, a registry, and history with more than one sample.
    if (instance.server->wait_for_line(std::regex("cycle 2: .*"), 20s))
      instance.port = static_cast<uint16_t>(std::stoi((*m)[1]));
  }

  static void TearDownTestSuite() {
    for (auto& [backend, instance] : instances_) {
      instance->server.reset();
      instance->sim.reset();
      std::filesystem::remove_all(instance->dir);
    }
    instances_.clear();
  }

  void SetUp() override {
    std::unique_ptr<Instance>& instance = instances_[GetParam()];
    if (!instance) {
      instance = std::make_unique<Instance>();
      instance->dir = std::filesystem::path(::testing::TempDir()) /
                      ("pnode-refclient-" + std::to_string(::getpid()) + "-" + std::to_string(static_cast<int>(GetParam())));
      std::filesystem::remove_all(instance->dir);
      std::filesystem::create_directories(instance->dir);
      instance->database_url = fresh_database_url(GetParam(), instance->dir);
      if (instance->database_url) start(*instance);
    } else if (!instance->database_url) {
      fresh_database_url(GetParam(), instance->dir);  // skips (or fails) again, saying why
    }
    if (!instance->database_url) return;
    port_ = instance->port;
    ASSERT_NE(port_, 0) << "the simulator or the server did not start; logs in " << instance->dir;
  }

  // GET `target`; asserts the status and a JSON body, and remembers the answer for the
  // schema check.
  json::value get(const std::string& target, int expected_status = 200) {
    HttpAnswer r = http_call(port_, "GET", target);
    EXPECT_EQ(r.status, expected_status) << "GET " << target << ": " << r.body.substr(0, 300);
    EXPECT_FALSE(r.json.is_null()) << "GET " << target << " did not answer JSON: " << r.body.substr(0, 300);
    return r.json;
  }

  // An address the frontend would take from the node list (the best-scored node).
  std::string some_address(size_t index = 0) {
    json::value list = get("/pnodes?limit=5&sort_by=score");
    const auto& nodes = list.at("pnodes").as_array();
    if (nodes.size() <= index) return "";
    return std::string(nodes[index].at("address").as_string());
  }

  static std::map<Backend, std::unique_ptr<Instance>> instances_;
  uint16_t port_ = 0;
};

std::map<Backend, std::unique_ptr<ReferenceClient::Instance>> ReferenceClient::instances_;

// The node fields the Dashboard, Nodes and Compare pages read from /pnodes.
void read_node_list(Reading& r, size_t min_items) {
  r.fields({{"summary.total_pnodes", Type::kNumber},
            {"summary.online_pnodes", Type::kNumber},
            {"summary.offline_pnodes", Type::kNumber},
            {"summary.last_updated", Type::kNumber},
            {"summary.snapshot_age_seconds", Type::kNumber},
            {"network_stats.total_storage_committed", Type::kNumber},
            {"network_stats.avg_uptime_hours", Type::kNumber},
            {"pagination.returned", Type::kNumber},
            {"pagination.total", Type::kNumber},
            {"filters.status", Type::kString},
            {"filters.sort_by", Type::kString}});
  r.each_item("pnodes", min_items,
              {{"address", Type::kString},
               {"version", Type::kString},
               {"is_public", Type::kBool},
               {"tier", Type::kString},
               {"score", Type::kNumber},
               {"scores.trust", Type::kScoreOrNumber},
               {"scores.capacity", Type::kScoreOrNumber},
               {"uptime", Type::kNumber},
               {"last_seen", Type::kNumber},
               {"storage_usage_percent", Type::kNumber},
               {"peer_count", Type::kNumber},
               {"is_online", Type::kBool}});
}

// ---- Dashboard ----

TEST_P(ReferenceClient, DashboardHealthCards) {
  json::value health = get("/health");
  Reading r("GET /health", health);
  r.fields({{"status", Type::kString}, {"total_pnodes", Type::kNumber}, {"uptime", Type::kNumber}});
  EXPECT_EQ(health.at("status").as_string(), "healthy");

  json::value network = get("/network/health");
  Reading n("GET /network/health", network);
  n.fields({{"health.health_score", Type::kNumber},
            {"health.status", Type::kString},
            {"summary.online_pnodes", Type::kNumber},
            {"summary.offline_pnodes", Type::kNumber},
            {"summary.total_storage", Type::kNumber}});
}

TEST_P(ReferenceClient, DashboardTopNodesAreTheBestScored) {
  json::value body = get("/pnodes?limit=5&sort_by=score");
  Reading r("GET /pnodes?limit=5&sort_by=score", body);
  read_node_list(r, 5);
  const auto& nodes = body.at("pnodes").as_array();
  ASSERT_EQ(nodes.size(), 5u);
  EXPECT_EQ(body.at("pagination").at("returned").to_number<int64_t>(), 5);
  for (size_t i = 1; i < nodes.size(); ++i)
    EXPECT_GE(nodes[i - 1].at("score").to_number<double>(), nodes[i].at("score").to_number<double>()) << i;
}

TEST_P(ReferenceClient, DashboardHistoryChart) {
  json::value body = get("/network/history?hours=24");
  Reading r("GET /network/history?hours=24", body);
  r.read("summary.node_growth.growth", Type::kNumber);
  r.each_item("history", 1,
              {{"timestamp", Type::kNumber},
               {"total_pnodes", Type::kNumber},
               {"online_pnodes", Type::kNumber},
               {"avg_peer_count", Type::kNumber}});
}

TEST_P(ReferenceClient, DashboardAlertBanner) {
  json::value body = get("/alerts/critical");
  Reading r("GET /alerts/critical", body);
  r.fields({{"critical_nodes", Type::kArray}, {"summary.critical", Type::kNumber}, {"summary.warning", Type::kNumber}});
  r.each_item("critical_nodes", 0, {{"address", Type::kString}, {"critical_alerts", Type::kArray}});
}

// ---- Nodes and Compare pages ----

TEST_P(ReferenceClient, NodesPageWithEachFilterAndPaging) {
  for (std::string target : {"/pnodes?status=online&limit=20&skip=0&sort_by=last_seen&sort_order=desc",
                             "/pnodes?status=all&limit=20&skip=20&sort_by=uptime&sort_order=desc",
                             "/pnodes?status=all&limit=20&skip=0&sort_by=storage_used&sort_order=asc"}) {
    json::value body = get(target);
    Reading r("GET " + target, body);
    read_node_list(r, 20);
  }
  // A young simulated network has no offline node yet: the page still reads the counts.
  json::value offline = get("/pnodes?status=offline&limit=20&skip=0&sort_by=last_seen");
  Reading r("GET /pnodes?status=offline&limit=20", offline);
  read_node_list(r, 0);
  EXPECT_EQ(offline.at("filters").at("status").as_string(), "offline");
}

TEST_P(ReferenceClient, ComparePageNodeList) {
  json::value body = get("/pnodes?limit=50&sort_by=score");
  Reading r("GET /pnodes?limit=50&sort_by=score", body);
  read_node_list(r, 50);
}

// ---- NodeDetails page, for an address taken from /pnodes ----

TEST_P(ReferenceClient, NodeDetailsRegistryEntry) {
  std::string address = some_address();
  ASSERT_FALSE(address.empty());
  for (std::string target : {"/registry/" + address, "/registry/" + address.substr(0, address.find(':')) + "%3A" +
                                                         address.substr(address.find(':') + 1)}) {
    json::value body = get(target);
    Reading r("GET " + target, body);
    r.fields({{"entry.scores.trust", Type::kScoreOrNumber},
              {"entry.scores.capacity", Type::kScoreOrNumber},
              {"entry.scores.stake_confidence", Type::kObject},
              {"entry.scores.stake_confidence.composite_score", Type::kNumber},
              {"entry.score", Type::kNumber},
              {"entry.tier", Type::kString},
              {"entry.peer_count", Type::kNumber},
              {"entry.address", Type::kString},
              {"entry.pubkey", Type::kString},
              {"entry.is_online", Type::kBool},
              {"entry.is_public", Type::kBool},
              {"entry.last_seen", Type::kNumber},
              {"entry.version", Type::kString},
              {"entry.uptime", Type::kNumber},
              {"entry.storage_used", Type::kNumber},
              {"entry.storage_committed", Type::kNumber},
              {"entry.storage_usage_percent", Type::kNumber}});
    EXPECT_EQ(body.at("entry").at("address").as_string(), address) << target;
    EXPECT_TRUE(body.at("entry").at("is_online").as_bool()) << target;
  }
}

TEST_P(ReferenceClient, NodeDetailsAlertsAndConsistency) {
  std::string address = some_address();
  ASSERT_FALSE(address.empty());
  json::value alerts = get("/pnodes/" + address + "/alerts");
  Reading a("GET /pnodes/" + address + "/alerts", alerts);
  a.read("summary.total", Type::kNumber);
  a.each_item("alerts", 0,
              {{"severity", Type::kString},
               {"type", Type::kString},
               {"message", Type::kString},
               {"recommendation", Type::kString}});

  json::value consistency = get("/node/" + address + "/consistency");
  Reading c("GET /node/" + address + "/consistency", consistency);
  c.fields({{"consistency.status_emoji", Type::kString},
            {"consistency.score", Type::kNumber},
            {"consistency.status", Type::kString},
            {"consistency.appearances", Type::kNumber},
            {"consistency.disappearances", Type::kNumber}});
}

// ---- Recommendations page ----

TEST_P(ReferenceClient, RecommendationsPage) {
  // The page's own query: on a young network no node may have 7 days of uptime yet.
  json::value page = get("/recommendations?limit=10&min_uptime_days=7");
  Reading p("GET /recommendations?limit=10&min_uptime_days=7", page);
  p.fields({{"filters.min_uptime_days", Type::kNumber}, {"total_evaluated", Type::kNumber}});
  EXPECT_EQ(page.at("filters").at("min_uptime_days").to_number<int64_t>(), 7);
  // The item fields, where the network surely has nodes up for a day.
  for (std::string target : {"/recommendations?limit=10&min_uptime_days=7", "/recommendations?limit=10&min_uptime_days=1"}) {
    json::value body = get(target);
    Reading r("GET " + target, body);
    r.each_item("recommendations", target.ends_with("=1") ? 1 : 0,
                {{"address", Type::kString},
                 {"uptime_days", Type::kNumber},
                 {"version", Type::kString},
                 {"is_public", Type::kBool},
                 {"score", Type::kNumber},
                 {"tier", Type::kString},
                 {"scores.trust", Type::kNumber},
                 {"scores.capacity", Type::kNumber},
                 {"storage_usage_percent", Type::kNumber},
                 {"peer_count", Type::kNumber}});
  }
}

// ---- Analytics page ----

TEST_P(ReferenceClient, AnalyticsPage) {
  json::value body = get("/network/analytics");
  Reading r("GET /network/analytics", body);
  r.fields({{"current_state.total_pnodes", Type::kNumber},
            {"current_state.public_nodes", Type::kNumber},
            {"current_state.private_nodes", Type::kNumber},
            {"current_state.public_ratio_percent", Type::kNumber},
            {"version_analysis.distribution", Type::kObject},
            {"version_analysis.latest_version", Type::kString},
            {"version_analysis.compliance_percent", Type::kNumber},
            {"version_analysis.health", Type::kString},
            {"storage_analysis.distribution.empty", Type::kNumber},
            {"storage_analysis.distribution.low", Type::kNumber},
            {"storage_analysis.distribution.optimal", Type::kNumber},
            {"storage_analysis.distribution.high", Type::kNumber},
            {"storage_analysis.distribution.critical", Type::kNumber},
            {"storage_analysis.optimal_percent", Type::kNumber},
            {"storage_analysis.health", Type::kString},
            {"connectivity_analysis.distribution.isolated", Type::kNumber},
            {"connectivity_analysis.distribution.weak", Type::kNumber},
            {"connectivity_analysis.distribution.good", Type::kNumber},
            {"connectivity_analysis.distribution.excellent", Type::kNumber},
            {"connectivity_analysis.well_connected_percent", Type::kNumber},
            {"connectivity_analysis.health", Type::kString}});
  r.each_item("recommendations", 1,
              {{"severity", Type::kString}, {"category", Type::kString}, {"message", Type::kString}, {"action", Type::kString}});
}

// ---- api.ts functions no page calls yet ----

TEST_P(ReferenceClient, UnusedApiFunctionsStillAnswer) {
  json::value growth = get("/network/growth?hours=24");
  Reading g("GET /network/growth?hours=24", growth);
  g.read("growth_metrics.available", Type::kBool);

  std::string a = some_address(0), b = some_address(1);
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  json::value compare = get("/pnodes/compare?addresses=" + a + "," + b);
  Reading c("GET /pnodes/compare?addresses=a,b", compare);
  c.fields({{"winners", Type::kObject}, {"recommendation", Type::kObject}, {"summary.nodes_compared", Type::kNumber}});
  c.each_item("comparison", 2, {{"address", Type::kString}, {"score", Type::kNumber}});
}

// ---- The reference's Python test suites (tests/test_api.py, test_comprehensive.py, test_phase4.py) ----

TEST_P(ReferenceClient, ReferenceTestSuiteExpectations) {
  json::value root = get("/");
  Reading r("GET /", root);
  r.fields({{"api_name", Type::kString}, {"version", Type::kString}, {"core_endpoints", Type::kObject}});
  EXPECT_EQ(root.at("version").as_string(), "1.1.0");

  json::value registry = get("/registry?limit=10");
  Reading g("GET /registry?limit=10", registry);
  g.read("count", Type::kNumber);
  g.each_item("items", 10, {{"address", Type::kString}, {"last_seen", Type::kNumber}, {"is_online", Type::kBool}});

  json::value all = get("/all-nodes");
  Reading a("GET /all-nodes", all);
  a.fields({{"summary", Type::kObject}, {"nodes", Type::kObject}});

  json::value missing = get("/nonexistent", 404);
  EXPECT_EQ(json::serialize(missing), R"({"detail":"Not Found"})");

  // test_comprehensive calls .get() on a 422 body: it must be an object.
  json::value invalid = get("/pnodes?status=bogus", 422);
  Reading v("GET /pnodes?status=bogus", invalid);
  v.each_item("detail", 1, {{"type", Type::kString}, {"loc", Type::kArray}, {"msg", Type::kString}});

  // test_phase4 requires planned_for on a node without history.
  json::value history = get("/node/127.255.255.254:9001/history");
  Reading h("GET /node/<unknown>/history", history);
  h.fields({{"available", Type::kBool}, {"planned_for", Type::kString}});
}

// ---- Our own documentation, held to what is served ----

TEST_P(ReferenceClient, LiveResponsesFitTheDocumentedSchemas) {
  json::value doc = get("/openapi.json");
  ASSERT_TRUE(doc.is_object());
  std::string a = some_address(0), b = some_address(1);
  struct Call {
    std::string path;  // OpenAPI path
    std::string target;
  };
  const std::vector<Call> calls{
      {"/health", "/health"},
      {"/", "/"},
      {"/registry/{address}", "/registry/" + a},
      {"/graveyard", "/graveyard?days=1"},
      {"/pnodes", "/pnodes?status=all&limit=50&sort_by=score"},
      {"/recommendations", "/recommendations?limit=10&min_uptime_days=1"},
      {"/network/topology", "/network/topology"},
      {"/network/health", "/network/health"},
      {"/operators", "/operators"},
      {"/network/history", "/network/history?hours=24"},
      {"/network/growth", "/network/growth?hours=1"},
      {"/network/analytics", "/network/analytics"},
      {"/node/{address}/history", "/node/" + a + "/history"},
      {"/node/{address}/metrics-summary", "/node/" + a + "/metrics-summary"},
      {"/nodes/history-status", "/nodes/history-status"},
      {"/pnodes/{address}/alerts", "/pnodes/" + a + "/alerts"},
      {"/alerts", "/alerts"},
      {"/alerts/critical", "/alerts/critical"},
      {"/pnodes/compare", "/pnodes/compare?addresses=" + a + "," + b},
      {"/network/consistency", "/network/consistency"},
      {"/node/{address}/consistency", "/node/" + a + "/consistency"},
      {"/registry", "/registry?limit=50"},
      {"/all-nodes", "/all-nodes"},
      {"/all-nodes", "/all-nodes?version=unique"},
      {"/openapi.json", "/openapi.json"},
  };
  for (const Call& call : calls) {
    const json::value* op = doc.at("paths").as_object().if_contains(call.path);
    ASSERT_TRUE(op) << call.path << " is not documented";
    const json::value& schema = op->at("get").at("responses").at("200").at("content").at("application/json").at("schema");
    json::value body = get(call.target);
    auto problems = api::check_schema(body, schema, doc);
    std::string shown;
    for (size_t i = 0; i < problems.size() && i < 5; ++i) shown += "\n  " + problems[i];
    EXPECT_TRUE(problems.empty()) << "GET " << call.target << " does not fit its documented schema:" << shown;
  }
}

PNODE_STORE_BACKENDS(ReferenceClient);

}  // namespace
}  // namespace pnode::testing
