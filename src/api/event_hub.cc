#include "api/event_hub.h"

#include <algorithm>
#include <utility>

namespace pnode::api {

bool EventFilter::matches(const store::EventRecord& event) const {
  return (!address || *address == event.address) && (!pubkey || *pubkey == event.pubkey) &&
         (!type || *type == event.type);
}

store::EventQuery EventFilter::query() const {
  store::EventQuery q;
  q.address = address;
  q.pubkey = pubkey;
  q.type = type;
  return q;
}

void write_stored_event(JsonWriter& w, const store::StoredEvent& e) {
  const std::string& body = e.event.body;
  std::string item = "{\"seq\":" + std::to_string(e.seq);
  if (body.size() > 2) item += "," + body.substr(1);
  else item += "}";
  w.raw(item);
}

std::string event_frame(const store::StoredEvent& event) {
  return http::format_event_frame(std::to_string(event.seq), event.event.type, event.event.body);
}

EventSubscription::EventSubscription(EventFilter filter, http::EventStreamOptions options)
    : filter_(std::move(filter)), mailbox_(std::make_shared<http::EventStreamMailbox>(options)) {}

void EventSubscription::start(int64_t last_seq) {
  std::lock_guard lock(mutex_);
  started_ = true;
  floor_ = last_seq;
  for (const auto& [seq, frame] : held_)
    if (seq > floor_) mailbox_->push(frame);
  held_.clear();
}

void EventSubscription::offer(int64_t seq, const std::shared_ptr<const std::string>& frame) {
  std::lock_guard lock(mutex_);
  if (started_) {
    if (seq > floor_) mailbox_->push(frame);
    return;
  }
  if (held_.size() >= mailbox_->options().max_queued) {  // the backlog read takes too long
    held_.clear();
    mailbox_->close();
    return;
  }
  held_.emplace_back(seq, frame);
}

std::shared_ptr<EventSubscription> EventHub::subscribe(EventFilter filter) {
  std::lock_guard lock(mutex_);
  drop_closed_locked();
  if (subscriptions_.size() >= options_.max_streams) return nullptr;
  auto subscription = std::make_shared<EventSubscription>(std::move(filter), options_.stream);
  subscriptions_.push_back(subscription);
  return subscription;
}

void EventHub::start_after(int64_t seq) {
  std::lock_guard lock(mutex_);
  published_ = std::max(published_, seq);
}

int64_t EventHub::last_published() const {
  std::lock_guard lock(mutex_);
  return published_;
}

size_t EventHub::open_streams() const {
  std::lock_guard lock(mutex_);
  size_t open = 0;
  for (const auto& s : subscriptions_) open += !s->mailbox()->closed();
  return open;
}

void EventHub::close_all() {
  std::lock_guard lock(mutex_);
  for (const auto& s : subscriptions_) s->mailbox()->close();
  subscriptions_.clear();
}

void EventHub::drop_closed_locked() {
  std::erase_if(subscriptions_, [](const auto& s) { return s->mailbox()->closed(); });
}

Status EventHub::publish_committed(store::Store& store) {
  std::lock_guard publishing(publish_mutex_);
  for (;;) {
    std::vector<std::shared_ptr<EventSubscription>> subscriptions;
    store::EventQuery query;
    {
      std::lock_guard lock(mutex_);
      drop_closed_locked();
      subscriptions = subscriptions_;
      query.after = published_;
    }
    query.limit = options_.read_batch;
    auto events = store.read_events(query);
    if (!events.ok()) return events.error();
    for (const auto& e : *events) {
      auto frame = std::make_shared<const std::string>(event_frame(e));
      for (const auto& s : subscriptions)
        if (s->filter().matches(e.event)) s->offer(e.seq, frame);
    }
    if (!events->empty()) {
      if (batch_listener_) batch_listener_(*events);
      std::lock_guard lock(mutex_);
      published_ = events->back().seq;
    }
    if (events->size() < query.limit) return ok_status();
  }
}

}  // namespace pnode::api
