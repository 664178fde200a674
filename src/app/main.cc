// Entry point: dispatches the subcommands (serve, sim, verify, dedupe).
#include <cstdio>

int main(int argc, char** argv) {
  std::fprintf(stderr, "usage: pnode-analytics <serve|sim> [options]\n");
  return 2;
}
