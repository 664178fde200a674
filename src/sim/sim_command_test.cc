#include "sim/sim_command.h"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <vector>

namespace pnode::sim {
namespace {

// Runs the subcommand with argv = {"sim", args...}; only for invocations that return
// without serving.
int run(std::initializer_list<const char*> args) {
  std::vector<std::string> storage{"sim"};
  storage.insert(storage.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : storage) argv.push_back(s.data());
  return run_sim_command(static_cast<int>(argv.size()), argv.data());
}

TEST(SimCommand, RefusesInvalidOptionsWithoutServing) {
  EXPECT_EQ(run({"--listen", "0.0.0.0"}), 2);
  EXPECT_EQ(run({"--fault", "seed=x:slow"}), 2);
  EXPECT_EQ(run({"--seeds", "3", "--fault", "seed=5:drop"}), 2);
  EXPECT_EQ(run({"--mode", "synthetic", "--pods", "0"}), 2);
  EXPECT_NE(run({"--mode", "bogus"}), 0);
  EXPECT_NE(run({"--no-such-flag"}), 0);
  EXPECT_EQ(run({"--capture", "/nonexistent.json"}), 1);
}

TEST(SimCommand, HelpExitsCleanly) { EXPECT_EQ(run({"--help"}), 0); }

}  // namespace
}  // namespace pnode::sim
