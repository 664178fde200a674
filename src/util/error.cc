// The parts of util/error.h that need more than a header. See error.h.
#include "util/error.h"

#include <ostream>

namespace pnode {

std::optional<ErrorCode> error_code_from_name(std::string_view name) {
  for (ErrorCode code : kAllErrorCodes) {
    if (error_code_name(code) == name) return code;
  }
  return std::nullopt;
}

void PrintTo(ErrorCode code, std::ostream* os) { *os << "ErrorCode(" << error_code_name(code) << ")"; }

}  // namespace pnode
