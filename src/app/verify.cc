// The verify subcommand: probes, checks, diagnoses, reports. See verify.h.
#include "app/verify.h"

#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <future>
#include <iostream>

#include "analysis/version.h"
#include "http/client.h"
#include "prpc/parse.h"
#include "util/json_writer.h"

namespace pnode::app {
namespace {

using Clock = std::chrono::steady_clock;

struct Diagnosis {
  std::string kind;
  std::string problem;
  std::string fix;
};

std::string ms_text(std::chrono::milliseconds ms) { return std::to_string(ms.count()) + " ms"; }

// The error text without the "host:port method: " prefix the pRPC client adds (the
// report already names both; the client puts them in Error::where).
std::string error_text(const Error& e) {
  std::string_view text = e.message;
  if (!e.where.empty() && text.starts_with(e.where) && text.substr(e.where.size()).starts_with(": ")) {
    text.remove_prefix(e.where.size() + 2);
  }
  return std::string(text);
}

// A diagnosis that keeps the error's own kind.
Diagnosis diagnosis(const Error& e, std::string problem, std::string fix) {
  return {std::string(e.kind()), std::move(problem), std::move(fix)};
}

Diagnosis diagnose_http_status(const Error& e, const std::string& where) {
  const std::optional<int> status = e.http_status;
  const int code = status.value_or(0);
  const std::string got = status ? "HTTP " + std::to_string(code) : std::string("a non-200 HTTP status");
  if (code == 404 || code == 405) {
    return diagnosis(e, "the server at " + where + " answered " + got + " to POST /rpc: it is not a pod's pRPC",
                     "check the port: pRPC is on 6000 (not gossip 9001, the dashboard 80 or a web server); if a "
                     "reverse proxy is in front, make it forward POST /rpc to the pod");
  }
  if (code == 400 || code == 415 || code == 422) {
    return diagnosis(e, "the node rejected the JSON-RPC request itself (" + got + ")",
                     "a pod accepts {\"jsonrpc\":\"2.0\",\"method\":..,\"id\":1} as application/json; a proxy that "
                     "rewrites bodies or headers is in the way, or the pod speaks a newer protocol: upgrade "
                     "pnode-analytics");
  }
  if (code == 401 || code == 403) {
    return diagnosis(e, "access to " + where + " is denied (" + got + ")",
                     "pods have no authentication: a proxy or firewall rule in front of the node refuses this "
                     "machine; allow it there");
  }
  if (code == 429) {
    return diagnosis(e, "the node or a proxy in front of it rate-limits this machine (" + got + ")",
                     "pods have no rate limit of their own: relax the proxy's limit, or poll less often");
  }
  if (code >= 500) {
    return diagnosis(e, "the server at " + where + " failed (" + got + ")",
                     "a pod answers errors as JSON with HTTP 200, so this is a crashed pod or a proxy whose upstream "
                     "is down: check the pod's logs, restart it, and check the proxy's upstream address");
  }
  return diagnosis(e, "the server at " + where + " answered " + got + " instead of 200",
                   "talk to the pod's pRPC port directly; something between this machine and the pod changes the "
                   "answer");
}

// What is wrong and how to fix it, for an error a probe ended with.
Diagnosis diagnose(const Error& e, const std::string& method, const HostPort& target,
                   std::chrono::milliseconds timeout) {
  const std::string where = target.to_string();
  const std::string port = std::to_string(target.port);
  switch (e.code) {
    case ErrorCode::kRefused:
      return diagnosis(e, "nothing listens on " + where + " (the connection was refused)",
                       "is the pod running, with --rpc-ip 0.0.0.0 (pRPC binds to 127.0.0.1 by default, which refuses "
                       "other machines)? is port " +
                           port + "/tcp open in the firewall (a REJECT rule looks the same)?");
    case ErrorCode::kConnectTimeout:
      return diagnosis(e, "no answer to the TCP connection within " + ms_text(timeout),
                       "a firewall drops (black-holes) packets to port " + port + ", the host is down, or the address "
                       "is wrong: open " + port + "/tcp to this machine, check the IP, or retry with a larger "
                       "--timeout-ms");
    case ErrorCode::kTimeout:
      return diagnosis(e, "connected, but no complete answer came within " + ms_text(timeout),
                       "the node is overloaded or stuck (get-pods-with-stats on a large network is the slowest call), "
                       "or a firewall or middlebox holds the connection open: check the pod's load and logs, restart "
                       "it, or retry with a larger --timeout-ms");
    case ErrorCode::kResolve:
      return diagnosis(e, "the host name " + target.host + " does not resolve",
                       "check the spelling, or give the node's IP address");
    case ErrorCode::kProtocol:
      return diagnosis(e, "the connection closed, or the answer was not HTTP",
                       "something other than a pod's pRPC listens on port " + port + ", or a firewall resets "
                       "connections: check that this is the pRPC port (6000), not gossip (9001/udp) or Atlas (5000), "
                       "and look at the pod's logs");
    case ErrorCode::kTooLarge:
      return diagnosis(e, "the answer exceeded the size limit",
                       "no real pod answers this much: something else listens on " + where + ", or a proxy returns a "
                       "huge page");
    case ErrorCode::kHttpStatus: return diagnose_http_status(e, where);
    case ErrorCode::kInvalidJson:
      return diagnosis(e, "the answer is not JSON (or was cut short)",
                       "this is not a pRPC endpoint, or a proxy in the way rewrites or truncates answers: talk to the "
                       "pod's port 6000 directly; if it persists, restart the pod");
    case ErrorCode::kWrongShape:
      return diagnosis(e, "the JSON is not a " + method + " result",
                       "this is not a pod's pRPC, or a proxy or wrapper in the way changes the answer: talk to the "
                       "pod's port 6000 directly");
    case ErrorCode::kRpcError:
      if (prpc::is_method_not_found(e)) {
        if (method == "get-pods-with-stats") {
          return {"method_not_found", "the node does not know get-pods-with-stats: it is older than v0.7",
                  "upgrade the pod to v0.7 or later; until then the collector falls back to get-pods, whose peers "
                  "have no storage, uptime or is_public"};
        }
        return {"method_not_found", "the node does not know " + method + " (-32601)",
                "every pod since v0.4 has it: this is not a Xandeum pod's pRPC, or a very old pod; upgrade it"};
      }
      return diagnosis(e, "the node answered " + method + " with a JSON-RPC error",
                       "the pod failed internally: retry, check the pod's logs, restart it, and upgrade it if it "
                       "persists");
    case ErrorCode::kCancelled:
      return diagnosis(e, "the probe was cancelled before it finished", "run verify again");
    default:
      return diagnosis(e, "the probe failed (" + std::string(e.kind()) + ")",
                       "run verify again; check that " + where + " is a pod's pRPC");
  }
}

MethodCheck failed_check(const std::string& method, const Error& e, const HostPort& target, double latency_ms,
                         std::chrono::milliseconds timeout) {
  MethodCheck c;
  c.method = method;
  c.latency_ms = latency_ms;
  c.detail = error_text(e);
  Diagnosis d = diagnose(e, method, target, timeout);
  c.kind = d.kind;
  c.problem = std::move(d.problem);
  c.fix = std::move(d.fix);
  c.status = (c.kind == "method_not_found" && method == "get-pods-with-stats") ? CheckStatus::kFallback
                                                                               : CheckStatus::kFailed;
  return c;
}

MethodCheck ok_check(const std::string& method, double latency_ms, std::string detail) {
  MethodCheck c;
  c.method = method;
  c.status = CheckStatus::kOk;
  c.kind = "ok";
  c.latency_ms = latency_ms;
  c.detail = std::move(detail);
  return c;
}

void fail_sanity(MethodCheck& c, std::string problem, std::string fix) {
  c.status = CheckStatus::kFailed;
  c.kind = "bad_value";
  c.problem = std::move(problem);
  c.fix = std::move(fix);
}

std::string duration_text(uint64_t seconds) {
  const uint64_t days = seconds / 86400, hours = seconds % 86400 / 3600, minutes = seconds % 3600 / 60;
  if (days > 0) return fmt::format("{}d {}h {}m", days, hours, minutes);
  if (hours > 0) return fmt::format("{}h {}m", hours, minutes);
  return fmt::format("{}m {}s", minutes, seconds % 60);
}

std::string gigabytes(uint64_t bytes) { return fmt::format("{:.2f}", static_cast<double>(bytes) / 1e9); }

double elapsed_ms(Clock::time_point since) {
  return std::chrono::duration<double, std::milli>(Clock::now() - since).count();
}

// Runs one probe on its own thread so that each latency is the method's own.
template <class T, class Call>
std::future<std::pair<Result<T>, double>> probe(Call call) {
  return std::async(std::launch::async, [call]() {
    const auto start = Clock::now();
    Result<T> answer = call();
    return std::pair<Result<T>, double>(std::move(answer), elapsed_ms(start));
  });
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char& ch : out) ch = ch == '_' ? ' ' : static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return out;
}

double rounded_tenth(double v) { return std::round(v * 10.0) / 10.0; }

}  // namespace

