#include "api/stamped_body.h"

#include <charconv>

namespace pnode::api {

void BodyTemplate::hole(int64_t offset_from_now) {
  // raw("") writes the separator a value needs here (none after a key, a comma between
  // array elements), so the hole sits exactly where the number goes.
  writer_.raw("");
  holes_.emplace_back(writer_.str().size(), offset_from_now);
}

BodyTemplate& BodyTemplate::finish() {
  text_ = writer_.take();
  writer_ = JsonWriter();
  return *this;
}

std::string BodyTemplate::render(int64_t now) const {
  std::string out;
  out.reserve(text_.size() + holes_.size() * 20);
  size_t from = 0;
  for (const auto& [position, offset] : holes_) {
    out.append(text_, from, position - from);
    char digits[24];
    auto [end, ec] = std::to_chars(digits, digits + sizeof digits, now + offset);
    out.append(digits, end);
    from = position;
  }
  out.append(text_, from, std::string::npos);
  return out;
}

}  // namespace pnode::api
