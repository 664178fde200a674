// The committed OpenAPI document (src/api/openapi.json) against the Api's real route
// table: every route and query parameter listed, bounds equal to what the schemas
// validate, examples fitting their own schemas, and the documentation routes served as
// documented. A route or parameter changed in code but not in the document fails here.
#include "api/openapi.h"

#include <gtest/gtest.h>

#include <boost/json.hpp>
#include <set>

#include "api/api.h"
#include "api/docs_page.h"
#include "api/metrics.h"
#include "api/test_support.h"

namespace pnode::api {
namespace {

namespace json = boost::json;
using testing::body_json;
using testing::body_text;
using testing::header;
using testing::make_request;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Every route of a fully configured Api (metrics on, so GET /metrics is registered too).
class OpenApiTest : public ::testing::Test {
 protected:
  OpenApiTest() : api(config(), hub) {
    doc = body_json(api.handle(make_request("/openapi.json")));
  }

  ApiConfig config() {
    ApiConfig c;
    c.metrics = &metrics;
    c.admin_token = "secret";
    return c;
  }

  const json::object& operation(std::string_view method, std::string_view pattern) {
    return doc.at("paths").at(openapi_path(pattern)).at(lower(method)).as_object();
  }

  static const json::value* find_param(const json::object& op, std::string_view name, std::string_view in) {
    if (!op.contains("parameters")) return nullptr;
    for (const auto& p : op.at("parameters").as_array())
      if (p.at("name").as_string() == name && p.at("in").as_string() == in) return &p;
    return nullptr;
  }

  const json::object& query_param_schema(std::string_view method, std::string_view pattern, std::string_view name) {
    const json::value* p = find_param(operation(method, pattern), name, "query");
    if (!p) throw std::runtime_error("no query parameter " + std::string(name) + " on " + std::string(pattern));
    return p->at("schema").as_object();
  }