std::string_view verdict_name(Verdict verdict) {
  switch (verdict) {
    case Verdict::kHealthy: return "healthy";
    case Verdict::kUsableWithFallback: return "usable_with_fallback";
    case Verdict::kUnhealthy: return "unhealthy";
  }
  return "unhealthy";
}

std::string_view check_status_name(CheckStatus s) {
  switch (s) {
    case CheckStatus::kOk: return "ok";
    case CheckStatus::kFallback: return "fallback";
    case CheckStatus::kFailed: return "failed";
  }
  return "failed";
}

int verify_exit_code(Verdict verdict) { return verdict == Verdict::kUnhealthy ? 1 : 0; }

MethodCheck check_version(const Result<model::VersionInfo>& answer, const HostPort& target, double latency_ms,
                          std::chrono::milliseconds timeout) {
  const std::string method = "get-version";
  if (!answer.ok()) return failed_check(method, answer.error(), target, latency_ms, timeout);
  MethodCheck c = ok_check(method, latency_ms, "version " + answer->version);
  if (!analysis::parse_version(answer->version)) {
    fail_sanity(c, "the version \"" + answer->version + "\" is not a version number",
                "a pod reports its release (e.g. 0.8.0): this is not a pod's pRPC, or a proxy changes answers");
  }
  return c;
}

