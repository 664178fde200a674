#include "collect/credits_poller.h"

#include <spdlog/spdlog.h>

#include "prpc/parse.h"

namespace pnode::collect {

CreditsPoller::CreditsPoller(CreditsSources sources, Fetch fetch, analysis::CreditRules rules, Clock clock)
    : sources_(std::move(sources)), fetch_(std::move(fetch)), clock_(std::move(clock)) {
  auto initial = std::make_shared<CreditsState>();
  initial->rules = rules;
  initial->mainnet.configured = !sources_.mainnet_url.empty();
  initial->devnet.configured = !sources_.devnet_url.empty();
  state_.store(std::move(initial));
}

void CreditsPoller::refresh(CreditsSourceState& source, const std::string& url, int64_t now) {
  if (url.empty()) return;
  source.attempted_at = now;
  auto body = fetch_(url);
  if (!body.ok()) {
    source.error = body.error().message;
  } else if (auto list = prpc::parse_pod_credits(*body); !list.ok()) {
    source.error = list.error().message;
  } else {
    source.error.clear();
    source.fetched_at = now;
    source.skipped_rows = list->skipped;
    source.pods = std::move(list->pods);
    return;
  }
  spdlog::warn("pod credits ({}): {}; keeping the list of {}", source.name, source.error,
               source.fetched_at ? std::to_string(source.fetched_at) : std::string("(none yet)"));
}

void CreditsPoller::poll_once() {
  auto next = std::make_shared<CreditsState>(*current());
  const int64_t now = clock_();
  refresh(next->mainnet, sources_.mainnet_url, now);
  refresh(next->devnet, sources_.devnet_url, now);
  next->view = analysis::assess_credits(next->mainnet.pods, next->devnet.pods, next->rules);
  std::shared_ptr<const CreditsState> published = std::move(next);
  state_.store(published, std::memory_order_release);
  if (listener_) listener_(*published, now);
}

void CreditsPoller::run(std::chrono::milliseconds interval) {
  std::unique_lock lock(mutex_);
  while (!stopped_) {
    lock.unlock();
    poll_once();
    lock.lock();
    wake_.wait_for(lock, interval, [this] { return stopped_; });
  }
}

void CreditsPoller::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  wake_.notify_all();
}

}  // namespace pnode::collect
