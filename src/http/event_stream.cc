#include "http/event_stream.h"

#include <utility>

namespace pnode::http {
namespace {

void append_field(std::string& out, std::string_view name, std::string_view value) {
  if (value.empty()) return;
  out.append(name).append(": ");
  for (char c : value) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  out.push_back('\n');
}

}  // namespace

std::string format_event_frame(std::string_view id, std::string_view type, std::string_view data) {
  std::string out;
  out.reserve(data.size() + id.size() + type.size() + 32);
  append_field(out, "id", id);
  append_field(out, "event", type);
  // A lone CR, a CRLF and a LF all end a line in the event-stream grammar.
  size_t start = 0;
  while (true) {
    const size_t end = data.find_first_of("\r\n", start);
    out.append("data: ").append(data.substr(start, end == std::string_view::npos ? end : end - start)).push_back('\n');
    if (end == std::string_view::npos) break;
    start = end + ((data[end] == '\r' && end + 1 < data.size() && data[end + 1] == '\n') ? 2 : 1);
  }
  out.push_back('\n');
  return out;
}

std::string format_event_comment(std::string_view text) {
  std::string out(": ");
  for (char c : text) {
    if (c != '\r' && c != '\n') out.push_back(c);
  }
  out.append("\n\n");
  return out;
}

Response open_event_stream(std::shared_ptr<EventStreamMailbox> mailbox, std::string backlog) {
  Response response;
  response.content_type = "text/event-stream; charset=utf-8";
  response.body = std::make_shared<const std::string>(std::move(backlog));
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Accel-Buffering", "no");  // nginx: pass frames on at once
  response.event_stream = std::move(mailbox);
  return response;
}

EventStreamMailbox::EventStreamMailbox(EventStreamOptions options) : options_(options) {}

bool EventStreamMailbox::push(std::shared_ptr<const std::string> frame) {
  std::unique_lock lock(mutex_);
  if (closed_) return false;
  if (!frame) return true;
  if (queue_.size() >= options_.max_queued) {
    overflowed_ = true;
    closed_ = true;
    queue_.clear();  // the connection ends now: the client resumes from its Last-Event-ID
  } else {
    queue_.push_back(std::move(frame));
  }
  wake_locked(lock);
  return !closed_;
}

void EventStreamMailbox::close() {
  std::unique_lock lock(mutex_);
  if (closed_) return;
  closed_ = true;
  wake_locked(lock);
}

bool EventStreamMailbox::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

bool EventStreamMailbox::overflowed() const {
  std::lock_guard lock(mutex_);
  return overflowed_;
}

void EventStreamMailbox::attach(std::function<void()> wake) {
  std::unique_lock lock(mutex_);
  wake_ = std::move(wake);
  if (!queue_.empty() || closed_) wake_locked(lock);
}

std::deque<std::shared_ptr<const std::string>> EventStreamMailbox::take() {
  std::lock_guard lock(mutex_);
  return std::exchange(queue_, {});
}

void EventStreamMailbox::detach() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  queue_.clear();
  wake_ = nullptr;
}

// Calls the callback outside the lock (it posts to the session's executor, which may take
// the lock again); a copy keeps it alive should detach() run meanwhile on another thread.
void EventStreamMailbox::wake_locked(std::unique_lock<std::mutex>& lock) {
  if (!wake_) return;
  auto wake = wake_;
  lock.unlock();
  wake();
}

}  // namespace pnode::http