MethodCheck check_stats(const Result<model::NodeStats>& answer, const HostPort& target, double latency_ms,
                        std::chrono::milliseconds timeout) {
  const std::string method = "get-stats";
  if (!answer.ok()) return failed_check(method, answer.error(), target, latency_ms, timeout);
  const model::NodeStats& s = *answer;
  std::vector<std::string> parts;
  if (s.uptime) parts.push_back("uptime " + duration_text(*s.uptime));
  if (s.cpu_percent) parts.push_back(fmt::format("cpu {:.1f} %", *s.cpu_percent));
  if (s.ram_used && s.ram_total) parts.push_back("ram " + gigabytes(*s.ram_used) + " of " + gigabytes(*s.ram_total) + " GB");
  if (s.file_size) parts.push_back("storage file " + gigabytes(*s.file_size) + " GB");
  std::string detail;
  for (const auto& p : parts) detail += (detail.empty() ? "" : ", ") + p;
  MethodCheck c = ok_check(method, latency_ms, detail.empty() ? "no known fields" : detail);
  if (!s.uptime) {
    fail_sanity(c, "get-stats has no uptime",
                "every pod reports its uptime: this is not a pod's stats (another service, or a proxy that changes "
                "answers); talk to the pod's port 6000 directly");
  }
  if (s.ram_used && s.ram_total && *s.ram_used > *s.ram_total) {
    c.notes.push_back("ram_used is larger than ram_total");
  }
  if (s.cpu_percent && (*s.cpu_percent < 0 || *s.cpu_percent > 100)) {
    c.notes.push_back(fmt::format("cpu_percent {} is outside 0-100", *s.cpu_percent));
  }
  return c;
}