  Metrics metrics;
  SnapshotHub hub;
  Api api;
  json::value doc;
};

TEST_F(OpenApiTest, IsAnOpenApi3DocumentWithTheReferencesTitleAndVersion) {
  std::string version(doc.at("openapi").as_string());
  EXPECT_EQ(version.rfind("3.0.", 0), 0u) << version;
  EXPECT_EQ(doc.at("info").at("title").as_string(), "Xandeum PNode Developer API");
  EXPECT_EQ(doc.at("info").at("version").as_string(), "1.1.0");
  EXPECT_FALSE(doc.at("info").at("description").as_string().empty());
}

TEST_F(OpenApiTest, EveryRegisteredRouteIsDocumentedWithEveryParameter) {
  auto routes = api.router().routes();
  ASSERT_GE(routes.size(), 24u) << "the reference's 22 routes, /registry and /all-nodes at least";
  EXPECT_EQ(undocumented_routes(doc, routes), std::vector<std::string>{})
      << "describe these routes in src/api/openapi.json (then make docs)";
  const json::object& paths = doc.at("paths").as_object();
  for (const auto& route : routes) {
    std::string where = std::string(route.method) + " " + std::string(route.pattern);
    const json::value* item = paths.if_contains(openapi_path(route.pattern));
    ASSERT_TRUE(item) << where << " is not in paths";
    const json::value* op = item->as_object().if_contains(lower(route.method));
    ASSERT_TRUE(op) << where << ": method missing";
    EXPECT_FALSE(op->at("summary").as_string().empty()) << where;
    EXPECT_EQ(op->at("tags").as_array().size(), 1u) << where;
    const json::object& responses = op->at("responses").as_object();
    // Success is a 200, or a 201 for a route that creates something (POST /silences).
    const char* success = responses.contains("200") ? "200" : "201";
    ASSERT_TRUE(responses.contains(success)) << where;
    EXPECT_TRUE(responses.at(success).as_object().contains("content")) << where << ": " << success << " has no documented body";

    for (const rest::ParamSpec& spec : route.query->specs())
      EXPECT_TRUE(find_param(op->as_object(), spec.name(), "query")) << where << ": query parameter " << spec.name();
    bool any_rejectable = false;
    for (const rest::ParamSpec& spec : route.query->specs()) any_rejectable = any_rejectable || can_reject(spec);
    EXPECT_EQ(responses.contains("422"), any_rejectable) << where << ": a 422 is documented iff one can happen";
    // Exactly the declared parameters: nothing documented that the route does not read.
    size_t documented_query = 0;
    if (op->as_object().contains("parameters"))
      for (const auto& p : op->at("parameters").as_array()) documented_query += p.at("in").as_string() == "query";
    EXPECT_EQ(documented_query, route.query->specs().size()) << where;
  }
}

TEST_F(OpenApiTest, PathParametersAreRequiredStrings) {
  for (std::string_view pattern : {"/registry/{address:path}", "/node/{address:path}/history",
                                   "/node/{address:path}/metrics-summary", "/pnodes/{address:path}/alerts",
                                   "/node/{address:path}/consistency"}) {
    const json::value* p = find_param(operation("GET", pattern), "address", "path");
    ASSERT_TRUE(p) << pattern;
    EXPECT_TRUE(p->at("required").as_bool());
    EXPECT_EQ(p->at("schema").at("type").as_string(), "string");
  }
  EXPECT_EQ(openapi_path("/node/{address:path}/history"), "/node/{address}/history");
  EXPECT_EQ(openapi_path("/a/{x}/b/{y:path}"), "/a/{x}/b/{y}");
  EXPECT_EQ(openapi_path("/"), "/");
}

// Each parameter's schema says exactly what its QuerySchema validates.
TEST_F(OpenApiTest, ParameterSchemasMirrorTheQuerySchemas) {
  for (const auto& route : api.router().routes()) {
    for (const rest::ParamSpec& spec : route.query->specs()) {
      std::string where = std::string(route.pattern) + "?" + spec.name();
      const json::value* p = find_param(operation(route.method, route.pattern), spec.name(), "query");
      ASSERT_TRUE(p) << where;
      const json::object& schema = p->at("schema").as_object();
      const char* type = spec.type() == rest::ParamType::kInt     ? "integer"
                         : spec.type() == rest::ParamType::kFloat ? "number"
                         : spec.type() == rest::ParamType::kBool  ? "boolean"
                                                            : "string";
      EXPECT_EQ(schema.at("type").as_string(), type) << where;
      EXPECT_EQ(p->at("required").as_bool(), spec.is_required()) << where;
      EXPECT_EQ(schema.contains("minimum"), spec.min().has_value()) << where;
      if (spec.min()) {
        EXPECT_EQ(schema.at("minimum").to_number<double>(), spec.min()->value) << where;
      }
      EXPECT_EQ(schema.contains("maximum"), spec.max().has_value()) << where;
      if (spec.max()) {
        EXPECT_EQ(schema.at("maximum").to_number<double>(), spec.max()->value) << where;
      }
      EXPECT_EQ(schema.contains("default"), !std::holds_alternative<std::monostate>(spec.default_value())) << where;
      if (!spec.allowed().empty()) {
        std::vector<std::string> listed;
        for (const auto& v : schema.at("enum").as_array()) listed.emplace_back(v.as_string());
        EXPECT_EQ(listed, spec.allowed()) << where;
        EXPECT_EQ(schema.at("pattern").as_string(), spec.pattern_text()) << where;
      }
    }
  }
}

// Spot checks against the reference's tables (docs/reference-compat.md §1.4), independent of
// the code.
TEST_F(OpenApiTest, ParameterBoundsMatchTheReference) {
  const auto& limit = query_param_schema("GET", "/pnodes", "limit");
  EXPECT_EQ(limit.at("minimum").as_int64(), 1);
  EXPECT_EQ(limit.at("maximum").as_int64(), 1000);
  EXPECT_EQ(limit.at("default").as_int64(), 100);
  const auto& status = query_param_schema("GET", "/pnodes", "status");
  EXPECT_EQ(status.at("default").as_string(), "online");
  EXPECT_EQ(status.at("pattern").as_string(), "^(all|online|offline)$");
  EXPECT_EQ(status.at("enum").as_array().size(), 3u);
  const auto& hours = query_param_schema("GET", "/network/history", "hours");
  EXPECT_EQ(hours.at("default").as_int64(), 24);
  EXPECT_EQ(hours.at("maximum").as_int64(), 720);
  EXPECT_EQ(query_param_schema("GET", "/node/{address:path}/metrics-summary", "hours").at("maximum").as_int64(), 168);
  EXPECT_EQ(query_param_schema("GET", "/recommendations", "limit").at("maximum").as_int64(), 50);
  EXPECT_EQ(query_param_schema("GET", "/recommendations", "min_uptime_days").at("maximum").as_int64(), 365);
  EXPECT_EQ(query_param_schema("GET", "/recommendations", "require_public").at("default").as_bool(), false);
  const auto& min_consistency = query_param_schema("GET", "/network/consistency", "min_consistency");
  EXPECT_EQ(min_consistency.at("type").as_string(), "number");
  EXPECT_EQ(min_consistency.at("maximum").as_double(), 1.0);  // a float bound stays a float
  EXPECT_EQ(query_param_schema("GET", "/alerts", "limit").at("maximum").as_int64(), 500);
  EXPECT_EQ(query_param_schema("GET", "/registry", "limit").at("maximum").as_int64(), 1500);
  EXPECT_EQ(query_param_schema("GET", "/node/{address:path}/history", "days").at("maximum").as_int64(), 90);
  const json::value* addresses = find_param(operation("GET", "/pnodes/compare"), "addresses", "query");
  ASSERT_TRUE(addresses);
  EXPECT_TRUE(addresses->at("required").as_bool());
}

TEST_F(OpenApiTest, ErrorResponsesAreDocumentedWithTheReferenceShapes) {
  auto schema_ref = [&](std::string_view method, std::string_view pattern, const char* status) {
    const json::value& schema = operation(method, pattern).at("responses").at(status).at("content").at("application/json").at("schema");
    return std::string(schema.at("$ref").as_string());
  };
  EXPECT_EQ(schema_ref("GET", "/pnodes", "422"), "#/components/schemas/HTTPValidationError");
  EXPECT_EQ(schema_ref("GET", "/pnodes", "503"), "#/components/schemas/JsonRpcError");
  EXPECT_EQ(schema_ref("GET", "/registry/{address:path}", "404"), "#/components/schemas/JsonRpcError");
  EXPECT_EQ(schema_ref("GET", "/pnodes/{address:path}/alerts", "404"), "#/components/schemas/NodeNotFound");
  EXPECT_EQ(schema_ref("DELETE", "/prune", "401"), "#/components/schemas/HTTPError");
  EXPECT_TRUE(operation("GET", "/pnodes/compare").at("responses").as_object().contains("400"));
  EXPECT_EQ(operation("DELETE", "/prune").at("security").as_array().size(), 1u);
  const json::value& v = doc.at("components").at("schemas").at("HTTPValidationError");
  EXPECT_EQ(v.at("properties").at("detail").at("items").at("required").as_array().size(), 4u);  // type, loc, msg, input
}

// Every example in the document is a real response trimmed: it must fit its schema, so
// the schemas and the examples check each other.
TEST_F(OpenApiTest, EveryExampleFitsItsSchema) {
  size_t checked = 0;
  for (const auto& path : doc.at("paths").as_object()) {
    for (const auto& op : path.value().as_object()) {
      for (const auto& response : op.value().at("responses").as_object()) {
        const json::object& r = response.value().as_object();
        if (!r.contains("content")) continue;
        for (const auto& media : r.at("content").as_object()) {
          const json::object& m = media.value().as_object();
          ASSERT_TRUE(m.contains("schema"));
          if (!m.contains("example")) continue;
          std::string where = std::string(op.key()) + " " + std::string(path.key()) + " " + std::string(response.key());
          auto problems = check_schema(m.at("example"), m.at("schema"), doc);
          EXPECT_TRUE(problems.empty()) << where << ":\n  " << (problems.empty() ? "" : problems.front())
                                        << (problems.size() > 1 ? "\n  (and more)" : "");
          ++checked;
        }
      }
    }
  }
  EXPECT_GE(checked, 30u);
}

// The documented 422 examples are what the route really answers for that input.
TEST_F(OpenApiTest, ValidationExamplesAreTheRoutesOwnAnswers) {
  auto example = [&](std::string_view method, std::string_view pattern) {
    return operation(method, pattern).at("responses").at("422").at("content").at("application/json").at("example");
  };
  EXPECT_EQ(example("GET", "/pnodes"), body_json(api.handle(make_request("/pnodes?status=bogus"))));
  EXPECT_EQ(example("GET", "/alerts"), body_json(api.handle(make_request("/alerts?severity=bogus"))));
  EXPECT_EQ(example("DELETE", "/prune"), body_json(api.handle(make_request("/prune?days=0", "DELETE"))));
  EXPECT_EQ(example("GET", "/pnodes/compare"), body_json(api.handle(make_request("/pnodes/compare"))));
  EXPECT_EQ(example("GET", "/network/consistency").at("detail").at(0).at("ctx").at("le"), json::value(1.0));
  EXPECT_FALSE(operation("GET", "/all-nodes").at("responses").as_object().contains("422"))
      << "version accepts any string";
}

TEST_F(OpenApiTest, DocumentIsServedOnceSerialisedAndAlsoOnHead) {
  auto a = api.handle(make_request("/openapi.json"));
  auto b = api.handle(make_request("/openapi.json"));
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.content_type, "application/json");
  EXPECT_EQ(a.body.get(), b.body.get()) << "the cached body is shared, not rebuilt";
  EXPECT_EQ(api.handle(make_request("/openapi.json", "HEAD")).status, 200);
  EXPECT_EQ(*a.body, compact_json(openapi_document()));
  EXPECT_EQ(json::parse(*a.body), json::parse(openapi_document())) << "compacting keeps every value";
  EXPECT_LT(a.body->size(), openapi_document().size());
}

TEST_F(OpenApiTest, DocsPageIsSelfContainedHtml) {
  auto r = api.handle(make_request("/docs"));
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type.rfind("text/html", 0), 0u);
  EXPECT_EQ(header(r, "content-security-policy"), kDocsPageCsp);
  EXPECT_NE(kDocsPageCsp.find("default-src 'none'"), std::string_view::npos);
  std::string page = body_text(r);
  EXPECT_NE(page.find("fetch(\"/openapi.json\")"), std::string::npos);
  EXPECT_NE(page.find("Try it"), std::string::npos);
  // No external resource of any kind: no absolute URL, no protocol-relative one, no import.
  for (std::string_view needle : {"http://", "https://", "src=\"//", "href=\"//", "@import", "url(", "<link", "src="})
    EXPECT_EQ(page.find(needle), std::string::npos) << needle;
  EXPECT_EQ(page.find("innerHTML"), std::string::npos) << "data must be inserted as text";
  auto redoc = api.handle(make_request("/redoc"));
  EXPECT_EQ(redoc.status, 200);
  EXPECT_EQ(body_text(redoc), page);
}

