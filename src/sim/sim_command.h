// The `pnode-analytics sim` subcommand: parses its options (CLI11), starts a Simulator
// on loopback and serves until SIGINT or SIGTERM. On start it prints, on stdout, one
// line per seed, "seed <i> 127.0.0.1:<port> (<its gossip address>)", then
// "IP_NODES=<host:port,...>" (the value to give the collector).
// Thread-safety: call once, from the main thread (it blocks SIGINT/SIGTERM and waits).
#pragma once

namespace pnode::sim {

// argv[0] is "sim". Returns the process exit code (0 after a clean signal stop,
// 2 for invalid options, 1 when the network or the ports cannot be set up).
int run_sim_command(int argc, char** argv);

}  // namespace pnode::sim

using pnode::sim::run_sim_command;
