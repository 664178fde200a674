// The verify subcommand against the in-process simulator (healthy seeds and every
// fault), a closed loopback port, its evaluation functions on hand-made answers, its
// command line, and the real binary's exit codes. Only 127.0.0.0/8 is ever contacted.
#include "app/verify.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <boost/json.hpp>
#include <filesystem>
#include <sstream>

#include "sim/simulator.h"

namespace pnode::app {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

const std::string kCapture =
    std::string(PNODE_FIXTURES_DIR) + "/get-pods-with-stats_2025-12-17T1338Z_v0.8_204pods_Ndifreke000_compact.json";

// A replay simulator with two seeds on ephemeral loopback ports.
class VerifyAgainstSimulator : public ::testing::Test {
 protected:
  void SetUp() override {
    sim::SimOptions options;
    options.seeds = 2;
    options.base_port = 0;
    options.captures = {kCapture};
    auto created = sim::Simulator::create(options);
    ASSERT_TRUE(created.ok()) << created.error().message;
    sim_ = std::move(*created);
    auto ports = sim_->start();
    ASSERT_TRUE(ports.ok()) << ports.error().message;
    ports_ = *ports;
  }
  void TearDown() override {
    if (sim_) sim_->stop();
  }

  HostPort seed(int i) const { return HostPort{"127.0.0.1", ports_[static_cast<size_t>(i)]}; }

  VerifyReport verify(int i, milliseconds timeout = milliseconds(3000)) {
    prpc::ClientOptions options;
    options.connect_timeout = timeout;
    options.total_timeout = timeout;
    prpc::Client client(http_, options);
    return verify_node(client, seed(i), timeout);
  }

  // Runs the command with these arguments after "verify"; returns the exit code.
  int run(std::vector<std::string> args, std::string* out_text = nullptr, std::string* err_text = nullptr) {
    args.insert(args.begin(), "verify");
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    std::ostringstream out, err;
    int code = run_verify_command(static_cast<int>(argv.size()), argv.data(), out, err);
    if (out_text) *out_text = out.str();
    if (err_text) *err_text = err.str();
    return code;
  }

