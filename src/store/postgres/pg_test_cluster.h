// Test-only: a throwaway PostgreSQL cluster on loopback, so the store tests need no
// server someone started by hand. initdb + pg_ctl in a fresh temporary directory (the
// data, the unix socket and the log all inside it), listening on a free TCP port of
// 127.0.0.1 only; as root (CI) the server runs as the unprivileged user `nobody`, which
// owns the directory. The cluster of a test binary starts on first use and is stopped
// and removed when the binary exits, or by a watcher process if the binary dies.
// Server binaries are looked up in $PNODE_PG_BINDIR, then
// /usr/lib/postgresql/<newest>/bin; $PNODE_PG_TEST_OPTIONS adds server options.
// Thread-safety: call from the test thread only.
#pragma once

#include <string>

#include "util/result.h"

namespace pnode::store::postgres {

class PgTestCluster {
 public:
  // The binary's cluster, started on first use; an error (kind "not_found" when the
  // server is not installed, "cannot_open" when it would not start) otherwise.
  static Result<PgTestCluster*> shared();

  // A new, empty database on the cluster: its postgresql:// URL.
  Result<std::string> create_database();
  // The URL of a database that does not exist (for connection-error tests).
  std::string url_of(const std::string& database) const;

  // Stops the server (fast shutdown: sessions are ended) and starts it again on the same
  // port with the same data, for tests of a database server that goes away and returns.
  Status stop_server();
  Status start_server();

  ~PgTestCluster();
  PgTestCluster(const PgTestCluster&) = delete;
  PgTestCluster& operator=(const PgTestCluster&) = delete;

 private:
  PgTestCluster() = default;
  Status start();
  // pg_ctl `action` ("start", "stop -m fast") on the cluster's data directory.
  int pg_ctl(const std::string& action) const;
  // `command` run as the server's user (nobody when we are root).
  int run_as_server_user(const std::string& command) const;
  // The shell command that stops the server and removes the directory.
  std::string stop_command() const;
  void start_reaper();

  std::string bindir_, dir_;
  bool as_nobody_ = false;
  bool running_ = false;
  int port_ = 0;
  int databases_ = 0;
  int reaper_pid_ = 0;
  int reaper_pipe_ = -1;
};

}  // namespace pnode::store::postgres
