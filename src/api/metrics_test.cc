#include "api/metrics.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "api/api.h"
#include "api/router.h"
#include "api/test_support.h"
#include "collect/collector.h"

namespace pnode::api {
namespace {

// ---------------------------------------------------------------------------------------
// A strict parser of the Prometheus text exposition format 0.0.4, so the tests check the
// format itself and not just a few substrings. parse_exposition() throws
// std::runtime_error("line N: ...") on the first violation.
// ---------------------------------------------------------------------------------------

using LabelSet = std::map<std::string, std::string>;

struct Sample {
  std::string name;
  LabelSet labels;
  double value = 0;
  std::optional<int64_t> timestamp;
};

struct Exposition {
  std::map<std::string, std::string> types;  // family -> counter|gauge|histogram|summary|untyped
  std::map<std::string, std::string> help;   // family -> unescaped text
  std::vector<Sample> samples;

  std::optional<double> value(const std::string& name, const LabelSet& labels = {}) const {
    for (const Sample& s : samples)
      if (s.name == name && s.labels == labels) return s.value;
    return std::nullopt;
  }
  size_t count(const std::string& name) const {
    size_t n = 0;
    for (const Sample& s : samples) n += s.name == name;
    return n;
  }
};

class ExpositionParser {
 public:
  explicit ExpositionParser(std::string_view text) : text_(text) {}

  Exposition parse() {
    if (!text_.empty() && text_.back() != '\n') fail("the last line must end with a line feed");
    size_t start = 0;
    while (start < text_.size()) {
      ++line_number_;
      size_t end = text_.find('\n', start);
      line_ = text_.substr(start, end - start);
      pos_ = 0;
      if (!line_.empty()) {
        if (line_.front() == '#') comment();
        else sample();
      }
      start = end + 1;
    }
    check_histograms();
    return std::move(out_);
  }

 private:
  [[noreturn]] void fail(const std::string& why) const {
    throw std::runtime_error("line " + std::to_string(line_number_) + ": " + why + " [" + std::string(line_) + "]");
  }

  static bool name_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_' || c == ':'; }
  static bool name_char(char c) { return name_start(c) || std::isdigit(static_cast<unsigned char>(c)); }

  bool at_end() const { return pos_ >= line_.size(); }
  char peek() const { return at_end() ? '\0' : line_[pos_]; }
  void expect(char c) {
    if (peek() != c) fail(std::string("expected '") + c + "'");
    ++pos_;
  }
  void spaces(bool required) {
    size_t from = pos_;
    while (peek() == ' ' || peek() == '\t') ++pos_;
    if (required && pos_ == from) fail("expected a blank");
  }

  std::string metric_name() {
    if (!name_start(peek())) fail("bad metric name");
    size_t from = pos_;
    while (!at_end() && name_char(peek())) ++pos_;
    return std::string(line_.substr(from, pos_ - from));
  }

  std::string label_name() {
    char c = peek();
    if (!(std::isalpha(static_cast<unsigned char>(c)) || c == '_')) fail("bad label name");
    size_t from = pos_;
    while (!at_end() && (std::isalnum(static_cast<unsigned char>(peek())) || peek() == '_')) ++pos_;
    std::string name(line_.substr(from, pos_ - from));
    if (name.rfind("__", 0) == 0) fail("reserved label name " + name);
    return name;
  }

  // A quoted label value with the three escapes \\, \" and \n.
  std::string label_value() {
    expect('"');
    std::string value;
    while (true) {
      if (at_end()) fail("unterminated label value");
      char c = line_[pos_++];
      if (c == '"') return value;
      if (c != '\\') {
        value += c;
        continue;
      }
      if (at_end()) fail("dangling backslash");
      char e = line_[pos_++];
      if (e == '\\') value += '\\';
      else if (e == '"') value += '"';
      else if (e == 'n') value += '\n';
      else fail(std::string("bad escape \\") + e);
    }
  }

  std::string token() {
    size_t from = pos_;
    while (!at_end() && peek() != ' ' && peek() != '\t') ++pos_;
    return std::string(line_.substr(from, pos_ - from));
  }

  // What Go's ParseFloat accepts in practice from exporters: decimals, exponents,
  // [+-]Inf and NaN.
  static std::optional<double> parse_float(const std::string& s) {
    static const std::regex kFloat(R"(^[+-]?((\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|Inf|NaN)$)");
    if (!std::regex_match(s, kFloat)) return std::nullopt;
    return std::strtod(s.c_str(), nullptr);
  }

