// Fuzz target: the HTTP request path behind the socket: api::Api::handle() (static files,
// CORS preflight, the router and its query validation, every handler, ETag/304 and gzip,
// metrics) over a fixed two-cycle network with a SQLite history store, as http::Server
// calls it for every request it reads. The input is a request in lines:
//   METHOD\nTARGET\nName: value\n...    (the headers are optional)
// Beyond "no crash, no sanitizer report": every answer has a valid status, a handler
// never throws (the plain-text 500), no response header holds a CR, LF or NUL (nothing
// from the request can split a header), and every uncompressed JSON body parses.
// Only requests http::Server's parser (Boost.Beast) can deliver are sent: a token for the
// method and each header name, a target without control bytes or spaces, header values
// without control bytes but tab; other inputs are skipped.
// Seeds: fuzz/corpus/http_request.
#include <unistd.h>

#include <algorithm>
#include <boost/json.hpp>
#include <cctype>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "api/api.h"
#include "api/metrics.h"
#include "api/snapshot_hub.h"
#include "collect/cycle.h"
#include "collect/test_pods.h"
#include "fuzz_check.h"
#include "rest/static_files.h"
#include "store/store.h"
#include "testing/builders.h"

namespace {

using namespace pnode;  // NOLINT: a fuzz target over the whole API

constexpr int64_t kT1 = 1700000000;
constexpr int64_t kT2 = kT1 + 8 * 86400 + 100;  // a week and a day later: growth has a baseline
constexpr uint64_t kGiB = uint64_t{1} << 30;

// Two cycles of a small network: two seeds, five nodes, one of them gone in cycle 2,
// two sharing a pubkey, three versions.
std::pair<collect::CycleResult, collect::CycleResult> two_cycles() {
  using collect::testing::make_seed_answer;
  using testing::make_pod;
  auto pods_at = [](int64_t seen, uint64_t uptime_bonus) {
    return std::vector<model::Pod>{
        make_pod("10.0.0.1:9001", "pk-A", 30 * 86400 + uptime_bonus, 200 * kGiB, 50.0, "0.8.0", true, seen),
        make_pod("10.0.0.2:9001", "pk-shared", 86400 + uptime_bonus, 50 * kGiB, 10.0, "0.8.0", false, seen),
        make_pod("10.0.0.3:9001", "pk-C", 1800 + uptime_bonus, 10 * kGiB, 96.0, "0.7.2", true, seen),
        make_pod("10.0.0.4:9001", "pk-shared", 7200 + uptime_bonus, 100 * kGiB, 2.0, "0.8.1-trynet.1", false, seen)};
  };
  auto first = pods_at(kT1 - 5, 0);
  first.push_back(make_pod("10.0.0.9:9001", "pk-F", 20 * 86400, 500 * kGiB, 30.0, "0.8.0", true, kT1 - 5));
  model::Registry empty;
  auto cycle1 = collect::assemble_cycle(
      {make_seed_answer("127.0.0.1:6001", first), make_seed_answer("127.0.0.2:6001", {first[0]})}, empty, 1, kT1 - 2,
      kT1, {});
  auto second = pods_at(kT2 - 10, 8 * 86400);
  auto cycle2 = collect::assemble_cycle(
      {make_seed_answer("127.0.0.1:6001", second), make_seed_answer("127.0.0.2:6001", {second[0], second[2]})},
      *cycle1.snapshot->registry, 2, kT2 - 2, kT2, {});
  return {std::move(cycle1), std::move(cycle2)};
}

// Writes a minimal built dashboard (index.html and one asset) under `root`.
void write_web_root(const std::filesystem::path& root) {
  std::filesystem::create_directories(root / "assets");
  std::ofstream(root / "index.html") << "<!doctype html><title>dash</title>";
  std::ofstream(root / "assets" / "index-abc123.js") << "console.log(1)";
}

// The Api every input is sent to, built once per process; its files live in a
// temporary folder removed at exit.
struct Fixture {
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("pnode-http-fuzz-" + std::to_string(::getpid()));
  api::SnapshotHub hub;
  std::unique_ptr<store::Store> store;
  api::Metrics metrics{static_cast<double>(kT1)};
  std::unique_ptr<api::Api> api;

