// `pnode-analytics serve`: wires configuration, store, collector, API and HTTP server
// together and runs until SIGINT/SIGTERM.
// Thread-safety: call once from main().
#pragma once

namespace pnode::app {

int run_serve_command(int argc, char** argv);

}  // namespace pnode::app
