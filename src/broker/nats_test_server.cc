#include "broker/nats_test_server.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <thread>

namespace pnode::broker {
namespace {

sockaddr_in loopback(int port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(port));
  return address;
}

// A port the kernel just handed out on 127.0.0.1 (free again once the probe closes).
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto address = loopback(0);
  ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address);
  socklen_t size = sizeof address;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &size);
  ::close(fd);
  return ntohs(address.sin_port);
}

bool accepts_connections(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  auto address = loopback(port);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0;
  ::close(fd);
  return ok;
}

std::string find_binary() {
  for (const char* candidate : {"/usr/bin/nats-server", "/usr/sbin/nats-server", "/usr/local/bin/nats-server"}) {
    if (::access(candidate, X_OK) == 0) return candidate;
  }
  return {};
}

}  // namespace

Result<std::unique_ptr<NatsTestServer>> NatsTestServer::start() {
  std::unique_ptr<NatsTestServer> server(new NatsTestServer());
  server->binary_ = find_binary();
  if (server->binary_.empty()) return make_error(ErrorCode::kNotFound, "nats-server is not installed");
  char pattern[] = "/tmp/pnode-nats-XXXXXX";
  if (!::mkdtemp(pattern)) return make_error(ErrorCode::kIo, "cannot create a temporary directory");
  server->dir_ = pattern;
  server->port_ = free_port();
  if (auto s = server->launch(); !s.ok()) return s.error();
  return server;
}

Status NatsTestServer::launch() {
  const std::string port = std::to_string(port_);
  const pid_t pid = ::fork();
  if (pid < 0) return make_error(ErrorCode::kIo, "fork failed");
  if (pid == 0) {
    ::prctl(PR_SET_PDEATHSIG, SIGKILL);  // never outlives the test
    ::execl(binary_.c_str(), binary_.c_str(), "-js", "-a", "127.0.0.1", "-p", port.c_str(), "-sd", dir_.c_str(),
            "-l", (dir_ + "/nats.log").c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  pid_ = pid;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (accepts_connections(port_)) return ok_status();
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = 0;
      return make_error(ErrorCode::kCannotOpen, "nats-server exited at start; see " + dir_ + "/nats.log");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return make_error(ErrorCode::kCannotOpen, "nats-server did not listen within 10 s");
}

std::string NatsTestServer::url() const { return "nats://127.0.0.1:" + std::to_string(port_); }

void NatsTestServer::stop() {
  if (pid_ <= 0) return;
  ::kill(pid_, SIGTERM);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = 0;
}

Status NatsTestServer::restart() {
  stop();
  return launch();
}

NatsTestServer::~NatsTestServer() {
  stop();
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

}  // namespace pnode::broker
