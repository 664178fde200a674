#include "store/postgres/pg_listener.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>

#include "store/postgres/pg_statements.h"

namespace pnode::store::postgres {
namespace {

template <class T>
std::optional<T> parse_decimal(std::string_view text) {
  if (text.empty() || text.front() < '0' || text.front() > '9') return std::nullopt;  // no sign, no space
  T value{};
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::string libpq_error(PGconn* conn) {
  std::string m = conn ? PQerrorMessage(conn) : "out of memory";
  while (!m.empty() && (m.back() == '\n' || m.back() == ' ')) m.pop_back();
  return m;
}

}  // namespace

std::string format_cycle_notice(const CycleNotice& notice) {
  return std::to_string(notice.cycle) + ":" + std::to_string(notice.epoch);
}

std::optional<CycleNotice> parse_cycle_notice(std::string_view payload) {
  if (payload.size() > kMaxNoticeBytes) return std::nullopt;
  size_t colon = payload.find(':');
  if (colon == std::string_view::npos) return std::nullopt;
  auto cycle = parse_decimal<uint64_t>(payload.substr(0, colon));
  auto epoch = parse_decimal<int64_t>(payload.substr(colon + 1));
  if (!cycle || !epoch) return std::nullopt;
  return CycleNotice{*cycle, *epoch};
}

CycleListener::CycleListener(std::string conninfo, ListenerOptions options)
    : conninfo_(std::move(conninfo)), options_(options), backoff_(options.reconnect_initial) {
  interrupt_fd_ = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
}

CycleListener::~CycleListener() {
  if (interrupt_fd_ >= 0) ::close(interrupt_fd_);
}

void CycleListener::interrupt() {
  uint64_t one = 1;
  if (interrupt_fd_ >= 0) (void)!::write(interrupt_fd_, &one, sizeof one);
}

CycleWatch::Event CycleListener::wait(std::chrono::milliseconds timeout) {
  const auto deadline = Clock::now() + timeout;
  while (true) {
    if (auto event = step(deadline)) return *event;
  }
}

std::optional<CycleWatch::Event> CycleListener::step(Clock::time_point deadline) {
  switch (state_) {
    case State::kDisconnected:
      return start_connecting(deadline);
    case State::kConnecting:
      return continue_connecting(deadline);
    case State::kListenSent:
      return await_listen_answer(deadline);
    case State::kListening:
      return await_notice(deadline);
  }
  return std::nullopt;
}

// Waits out the backoff first; then starts an attempt without blocking (libpq's
// asynchronous connect).
std::optional<CycleWatch::Event> CycleListener::start_connecting(Clock::time_point deadline) {
  if (Clock::now() < next_attempt_) {
    switch (wait_ready(-1, 0, std::min(deadline, next_attempt_))) {
      case Ready::kInterrupted: return Event{Wake::kInterrupted};
      case Ready::kTimeout:
        if (Clock::now() >= deadline) return Event{Wake::kTimeout};
        return std::nullopt;
      case Ready::kSocket: return std::nullopt;
    }
  }
  // Keepalives notice a vanished server (no FIN) within about a minute, as on the
  // store's own connection; what `conninfo` says overrides these.
  const char* keywords[] = {"keepalives_idle", "keepalives_interval", "keepalives_count", "application_name",
                            "dbname", nullptr};
  const char* values[] = {"30", "10", "3", "pnode-analytics listener", conninfo_.c_str(), nullptr};
  conn_.reset(PQconnectStartParams(keywords, values, /*expand_dbname=*/1));
  if (!conn_ || PQstatus(conn_.get()) == CONNECTION_BAD)
    return fail("cannot connect to PostgreSQL: " + libpq_error(conn_.get()));
  PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);
  state_ = State::kConnecting;
  polling_ = PGRES_POLLING_WRITING;
  attempt_deadline_ = Clock::now() + options_.connect_timeout;
  return std::nullopt;
}

std::optional<CycleWatch::Event> CycleListener::continue_connecting(Clock::time_point deadline) {
  if (polling_ == PGRES_POLLING_FAILED) return fail("cannot connect to PostgreSQL: " + libpq_error(conn_.get()));
  if (polling_ == PGRES_POLLING_OK) {
    if (!PQsendQuery(conn_.get(), std::string(kListenCycles).c_str()))
      return fail("cannot listen for cycles: " + libpq_error(conn_.get()));
    state_ = State::kListenSent;
    return std::nullopt;
  }
  const short events = polling_ == PGRES_POLLING_READING ? POLLIN : POLLOUT;
  switch (wait_ready(PQsocket(conn_.get()), events, std::min(deadline, attempt_deadline_))) {
    case Ready::kInterrupted: return Event{Wake::kInterrupted};
    case Ready::kSocket: polling_ = PQconnectPoll(conn_.get()); return std::nullopt;
    case Ready::kTimeout: break;
  }
  if (Clock::now() >= attempt_deadline_) return fail("cannot connect to PostgreSQL: timed out");
  return Event{Wake::kTimeout};
}

std::optional<CycleWatch::Event> CycleListener::await_listen_answer(Clock::time_point deadline) {
  if (!PQconsumeInput(conn_.get())) return fail("lost the connection while starting to listen: " + libpq_error(conn_.get()));
  if (PQisBusy(conn_.get())) {
    switch (wait_ready(PQsocket(conn_.get()), POLLIN, std::min(deadline, attempt_deadline_))) {
      case Ready::kInterrupted: return Event{Wake::kInterrupted};
      case Ready::kSocket: return std::nullopt;
      case Ready::kTimeout: break;
    }
    if (Clock::now() >= attempt_deadline_) return fail("no answer to LISTEN: timed out");
    return Event{Wake::kTimeout};
  }
  bool listening = true;
  std::string why;
  while (PGresult* r = PQgetResult(conn_.get())) {
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
      listening = false;
      why = PQresultErrorMessage(r);
    }
    PQclear(r);
  }
  if (!listening) return fail("cannot listen for cycles: " + why);
  state_ = State::kListening;
  backoff_ = options_.reconnect_initial;
  if (ever_listened_) reconnects_.fetch_add(1);
  ever_listened_ = true;
  return Event{Wake::kResumed};
}

