#include "app/web_root.h"

#include <filesystem>
#include <vector>

namespace pnode::app {

std::string find_web_root(const std::string& configured) {
  if (!configured.empty()) return configured;
  namespace fs = std::filesystem;
  std::error_code ec;
  std::vector<fs::path> candidates{fs::current_path(ec) / "web" / "dist"};
  if (auto exe = fs::read_symlink("/proc/self/exe", ec); !ec) {
    fs::path prefix = exe.parent_path().parent_path();
    candidates.push_back(prefix / "web" / "dist");
    candidates.push_back(prefix / "share" / "pnode-analytics" / "web");
  }
  for (const auto& candidate : candidates) {
    if (fs::is_regular_file(candidate / "index.html", ec)) return candidate.string();
  }
  return {};
}

}  // namespace pnode::app
