// Where `serve` finds the built dashboard when WEB_ROOT is not set.
// Thread-safety: pure function (reads the file system).
#pragma once

#include <string>

namespace pnode::app {

// `configured` when set; otherwise the first folder with an index.html among web/dist
// under the working directory (make run starts from the repository), <binary>/../web/dist
// (the binary lives in build/), and the installed <prefix>/share/pnode-analytics/web
// (<prefix>/bin/pnode-analytics). Empty when there is none: the API is served alone.
std::string find_web_root(const std::string& configured);

}  // namespace pnode::app