  void comment() {
    ++pos_;  // '#'
    spaces(false);
    std::string keyword = token();
    if (keyword != "HELP" && keyword != "TYPE") return;  // any other comment is ignored
    spaces(true);
    std::string name = metric_name();
    if (keyword == "HELP") {
      spaces(true);
      std::string text;
      for (; !at_end(); ++pos_) {
        char c = line_[pos_];
        if (c != '\\') {
          text += c;
          continue;
        }
        if (++pos_ == line_.size()) fail("dangling backslash in HELP");
        if (line_[pos_] == '\\') text += '\\';
        else if (line_[pos_] == 'n') text += '\n';
        else fail("bad escape in HELP");
      }
      if (!out_.help.emplace(name, text).second) fail("second HELP for " + name);
      return;
    }
    spaces(true);
    std::string type = token();
    spaces(false);
    if (!at_end()) fail("text after the TYPE");
    static const std::set<std::string> kTypes{"counter", "gauge", "histogram", "summary", "untyped"};
    if (!kTypes.count(type)) fail("unknown type " + type);
    if (!out_.types.emplace(name, type).second) fail("second TYPE for " + name);
    if (families_seen_.count(name)) fail("TYPE after samples of " + name);
  }

  // The family a sample belongs to, from the TYPE lines so far.
  std::string family_of(const std::string& name) const {
    if (auto it = out_.types.find(name); it != out_.types.end()) {
      if (it->second == "histogram") fail("histogram sample without a suffix");
      return name;
    }
    for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
      if (name.size() <= suffix.size() || name.compare(name.size() - suffix.size(), suffix.size(), suffix) != 0)
        continue;
      std::string base = name.substr(0, name.size() - suffix.size());
      auto it = out_.types.find(base);
      if (it == out_.types.end()) continue;
      if (it->second == "histogram" || (it->second == "summary" && suffix != "_bucket")) return base;
    }
    fail("sample of a family without TYPE: " + name);
  }

  void sample() {
    Sample s;
    s.name = metric_name();
    if (peek() == '{') {
      ++pos_;
      while (peek() != '}') {
        std::string name = label_name();
        expect('=');
        std::string value = label_value();
        if (!s.labels.emplace(name, value).second) fail("label " + name + " twice");
        if (peek() == ',') ++pos_;
        else if (peek() != '}') fail("expected ',' or '}'");
      }
      ++pos_;
    }
    spaces(true);
    std::string value = token();
    std::optional<double> parsed = parse_float(value);
    if (!parsed) fail("bad value '" + value + "'");
    s.value = *parsed;
    if (!at_end()) {
      spaces(true);
      std::string stamp = token();
      if (!std::regex_match(stamp, std::regex(R"(^-?\d+$)"))) fail("bad timestamp");
      s.timestamp = std::stoll(stamp);
    }
    if (!at_end()) fail("text after the sample");

    std::string family = family_of(s.name);
    // All lines of one family form a single group.
    if (family != current_family_) {
      if (families_seen_.count(family)) fail("family " + family + " is split into two groups");
      families_seen_.insert(family);
      current_family_ = family;
    }
    std::string series = s.name;
    for (const auto& [k, v] : s.labels) series += "\x1f" + k + "\x1e" + v;
    if (!series_seen_.insert(series).second) fail("duplicate series");

    const std::string& type = out_.types.at(family);
    if (type == "counter" && (std::isnan(s.value) || s.value < 0)) fail("counter below zero or NaN");
    if (type == "histogram") histogram_sample(family, s);
    out_.samples.push_back(std::move(s));
  }

  struct HistogramSeries {
    std::vector<std::pair<double, double>> buckets;  // (le, cumulative count) in line order
    std::optional<double> sum, count;
    size_t line = 0;
  };

  void histogram_sample(const std::string& family, const Sample& s) {
    LabelSet labels = s.labels;
    std::optional<double> le;
    if (auto it = labels.find("le"); it != labels.end()) {
      le = parse_float(it->second);
      if (!le) fail("bad le");
      labels.erase(it);
    }
    std::string key = family;
    for (const auto& [k, v] : labels) key += "\x1f" + k + "\x1e" + v;
    HistogramSeries& series = histograms_[key];
    series.line = line_number_;
    if (s.name == family + "_bucket") {
      if (!le) fail("bucket without le");
      if (series.sum || series.count) fail("bucket after _sum/_count");
      series.buckets.emplace_back(*le, s.value);
    } else {
      if (le) fail("le on " + s.name);
      (s.name == family + "_sum" ? series.sum : series.count) = s.value;
    }
  }

