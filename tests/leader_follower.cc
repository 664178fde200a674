#include "leader_follower.h"

#include <chrono>
#include <regex>

#include "e2e_support.h"

namespace pnode::testing {

using namespace std::chrono_literals;

LeaderFollower::LeaderFollower(const std::string& binary, const std::filesystem::path& dir,
                               const std::string& database_url, const std::map<std::string, std::string>& settings)
    : binary_(binary), dir_(dir), env_(settings) {
  sim_ = std::make_unique<ChildProcess>(std::vector<std::string>{binary_, "sim", "--seeds", "1", "--base-port", "0",
                                                                 "--mode", "synthetic", "--pods", "200"},
                                        std::map<std::string, std::string>{}, (dir_ / "sim.log").string());
  auto seed = sim_->wait_for_line(std::regex("seed 0 (127\\.0\\.0\\.1:\\d+)"), 10s);
  if (!seed) {
    error_ = "the simulator did not report its seed";
    return;
  }
  env_["IP_NODES"] = (*seed)[1];
  env_["DATABASE_URL"] = database_url;
  env_["PORT"] = "0";
  leader_port_ = start_instance(leader_, "leader");
  if (!leader_port_) return;
  // The second instance starts once the first holds the lease and committed a cycle.
  if (!leader_->wait_for_line(std::regex("cycle \\d+: .*store ok"), 20s)) {
    error_ = "the first instance committed no cycle";
    return;
  }
  follower_port_ = start_instance(follower_, "follower");
}

uint16_t LeaderFollower::start_instance(std::unique_ptr<ChildProcess>& slot, const std::string& name) {
  slot = std::make_unique<ChildProcess>(std::vector<std::string>{binary_, "serve"}, env_,
                                        (dir_ / (name + ".log")).string());
  auto m = slot->wait_for_line(std::regex("serving http://127\\.0\\.0\\.1:(\\d+)"), 10s);
  if (!m) {
    error_ = "the " + name + " did not start";
    return 0;
  }
  return static_cast<uint16_t>(std::stoi((*m)[1]));
}

ServedState served_state(uint16_t port) {
  auto h = http_call(port, "GET", "/health");
  ServedState out;
  if (h.status != 200 || !h.json.is_object()) return out;
  const auto& o = h.json.as_object();
  if (const auto* v = o.if_contains("last_updated"); v && v->is_int64()) out.last_updated = v->as_int64();
  if (const auto* v = o.if_contains("role"); v && v->is_string()) out.role = std::string(v->as_string());
  return out;
}

}  // namespace pnode::testing
