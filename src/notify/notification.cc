#include "notify/notification.h"

#include <algorithm>
#include <utility>

#include "notify/encoding.h"

namespace pnode::notify {

std::string_view kind_name(Kind kind) {
  switch (kind) {
    case Kind::kFiring: return "firing";
    case Kind::kResolved: return "resolved";
    case Kind::kEvent: return "event";
  }
  return "event";
}

std::string fingerprint(const Notification& notification) {
  // Labels are a sorted map; "\n" and "=" cannot be confused across pairs because the
  // lengths go in too.
  std::string canonical;
  for (const auto& [name, value] : notification.labels) {
    canonical += std::to_string(name.size()) + ":" + name + "=" + std::to_string(value.size()) + ":" + value + "\n";
  }
  return sha256_hex(canonical).substr(0, 16);
}

std::string_view Message::status() const {
  const auto is = [this](Kind kind) {
    return std::any_of(notifications.begin(), notifications.end(),
                       [kind](const Notification& n) { return n.kind == kind; });
  };
  if (is(Kind::kFiring)) return "firing";
  if (is(Kind::kResolved)) return "resolved";
  return "event";
}

Message single_message(Notification notification) {
  Message message;
  message.id = notification.id;
  message.notifications.push_back(std::move(notification));
  return message;
}

}  // namespace pnode::notify
