#include "rest/cors.h"

#include <gtest/gtest.h>

#include "rest/test_support.h"

namespace pnode::rest {
namespace {

using testing::body_text;
using testing::header;
using testing::make_request;

TEST(Cors, ExactOriginsFromTheReferenceListAreAllowed) {
  Cors cors;
  for (const char* o : {"http://localhost:3000", "http://localhost:3001", "http://localhost:8000",
                        "http://localhost:8080"})
    EXPECT_TRUE(cors.is_allowed_origin(o)) << o;
  EXPECT_FALSE(cors.is_allowed_origin("http://localhost:5173"));
  EXPECT_FALSE(cors.is_allowed_origin("https://localhost:3000"));
}

// A deployment's list with the reference's two wildcards (no longer in the default).
Cors with_wildcards() {
  return Cors({"http://localhost:3000", "https://dash.example.org", "https://*.vercel.app", "https://*.github.dev"});
}

TEST(Cors, DefaultListHasNoWildcards) {
  Cors cors;
  EXPECT_FALSE(cors.is_allowed_origin("https://my-app.vercel.app"));
  EXPECT_FALSE(cors.is_allowed_origin("https://fuzzy-space-abc-3000.app.github.dev"));
  for (const std::string& origin : default_cors_origins()) EXPECT_EQ(origin.find('*'), std::string::npos) << origin;
}

TEST(Cors, WildcardOriginsMatchAnyHostUnderTheSuffix) {
  Cors cors = with_wildcards();
  EXPECT_TRUE(cors.is_allowed_origin("https://my-app.vercel.app"));
  EXPECT_TRUE(cors.is_allowed_origin("https://preview-123.team.vercel.app"));
  EXPECT_TRUE(cors.is_allowed_origin("https://fuzzy-space-abc-3000.app.github.dev"));
  // Not under the suffix, wrong scheme, or smuggled text.
  for (const char* o : {"https://vercel.app", "https://.vercel.app", "https://evilvercel.app",
                        "https://x.vercel.app.evil.com", "http://x.vercel.app", "https://evil.com/.vercel.app",
                        "https://user@x.vercel.app", "https://x.vercel.app:443", "https://*.vercel.app"})
    EXPECT_FALSE(cors.is_allowed_origin(o)) << o;
}

TEST(Cors, ConfiguredListReplacesTheDefaultAndStarAllowsAll) {
  Cors custom({"https://dash.example.org"});
  EXPECT_TRUE(custom.is_allowed_origin("https://dash.example.org"));
  EXPECT_FALSE(custom.is_allowed_origin("http://localhost:3000"));
  Cors all({"*"});
  EXPECT_TRUE(all.is_allowed_origin("https://anything.example"));
}

TEST(Cors, ExactOriginGetsTheOriginEchoedWithCredentialsAndVary) {
  Cors cors = with_wildcards();
  http::Response r = http::Response::json(200, "{}");
  cors.decorate(make_request("/health", "GET", {{"Origin", "https://dash.example.org"}}), r);
  EXPECT_EQ(header(r, "access-control-allow-origin"), "https://dash.example.org");
  EXPECT_EQ(header(r, "access-control-allow-credentials"), "true");
  EXPECT_EQ(header(r, "vary"), "Origin");
}

TEST(Cors, WildcardAndStarOriginsNeverGetCredentials) {
  Cors cors = with_wildcards();
  http::Response r = http::Response::json(200, "{}");
  cors.decorate(make_request("/health", "GET", {{"Origin", "https://my-app.vercel.app"}}), r);
  EXPECT_EQ(header(r, "access-control-allow-origin"), "https://my-app.vercel.app");
  EXPECT_EQ(header(r, "access-control-allow-credentials"), "");
  Cors all({"*"});
  http::Response any = http::Response::json(200, "{}");
  all.decorate(make_request("/health", "GET", {{"Origin", "https://anything.example"}}), any);
  EXPECT_EQ(header(any, "access-control-allow-origin"), "https://anything.example");
  EXPECT_EQ(header(any, "access-control-allow-credentials"), "");
  auto preflight = all.preflight(make_request(
      "/pnodes", "OPTIONS", {{"Origin", "https://anything.example"}, {"Access-Control-Request-Method", "GET"}}));
  EXPECT_EQ(preflight.status, 200);
  EXPECT_EQ(header(preflight, "access-control-allow-credentials"), "");
}

TEST(Cors, DestructiveMethodsArePreflightableFromExactOriginsOnly) {
  Cors cors = with_wildcards();
  auto preflight = [&](const char* origin, const char* method) {
    return cors.preflight(
        make_request("/prune", "OPTIONS", {{"Origin", origin}, {"Access-Control-Request-Method", method}}));
  };
  for (const char* method : {"DELETE", "POST", "PUT", "PATCH"}) {
    auto wildcard = preflight("https://my-app.vercel.app", method);
    EXPECT_EQ(wildcard.status, 400) << method;
    EXPECT_EQ(body_text(wildcard), "Disallowed CORS method") << method;
    EXPECT_EQ(header(wildcard, "access-control-allow-methods"), "GET, HEAD, OPTIONS");
    EXPECT_EQ(Cors({"*"}).preflight(make_request("/prune", "OPTIONS", {{"Origin", "https://x.example"},
                                                                        {"Access-Control-Request-Method", method}}))
                  .status,
              400)
        << method;
    EXPECT_EQ(preflight("https://dash.example.org", method).status, 200) << method;
  }
  EXPECT_EQ(preflight("https://my-app.vercel.app", "GET").status, 200);
  EXPECT_EQ(preflight("https://my-app.vercel.app", "HEAD").status, 200);
}

TEST(Cors, DisallowedOriginGetsNoAllowOrigin) {
  Cors cors;
  http::Response r = http::Response::json(200, "{}");
  cors.decorate(make_request("/health", "GET", {{"origin", "https://evil.example"}}), r);
  EXPECT_EQ(header(r, "access-control-allow-origin"), "");
  EXPECT_EQ(header(r, "vary"), "");
}

TEST(Cors, RequestsWithoutOriginAreUntouched) {
  Cors cors;
  http::Response r = http::Response::json(200, "{}");
  cors.decorate(make_request("/health"), r);
  EXPECT_TRUE(r.headers.empty());
}

TEST(Cors, PreflightFromAllowedOriginIs200WithTheAllowHeaders) {
  Cors cors;
  auto request = make_request("/pnodes", "OPTIONS",
                              {{"Origin", "http://localhost:3000"},
                               {"Access-Control-Request-Method", "GET"},
                               {"Access-Control-Request-Headers", "content-type, x-custom"}});
  ASSERT_TRUE(Cors::is_preflight(request));
  auto r = cors.preflight(request);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(body_text(r), "OK");
  EXPECT_EQ(header(r, "access-control-allow-origin"), "http://localhost:3000");
  EXPECT_EQ(header(r, "access-control-allow-methods"), "DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT");
  EXPECT_EQ(header(r, "access-control-allow-headers"), "content-type, x-custom");
  EXPECT_EQ(header(r, "access-control-max-age"), "600");
  EXPECT_EQ(header(r, "access-control-allow-credentials"), "true");
  EXPECT_EQ(header(r, "vary"), "Origin");
}

TEST(Cors, PreflightFromDisallowedOriginIs400) {
  Cors cors;
  auto r = cors.preflight(make_request(
      "/pnodes", "OPTIONS", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "GET"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_text(r), "Disallowed CORS origin");
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(header(r, "access-control-allow-origin"), "");
}

TEST(Cors, PreflightForAnUnknownMethodIs400) {
  Cors cors;
  auto r = cors.preflight(make_request(
      "/pnodes", "OPTIONS", {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "BREW"}}));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(body_text(r), "Disallowed CORS method");
  auto both = cors.preflight(make_request(
      "/pnodes", "OPTIONS", {{"Origin", "https://evil.example"}, {"Access-Control-Request-Method", "BREW"}}));
  EXPECT_EQ(body_text(both), "Disallowed CORS origin, method");
}

TEST(Cors, OptionsWithoutRequestMethodIsNotAPreflight) {
  EXPECT_FALSE(Cors::is_preflight(make_request("/pnodes", "OPTIONS", {{"Origin", "http://localhost:3000"}})));
  EXPECT_FALSE(Cors::is_preflight(make_request("/pnodes", "OPTIONS", {{"Access-Control-Request-Method", "GET"}})));
  EXPECT_FALSE(Cors::is_preflight(make_request(
      "/pnodes", "GET", {{"Origin", "http://localhost:3000"}, {"Access-Control-Request-Method", "GET"}})));
}

}  // namespace
}  // namespace pnode::rest