MethodCheck check_pods(const std::string& method, const Result<model::PodList>& answer, const HostPort& target,
                       double latency_ms, std::chrono::milliseconds timeout) {
  if (!answer.ok()) return failed_check(method, answer.error(), target, latency_ms, timeout);
  const model::PodList& list = *answer;
  const size_t rows = list.pods.size() + list.skipped;  // what the node sent
  std::string detail = std::to_string(list.pods.size()) + " pods";
  if (list.total_count) detail += " (total_count " + std::to_string(*list.total_count) + ")";
  MethodCheck c = ok_check(method, latency_ms, detail);
  if (list.total_count && *list.total_count != rows) {
    fail_sanity(c,
                "total_count says " + std::to_string(*list.total_count) + " but the list has " + std::to_string(rows) +
                    " rows",
                "a pod's total_count is always its list's length: the answer was cut or altered on the way (a "
                "proxy?); query the pod directly, and upgrade it if it persists");
  }
  if (!list.total_count) c.notes.push_back("no total_count: not the pod's own answer shape (a wrapper or proxy?)");
  if (list.skipped > 0) {
    c.notes.push_back(std::to_string(list.skipped) + " rows without address or pubkey were skipped");
  }
  if (list.pods.empty()) {
    c.notes.push_back("the node lists no peers: it is not (yet) connected to gossip, so as a seed it adds nothing");
  }
  return c;
}

void decide_verdict(VerifyReport& report) {
  const std::string where = report.target.to_string();
  std::vector<std::string> failed;
  bool fallback = false, plain_pods_ok = false;
  for (const auto& c : report.checks) {
    if (c.status == CheckStatus::kFailed) failed.push_back(c.method);
    if (c.status == CheckStatus::kFallback) fallback = true;
    if (c.method == "get-pods" && c.status == CheckStatus::kOk) plain_pods_ok = true;
  }
  if (failed.empty() && !fallback) {
    report.verdict = Verdict::kHealthy;
    report.summary = where + " answers all four pRPC methods; it can be added to IP_NODES";
    return;
  }
  if (failed.empty() && plain_pods_ok) {
    report.verdict = Verdict::kUsableWithFallback;
    std::string version;
    for (const auto& c : report.checks)
      if (c.method == "get-version") version = c.detail;  // "version 0.6.0"
    report.summary = where + " is older than v0.7" + (version.empty() ? "" : " (" + version + ")") +
                     ": the collector can use it through get-pods, but its peers will lack storage, uptime and "
                     "is_public; upgrade the pod for full data";
    return;
  }
  report.verdict = Verdict::kUnhealthy;
  // One transport failure everywhere is one problem, said once.
  const bool same_everywhere =
      failed.size() == report.checks.size() &&
      std::all_of(report.checks.begin(), report.checks.end(),
                  [&](const MethodCheck& c) { return c.kind == report.checks.front().kind; });
  if (same_everywhere) {
    report.summary = "no pRPC method answered on " + where + ": " + report.checks.front().problem +
                     "; do not add it to IP_NODES until this passes";
    return;
  }
  std::string list;
  for (const auto& m : failed) list += (list.empty() ? "" : ", ") + m;
  report.summary = std::to_string(failed.size()) + " of " + std::to_string(report.checks.size()) +
                   " methods failed (" + list + "); do not add " + where + " to IP_NODES until they pass";
}

VerifyReport verify_node(prpc::Client& client, const HostPort& target, std::chrono::milliseconds timeout) {
  auto version = probe<model::VersionInfo>([&] { return client.get_version(target).get(); });
  auto stats = probe<model::NodeStats>([&] { return client.get_stats(target).get(); });
  auto pods = probe<model::PodList>([&] { return client.get_pods(target).get(); });
  auto with_stats = probe<model::PodList>([&] { return client.get_pods_with_stats(target).get(); });

  VerifyReport report;
  report.target = target;
  report.timeout = timeout;
  auto [v, v_ms] = version.get();
  report.checks.push_back(check_version(v, target, v_ms, timeout));
  auto [s, s_ms] = stats.get();
  report.checks.push_back(check_stats(s, target, s_ms, timeout));
  auto [p, p_ms] = pods.get();
  report.checks.push_back(check_pods("get-pods", p, target, p_ms, timeout));
  auto [w, w_ms] = with_stats.get();
  report.checks.push_back(check_pods("get-pods-with-stats", w, target, w_ms, timeout));
  decide_verdict(report);
  return report;
}