TEST(OpenApi, ARouteMissingFromTheDocumentIsReported) {
  rest::Router router;
  router.get("/pnodes", rest::QuerySchema{rest::int_param("limit").def(100).ge(1).le(1000)},
             [](const rest::RouteRequest&) { return http::Response{}; });
  router.get("/brand-new/{id}", rest::QuerySchema{}, [](const rest::RouteRequest&) { return http::Response{}; });
  router.add("DELETE", "/pnodes", rest::QuerySchema{}, [](const rest::RouteRequest&) { return http::Response{}; });
  json::value doc = json::parse(openapi_document());
  EXPECT_EQ(undocumented_routes(doc, router.routes()),
            (std::vector<std::string>{"GET /brand-new/{id}", "DELETE /pnodes"}));
  EXPECT_EQ(undocumented_routes(json::parse("{}"), router.routes()).size(), 3u);
}

TEST(OpenApi, CompactJsonKeepsStringsIntact) {
  EXPECT_EQ(compact_json("{\n  \"a b\": [1, 2],\n  \"c\": \"x \\\" y\"\n}"), "{\"a b\":[1,2],\"c\":\"x \\\" y\"}");
}

// ---- check_schema ----

class CheckSchemaTest : public ::testing::Test {
 protected:
  CheckSchemaTest() {
    doc = json::parse(R"({"components":{"schemas":{
      "Node":{"type":"object","properties":{"score":{"type":"number"},"port":{"type":"integer"},
              "tier":{"type":"string","enum":["low_risk","high_risk"]},"last":{"type":"integer","nullable":true},
              "versions":{"type":"object","additionalProperties":{"type":"integer"}},
              "value":{"oneOf":[{"type":"number"},{"type":"string"}]}},
              "required":["score","port"]}}}})");
    schema = json::parse(R"({"type":"object","properties":{"pnodes":{"type":"array","items":{"$ref":"#/components/schemas/Node"}}},"required":["pnodes"]})");
  }
  std::vector<std::string> check(std::string_view value) { return check_schema(json::parse(value), schema, doc); }
  json::value doc, schema;
};

