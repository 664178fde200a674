// pnode-analytics: one binary, several subcommands.
//   serve   poll the seeds, keep history, serve the REST API (and the dashboard)
//   sim     the pNode network simulator (loopback only)
//   verify  probe one node's pRPC: can it serve as a seed?
//   dedupe  remove stale registry rows of NAT nodes (dry run unless --apply)
//   --version  the version (the CMake project version, PNODE_VERSION)
#include <cstdio>
#include <cstring>
#include <string>

#include "app/dedupe.h"
#include "app/serve.h"
#include "app/verify.h"
#include "sim/sim_command.h"

namespace {

int usage() {
  std::fprintf(stderr,
               "usage: pnode-analytics <command> [options]\n"
               "  serve   poll the seeds, keep history, serve the REST API\n"
               "  sim     run the simulated pNode network on loopback\n"
               "  verify  probe one node's pRPC (HOST[:PORT]) and say whether it can serve as a seed\n"
               "  dedupe  find (and with --apply remove) stale duplicate registry rows of NAT nodes\n"
               "Run 'pnode-analytics <command> --help' for the options of a command,\n"
               "'pnode-analytics --version' for the version.\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  std::string command = argv[1];
  if (command == "serve") return pnode::app::run_serve_command(argc - 1, argv + 1);
  if (command == "sim") return pnode::sim::run_sim_command(argc - 1, argv + 1);
  if (command == "verify") return pnode::app::run_verify_command(argc - 1, argv + 1);
  if (command == "dedupe") return pnode::app::run_dedupe_command(argc - 1, argv + 1);
  if (command == "--version" || command == "-V" || command == "version") {
    std::printf("pnode-analytics %s\n", PNODE_VERSION);
    return 0;
  }
  if (command == "--help" || command == "-h" || command == "help") {
    usage();
    return 0;
  }
  std::fprintf(stderr, "pnode-analytics: unknown command '%s'\n", command.c_str());
  return usage();
}
