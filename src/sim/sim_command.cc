#include "sim/sim_command.h"

#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "sim/simulator.h"
#include "util/loopback.h"

namespace pnode::sim {
namespace {

struct CommandLine {
  SimOptions options;
  std::string mode = "replay";
  std::vector<std::string> fault_specs;
  bool churn = false;
  double churn_rate = ChurnOptions{}.rate_per_minute;
  std::vector<std::string> unreachable;
};

void add_options(CLI::App& app, CommandLine& cl) {
  SimOptions& o = cl.options;
  app.add_option("--seeds", o.seeds, "number of seed nodes answering pRPC")->capture_default_str();
  app.add_option("--listen", o.listen_address, "listen address (loopback only)")->capture_default_str();
  app.add_option("--base-port", o.base_port, "seed i listens on base-port + i; 0 = ephemeral ports")
      ->capture_default_str();
  app.add_option("--threads", o.threads, "server I/O threads")->capture_default_str();
  app.add_option("--mode", cl.mode, "replay recorded captures, or a synthetic network")
      ->check(CLI::IsMember({"replay", "synthetic"}))
      ->capture_default_str();
  app.add_option("--capture", o.captures,
                 "capture file to replay (repeat to cycle through several); default: " + default_capture_path());
  app.add_option("--replay-interval", o.replay_interval, "seconds before moving to the next capture")
      ->capture_default_str();
  app.add_option("--pods", o.pods, "number of pods in synthetic mode")->capture_default_str();
  app.add_option("--public-percent", o.public_percent,
                 "share of public pods in synthetic mode (the captures have about 26)")
      ->check(CLI::Range(0, 100))
      ->capture_default_str();
  app.add_flag("--churn", cl.churn, "nodes leave and return, restart, upgrade; NAT ports rotate");
  app.add_option("--churn-rate", cl.churn_rate, "share of nodes leaving per minute (implies --churn)")
      ->capture_default_str();
  app.add_option("--seed", o.rng_seed, "RNG seed (same seed and clock, same network)")->capture_default_str();
  app.add_option("--credits-heartbeat", o.credits_heartbeat,
                 "seconds per pod-credits heartbeat (+1 credit each); 0 freezes the credits")
      ->check(CLI::Range(int64_t{0}, int64_t{86400}))
      ->capture_default_str();
  app.add_option("--fault", cl.fault_specs,
                 "seed=<i>:<kind>[:<ms>], kind one of none, slow, hang, http500, garbage, wrong_shape, pre07, drop");
  app.add_flag("--serve-pods", o.serve_pods,
               "every public pod answers pRPC on its own loopback address and rpc_port (for the prober)");
  app.add_option("--pod-threads", o.pod_threads, "I/O threads of the pods' server")->capture_default_str();
  app.add_option("--unreachable", cl.unreachable,
                 "a pod (its IP) that drops every connection (repeatable; implies --serve-pods; "
                 "POST /sim/pods changes it at runtime)");
}

// Blocks the stop signals in this thread (and the server threads it starts), so that
// they are delivered only to sigwait below.
sigset_t block_stop_signals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
  return set;
}

}  // namespace

int run_sim_command(int argc, char** argv) {
  CLI::App app{"Simulated pNode network on loopback: pRPC seeds replaying real captures or a synthetic network"};
  app.name("pnode-analytics sim");
  CommandLine cl;
  add_options(app, cl);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }

  SimOptions options = cl.options;
  options.mode = cl.mode == "synthetic" ? SimMode::kSynthetic : SimMode::kReplay;
  options.churn.enabled = cl.churn || app.count("--churn-rate") > 0;
  options.churn.rate_per_minute = cl.churn_rate;
  options.serve_pods = options.serve_pods || !cl.unreachable.empty();
  for (const auto& spec : cl.fault_specs) {
    auto parsed = parse_fault_spec(spec);
    if (!parsed) {
      std::fprintf(stderr, "sim: --fault: %s\n", parsed.error().message.c_str());
      return 2;
    }
    options.faults.push_back(*parsed);
  }

  auto sim = Simulator::create(options);
  if (!sim) {
    std::fprintf(stderr, "sim: %s\n", sim.error().message.c_str());
    return sim.error().code == ErrorCode::kInvalidOption ? 2 : 1;
  }
  const sigset_t stop_signals = block_stop_signals();
  auto ports = (*sim)->start();
  if (!ports) {
    std::fprintf(stderr, "sim: cannot listen: %s\n", ports.error().message.c_str());
    return 1;
  }

  for (const auto& host : cl.unreachable) {
    if (auto set = (*sim)->set_pod_reachable(host, false); !set) {
      std::fprintf(stderr, "sim: --unreachable: %s\n", set.error().message.c_str());
      return 2;
    }
  }
  if (auto probes = (*sim)->pod_probes())
    std::fprintf(stderr, "sim: every public pod answers pRPC on its own address (GET /sim/pods for counters)\n");

  auto seeds = (*sim)->seeds();
  std::fprintf(stderr, "sim: mode=%s pods=%zu seeds=%d churn=%s rate=%g rng_seed=%llu listen=%s\n",
               cl.mode.c_str(), (*sim)->network_pods().size(), (*sim)->seed_count(),
               options.churn.enabled ? "on" : "off", options.churn.rate_per_minute,
               static_cast<unsigned long long>(options.rng_seed), options.listen_address.c_str());
  if (options.mode == SimMode::kReplay) {
    for (const auto& path : options.captures.empty() ? std::vector<std::string>{find_default_capture()}
                                                      : options.captures)
      std::fprintf(stderr, "sim: replaying %s\n", path.c_str());
  }
  for (const auto& seed : seeds) {
    std::printf("seed %d %s (%s)\n", seed.index, HostPort{options.listen_address, seed.port}.to_string().c_str(),
                seed.gossip_address.c_str());
  }
  std::printf("IP_NODES=%s\n", (*sim)->ip_nodes().c_str());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&stop_signals, &signal_number);
  std::fprintf(stderr, "sim: stopping on signal %d\n", signal_number);
  (*sim)->stop();
  return 0;
}

}  // namespace pnode::sim
