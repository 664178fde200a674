// `pnode-analytics verify HOST[:PORT]`: can this node serve as an IP_NODES seed? Probes
// its pRPC (default port 6000) with the four methods, concurrently, through
// prpc::Client; checks the shape (the parser) and the values of each answer (version
// parses, get-stats has an uptime, a pods list matches its total_count); and, for every
// failure, says what is wrong and how to fix it. Ends with one verdict:
//   healthy               all four methods answer well                     exit 0
//   usable with fallback  only get-pods-with-stats is unknown (-32601: a
//                         node older than v0.7); get-pods works, which the
//                         collector falls back to                          exit 0
//   unhealthy             anything else failed                             exit 1
//   usage error           bad arguments, or a non-loopback target without
//                         --allow-real-network                             exit 2
// A pre-0.7 node exits 0 because the collector uses it as it is (its peers then lack
// storage, uptime and is_public); the verdict line and --json say so.
// Thread-safety: verify_node() may run on any thread; it blocks until every probe ends
// (at most about one timeout). The rest are pure functions.
#pragma once

#include <chrono>
#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "prpc/client.h"
#include "prpc/types.h"
#include "util/loopback.h"
#include "util/result.h"

namespace pnode::app {

inline constexpr uint16_t kDefaultPrpcPort = 6000;
inline constexpr std::chrono::milliseconds kDefaultVerifyTimeout{5000};

enum class CheckStatus {
  kOk,
  kFallback,  // get-pods-with-stats unknown (-32601): the collector uses get-pods
  kFailed,
};

// The outcome of one method.
struct MethodCheck {
  std::string method;
  CheckStatus status = CheckStatus::kFailed;
  std::string kind;     // "ok", or the error kind: an http::Client kind ("refused",
                        // "timeout", ...), "http_status", "invalid_json", "wrong_shape",
                        // "method_not_found", "rpc_error", or "bad_value" (a sanity check)
  double latency_ms = 0;
  std::string detail;   // what came back: "version 0.8.0", "204 pods", or the error text
  std::string problem;  // what is wrong (empty when ok)
  std::string fix;      // how to fix it (empty when ok)
  std::vector<std::string> notes;  // harmless oddities worth knowing
};

enum class Verdict { kHealthy, kUsableWithFallback, kUnhealthy };

struct VerifyReport {
  HostPort target;
  std::chrono::milliseconds timeout{0};
  std::vector<MethodCheck> checks;  // get-version, get-stats, get-pods, get-pods-with-stats
  Verdict verdict = Verdict::kUnhealthy;
  std::string summary;  // one sentence explaining the verdict
};

// Evaluates one answer (exposed so every branch can be tested without a node).
MethodCheck check_version(const Result<model::VersionInfo>& answer, const HostPort& target, double latency_ms,
                          std::chrono::milliseconds timeout);
MethodCheck check_stats(const Result<model::NodeStats>& answer, const HostPort& target, double latency_ms,
                        std::chrono::milliseconds timeout);
MethodCheck check_pods(const std::string& method, const Result<model::PodList>& answer, const HostPort& target,
                       double latency_ms, std::chrono::milliseconds timeout);
// The verdict and its summary for four checks (in the order above).
void decide_verdict(VerifyReport& report);

// Probes `target` with the four methods at once and evaluates the answers.
VerifyReport verify_node(prpc::Client& client, const HostPort& target, std::chrono::milliseconds timeout);

std::string format_verify_text(const VerifyReport& report);
std::string format_verify_json(const VerifyReport& report);
int verify_exit_code(Verdict verdict);
std::string_view verdict_name(Verdict verdict);    // "healthy", "usable_with_fallback", "unhealthy"
std::string_view check_status_name(CheckStatus s);  // "ok", "fallback", "failed"

// The subcommand; argv[0] is "verify". Writes the report to `out`, usage errors to `err`.
int run_verify_command(int argc, char** argv, std::ostream& out, std::ostream& err);
int run_verify_command(int argc, char** argv);  // std::cout / std::cerr

}  // namespace pnode::app
