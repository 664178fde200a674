// Test-only helpers shared by the metrics tests (metrics_*_test.cc): a strict parser of
// the Prometheus text exposition format, rendering a Metrics through it, the label sets the
// tests look up, and a small network snapshot with the cycle report that carries it.
// Not part of pnode_api.
// Thread-safety: none needed; every test builds its own values (an ExpositionParser
// parses one text, on one thread).
#pragma once

#include <gtest/gtest.h>

#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/metrics.h"
#include "api/test_support.h"
#include "collect/collector.h"

namespace pnode::api::metrics_testing {

using testing::make_snapshot;
using testing::make_views;
using testing::make_offline_view;
using testing::make_online_view;

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

inline Exposition parse_exposition(std::string_view text) { return ExpositionParser(text).parse(); }

// ---- Metrics rendered and parsed ----

inline constexpr int64_t kPublished = 1700000000;

inline Exposition render(const Metrics& m, const model::Snapshot* snapshot = nullptr, double now = kPublished) {
  std::string text = m.render(snapshot, now);
  try {
    return parse_exposition(text);
  } catch (const std::exception& e) {
    ADD_FAILURE() << e.what() << "\n" << text;
    throw;
  }
}

inline LabelSet request_labels(std::string route, std::string method, std::string status) {
  return {{"route", std::move(route)}, {"method", std::move(method)}, {"status", std::move(status)}};
}

// ---- a network and its cycle ----

inline std::shared_ptr<model::Snapshot> network(int64_t published) {
  auto views = make_views({make_online_view("10.0.0.1:9001", published - 5, 100, 90), make_online_view("10.0.0.2:9001", published - 5, 100, 80),
                           make_online_view("10.0.0.3:9001", published - 5, 100, 70), make_offline_view("10.0.0.4:9001", published - 9000)});
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

inline collect::CycleReport ok_cycle(std::shared_ptr<const model::Snapshot> snapshot, double duration_ms,
                                     double store_ms = 0, std::string error = "") {
  collect::CycleReport r;
  r.ok = true;
  r.duration_ms = duration_ms;
  r.store_ms = store_ms;
  r.error = std::move(error);
  r.snapshot = std::move(snapshot);
  return r;
}

}  // namespace pnode::api::metrics_testing