TEST_F(CheckSchemaTest, AcceptsAFittingValue) {
  EXPECT_EQ(check(R"({"pnodes":[{"score":40.0,"port":6000,"tier":"low_risk","last":null,"versions":{"0.8.0":3},"value":"0.7.0"},
                               {"score":0,"port":1,"value":5.5,"extra":"ignored"}]})"),
            std::vector<std::string>{});
}

TEST_F(CheckSchemaTest, NamesEachViolationByItsPath) {
  EXPECT_EQ(check(R"({})"), std::vector<std::string>{"$: missing field \"pnodes\""});
  EXPECT_EQ(check(R"({"pnodes":[{"score":"81.3","port":1}]})"),
            std::vector<std::string>{"$.pnodes[0].score: expected number, got string \"81.3\""});
  EXPECT_EQ(check(R"({"pnodes":[{"score":1,"port":6000.0}]})"),
            std::vector<std::string>{"$.pnodes[0].port: expected integer, got number 6E3"});
  EXPECT_EQ(check(R"({"pnodes":[{"score":null,"port":1}]})"),
            std::vector<std::string>{"$.pnodes[0].score: expected number, got null"});
  EXPECT_EQ(check(R"({"pnodes":[{"score":1,"port":1,"tier":"legendary"}]})"),
            std::vector<std::string>{"$.pnodes[0].tier: \"legendary\" is not one of [\"low_risk\",\"high_risk\"]"});
  EXPECT_EQ(check(R"({"pnodes":[{"score":1,"port":1,"versions":{"0.8.0":"3"}}]})"),
            std::vector<std::string>{"$.pnodes[0].versions.0.8.0: expected integer, got string \"3\""});
  EXPECT_EQ(check(R"({"pnodes":[{"score":1,"port":1,"value":true}]})"),
            std::vector<std::string>{"$.pnodes[0].value: fits none of the allowed types, got boolean"});
  EXPECT_EQ(check(R"({"pnodes":[{"port":1}]})"), std::vector<std::string>{"$.pnodes[0]: missing field \"score\""});
}

}  // namespace
}  // namespace pnode::api