  std::unique_ptr<sim::Simulator> sim_;
  std::vector<uint16_t> ports_;
  http::Client http_{1};
};

const MethodCheck& check_of(const VerifyReport& r, const std::string& method) {
  for (const auto& c : r.checks)
    if (c.method == method) return c;
  ADD_FAILURE() << "no check for " << method;
  return r.checks.front();
}

void expect_all(const VerifyReport& r, CheckStatus status, const std::string& kind) {
  ASSERT_EQ(r.checks.size(), 4u);
  for (const auto& c : r.checks) {
    EXPECT_EQ(c.status, status) << c.method << ": " << c.detail;
    EXPECT_EQ(c.kind, kind) << c.method << ": " << c.detail;
  }
}

// A loopback port nothing listens on: bound to get a free number, then closed.
uint16_t closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

TEST_F(VerifyAgainstSimulator, HealthySeedPassesEveryCheck) {
  VerifyReport r = verify(0);
  expect_all(r, CheckStatus::kOk, "ok");
  EXPECT_EQ(r.verdict, Verdict::kHealthy);
  EXPECT_EQ(verify_exit_code(r.verdict), 0);
  EXPECT_EQ(check_of(r, "get-version").detail, "version " + sim_->seeds()[0].version);
  const std::string listed = std::to_string(sim_->view_of(0).size());
  EXPECT_EQ(check_of(r, "get-pods").detail, listed + " pods (total_count " + listed + ")");
  EXPECT_EQ(check_of(r, "get-pods-with-stats").detail, listed + " pods (total_count " + listed + ")");
  EXPECT_NE(check_of(r, "get-stats").detail.find("uptime "), std::string::npos);
  for (const auto& c : r.checks) {
    EXPECT_TRUE(c.problem.empty() && c.fix.empty() && c.notes.empty()) << c.method;
    EXPECT_GE(c.latency_ms, 0.0);
  }
  const std::string text = format_verify_text(r);
  EXPECT_NE(text.find("Verdict: HEALTHY - " + seed(0).to_string() + " answers all four pRPC methods"),
            std::string::npos)
      << text;
}

TEST_F(VerifyAgainstSimulator, HangingSeedTimesOutOnEveryMethod) {
  ASSERT_TRUE(sim_->set_fault(1, sim::make_fault(sim::FaultKind::kHang)).ok());
  VerifyReport r = verify(1, milliseconds(300));
  expect_all(r, CheckStatus::kFailed, "timeout");
  EXPECT_EQ(r.verdict, Verdict::kUnhealthy);
  EXPECT_EQ(verify_exit_code(r.verdict), 1);
  const MethodCheck& c = check_of(r, "get-pods-with-stats");
  EXPECT_NE(c.problem.find("no complete answer came within 300 ms"), std::string::npos) << c.problem;
  EXPECT_NE(c.fix.find("overloaded"), std::string::npos) << c.fix;
  EXPECT_NE(c.fix.find("--timeout-ms"), std::string::npos) << c.fix;
  EXPECT_EQ(r.summary, "no pRPC method answered on " + seed(1).to_string() + ": " + c.problem +
                           "; do not add it to IP_NODES until this passes");
  // The probes run at once: each waited about one timeout, not four in a row.
  for (const auto& check : r.checks) EXPECT_LT(check.latency_ms, 1200.0) << check.method;
  // The other seed is unaffected.
  EXPECT_EQ(verify(0).verdict, Verdict::kHealthy);
}

TEST_F(VerifyAgainstSimulator, Http500IsAFailedServerWithAFix) {
  ASSERT_TRUE(sim_->set_fault(0, sim::make_fault(sim::FaultKind::kHttp500)).ok());
  VerifyReport r = verify(0);
  expect_all(r, CheckStatus::kFailed, "http_status");
  EXPECT_EQ(r.verdict, Verdict::kUnhealthy);
  const MethodCheck& c = check_of(r, "get-version");
  EXPECT_EQ(c.detail, "HTTP 500");
  EXPECT_NE(c.problem.find("failed (HTTP 500)"), std::string::npos) << c.problem;
  EXPECT_NE(c.fix.find("restart"), std::string::npos) << c.fix;
}

TEST_F(VerifyAgainstSimulator, GarbageIsNotJson) {
  ASSERT_TRUE(sim_->set_fault(0, sim::make_fault(sim::FaultKind::kGarbage)).ok());
  VerifyReport r = verify(0);
  expect_all(r, CheckStatus::kFailed, "invalid_json");
  EXPECT_NE(check_of(r, "get-pods").fix.find("proxy"), std::string::npos);
  EXPECT_EQ(verify_exit_code(r.verdict), 1);
}

TEST_F(VerifyAgainstSimulator, WrongShapeIsNotAPrpcResult) {
  ASSERT_TRUE(sim_->set_fault(0, sim::make_fault(sim::FaultKind::kWrongShape)).ok());
  VerifyReport r = verify(0);
  expect_all(r, CheckStatus::kFailed, "wrong_shape");
  EXPECT_EQ(check_of(r, "get-stats").problem, "the JSON is not a get-stats result");
}

TEST_F(VerifyAgainstSimulator, DroppedConnectionIsAProtocolFailure) {
  ASSERT_TRUE(sim_->set_fault(0, sim::make_fault(sim::FaultKind::kDrop)).ok());
  VerifyReport r = verify(0);
  expect_all(r, CheckStatus::kFailed, "protocol");
  EXPECT_NE(check_of(r, "get-version").fix.find("pRPC port (6000)"), std::string::npos);
}

TEST_F(VerifyAgainstSimulator, Pre07NodeIsUsableWithTheFallbackAndExitsZero) {
  ASSERT_TRUE(sim_->set_fault(0, sim::make_fault(sim::FaultKind::kPre07)).ok());
  VerifyReport r = verify(0);
  EXPECT_EQ(check_of(r, "get-version").status, CheckStatus::kOk);
  EXPECT_EQ(check_of(r, "get-version").detail, "version 0.6.0");
  EXPECT_EQ(check_of(r, "get-stats").status, CheckStatus::kOk);
  EXPECT_EQ(check_of(r, "get-pods").status, CheckStatus::kOk);
  const MethodCheck& c = check_of(r, "get-pods-with-stats");
  EXPECT_EQ(c.status, CheckStatus::kFallback);
  EXPECT_EQ(c.kind, "method_not_found");
  EXPECT_NE(c.problem.find("older than v0.7"), std::string::npos) << c.problem;
  EXPECT_NE(c.fix.find("upgrade"), std::string::npos);
  EXPECT_NE(c.fix.find("falls back to get-pods"), std::string::npos);
  EXPECT_EQ(r.verdict, Verdict::kUsableWithFallback);
  EXPECT_EQ(verify_exit_code(r.verdict), 0);
  EXPECT_NE(r.summary.find("(version 0.6.0)"), std::string::npos) << r.summary;
}

TEST_F(VerifyAgainstSimulator, ClosedPortIsRefusedWithTheBindAddressHint) {
  const uint16_t port = closed_port();
  prpc::ClientOptions options;
  prpc::Client client(http_, options);
  const HostPort target{"127.0.0.1", port};
  VerifyReport r = verify_node(client, target, milliseconds(2000));
  expect_all(r, CheckStatus::kFailed, "refused");
  const MethodCheck& c = check_of(r, "get-stats");
  EXPECT_EQ(c.problem, "nothing listens on 127.0.0.1:" + std::to_string(port) + " (the connection was refused)");
  EXPECT_NE(c.fix.find("--rpc-ip 0.0.0.0"), std::string::npos);
  EXPECT_NE(c.fix.find("127.0.0.1 by default"), std::string::npos);
  EXPECT_NE(c.fix.find("port " + std::to_string(port) + "/tcp open in the firewall"), std::string::npos) << c.fix;
  EXPECT_EQ(r.verdict, Verdict::kUnhealthy);
}

TEST_F(VerifyAgainstSimulator, CommandPrintsJsonAndExitsWithTheVerdict) {
  std::string out;
  EXPECT_EQ(run({seed(0).to_string(), "--json"}, &out), 0);
  json::value v = json::parse(out);
  EXPECT_EQ(v.at("verdict").as_string(), "healthy");
  EXPECT_EQ(v.at("exit_code").as_int64(), 0);
  EXPECT_EQ(v.at("target").as_string(), seed(0).to_string());
  ASSERT_EQ(v.at("checks").as_array().size(), 4u);
  EXPECT_EQ(v.at("checks").at(3).at("method").as_string(), "get-pods-with-stats");
  EXPECT_TRUE(v.at("checks").at(3).at("problem").is_null());

  ASSERT_TRUE(sim_->set_fault(1, sim::make_fault(sim::FaultKind::kPre07)).ok());
  EXPECT_EQ(run({seed(1).to_string(), "--json"}, &out), 0);
  v = json::parse(out);
  EXPECT_EQ(v.at("verdict").as_string(), "usable_with_fallback");
  EXPECT_EQ(v.at("checks").at(3).at("status").as_string(), "fallback");

  ASSERT_TRUE(sim_->set_fault(1, sim::make_fault(sim::FaultKind::kHang)).ok());
  EXPECT_EQ(run({seed(1).to_string(), "--timeout-ms", "200"}, &out), 1);
  EXPECT_NE(out.find("(timeout 200 ms)"), std::string::npos) << out;
  EXPECT_NE(out.find("Verdict: UNHEALTHY - "), std::string::npos) << out;
  EXPECT_NE(out.find("  FAILED    get-version"), std::string::npos) << out;
  // One cause behind all four: explained once, then referred to.
  EXPECT_EQ(out.find("problem: "), out.rfind("problem: ")) << out;
  EXPECT_NE(out.find("(same problem and fix as above)"), std::string::npos) << out;
}

TEST_F(VerifyAgainstSimulator, DefaultPortIs6000) {
  std::string out;
  // Nothing of ours listens on 127.0.0.1:6000 in tests; whatever the answer, the target
  // must be that port.
  run({"127.0.0.1", "--json", "--timeout-ms", "500"}, &out);
  EXPECT_EQ(json::parse(out).at("target").as_string(), "127.0.0.1:6000");
}

TEST_F(VerifyAgainstSimulator, UsageErrorsExitTwoWithoutContactingAnything) {
  std::string out, err;
  EXPECT_EQ(run({}, &out, &err), 2);
  EXPECT_NE(err.find("target"), std::string::npos) << err;
  EXPECT_EQ(run({"127.0.0.1:99999"}, &out, &err), 2);
  EXPECT_NE(err.find("invalid port"), std::string::npos) << err;
  EXPECT_EQ(run({"127.0.0.1", "--timeout-ms", "0"}, &out, &err), 2);
  EXPECT_EQ(run({"127.0.0.1", "--timeout-ms", "abc"}, &out, &err), 2);
  EXPECT_EQ(run({"127.0.0.1", "--bogus"}, &out, &err), 2);
  // Non-loopback targets are refused before any connection is made (TEST-NET-3 and a
  // name, neither ever dialled).
  EXPECT_EQ(run({"203.0.113.7"}, &out, &err), 2);
  EXPECT_NE(err.find("refusing to probe 203.0.113.7:6000"), std::string::npos) << err;
  EXPECT_NE(err.find("--allow-real-network"), std::string::npos) << err;
  EXPECT_EQ(run({"example.invalid:6000"}, &out, &err), 2);
  EXPECT_TRUE(out.empty()) << out;
  EXPECT_EQ(run({"--help"}, &out, &err), 0);
  EXPECT_NE(out.find("--timeout-ms"), std::string::npos) << out;
  EXPECT_NE(out.find("Exit codes"), std::string::npos) << out;
}

// ---- the evaluation of single answers ----------------------------------------------------

const HostPort kTarget{"127.0.0.1", 6000};
constexpr milliseconds kTimeout{1000};

TEST(VerifyChecks, PodsCountMustMatchTotalCount) {
  model::PodList list;
  list.pods.resize(3);
  list.total_count = 5;
  MethodCheck c = check_pods("get-pods", list, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.status, CheckStatus::kFailed);
  EXPECT_EQ(c.kind, "bad_value");
  EXPECT_EQ(c.problem, "total_count says 5 but the list has 3 rows");
  // Rows the parser skipped were on the wire and count.
  list.skipped = 2;
  c = check_pods("get-pods", list, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.status, CheckStatus::kOk);
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_EQ(c.notes[0], "2 rows without address or pubkey were skipped");
}

TEST(VerifyChecks, EmptyOrUncountedPodListsAreNotedNotFailed) {
  model::PodList empty;
  empty.total_count = 0;
  MethodCheck c = check_pods("get-pods-with-stats", empty, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.status, CheckStatus::kOk);
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(c.notes[0].find("lists no peers"), std::string::npos);

  model::PodList bare;
  bare.pods.resize(2);
  c = check_pods("get-pods", bare, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.status, CheckStatus::kOk);
  EXPECT_EQ(c.detail, "2 pods");
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_NE(c.notes[0].find("no total_count"), std::string::npos);
}

TEST(VerifyChecks, StatsNeedAnUptime) {
  model::NodeStats stats;
  stats.cpu_percent = 1.5;
  MethodCheck c = check_stats(stats, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.status, CheckStatus::kFailed);
  EXPECT_EQ(c.kind, "bad_value");
  EXPECT_EQ(c.problem, "get-stats has no uptime");
  stats.uptime = 90061;  // 1 day, 1 hour, 1 minute, 1 second
  stats.ram_used = 3'000'000'000;
  stats.ram_total = 2'000'000'000;
  c = check_stats(stats, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.status, CheckStatus::kOk);
  EXPECT_EQ(c.detail, "uptime 1d 1h 1m, cpu 1.5 %, ram 3.00 of 2.00 GB");
  ASSERT_EQ(c.notes.size(), 1u);
  EXPECT_EQ(c.notes[0], "ram_used is larger than ram_total");
}

TEST(VerifyChecks, VersionMustParse) {
  EXPECT_EQ(check_version(model::VersionInfo{"0.8.0-trynet.20251212"}, kTarget, 1.0, kTimeout).status,
            CheckStatus::kOk);
  MethodCheck c = check_version(model::VersionInfo{"unknown"}, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.status, CheckStatus::kFailed);
  EXPECT_EQ(c.kind, "bad_value");
  EXPECT_EQ(c.problem, "the version \"unknown\" is not a version number");
}

TEST(VerifyChecks, RpcErrorsOtherThanMethodNotFoundFail) {
  Result<model::PodList> internal =
      make_error(ErrorCode::kRpcError, "127.0.0.1:6000 get-pods-with-stats: -32603 Internal error")
          .with_rpc_code(-32603)
          .with_where("127.0.0.1:6000 get-pods-with-stats");
  MethodCheck c = check_pods("get-pods-with-stats", internal, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.status, CheckStatus::kFailed);
  EXPECT_EQ(c.kind, "rpc_error");
  EXPECT_EQ(c.detail, "-32603 Internal error");  // the prefix is not repeated
  // -32601 on a method every pod has is a failure, not a fallback.
  Result<model::PodList> unknown = make_error(ErrorCode::kRpcError, "127.0.0.1:6000 get-pods: -32601 Method not found")
                                       .with_rpc_code(-32601)
                                       .with_where("127.0.0.1:6000 get-pods");
  c = check_pods("get-pods", unknown, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.status, CheckStatus::kFailed);
  EXPECT_EQ(c.kind, "method_not_found");
  EXPECT_NE(c.problem.find("does not know get-pods"), std::string::npos);
  EXPECT_EQ(c.detail, "-32601 Method not found");
  // The code is read from Error::rpc_code, never from the message.
  Result<model::PodList> text_only = make_error(ErrorCode::kRpcError, "-32601 Method not found");
  c = check_pods("get-pods-with-stats", text_only, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.status, CheckStatus::kFailed);
  EXPECT_EQ(c.kind, "rpc_error");
}

TEST(VerifyChecks, HttpStatusesGetTheirOwnExplanations) {
  Result<model::VersionInfo> not_found = make_error(ErrorCode::kHttpStatus, "127.0.0.1:6000 get-version: HTTP 404")
                                             .with_http_status(404)
                                             .with_where("127.0.0.1:6000 get-version");
  MethodCheck c = check_version(not_found, kTarget, 1.0, kTimeout);
  EXPECT_NE(c.problem.find("answered HTTP 404 to POST /rpc"), std::string::npos) << c.problem;
  EXPECT_NE(c.fix.find("not gossip 9001"), std::string::npos) << c.fix;
  EXPECT_EQ(c.detail, "HTTP 404");
  Result<model::VersionInfo> denied = make_error(ErrorCode::kHttpStatus, "127.0.0.1:6000 get-version: HTTP 403")
                                          .with_http_status(403)
                                          .with_where("127.0.0.1:6000 get-version");
  c = check_version(denied, kTarget, 1.0, kTimeout);
  EXPECT_NE(c.problem.find("denied (HTTP 403)"), std::string::npos) << c.problem;
  // The status is read from Error::http_status, never from the message.
  Result<model::VersionInfo> limited = make_error(ErrorCode::kHttpStatus, "HTTP 404").with_http_status(429);
  c = check_version(limited, kTarget, 1.0, kTimeout);
  EXPECT_NE(c.problem.find("rate-limits this machine (HTTP 429)"), std::string::npos) << c.problem;
  Result<model::VersionInfo> unknown = make_error(ErrorCode::kHttpStatus, "HTTP 404");
  c = check_version(unknown, kTarget, 1.0, kTimeout);
  EXPECT_EQ(c.kind, "http_status");
  EXPECT_NE(c.problem.find("a non-200 HTTP status"), std::string::npos) << c.problem;
}

model::NodeStats stats_with_uptime(uint64_t seconds) {
  model::NodeStats s;
  s.uptime = seconds;
  return s;
}

TEST(VerifyChecks, VerdictNeedsGetPodsForTheFallback) {
  VerifyReport r;
  r.target = kTarget;
  r.checks = {check_version(model::VersionInfo{"0.6.0"}, kTarget, 1, kTimeout),
              check_stats(stats_with_uptime(5), kTarget, 1, kTimeout),
              check_pods("get-pods", make_error(ErrorCode::kTimeout, "slow"), kTarget, 1, kTimeout),
              check_pods("get-pods-with-stats",
                         make_error(ErrorCode::kRpcError, "-32601 Method not found").with_rpc_code(-32601), kTarget, 1,
                         kTimeout)};
  decide_verdict(r);
  EXPECT_EQ(r.verdict, Verdict::kUnhealthy);
  EXPECT_EQ(r.summary, "1 of 4 methods failed (get-pods); do not add 127.0.0.1:6000 to IP_NODES until they pass");
}

// ---- the real binary --------------------------------------------------------------------

int run_binary(const std::string& args) {
  const std::string command = std::string(PNODE_BINARY) + " " + args + " >/dev/null 2>&1";
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(VerifyBinary, ExitCodes) {
  ASSERT_TRUE(std::filesystem::exists(PNODE_BINARY)) << PNODE_BINARY << " is not built";
  EXPECT_EQ(run_binary("verify"), 2);
  EXPECT_EQ(run_binary("verify 203.0.113.7"), 2);  // refused before any connection
  EXPECT_EQ(run_binary("verify 127.0.0.1:" + std::to_string(closed_port()) + " --timeout-ms 1000"), 1);
}

}  // namespace
}  // namespace pnode::app