std::optional<CycleWatch::Event> CycleListener::await_notice(Clock::time_point deadline) {
  if (auto notices = take_notices()) return notices;
  switch (wait_ready(PQsocket(conn_.get()), POLLIN, deadline)) {
    case Ready::kInterrupted: return Event{Wake::kInterrupted};
    case Ready::kTimeout: return Event{Wake::kTimeout};
    case Ready::kSocket: break;
  }
  if (!PQconsumeInput(conn_.get()) || PQstatus(conn_.get()) == CONNECTION_BAD)
    return fail("lost the connection: " + libpq_error(conn_.get()));
  return std::nullopt;
}

// Everything libpq has read so far; several notices say no more than the newest.
std::optional<CycleWatch::Event> CycleListener::take_notices() {
  std::optional<CycleNotice> newest;
  while (PGnotify* n = PQnotifies(conn_.get())) {
    auto notice = parse_cycle_notice(n->extra ? std::string_view(n->extra) : std::string_view());
    PQfreemem(n);
    if (!notice) {
      refused_.fetch_add(1);
      continue;
    }
    if (!newest || notice->cycle > newest->cycle) newest = notice;
  }
  if (!newest) return std::nullopt;
  return Event{Wake::kCycle, *newest};
}

CycleWatch::Event CycleListener::fail(const std::string& why) {
  conn_.reset();
  state_ = State::kDisconnected;
  next_attempt_ = Clock::now() + backoff_;
  Event lost{Wake::kLost, {}, why + "; retrying in " + std::to_string(backoff_.count()) + " ms"};
  backoff_ = std::min(backoff_ * 2, options_.reconnect_max);
  return lost;
}

CycleListener::Ready CycleListener::wait_ready(int fd, short events, Clock::time_point until) {
  pollfd fds[2] = {{interrupt_fd_, POLLIN, 0}, {fd, events, 0}};
  while (true) {
    auto left = std::chrono::ceil<std::chrono::milliseconds>(until - Clock::now());
    int timeout_ms = static_cast<int>(std::clamp<int64_t>(left.count(), 0, 60000));
    int n = ::poll(fds, fd >= 0 ? 2 : 1, timeout_ms);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return Ready::kTimeout;  // cannot happen with valid descriptors; the caller retries
    if (fds[0].revents & POLLIN) {
      uint64_t count = 0;
      (void)!::read(interrupt_fd_, &count, sizeof count);
      return Ready::kInterrupted;
    }
    if (n > 0) return Ready::kSocket;  // readable, writable, or closed (libpq then says how)
    if (Clock::now() >= until) return Ready::kTimeout;
  }
}

}  // namespace pnode::store::postgres
