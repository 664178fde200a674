// StaticFiles over a temporary web root: types, ETag/304, cache headers, "/" by Accept,
// and paths that must never be served. Served beside the API routes:
// api/api_static_files_test.cc.
#include "rest/static_files.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "rest/http_caching.h"
#include "rest/test_support.h"

namespace pnode::rest {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    write(root_ / "assets" / "index-def456.css", "body{}");
    write(root_ / "favicon.svg", "<svg/>");
    write(root_ / "a b.json", "{}");
    write(base_ / "secret.txt", "top secret");  // beside the root, never served
  }

  static void write(const fs::path& path, const std::string& content) { testing::TempWebRoot::write(path, content); }

  std::shared_ptr<const StaticFiles> load() {
    auto loaded = StaticFiles::load(root_.string());
    EXPECT_TRUE(loaded.ok()) << (loaded.ok() ? "" : loaded.error().message);
    return loaded.ok() ? *loaded : nullptr;
  }

  static http::Request get(std::string target, http::Headers headers = {}) {
    http::Request r;
    r.method = "GET";
    r.target = std::move(target);
    r.headers = std::move(headers);
    return r;
  }

  static std::string header(const http::Response& r, std::string_view name) {
    return std::string(http::find_header(r.headers, name));
  }

  testing::TempWebRoot web_{"static-files-test"};
  const fs::path& base_ = web_.base;
  const fs::path& root_ = web_.root;
};

TEST_F(StaticFilesTest, ServesEveryFileWithItsTypeAndCachePolicy) {
  auto files = load();
  ASSERT_TRUE(files);
  EXPECT_EQ(files->paths(), (std::vector<std::string>{"/a b.json", "/assets/index-abc123.js",
                                                      "/assets/index-def456.css", "/favicon.svg", "/index.html"}));
  std::string_view route;
  auto js = files->answer(get("/assets/index-abc123.js?v=1"), &route);
  ASSERT_TRUE(js);
  EXPECT_EQ(js->status, 200);
  EXPECT_EQ(*js->body, "console.log(1)");
  EXPECT_EQ(js->content_type, "text/javascript; charset=utf-8");
  EXPECT_EQ(header(*js, "Cache-Control"), "public, max-age=31536000, immutable");
  EXPECT_EQ(route, "/assets/{file:path}");

  auto css = files->answer(get("/assets/index-def456.css"));
  ASSERT_TRUE(css);
  EXPECT_EQ(css->content_type, "text/css; charset=utf-8");

  auto index = files->answer(get("/index.html"), &route);
  ASSERT_TRUE(index);
  EXPECT_EQ(index->content_type, "text/html; charset=utf-8");
  EXPECT_EQ(header(*index, "Cache-Control"), "no-cache");
  EXPECT_EQ(route, "/index.html");

  auto icon = files->answer(get("/favicon.svg"));
  ASSERT_TRUE(icon);
  EXPECT_EQ(icon->content_type, "image/svg+xml");
  EXPECT_EQ(header(*icon, "Cache-Control"), "no-cache");

  auto spaced = files->answer(get("/a%20b.json"));  // percent-decoded before lookup
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->content_type, "application/json");

  EXPECT_FALSE(files->answer(get("/assets/missing.js")));
  EXPECT_FALSE(files->answer(get("/health")));
}

TEST_F(StaticFilesTest, ContentTypesByExtension) {
  EXPECT_EQ(StaticFiles::content_type_for("x.png"), "image/png");
  EXPECT_EQ(StaticFiles::content_type_for("x.ico"), "image/x-icon");
  EXPECT_EQ(StaticFiles::content_type_for("x.woff2"), "font/woff2");
  EXPECT_EQ(StaticFiles::content_type_for("x.js.map"), "application/json");
  EXPECT_EQ(StaticFiles::content_type_for("x.bin"), "application/octet-stream");
}

TEST_F(StaticFilesTest, RootIsTheDashboardOnlyForBrowsers) {
  auto files = load();
  ASSERT_TRUE(files);
  EXPECT_FALSE(files->answer(get("/")));  // API clients keep GET /'s JSON
  EXPECT_FALSE(files->answer(get("/", {{"Accept", "application/json"}})));
  auto page = files->answer(get("/", {{"accept", "text/html,application/xhtml+xml,*/*;q=0.8"}}));
  ASSERT_TRUE(page);
  EXPECT_EQ(*page->body, "<!doctype html><title>dash</title>");
  EXPECT_EQ(header(*page, "Vary"), "Accept");
  EXPECT_EQ(header(*page, "Cache-Control"), "no-cache");
}

