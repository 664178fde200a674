// Grouping in Alertmanager's sense, as a pure state machine over time: notifications
// that share the values of the `group_by` labels form a group; a new group is sent
// group_wait after its first notification (so a burst goes out as one message), then
// looked at every group_interval and sent again only when its alerts changed (one fired,
// one resolved, an event arrived) or, unchanged but still firing, once repeat_interval
// has passed since the last send. A resolved alert goes out once (with send_resolved) and
// leaves the group; a group with no alert left is dropped. Time is always passed in, so
// tests drive it with a fake clock.
// due() hands each message over as sent: the caller delivers it (retrying under the same
// message id) and never asks again for the same one. A message's id is derived from its
// group key and the ids of the notifications it carries, so the same events grouped
// again after a restart make the same id (a repeat of unchanged content adds its send
// time, so it is a new message).
// Thread-safety: none; one owner (the delivery loop) calls it.
#pragma once

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "notify/notification.h"

namespace pnode::notify {

struct GroupingPolicy {
  // Label names whose values form the group key. Empty: everything is one group;
  // {"..."}: every distinct label set is a group of its own (no grouping).
  std::vector<std::string> group_by;
  std::chrono::milliseconds group_wait{std::chrono::seconds(30)};
  std::chrono::milliseconds group_interval{std::chrono::minutes(5)};
  std::chrono::milliseconds repeat_interval{std::chrono::hours(4)};
  bool send_resolved = true;
};

class Grouper {
 public:
  explicit Grouper(GroupingPolicy policy) : policy_(std::move(policy)) {}

  // Takes a notification in. A firing or resolved one replaces what the group holds for
  // the same alert (fingerprint()); an event waits for the group's next send.
  void add(Notification notification, TimePoint now);
  // After a restart: takes in a firing alert a message already told at `sent_at` (the
  // delivery log says so), so it is not told again as new: it is repeated only after
  // repeat_interval, and its resolution is told. A group it opens is looked at next
  // group_interval after `sent_at`. Other kinds are ignored (nothing of them is pending).
  void restore_sent(Notification notification, TimePoint sent_at);
  // The messages due at `now`, each marked sent.
  std::vector<Message> due(TimePoint now);
  // The ids of the notifications a later message is still to tell: events, and alerts
  // whose state the receiver was not told (a firing alert already told is not waiting,
  // whatever notification of it the group holds now). What the caller added and is no
  // longer waiting was sent, or will never be (it resolved before it was told).
  std::set<std::string> waiting_ids() const;
  // The earliest time due() may have something, nullopt when no group is open.
  std::optional<TimePoint> next_due() const;
  size_t group_count() const { return groups_.size(); }

 private:
  struct Group {
    std::map<std::string, std::string> labels;
    TimePoint next_flush{};
    std::optional<TimePoint> last_sent;
    std::map<std::string, Notification> alerts;  // by fingerprint: the latest of each alert
    std::vector<Notification> events;
    std::set<std::string> sent_firing;    // fingerprints firing in the last message sent
    std::set<std::string> sent_resolved;  // fingerprints resolved in the last message sent
    std::string last_content;             // content_id() of the last message sent
  };

  std::map<std::string, std::string> group_labels(const Notification& notification) const;
  bool needs_send(const Group& group, const std::set<std::string>& firing, const std::set<std::string>& resolved,
                  TimePoint now) const;
  std::optional<Message> flush(const std::string& key, Group& group, TimePoint now);

  GroupingPolicy policy_;
  std::map<std::string, Group> groups_;  // by group key
};

// The group key Alertmanager would print for these labels: {a="1",b="2"}.
std::string group_key(const std::map<std::string, std::string>& labels);

}  // namespace pnode::notify