  Fixture() {
    std::filesystem::remove_all(dir);
    write_web_root(dir / "dist");
    auto [cycle1, cycle2] = two_cycles();
    auto opened = store::open_store("sqlite://" + (dir / "history.db").string());
    fuzz::require(opened.ok(), "the history store opens");
    store = std::move(*opened);
    fuzz::require(store->write_cycle(cycle1.write).ok() && store->write_cycle(cycle2.write).ok(),
                  "the history store takes both cycles");
    hub.publish(cycle2.snapshot);
    auto files = rest::StaticFiles::load((dir / "dist").string());
    fuzz::require(files.ok(), "the dashboard loads");
    api::ApiConfig config;
    config.process_start = kT1;
    config.clock = [] { return kT2 + 60; };  // fixed: every input answers the same way
    config.admin_token = "fuzz-admin-token";
    config.prune = [](int64_t) -> Result<int64_t> { return int64_t{0}; };  // the store stays as built
    config.metrics = &metrics;
    config.static_files = std::move(*files);
    api = std::make_unique<api::Api>(std::move(config), hub, store.get());
  }
  ~Fixture() {
    api.reset();
    store.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

// The next line of `input` (without its "\n"), consumed.
std::string_view next_line(std::string_view& input) {
  size_t end = input.find('\n');
  std::string_view line = input.substr(0, end);
  input.remove_prefix(end == std::string_view::npos ? input.size() : end + 1);
  return line;
}

http::Request request_from(std::string_view input) {
  http::Request r;
  r.method = std::string(next_line(input));
  r.target = std::string(next_line(input));
  while (!input.empty()) {
    std::string_view line = next_line(input);
    size_t colon = line.find(':');
    std::string_view name = line.substr(0, colon);
    std::string_view value = colon == std::string_view::npos ? std::string_view() : line.substr(colon + 1);
    if (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    r.headers.emplace_back(std::string(name), std::string(value));
  }
  r.remote_address = "127.0.0.1";
  r.remote_port = 40000;
  return r;
}

// RFC 9110 tchar: what Beast accepts in a method and a header name.
bool is_token(std::string_view text) {
  static constexpr std::string_view kSymbols = "!#$%&'*+-.^_`|~";
  return !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || kSymbols.find(c) != std::string_view::npos;
  });
}

bool is_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

bool deliverable(const http::Request& r) {
  auto target_byte = [](unsigned char c) { return !is_control(c) && c != ' '; };
  auto value_byte = [](unsigned char c) { return !is_control(c) || c == '\t'; };
  if (!is_token(r.method) || r.target.empty() || !std::all_of(r.target.begin(), r.target.end(), target_byte))
    return false;
  return std::all_of(r.headers.begin(), r.headers.end(), [&](const auto& header) {
    return is_token(header.first) && std::all_of(header.second.begin(), header.second.end(), value_byte);
  });
}

bool is_header_safe(std::string_view text) {
  return text.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos;
}

void check_response(const http::Response& response) {
  fuzz::require(response.status >= 100 && response.status <= 599, "a valid HTTP status");
  fuzz::require(is_header_safe(response.content_type), "a Content-Type without CR, LF or NUL");
  for (const auto& [name, value] : response.headers)
    fuzz::require(is_header_safe(name) && is_header_safe(value), "response headers without CR, LF or NUL");
  fuzz::require(!(response.status == 500 && response.content_type.rfind("text/plain", 0) == 0),
                "no handler throws (the plain-text 500)");
  bool json = response.content_type.rfind("application/json", 0) == 0;
  bool encoded = !http::find_header(response.headers, "content-encoding").empty();
  if (json && !encoded && response.body && !response.body->empty()) {
    boost::system::error_code ec;
    (void)boost::json::parse(*response.body, ec);
    fuzz::require(!ec, "a JSON body parses");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Fixture fixture;
  std::string_view input(reinterpret_cast<const char*>(data), size);
  http::Request request = request_from(input);
  if (!deliverable(request)) return 0;
  check_response(fixture.api->handle(request));
  return 0;
}
