// CreditsPoller: reads the network's pod-credits sources (one list for mainnet, one for
// devnet: CREDITS_MAINNET_URL, CREDITS_DEVNET_URL) every interval on its own thread,
// parses each answer (prpc::parse_pod_credits: bounded rows, bad rows skipped and
// counted) and judges reward eligibility (analysis/credits.h) over both lists.
// True numbers when a source fails: it keeps its last good list, and its state says when
// that list was fetched, when the last attempt was and why it failed; a source never read
// yet has no list (its pods are "not listed", not "zero credits").
// The fetch is passed in (the app uses libcurl, https allowed only with
// ALLOW_REAL_NETWORK), so tests drive it without a network.
// Thread-safety: current() may be called from any thread (an atomic shared_ptr swap);
// poll_once() and run() from one thread at a time; stop() from any thread.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "analysis/credits.h"
#include "model/pod.h"
#include "util/result.h"

namespace pnode::collect {

struct CreditsSourceState {
  std::string name;         // "mainnet" or "devnet"
  bool configured = false;  // a URL is set
  int64_t fetched_at = 0;   // unix s of the list held; 0: none yet
  int64_t attempted_at = 0;
  std::string error;        // the last attempt's failure; empty when it succeeded
  size_t skipped_rows = 0;  // rows of the list held that were not usable
  std::vector<model::PodCredit> pods;  // the last good list
};

inline CreditsSourceState named(std::string name) {
  CreditsSourceState s;
  s.name = std::move(name);
  return s;
}

struct CreditsState {
  CreditsSourceState mainnet = named("mainnet"), devnet = named("devnet");
  analysis::CreditRules rules;
  analysis::CreditsView view;  // both lists judged together
};

struct CreditsSources {
  std::string mainnet_url, devnet_url;  // empty: that list is not read
};

class CreditsPoller {
 public:
  // The body of a 200 answer, or why there is none.
  using Fetch = std::function<Result<std::string>(const std::string& url)>;
  using Clock = std::function<int64_t()>;  // unix s

  CreditsPoller(CreditsSources sources, Fetch fetch, analysis::CreditRules rules, Clock clock);

  // Reads both sources once and publishes the new state.
  void poll_once();
  // poll_once() now and then every `interval` until stop().
  void run(std::chrono::milliseconds interval);
  void stop();
  // Called with each new state at the end of poll_once(), on its thread (e.g. the credits
  // history, credits_recorder.h). Call before the first poll.
  using Listener = std::function<void(const CreditsState& state, int64_t now)>;
  void set_listener(Listener listener) { listener_ = std::move(listener); }
  std::shared_ptr<const CreditsState> current() const { return state_.load(std::memory_order_acquire); }

 private:
  void refresh(CreditsSourceState& source, const std::string& url, int64_t now);

  const CreditsSources sources_;
  const Fetch fetch_;
  const Clock clock_;
  Listener listener_;
  std::atomic<std::shared_ptr<const CreditsState>> state_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stopped_ = false;  // guarded by mutex_
};

}  // namespace pnode::collect
