#include "e2e_support.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <thread>
#include <map>
#include <regex>
#include <sstream>

namespace pnode::testing {

HttpAnswer http_call(uint16_t port, const std::string& method, const std::string& target, const std::string& body) {
  static http::Client client(1);
  http::ClientRequest req;
  req.host = "127.0.0.1";
  req.port = port;
  req.method = method;
  req.target = target;
  req.body = body;
  req.total_timeout = std::chrono::milliseconds(10000);
  auto r = client.send(req).get();
  HttpAnswer out;
  if (!r.ok()) return out;
  out.status = r->status;
  out.body = r->body;
  boost::system::error_code ec;
  out.json = boost::json::parse(out.body, ec);
  if (ec) out.json = nullptr;
  return out;
}

bool wait_for(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  return done();
}

std::optional<uint16_t> wait_serving_port(ChildProcess& server, std::chrono::milliseconds limit) {
  auto m = server.wait_for_line(std::regex("serving http://127\\.0\\.0\\.1:(\\d+)"), limit);
  if (!m) return std::nullopt;
  return static_cast<uint16_t>(std::stoi((*m)[1]));
}

std::set<std::string> expected_loopback_addresses(const std::string& capture_path) {
  std::ifstream in(capture_path);
  std::stringstream text;
  text << in.rdbuf();
  boost::json::value doc = boost::json::parse(text.str());
  std::map<std::string, uint32_t> ip_index;
  std::set<std::string> out;
  for (const auto& pod : doc.at("result").at("pods").as_array()) {
    std::string address(pod.at("address").as_string());
    auto colon = address.rfind(':');
    std::string ip = address.substr(0, colon), port = address.substr(colon + 1);
    auto [it, inserted] = ip_index.try_emplace(ip, static_cast<uint32_t>(ip_index.size()));
    uint32_t v = (127u << 24) + (1u << 16) + it->second + 1;
    out.insert(std::to_string(v >> 24) + "." + std::to_string((v >> 16) & 255) + "." +
               std::to_string((v >> 8) & 255) + "." + std::to_string(v & 255) + ":" + port);
  }
  return out;
}

std::string fixture(const std::string& name) { return std::string(PNODE_FIXTURES_DIR) + "/" + name; }

std::filesystem::path fresh_test_dir(const std::string& prefix) {
  auto dir = std::filesystem::path(::testing::TempDir()) /
             (prefix + "-" + std::to_string(::getpid()) + "-" +
              ::testing::UnitTest::GetInstance()->current_test_info()->name());
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

}  // namespace pnode::testing

namespace pnode::testing {

std::optional<std::string> fresh_database_url(Backend backend, const std::filesystem::path& dir) {
  if (backend == Backend::kSqlite) return "sqlite://" + (dir / "db.sqlite").string();
  return store::testing_support::fresh_postgres_url();
}

}  // namespace pnode::testing

namespace pnode::testing {

DatabaseOutage::DatabaseOutage() {
  auto cluster = store::postgres::PgTestCluster::shared();
  if (!cluster) {
    ADD_FAILURE() << "no PostgreSQL to stop: " << cluster.error().message;
    return;
  }
  auto stopped = (*cluster)->stop_server();
  EXPECT_TRUE(stopped) << stopped.error().message;
  stopped_ = stopped.ok();
}

void DatabaseOutage::end() {
  if (!stopped_) return;
  auto started = (*store::postgres::PgTestCluster::shared())->start_server();
  EXPECT_TRUE(started) << started.error().message;
  stopped_ = false;
}

Simulator start_simulator(const std::vector<std::string>& args, int seeds, const std::string& log_path) {
  using namespace std::chrono_literals;
  std::vector<std::string> argv{PNODE_BINARY, "sim", "--seeds", std::to_string(seeds), "--base-port", "0"};
  argv.insert(argv.end(), args.begin(), args.end());
  Simulator sim;
  sim.process = std::make_unique<ChildProcess>(argv, std::map<std::string, std::string>{}, log_path);
  for (int i = 0; i < seeds; ++i) {
    auto m = sim.process->wait_for_line(std::regex("seed " + std::to_string(i) + " 127\\.0\\.0\\.1:(\\d+)"), 10s);
    if (!m) {
      ADD_FAILURE() << "the simulator did not report seed " << i;
      sim.process.reset();
      return sim;
    }
    sim.seed_ports.push_back(static_cast<uint16_t>(std::stoi((*m)[1])));
    sim.ip_nodes += (sim.ip_nodes.empty() ? "" : ",") + std::string("127.0.0.1:") + (*m)[1].str();
  }
  return sim;
}

}  // namespace pnode::testing
