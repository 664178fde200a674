// Test-only: FakeNode, a pNode on loopback (a real http::Server) answering get-pods,
// get-version and get-stats from a gossip list the test edits between cycles, or 500 when
// told to break. For the collector's tests.
// Thread-safety: set_pods() and set_broken() may be called while the server answers.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <string>
#include <utility>
#include <vector>

#include "http/server.h"
#include "util/json_writer.h"

namespace pnode::collect::testing {

// A pNode on loopback whose gossip list the test edits between cycles.
class FakeNode {
 public:
  FakeNode() : server_(http::ServerOptions{}, [this](const http::Request& r) { return answer(r); }) {
    port_ = server_.start().value()[0];
  }
  uint16_t port() const { return port_; }
  void set_pods(std::vector<std::pair<std::string, int64_t>> pods) {
    std::lock_guard lock(mutex_);
    pods_ = std::move(pods);
  }
  void set_broken(bool broken) { broken_ = broken; }
  // Lists `address` as a public pod whose pRPC answers on `rpc_port`.
  void set_public(const std::string& address, int64_t rpc_port) {
    std::lock_guard lock(mutex_);
    public_rpc_ports_[address] = rpc_port;
  }

 private:
  http::Response answer(const http::Request& r) {
    if (broken_) return http::Response::text(500, "boom");
    JsonWriter w;
    w.begin_object().key("error").null().key("id").value(1).key("jsonrpc").value("2.0").key("result").begin_object();
    if (r.body.find("get-pods") != std::string::npos) {
      std::lock_guard lock(mutex_);
      w.key("pods").begin_array();
      for (const auto& [address, seen] : pods_) {
        w.begin_object().field("address", address).field("last_seen_timestamp", seen).field("version", "0.8.0");
        if (auto it = public_rpc_ports_.find(address); it != public_rpc_ports_.end())
          w.field("is_public", true).field("rpc_port", it->second);
        w.end_object();
      }
      w.end_array().field("total_count", pods_.size());
    } else if (r.body.find("get-version") != std::string::npos) {
      w.field("version", "0.8.0");
    } else {
      w.field("uptime", 100).field("cpu_percent", 1.5);
    }
    w.end_object().end_object();
    return http::Response::json(200, w.take());
  }

  std::mutex mutex_;
  std::vector<std::pair<std::string, int64_t>> pods_;
  std::map<std::string, int64_t> public_rpc_ports_;
  std::atomic<bool> broken_{false};
  http::Server server_;
  uint16_t port_ = 0;
};

}  // namespace pnode::collect::testing
