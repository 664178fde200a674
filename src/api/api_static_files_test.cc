// The dashboard's StaticFiles (rest/static_files.h) served by the Api beside its routes:
// "/" by Accept, assets, and API routes never shadowed by a file.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>

#include "api/api.h"
#include "api/docs_page.h"
#include "api/snapshot_hub.h"
#include "rest/static_files.h"
#include "rest/test_support.h"

namespace pnode::api {
namespace {

namespace fs = std::filesystem;

http::Request get(std::string target, http::Headers headers = {}) {
  http::Request r;
  r.method = "GET";
  r.target = std::move(target);
  r.headers = std::move(headers);
  return r;
}

TEST(ApiStaticFilesTest, ApiServesTheDashboardBesideItsRoutes) {
  rest::testing::TempWebRoot web("api-static-files-test");
  rest::testing::TempWebRoot::write(web.root / "health", "a file that must not shadow GET /health");
  SnapshotHub hub;
  ApiConfig config;
  auto loaded = rest::StaticFiles::load(web.root.string());
  ASSERT_TRUE(loaded.ok());
  config.static_files = *loaded;
  ASSERT_TRUE(config.static_files);
  Api api(config, hub);

  auto page = api.handle(get("/", {{"Accept", "text/html"}}));
  EXPECT_EQ(page.content_type, "text/html; charset=utf-8");
  EXPECT_EQ(*page.body, "<!doctype html><title>dash</title>");
  auto json = api.handle(get("/"));
  EXPECT_EQ(json.status, 200);
  EXPECT_EQ(json.content_type, "application/json");
  EXPECT_NE(json.body->find("\"api_name\""), std::string::npos);

  auto js = api.handle(get("/assets/index-abc123.js"));
  EXPECT_EQ(js.status, 200);
  EXPECT_EQ(*js.body, "console.log(1)");
  EXPECT_EQ(api.handle(get("/index.html")).status, 200);
  EXPECT_EQ(api.handle(get("/assets/missing.js")).status, 404);
  auto health = api.handle(get("/health", {{"Accept", "text/html"}}));
  EXPECT_EQ(health.content_type, "application/json");  // the API route owns /health
}

TEST(ApiSecurityHeaders, EveryAnswerForbidsSniffingAndFramingAndTheDashboardHasAPolicy) {
  rest::testing::TempWebRoot web("api-security-headers-test");
  SnapshotHub hub;
  ApiConfig config;
  auto loaded = rest::StaticFiles::load(web.root.string());
  ASSERT_TRUE(loaded.ok());
  config.static_files = *loaded;
  Api api(config, hub);
  for (const char* target : {"/health", "/pnodes", "/no/such/route", "/openapi.json", "/assets/index-abc123.js"}) {
    auto r = api.handle(get(target));
    EXPECT_EQ(rest::testing::header(r, "x-content-type-options"), "nosniff") << target;
    EXPECT_EQ(rest::testing::header(r, "x-frame-options"), "DENY") << target;
  }
  auto page = api.handle(get("/", {{"Accept", "text/html"}}));
  EXPECT_EQ(rest::testing::header(page, "content-security-policy"), kDashboardCsp);
  EXPECT_NE(kDashboardCsp.find("script-src 'self'"), std::string_view::npos);
  EXPECT_NE(kDashboardCsp.find("frame-ancestors 'none'"), std::string_view::npos);
  // /docs keeps its own, stricter policy (one policy header, not two).
  auto docs = api.handle(get("/docs"));
  size_t policies = 0;
  for (const auto& [key, value] : docs.headers) policies += key == "content-security-policy" || key == "Content-Security-Policy";
  EXPECT_EQ(policies, 1u);
  EXPECT_EQ(rest::testing::header(docs, "content-security-policy"), kDocsPageCsp);
}

}  // namespace
}  // namespace pnode::api
