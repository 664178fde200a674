#include "rest/path_pattern.h"

#include <gtest/gtest.h>

#include <stdexcept>

namespace pnode::rest {
namespace {

// The captures of a match, or "<none>" when the path does not match.
std::string captured(const PathPattern& pattern, std::string_view path) {
  PathPattern::Captures captures;
  if (!pattern.match(path, captures)) return "<none>";
  std::string out;
  for (const auto& [name, value] : captures) out += (out.empty() ? "" : ",") + name + "=" + value;
  return out;
}

size_t steps_to_match(const PathPattern& pattern, std::string_view path) {
  PathPattern::Captures ignored;
  size_t steps = 0;
  pattern.match(path, ignored, &steps);
  return steps;
}

TEST(PathPattern, KeepsTheGreedyRegexSemantics) {
  PathPattern history("/node/{address:path}/history");
  EXPECT_EQ(captured(history, "/node/1.2.3.4:9001/history"), "address=1.2.3.4:9001");
  EXPECT_EQ(captured(history, "/node/a/history/history"), "address=a/history");  // greedy
  EXPECT_EQ(captured(history, "/node//history"), "address=");
  EXPECT_EQ(captured(history, "/node/a\nb/history"), "<none>");  // '.' stops at a newline
  EXPECT_EQ(captured(history, "/node/a/historyx"), "<none>");

  PathPattern segment("/seg/{name}/x");
  EXPECT_EQ(captured(segment, "/seg/abc/x"), "name=abc");
  EXPECT_EQ(captured(segment, "/seg/a/b/x"), "<none>");
  EXPECT_EQ(captured(segment, "/seg//x"), "<none>");

  // Several parameters: the leftmost takes the longest end that lets the rest match.
  PathPattern two("/a/{x}/b/{y:path}");
  EXPECT_EQ(captured(two, "/a/1/b/2/b/3"), "x=1,y=2/b/3");
  PathPattern dotted("/f/{name}.{ext}");
  EXPECT_EQ(captured(dotted, "/f/a.b.c"), "name=a.b,ext=c");
  PathPattern paths("/p/{a:path}-{b:path}");
  EXPECT_EQ(captured(paths, "/p/x-y-z"), "a=x-y,b=z");

  EXPECT_EQ(captured(PathPattern("/health"), "/health"), "");
  EXPECT_EQ(captured(PathPattern("/health"), "/healthz"), "<none>");
  EXPECT_EQ(captured(PathPattern("/registry/{address:path}"), "/registry/"), "address=");
}

TEST(PathPattern, MalformedPatternsThrow) {
  EXPECT_THROW(PathPattern("no-slash"), std::invalid_argument);
  EXPECT_THROW(PathPattern("/a/{open"), std::invalid_argument);
  EXPECT_THROW(PathPattern("/a/{x:int}"), std::invalid_argument);
  EXPECT_THROW(PathPattern("/a/{}"), std::invalid_argument);
}

// Issue 10: a 15 KB path cost ~11 ms with backtracking. The work is now bounded by a
// small multiple of the path length per pattern token, and doubling the path about
// doubles it (a quadratic matcher would quadruple it).
TEST(PathPattern, WorkIsLinearInThePathLength) {
  const PathPattern patterns[] = {PathPattern("/node/{address:path}/history"), PathPattern("/registry/{address:path}"),
                                  PathPattern("/seg/{name}/x"), PathPattern("/a/{x}/b/{y:path}"),
                                  PathPattern("/p/{a:path}-{b:path}/end")};
  auto hostile = [](const std::string& prefix, size_t bytes, std::string_view unit, std::string_view ending) {
    std::string path = prefix;
    while (path.size() < bytes) path += unit;
    return path + std::string(ending);
  };
  for (const PathPattern& pattern : patterns) {
    for (std::string prefix : {"/node/", "/registry/", "/seg/", "/a/", "/p/"}) {
      for (std::string_view unit : {"a", "/a", "-", "/b/"}) {
        for (std::string_view ending : {"/nomatch", "/history", "/x", "-/end", "\n/history"}) {
          const std::string small = hostile(prefix, 15 * 1024, unit, ending);
          const std::string large = hostile(prefix, 30 * 1024, unit, ending);
          const size_t small_steps = steps_to_match(pattern, small);
          const size_t large_steps = steps_to_match(pattern, large);
          EXPECT_LE(small_steps, 30 * (small.size() + 1)) << prefix << unit << ending;
          EXPECT_LE(large_steps, 2.1 * static_cast<double>(small_steps) + 64) << prefix << unit << ending;
        }
      }
    }
  }
}

TEST(PathPattern, AHundredThousandSegmentsCostOnePassPerToken) {
  std::string path = "/node";
  for (int i = 0; i < 100000; ++i) path += "/a";
  PathPattern history("/node/{address:path}/history");
  EXPECT_LE(steps_to_match(history, path + "/nothing"), 8 * path.size());
  EXPECT_LE(steps_to_match(history, path + "/history"), 8 * path.size());
  EXPECT_EQ(captured(history, path + "/history").size(), path.size() - 6 + std::string("address=").size());
}

}  // namespace
}  // namespace pnode::rest
