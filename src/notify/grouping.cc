#include "notify/grouping.h"

#include <algorithm>
#include <utility>

#include "notify/encoding.h"

namespace pnode::notify {
namespace {

bool is_subset(const std::set<std::string>& part, const std::set<std::string>& whole) {
  return std::includes(whole.begin(), whole.end(), part.begin(), part.end());
}

// The message's content: its group and the (event) ids of what it tells, sorted. A
// message rebuilt after a restart from the same events has the same content, whenever
// it is sent.
std::string content_id(const std::string& key, const std::vector<Notification>& notifications) {
  std::vector<std::string> ids;
  for (const auto& n : notifications) ids.push_back(n.id + "/" + std::string(kind_name(n.kind)));
  std::sort(ids.begin(), ids.end());
  std::string canonical = key;
  for (const auto& id : ids) canonical += "\n" + std::to_string(id.size()) + ":" + id;
  return sha256_hex(canonical).substr(0, 32);
}

// A repeat (the same content as the group's last message) is a new message: its send
// time tells it apart.
std::string repeat_id(const std::string& content, TimePoint now) {
  const auto millis = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  return sha256_hex(content + "\n" + std::to_string(millis)).substr(0, 32);
}

}  // namespace

std::string group_key(const std::map<std::string, std::string>& labels) {
  std::string key = "{";
  for (const auto& [name, value] : labels) {
    if (key.size() > 1) key += ",";
    key += name + "=\"" + value + "\"";
  }
  return key + "}";
}

std::map<std::string, std::string> Grouper::group_labels(const Notification& notification) const {
  if (policy_.group_by.size() == 1 && policy_.group_by.front() == "...") return notification.labels;
  std::map<std::string, std::string> labels;
  for (const auto& name : policy_.group_by) {
    const auto it = notification.labels.find(name);
    if (it != notification.labels.end()) labels.insert(*it);
  }
  return labels;
}

void Grouper::add(Notification notification, TimePoint now) {
  auto labels = group_labels(notification);
  const std::string key = group_key(labels);
  auto [it, created] = groups_.try_emplace(key);
  Group& group = it->second;
  if (created) {
    group.labels = std::move(labels);
    group.next_flush = now + policy_.group_wait;
  }
  if (notification.kind == Kind::kEvent) {
    group.events.push_back(std::move(notification));
  } else {
    std::string alert = fingerprint(notification);
    group.alerts.insert_or_assign(std::move(alert), std::move(notification));
  }
}

void Grouper::restore_sent(Notification notification, TimePoint sent_at) {
  if (notification.kind != Kind::kFiring) return;
  auto labels = group_labels(notification);
  auto [it, created] = groups_.try_emplace(group_key(labels));
  Group& group = it->second;
  if (created) {
    group.labels = std::move(labels);
    group.next_flush = sent_at + policy_.group_interval;
  }
  if (!group.last_sent || *group.last_sent < sent_at) group.last_sent = sent_at;
  std::string alert = fingerprint(notification);
  group.sent_firing.insert(alert);
  group.alerts.try_emplace(std::move(alert), std::move(notification));  // a newer state added before wins
}

bool Grouper::needs_send(const Group& group, const std::set<std::string>& firing,
                         const std::set<std::string>& resolved, TimePoint now) const {
  if (!group.events.empty()) return true;
  if (!group.last_sent) return !firing.empty();  // never told: alerts that came and went stay untold
  if (!is_subset(firing, group.sent_firing)) return true;
  // All resolved: worth a message only if the receiver was last told something fires.
  if (firing.empty()) return policy_.send_resolved && !group.sent_firing.empty();
  if (policy_.send_resolved && !is_subset(resolved, group.sent_resolved)) return true;
  return now - *group.last_sent >= policy_.repeat_interval;
}

std::optional<Message> Grouper::flush(const std::string& key, Group& group, TimePoint now) {
  std::set<std::string> firing, resolved;
  for (const auto& [alert, notification] : group.alerts) {
    (notification.kind == Kind::kFiring ? firing : resolved).insert(alert);
  }
  std::optional<Message> message;
  if (needs_send(group, firing, resolved, now)) {
    message.emplace();
    message->group_key = key;
    message->group_labels = group.labels;
    for (const auto& [alert, notification] : group.alerts) {
      if (notification.kind == Kind::kFiring || policy_.send_resolved) message->notifications.push_back(notification);
    }
    for (auto& event : group.events) message->notifications.push_back(std::move(event));
    const std::string content = content_id(key, message->notifications);
    message->id = content == group.last_content ? repeat_id(content, now) : content;
    group.last_content = content;
    group.last_sent = now;
    group.sent_firing = firing;
    group.sent_resolved = resolved;
  }
  // A resolved alert is told once at most; events once.
  std::erase_if(group.alerts, [](const auto& entry) { return entry.second.kind == Kind::kResolved; });
  group.events.clear();
  group.next_flush = now + policy_.group_interval;
  return message;
}

std::vector<Message> Grouper::due(TimePoint now) {
  std::vector<Message> messages;
  for (auto it = groups_.begin(); it != groups_.end();) {
    Group& group = it->second;
    if (group.next_flush > now) {
      ++it;
      continue;
    }
    if (auto message = flush(it->first, group, now)) messages.push_back(std::move(*message));
    it = group.alerts.empty() ? groups_.erase(it) : std::next(it);
  }
  return messages;
}

std::set<std::string> Grouper::waiting_ids() const {
  std::set<std::string> ids;
  for (const auto& [key, group] : groups_) {
    for (const auto& event : group.events) ids.insert(event.id);
    for (const auto& [alert, notification] : group.alerts) {
      const bool told = notification.kind == Kind::kFiring && group.sent_firing.contains(alert);
      if (!told) ids.insert(notification.id);
    }
  }
  return ids;
}

std::optional<TimePoint> Grouper::next_due() const {
  std::optional<TimePoint> earliest;
  for (const auto& [key, group] : groups_) {
    if (!earliest || group.next_flush < *earliest) earliest = group.next_flush;
  }
  return earliest;
}

}  // namespace pnode::notify