std::string format_verify_text(const VerifyReport& report) {
  std::string out = "Verifying the pRPC of " + report.target.to_string() + " (timeout " + ms_text(report.timeout) + ")\n";
  const MethodCheck* previous = nullptr;
  for (const auto& c : report.checks) {
    out += fmt::format("  {:<9} {:<20} {:>8.1f} ms  {}\n", upper(check_status_name(c.status)), c.method,
                       c.latency_ms, c.detail);
    // One cause behind every method (a closed port, a firewall) is explained once.
    if (previous != nullptr && !c.problem.empty() && c.problem == previous->problem && c.fix == previous->fix) {
      out += "            (same problem and fix as above)\n";
    } else {
      if (!c.problem.empty()) out += "            problem: " + c.problem + "\n";
      if (!c.fix.empty()) out += "            fix:     " + c.fix + "\n";
    }
    previous = &c;
    for (const auto& n : c.notes) out += "            note:    " + n + "\n";
  }
  out += "Verdict: " + upper(verdict_name(report.verdict)) + " - " + report.summary + "\n";
  return out;
}

std::string format_verify_json(const VerifyReport& report) {
  JsonWriter w;
  auto optional_text = [](const std::string& s) { return s.empty() ? std::optional<std::string>() : s; };
  w.begin_object()
      .field("target", report.target.to_string())
      .field("timeout_ms", static_cast<long long>(report.timeout.count()))
      .field("verdict", verdict_name(report.verdict))
      .field("exit_code", verify_exit_code(report.verdict))
      .field("summary", report.summary)
      .key("checks")
      .begin_array();
  for (const auto& c : report.checks) {
    w.begin_object()
        .field("method", c.method)
        .field("status", check_status_name(c.status))
        .field("kind", c.kind)
        .field("latency_ms", rounded_tenth(c.latency_ms))
        .field("detail", c.detail)
        .field("problem", optional_text(c.problem))
        .field("fix", optional_text(c.fix))
        .key("notes")
        .begin_array();
    for (const auto& n : c.notes) w.value(n);
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return w.take() + "\n";
}

int run_verify_command(int argc, char** argv, std::ostream& out, std::ostream& err) {
  CLI::App cli{"pnode-analytics verify: can this node serve as an IP_NODES seed? Probes its pRPC with the four "
               "methods and says what is wrong and how to fix it.\n"
               "Exit codes: 0 healthy (or usable with the get-pods fallback: a node older than v0.7), "
               "1 unhealthy, 2 usage error."};
  cli.name("pnode-analytics verify");
  std::string target_text;
  int64_t timeout_ms = kDefaultVerifyTimeout.count();
  bool json = false, allow_real = false;
  cli.add_option("target", target_text, "HOST[:PORT] of the node's pRPC (default port 6000)")->required();
  cli.add_option("--timeout-ms", timeout_ms, "timeout for each method, in ms (1-600000)")
      ->check(CLI::Range(int64_t{1}, int64_t{600000}))
      ->capture_default_str();
  cli.add_flag("--json", json, "print one JSON object instead of text");
  cli.add_flag("--allow-real-network", allow_real, "allow a target outside 127.0.0.0/8 (a real node)");
  try {
    cli.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = cli.exit(e, out, err);
    return code == 0 ? 0 : 2;
  }

  auto target = parse_host_port(target_text, kDefaultPrpcPort);
  if (!target.ok()) {
    err << "pnode-analytics verify: " << target.error().message << " (expected HOST[:PORT])\n";
    return 2;
  }
  if (!allow_real && !is_loopback_host(target->host)) {
    err << "pnode-analytics verify: refusing to probe " << target->to_string()
        << ": it is not a loopback address (127.0.0.0/8, ::1, localhost); pass --allow-real-network to probe a "
           "real node\n";
    return 2;
  }

  const std::chrono::milliseconds timeout(timeout_ms);
  http::Client http(1);
  prpc::ClientOptions options;
  // A black-holed port shows as a connect timeout rather than a generic one.
  options.connect_timeout = std::min(timeout, std::chrono::milliseconds(3000));
  options.total_timeout = timeout;
  prpc::Client client(http, options);
  VerifyReport report = verify_node(client, *target, timeout);
  out << (json ? format_verify_json(report) : format_verify_text(report));
  out.flush();
  return verify_exit_code(report.verdict);
}

int run_verify_command(int argc, char** argv) { return run_verify_command(argc, argv, std::cout, std::cerr); }

}  // namespace pnode::app
