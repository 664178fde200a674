#include "store/postgres/pg_test_cluster.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pwd.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

#include "store/postgres/pg_conn.h"

namespace pnode::store::postgres {
namespace {

// The paths are ours (mkdtemp, the install directory): quoting for the shell is enough.
std::string shell_quoted(const std::string& s) { return "'" + s + "'"; }

std::string find_bindir() {
  if (const char* env = std::getenv("PNODE_PG_BINDIR"); env && *env) return env;
  std::vector<std::filesystem::path> found;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator("/usr/lib/postgresql", ec))
    if (std::filesystem::exists(entry.path() / "bin" / "initdb")) found.push_back(entry.path() / "bin");
  if (found.empty()) return {};
  // Newest major version: compare numerically ("9.6" < "15").
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return std::atof(a.parent_path().filename().c_str()) < std::atof(b.parent_path().filename().c_str());
  });
  return found.back().string();
}

// A TCP port of 127.0.0.1 nothing listens on right now.
int free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof addr;
  int port = 0;
  if (::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0)
    port = ntohs(addr.sin_port);
  ::close(fd);
  return port;
}

}  // namespace

Result<PgTestCluster*> PgTestCluster::shared() {
  static std::unique_ptr<PgTestCluster> cluster;
  static std::optional<Error> failed;
  if (cluster) return cluster.get();
  if (failed) return *failed;
  std::unique_ptr<PgTestCluster> fresh(new PgTestCluster());
  if (auto st = fresh->start(); !st) {
    failed = st.error();
    return *failed;
  }
  cluster = std::move(fresh);
  return cluster.get();
}

int PgTestCluster::run_as_server_user(const std::string& command) const {
  std::string line = as_nobody_ ? "runuser -u nobody -- " + command : command;
  return std::system(line.c_str());
}

Status PgTestCluster::start() {
  bindir_ = find_bindir();
  if (bindir_.empty())
    return make_error(ErrorCode::kNotFound, "no PostgreSQL server installed (initdb under /usr/lib/postgresql/*/bin)");
  std::string pattern = (std::filesystem::temp_directory_path() / "pnode-pg-XXXXXX").string();
  if (!::mkdtemp(pattern.data())) return make_error(ErrorCode::kIo, "cannot create a temporary directory");
  dir_ = pattern;
  // The server refuses to run as root.
  if (::geteuid() == 0) {
    const passwd* nobody = ::getpwnam("nobody");
    if (!nobody || ::chown(dir_.c_str(), nobody->pw_uid, nobody->pw_gid) != 0)
      return make_error(ErrorCode::kCannotOpen, "cannot hand " + dir_ + " to the user nobody");
    as_nobody_ = true;
  }
  const std::string data = dir_ + "/data";
  if (run_as_server_user(shell_quoted(bindir_ + "/initdb") + " -D " + shell_quoted(data) +
                         " -U postgres -A trust -E UTF8 --no-sync --no-instructions >" + shell_quoted(dir_ + "/initdb.log") +
                         " 2>&1") != 0)
    return make_error(ErrorCode::kCannotOpen, "initdb failed; see " + dir_ + "/initdb.log");
  port_ = free_port();
  if (auto st = start_server(); !st) return st;
  start_reaper();
  return ok_status();
}

// More server options from $PNODE_PG_TEST_OPTIONS (e.g. "-c
// shared_preload_libraries=pg_stat_statements" for the bench's statement profile).
static std::string extra_server_options() {
  const char* extra = std::getenv("PNODE_PG_TEST_OPTIONS");
  return extra && *extra ? std::string(" ") + extra : std::string();
}

int PgTestCluster::pg_ctl(const std::string& action) const {
  // Durability is not under test here: no fsync makes the cluster fast.
  const std::string options = "-c listen_addresses=127.0.0.1 -p " + std::to_string(port_) + " -k " + dir_ +
                              " -c fsync=off -c synchronous_commit=off -c full_page_writes=off" + extra_server_options();
  return run_as_server_user(shell_quoted(bindir_ + "/pg_ctl") + " -D " + shell_quoted(dir_ + "/data") + " -l " +
                            shell_quoted(dir_ + "/server.log") + " -w -t 60 -o " + shell_quoted(options) + " " +
                            action + " >/dev/null 2>&1");
}

Status PgTestCluster::start_server() {
  if (pg_ctl("start") != 0) return make_error(ErrorCode::kCannotOpen, "pg_ctl start failed; see " + dir_ + "/server.log");
  running_ = true;
  return ok_status();
}

Status PgTestCluster::stop_server() {
  if (pg_ctl("stop -m fast") != 0) return make_error(ErrorCode::kIo, "pg_ctl stop failed; see " + dir_ + "/server.log");
  running_ = false;
  return ok_status();
}

std::string PgTestCluster::stop_command() const {
  std::string pg_ctl = shell_quoted(bindir_ + "/pg_ctl") + " -D " + shell_quoted(dir_ + "/data") +
                       " -m immediate -w stop >/dev/null 2>&1";
  return (as_nobody_ ? "runuser -u nobody -- " + pg_ctl : pg_ctl) + "; rm -rf " + shell_quoted(dir_);
}

// A shell that waits for the end of a pipe only this process holds (close-on-exec, so
// no other child inherits it), then stops the server and removes the directory: the
// cluster goes even when the test binary crashes or is killed.
void PgTestCluster::start_reaper() {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0) return;
  const std::string script = "cat >/dev/null; " + stop_command();
  pid_t pid = ::fork();
  if (pid == 0) {
    ::dup2(fds[0], 0);  // the duplicate survives exec
    ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(fds[0]);
  if (pid < 0) {
    ::close(fds[1]);
    return;
  }
  reaper_pid_ = pid;
  reaper_pipe_ = fds[1];
}

PgTestCluster::~PgTestCluster() {
  if (reaper_pid_ > 0) {  // closing the pipe sets the reaper off; wait for it to finish
    ::close(reaper_pipe_);
    int status = 0;
    ::waitpid(reaper_pid_, &status, 0);
    return;
  }
  if (running_) std::system(stop_command().c_str());
  else if (!dir_.empty()) std::filesystem::remove_all(dir_);
}

std::string PgTestCluster::url_of(const std::string& database) const {
  return "postgresql://postgres@127.0.0.1:" + std::to_string(port_) + "/" + database;
}

Result<std::string> PgTestCluster::create_database() {
  auto admin = Connection::open(url_of("postgres"));
  if (!admin) return admin.error();
  std::string name = "t" + std::to_string(::getpid()) + "_" + std::to_string(++databases_);
  if (auto st = admin->run("CREATE DATABASE " + name); !st) return st.error();
  return url_of(name);
}

}  // namespace pnode::store::postgres
