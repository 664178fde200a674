// Log set-up shared by the subcommands: plain text lines, or one JSON object per line
// with --log-format json.
// Thread-safety: configure_logging() once at start; the observer is thread-safe.
#pragma once

#include <string>

namespace pnode::app {

void configure_logging(const std::string& format);

}  // namespace pnode::app