TEST_F(StaticFilesTest, EtagAnswers304AndChangesWithContent) {
  auto files = load();
  ASSERT_TRUE(files);
  auto first = files->answer(get("/index.html"));
  ASSERT_TRUE(first);
  const std::string etag = header(*first, "ETag");
  ASSERT_FALSE(etag.empty());
  EXPECT_EQ(etag.front(), '"');

  auto cached = files->answer(get("/index.html", {{"If-None-Match", "\"other\", " + etag}}));
  ASSERT_TRUE(cached);
  EXPECT_EQ(cached->status, 304);
  EXPECT_FALSE(cached->body);
  EXPECT_EQ(header(*cached, "ETag"), etag);
  EXPECT_EQ(files->answer(get("/index.html", {{"If-None-Match", "W/" + etag}}))->status, 304);
  EXPECT_EQ(files->answer(get("/index.html", {{"If-None-Match", "\"stale\""}}))->status, 200);

  write(root_ / "index.html", "<!doctype html><title>new</title>");
  auto reloaded = load();
  ASSERT_TRUE(reloaded);
  EXPECT_NE(header(*reloaded->answer(get("/index.html")), "ETag"), etag);
  // Loaded once: a change on disk is not seen by the already loaded set.
  EXPECT_EQ(*files->answer(get("/index.html"))->body, "<!doctype html><title>dash</title>");
}

TEST_F(StaticFilesTest, LargeTextIsGzippedOnceForClientsThatAcceptIt) {
  std::string script;
  for (int i = 0; i < 400; ++i) script += "console.log('line " + std::to_string(i) + "');\n";
  write(root_ / "assets" / "big-1a2b.js", script);
  auto files = load();
  ASSERT_TRUE(files);
  auto plain = files->answer(get("/assets/big-1a2b.js"));
  ASSERT_TRUE(plain);
  EXPECT_EQ(*plain->body, script);
  EXPECT_EQ(header(*plain, "Content-Encoding"), "");
  EXPECT_EQ(header(*plain, "Vary"), "Accept-Encoding");

  auto zipped = files->answer(get("/assets/big-1a2b.js", {{"Accept-Encoding", "gzip, deflate, br"}}));
  ASSERT_TRUE(zipped);
  EXPECT_EQ(header(*zipped, "Content-Encoding"), "gzip");
  EXPECT_EQ(zipped->content_type, "text/javascript; charset=utf-8");
  EXPECT_LT(zipped->body->size(), script.size());
  std::string unzipped;
  ASSERT_TRUE(gzip_decompress(*zipped->body, unzipped));
  EXPECT_EQ(unzipped, script);
  EXPECT_NE(header(*zipped, "ETag"), header(*plain, "ETag"));
  EXPECT_EQ(zipped->body, files->answer(get("/assets/big-1a2b.js", {{"Accept-Encoding", "gzip"}}))->body)
      << "compressed once, at load";

  auto revalidated = files->answer(
      get("/assets/big-1a2b.js", {{"Accept-Encoding", "gzip"}, {"If-None-Match", header(*zipped, "ETag")}}));
  EXPECT_EQ(revalidated->status, 304);
  // Small files stay as they are.
  auto small = files->answer(get("/index.html", {{"Accept-Encoding", "gzip"}}));
  EXPECT_EQ(header(*small, "Content-Encoding"), "");
}

TEST_F(StaticFilesTest, NeverServesOutsideTheRoot) {
  fs::create_symlink(base_ / "secret.txt", root_ / "assets" / "link.txt");
  auto files = load();
  ASSERT_TRUE(files);
  for (const char* target : {"/../secret.txt", "/assets/../../secret.txt", "/%2e%2e/secret.txt",
                             "/assets/%2E%2E/%2E%2E/secret.txt", "/assets/..%2f..%2fsecret.txt", "/assets/link.txt",
                             "/assets/..\\..\\secret.txt", "/assets/../index.html", "//etc/passwd"}) {
    EXPECT_FALSE(files->answer(get(target))) << target;
  }
}

TEST_F(StaticFilesTest, OnlyGetAndHead) {
  auto files = load();
  ASSERT_TRUE(files);
  auto head = get("/index.html");
  head.method = "HEAD";
  EXPECT_TRUE(files->answer(head));
  auto post = get("/index.html");
  post.method = "POST";
  EXPECT_FALSE(files->answer(post));
}

TEST_F(StaticFilesTest, LoadFailsWithoutAFolderOrIndex) {
  EXPECT_EQ(StaticFiles::load((base_ / "missing").string()).error().code, ErrorCode::kNotFound);
  fs::remove(root_ / "index.html");
  EXPECT_EQ(StaticFiles::load(root_.string()).error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace pnode::rest