  void check_histograms() {
    for (const auto& [key, h] : histograms_) {
      line_number_ = h.line;
      line_ = key;
      if (h.buckets.empty()) fail("histogram without buckets");
      for (size_t i = 1; i < h.buckets.size(); ++i) {
        if (!(h.buckets[i].first > h.buckets[i - 1].first)) fail("le not strictly increasing");
        if (h.buckets[i].second < h.buckets[i - 1].second) fail("buckets not cumulative");
      }
      if (!std::isinf(h.buckets.back().first) || h.buckets.back().first < 0) fail("last bucket is not le=\"+Inf\"");
      if (!h.sum) fail("histogram without _sum");
      if (!h.count) fail("histogram without _count");
      if (*h.count != h.buckets.back().second) fail("_count differs from the +Inf bucket");
    }
  }

  std::string_view text_;
  std::string_view line_;
  size_t pos_ = 0;
  size_t line_number_ = 0;
  Exposition out_;
  std::string current_family_;
  std::set<std::string> families_seen_;
  std::set<std::string> series_seen_;
  std::map<std::string, HistogramSeries> histograms_;
};

Exposition parse_exposition(std::string_view text) { return ExpositionParser(text).parse(); }

// ---- the parser itself: it must accept the format and reject what breaks it ----

TEST(ExpositionParserTest, AcceptsAWellFormedExposition) {
  const char* text =
      "# A free comment\n"
      "# HELP req_total Requests, with a \\\\ and a \\n in the help.\n"
      "# TYPE req_total counter\n"
      "req_total{path=\"/a\\\"b\\\\c\\nd\",code=\"200\",} 3 1700000000000\n"
      "req_total 1e3\n"
      "\n"
      "# TYPE temp gauge\n"
      "temp -Inf\n"
      "temp{x=\"\"} NaN\n"
      "# TYPE lat histogram\n"
      "lat_bucket{le=\"0.5\"} 1\n"
      "lat_bucket{le=\"+Inf\"} 2\n"
      "lat_sum 1.25\n"
      "lat_count 2\n";
  Exposition e = parse_exposition(text);
  EXPECT_EQ(e.help.at("req_total"), "Requests, with a \\ and a \n in the help.");
  EXPECT_EQ(e.value("req_total", {{"path", "/a\"b\\c\nd"}, {"code", "200"}}), 3);
  EXPECT_EQ(e.samples[0].timestamp, 1700000000000);
  EXPECT_EQ(e.value("req_total"), 1000);
  EXPECT_EQ(e.value("temp"), -INFINITY);
  EXPECT_TRUE(std::isnan(*e.value("temp", {{"x", ""}})));
  EXPECT_EQ(e.value("lat_count"), 2);
}

TEST(ExpositionParserTest, RejectsWhatIsNotTheFormat) {
  const std::string ok_histogram =
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n";
  ASSERT_NO_THROW(parse_exposition(ok_histogram));
  const std::vector<std::string> bad = {
      "x 1\n",                                                      // no TYPE
      "# TYPE x gauge\nx 1",                                        // no final line feed
      "# TYPE 1x gauge\n1x 1\n",                                    // bad name
      "# TYPE x gauge\nx{a=\"1} 1\n",                               // unterminated value
      "# TYPE x gauge\nx{a=\"\\t\"} 1\n",                           // unknown escape
      "# TYPE x gauge\nx{a=\"1\",a=\"2\"} 1\n",                     // label twice
      "# TYPE x gauge\nx{1a=\"1\"} 1\n",                            // bad label name
      "# TYPE x gauge\nx 1,5\n",                                    // bad value
      "# TYPE x gauge\nx inf\n",                                    // not the format's spelling
      "# TYPE x gauge\nx 1 2 3\n",                                  // trailing text
      "# TYPE x gauge\nx 1 1.5\n",                                  // bad timestamp
      "# TYPE x gauge\nx 1\nx 2\n",                                 // duplicate series
      "# TYPE x gauge\n# TYPE x counter\nx 1\n",                    // second TYPE
      "# TYPE x gauge\nx 1\n# TYPE y gauge\ny 1\nx{a=\"b\"} 1\n",   // family split in two
      "# TYPE x gauge\nx 1\n# TYPE x gauge\n",                      // TYPE after samples
      "# TYPE x counter\nx -1\n",                                   // negative counter
      "# TYPE x nonsense\nx 1\n",                                   // unknown type
      "# TYPE h histogram\nh_bucket{le=\"1\"} 3\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 2\n",  // not cumulative
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"2\"} 2\nh_sum 3\nh_count 2\n",     // no +Inf
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 2\nh_bucket{le=\"1\"} 1\nh_sum 3\nh_count 2\n",  // +Inf not last
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_sum 3\nh_count 3\n",  // _count != +Inf
      "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_bucket{le=\"+Inf\"} 2\nh_count 2\n",           // no _sum
      "# TYPE h histogram\nh_bucket 1\nh_sum 3\nh_count 1\n",                                     // bucket without le
      "# TYPE h histogram\nh 1\n",                                                                // no suffix
  };
  for (const std::string& text : bad) EXPECT_THROW(parse_exposition(text), std::runtime_error) << text;
}

// ---- Metrics on its own ----

using testing::make_request;
using testing::make_snapshot;
using testing::make_views;
using testing::offline;
using testing::online;
using namespace std::chrono_literals;

constexpr int64_t kPublished = 1700000000;

Exposition render(const Metrics& m, const model::Snapshot* snapshot = nullptr, double now = kPublished) {
  std::string text = m.render(snapshot, now);
  try {
    return parse_exposition(text);
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what() << "\n" << text;
    throw;
  }
}

LabelSet request_labels(std::string route, std::string method, std::string status) {
  return {{"route", std::move(route)}, {"method", std::move(method)}, {"status", std::move(status)}};
}

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

// ---- cycles ----

std::shared_ptr<model::Snapshot> network(int64_t published) {
  auto views = make_views({online("10.0.0.1:9001", published - 5, 100, 90), online("10.0.0.2:9001", published - 5, 100, 80),
                           online("10.0.0.3:9001", published - 5, 100, 70), offline("10.0.0.4:9001", published - 9000)});
  auto snapshot = std::make_shared<model::Snapshot>(*make_snapshot(published, {"seed-a:6000", "seed-b:6000"}, views));
  model::SeedPoll& a = snapshot->seeds[0];
  a.pod_count = 3;
  a.duration_ms = 120;
  model::SeedPoll& b = snapshot->seeds[1];
  b.pods_error = make_error(ErrorCode::kTimeout, "no answer in 5000 ms");
  b.version_error = make_error(ErrorCode::kRpcError, "boom");
  b.duration_ms = 5000;
  snapshot->summary.seeds_responding = 1;
  return snapshot;
}

collect::CycleReport ok_cycle(std::shared_ptr<const model::Snapshot> snapshot, double duration_ms,
                              double store_ms = 0, std::string error = "") {
  collect::CycleReport r;
  r.ok = true;
  r.duration_ms = duration_ms;
  r.store_ms = store_ms;
  r.error = std::move(error);
  r.snapshot = std::move(snapshot);
  return r;
}

LabelSet rpc(std::string seed, std::string method, std::string kind) {
  return {{"seed", std::move(seed)}, {"method", std::move(method)}, {"kind", std::move(kind)}};
}

TEST(MetricsTest, ACycleWithAFailedSeedCountsRpcErrorsForThatSeedOnly) {
  Metrics m;
  m.record_cycle(ok_cycle(network(kPublished), 1500, 12), kPublished + 2);
  Exposition e = render(m);
  EXPECT_EQ(e.value("pnode_rpc_errors_total", rpc("seed-b:6000", "get-pods", "timeout")), 1);
  EXPECT_EQ(e.value("pnode_rpc_errors_total", rpc("seed-b:6000", "get-version", "rpc_error")), 1);
  EXPECT_EQ(e.count("pnode_rpc_errors_total"), 2u);  // nothing for seed-a, nothing for get-stats
  EXPECT_EQ(e.value("pnode_seed_up", {{"seed", "seed-a:6000"}}), 1);
  EXPECT_EQ(e.value("pnode_seed_up", {{"seed", "seed-b:6000"}}), 0);
  EXPECT_EQ(e.value("pnode_seed_pods", {{"seed", "seed-a:6000"}}), 3);
  EXPECT_EQ(e.value("pnode_seed_pods", {{"seed", "seed-b:6000"}}), 0);
  EXPECT_EQ(e.value("pnode_seeds_responding"), 1);
  EXPECT_EQ(e.value("pnode_pods", {{"state", "online"}}), 3);
  EXPECT_EQ(e.value("pnode_pods", {{"state", "offline"}}), 1);
  EXPECT_EQ(e.value("pnode_pods_per_cycle"), 3);
  EXPECT_EQ(e.value("pnode_registry_nodes"), 4);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "ok"}}), 1);
  EXPECT_EQ(e.value("pnode_last_cycle_success"), 1);
  EXPECT_EQ(e.value("pnode_last_cycle_timestamp_seconds"), kPublished + 2);
  EXPECT_EQ(e.value("pnode_cycle_duration_seconds_bucket", {{"le", "1"}}), 0);
  EXPECT_EQ(e.value("pnode_cycle_duration_seconds_bucket", {{"le", "2.5"}}), 1);
  EXPECT_DOUBLE_EQ(*e.value("pnode_cycle_duration_seconds_sum"), 1.5);
  EXPECT_EQ(e.value("pnode_store_write_seconds_bucket", {{"le", "0.01"}}), 0);
  EXPECT_EQ(e.value("pnode_store_write_seconds_bucket", {{"le", "0.025"}}), 1);
  EXPECT_EQ(e.value("pnode_store_errors_total"), 0);

  // The next cycle: seed-b answers its pods but not its stats; its old errors stay counted.
  auto next = network(kPublished + 60);
  next->seeds[1].pods_error.reset();
  next->seeds[1].version_error.reset();
  next->seeds[1].stats_error = make_error(ErrorCode::kTimeout, "slow");
  next->seeds[1].pod_count = 4;
  m.record_cycle(ok_cycle(next, 900, 5, "store write failed (the snapshot is still served): disk full"),
                 kPublished + 61);
  e = render(m);
  EXPECT_EQ(e.value("pnode_rpc_errors_total", rpc("seed-b:6000", "get-pods", "timeout")), 1);
  EXPECT_EQ(e.value("pnode_rpc_errors_total", rpc("seed-b:6000", "get-stats", "timeout")), 1);
  EXPECT_EQ(e.count("pnode_rpc_errors_total"), 3u);
  EXPECT_EQ(e.value("pnode_seed_up", {{"seed", "seed-b:6000"}}), 1);
  EXPECT_EQ(e.value("pnode_seed_pods", {{"seed", "seed-b:6000"}}), 4);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "ok"}}), 2);
  EXPECT_EQ(e.value("pnode_cycle_duration_seconds_count"), 2);
  EXPECT_EQ(e.value("pnode_store_write_seconds_count"), 2);
  EXPECT_EQ(e.value("pnode_store_errors_total"), 1);
}

