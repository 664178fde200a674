#include "app/notifier.h"

#include <spdlog/spdlog.h>

#include <random>

#include "app/subscription_worker.h"

namespace pnode::app {

Notifier::Notifier(store::Store& store, std::vector<Subscription> subscriptions, std::function<bool()> is_leader,
                   Options options)
    : store_(store), is_leader_(std::move(is_leader)), options_(options) {
  // Built here, not in start(), so status() never races the list being filled.
  for (Subscription& s : subscriptions) {
    auto channel = make_channel(s.channel);
    if (!channel) {
      if (!build_error_) build_error_ = make_error(ErrorCode::kConfig, "notify.subscription " + s.name + ": " +
                                                                            channel.error().message);
      continue;
    }
    SubscriptionWorker::Hooks hooks;
    hooks.keep_going = [this] { return !stopping() && is_leader_(); };
    hooks.sleep = [this](notify::Millis wait_for) {
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, wait_for, [this] { return stopped_; });
    };
    auto random = std::make_shared<std::mt19937_64>(std::random_device{}());
    hooks.random01 = [random] { return std::uniform_real_distribution<double>(0, 1)(*random); };
    workers_.push_back(
        std::make_unique<SubscriptionWorker>(store_, std::move(s), std::move(*channel), hooks, options_.batch));
  }
}

Notifier::~Notifier() { stop(); }

Status Notifier::start() {
  if (build_error_) return *build_error_;
  for (auto& worker : workers_) threads_.emplace_back([this, &worker] { run(*worker); });
  return ok_status();
}

void Notifier::run(SubscriptionWorker& worker) {
  uint64_t seen = 0;
  while (!stopping()) {
    auto deadline = std::chrono::steady_clock::now() + options_.poll;
    if (!is_leader_()) {
      worker.forget();
    } else if (auto next = worker.pass(); !next.ok()) {
      spdlog::warn("notify {}: {} (retrying)", worker.status().name, next.error().message);
    } else if (next->has_value()) {
      // A group due earlier than the next poll: wake for it.
      const auto until_due = **next - std::chrono::system_clock::now();
      deadline = std::min(deadline, std::chrono::steady_clock::now() +
                                        std::chrono::duration_cast<std::chrono::steady_clock::duration>(until_due));
    }
    seen = wait(deadline, seen);
  }
}

uint64_t Notifier::wait(std::chrono::steady_clock::time_point deadline, uint64_t seen) {
  std::unique_lock lock(mutex_);
  wake_.wait_until(lock, deadline, [&] { return stopped_ || pokes_ != seen; });
  return pokes_;
}

bool Notifier::stopping() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

void Notifier::poke() {
  {
    std::lock_guard lock(mutex_);
    ++pokes_;
  }
  wake_.notify_all();
}

void Notifier::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_)
    if (t.joinable()) t.join();
  threads_.clear();
}

std::vector<api::SubscriptionStatus> Notifier::status() const {
  std::vector<api::SubscriptionStatus> out;
  for (const auto& worker : workers_) out.push_back(worker->status());
  return out;
}

}  // namespace pnode::app
