// Test-only: a throwaway NATS server with JetStream (Debian's nats-server) on a free port
// of 127.0.0.1, its storage in a fresh temporary directory. The server is killed with the
// test process (PR_SET_PDEATHSIG) and its directory removed by the destructor; restart()
// stops and starts it on the same port and storage, as an operator's restart would.
// Thread-safety: call from the test thread only.
#pragma once

#include <string>

#include "util/result.h"

namespace pnode::broker {

class NatsTestServer {
 public:
  // Starts a server; "not_found" when nats-server is not installed.
  static Result<std::unique_ptr<NatsTestServer>> start();
  ~NatsTestServer();
  NatsTestServer(const NatsTestServer&) = delete;
  NatsTestServer& operator=(const NatsTestServer&) = delete;

  std::string url() const;
  void stop();
  Status restart();

 private:
  NatsTestServer() = default;
  Status launch();

  std::string binary_, dir_;
  int port_ = 0;
  int pid_ = 0;
};

}  // namespace pnode::broker
