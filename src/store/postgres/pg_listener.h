// CycleListener: the PostgreSQL CycleWatch (store.h). One dedicated libpq connection
// LISTENs on the cycle channel (pg_statements.h), on which the leader's cycle
// transaction sends "<cycle>:<epoch>" (format_cycle_notice); PostgreSQL delivers it at
// commit only. wait() polls the connection's socket together with an eventfd, so
// interrupt() ends it at once (shutdown), connects lazily and without blocking (a
// server that never answers costs at most ListenerOptions::connect_timeout per attempt
// and never holds up interrupt()), and after a failed or lost connection retries with
// exponential backoff, reporting kResumed once it listens again, since notices sent
// meanwhile are lost. Payloads are network input: longer than kMaxNoticeBytes, or not
// two decimal integers, they are refused (counted, never acted on).
// Thread-safety: wait() from one thread at a time; interrupt(), reconnects() and
// refused() from any thread.
#pragma once

#include <libpq-fe.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "store/store.h"

namespace pnode::store::postgres {

// Longest payload accepted: two 64-bit integers and a colon fit with room to spare.
inline constexpr size_t kMaxNoticeBytes = 64;

std::string format_cycle_notice(const CycleNotice& notice);
// "<cycle>:<epoch>", both unsigned decimal within range; anything else is nullopt.
std::optional<CycleNotice> parse_cycle_notice(std::string_view payload);

struct ListenerOptions {
  std::chrono::milliseconds reconnect_initial{250};  // first retry after a failure; doubles
  std::chrono::milliseconds reconnect_max{8000};     // up to this
  std::chrono::milliseconds connect_timeout{10000};  // one attempt, LISTEN included
};

class CycleListener final : public CycleWatch {
 public:
  // `conninfo` as for Connection::open. Connects on the first wait(), not here.
  explicit CycleListener(std::string conninfo, ListenerOptions options = {});
  ~CycleListener() override;
  CycleListener(const CycleListener&) = delete;
  CycleListener& operator=(const CycleListener&) = delete;

  Event wait(std::chrono::milliseconds timeout) override;
  void interrupt() override;

  // Connections made after the first one (each followed by a kResumed).
  int64_t reconnects() const { return reconnects_.load(); }
  // Notices refused for their payload.
  int64_t refused() const { return refused_.load(); }

 private:
  using Clock = std::chrono::steady_clock;
  enum class State { kDisconnected, kConnecting, kListenSent, kListening };
  enum class Ready { kSocket, kInterrupted, kTimeout };

  // One step towards listening or a notice; nullopt when the caller should step again.
  std::optional<Event> step(Clock::time_point deadline);
  std::optional<Event> start_connecting(Clock::time_point deadline);
  std::optional<Event> continue_connecting(Clock::time_point deadline);
  std::optional<Event> await_listen_answer(Clock::time_point deadline);
  std::optional<Event> await_notice(Clock::time_point deadline);
  std::optional<Event> take_notices();
  // Drops the connection and schedules the next attempt; the kLost event saying why.
  Event fail(const std::string& why);
  // Waits for `events` on `fd` (none when fd < 0), the eventfd, or `until`.
  Ready wait_ready(int fd, short events, Clock::time_point until);

  std::string conninfo_;
  ListenerOptions options_;
  int interrupt_fd_ = -1;
  std::unique_ptr<PGconn, void (*)(PGconn*)> conn_{nullptr, &PQfinish};
  State state_ = State::kDisconnected;
  PostgresPollingStatusType polling_ = PGRES_POLLING_WRITING;
  Clock::time_point attempt_deadline_{};  // the connect attempt in progress gives up then
  Clock::time_point next_attempt_{};      // no new attempt before then (backoff)
  std::chrono::milliseconds backoff_;
  bool ever_listened_ = false;
  std::atomic<int64_t> reconnects_{0};
  std::atomic<int64_t> refused_{0};
};

}  // namespace pnode::store::postgres