TEST(MetricsTest, AFailedCycleCountsAsFailedAndKeepsTheLastGoodGauges) {
  Metrics m;
  m.record_cycle(ok_cycle(network(kPublished), 800), kPublished + 1);
  collect::CycleReport failed;
  failed.error = "cycle failed: out of memory";
  m.record_cycle(failed, kPublished + 61);
  Exposition e = render(m);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "ok"}}), 1);
  EXPECT_EQ(e.value("pnode_cycles_total", {{"outcome", "failed"}}), 1);
  EXPECT_EQ(e.value("pnode_last_cycle_success"), 0);
  EXPECT_EQ(e.value("pnode_last_cycle_timestamp_seconds"), kPublished + 61);
  EXPECT_EQ(e.value("pnode_cycle_duration_seconds_count"), 1);  // a failed cycle has no duration
  EXPECT_EQ(e.value("pnode_store_write_seconds_count"), 0);     // and no store: store_ms 0, no error
  EXPECT_EQ(e.value("pnode_pods", {{"state", "online"}}), 3);
  EXPECT_EQ(e.value("pnode_rpc_errors_total", rpc("seed-b:6000", "get-pods", "timeout")), 1);
}

TEST(MetricsTest, SnapshotAgeIsComputedAtScrapeTime) {
  Metrics m;
  auto snapshot = network(1000);
  EXPECT_EQ(render(m, snapshot.get(), 1042.5).value("pnode_snapshot_age_seconds"), 42.5);
  EXPECT_EQ(render(m, snapshot.get(), 1100).value("pnode_snapshot_age_seconds"), 100);
  EXPECT_EQ(render(m, nullptr, 1100).count("pnode_snapshot_age_seconds"), 0u);
}

// ---- the router reports the pattern, not the path ----

TEST(RouterPatternTest, DispatchReportsTheMatchedPatternAndNothingWhenNoneMatched) {
  Router router;
  auto ok = [](const RouteRequest&) { return http::Response::json(200, "{}"); };
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
