#include "app/notifier.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <random>

#include "app/subscription_json.h"
#include "app/subscription_worker.h"

namespace pnode::app {

struct Notifier::Slot {
  std::string api_id;  // empty for the config file's
  std::unique_ptr<SubscriptionWorker> worker;
  std::thread thread;
  bool retired = false;  // guarded by Notifier::mutex_
};

Notifier::Notifier(store::Store& store, std::vector<Subscription> subscriptions, std::function<bool()> is_leader,
                   Options options)
    : store_(store), is_leader_(std::move(is_leader)), options_(options) {
  // Built here, not in start(), so status() lists them from the start.
  for (Subscription& s : subscriptions) {
    config_names_.insert(s.name);
    auto channel = make_channel(s.channel);
    if (!channel) {
      if (!build_error_) build_error_ = make_error(ErrorCode::kConfig, "notify.subscription " + s.name + ": " +
                                                                            channel.error().message);
      continue;
    }
    slots_.push_back(make_slot(std::move(s), std::move(*channel), ""));
  }
}

Notifier::~Notifier() { stop(); }

std::unique_ptr<Notifier::Slot> Notifier::make_slot(Subscription subscription,
                                                    std::unique_ptr<notify::Channel> channel, std::string api_id) {
  auto slot = std::make_unique<Slot>();
  slot->api_id = std::move(api_id);
  SubscriptionWorker::Hooks hooks;
  const Slot* self = slot.get();
  hooks.keep_going = [this, self] { return !ended(*self) && is_leader_(); };
  hooks.sleep = [this, self](notify::Millis wait_for) {
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, wait_for, [&] { return stopped_ || self->retired; });
  };
  auto random = std::make_shared<std::mt19937_64>(std::random_device{}());
  hooks.random01 = [random] { return std::uniform_real_distribution<double>(0, 1)(*random); };
  slot->worker = std::make_unique<SubscriptionWorker>(store_, std::move(subscription), std::move(channel), hooks,
                                                      options_.batch);
  return slot;
}

Status Notifier::start() {
  if (build_error_) return *build_error_;
  {
    std::lock_guard lock(slots_mutex_);
    for (auto& slot : slots_) start_thread(*slot);
  }
  watch_thread_ = std::thread([this] { watch_store(); });
  return ok_status();
}

void Notifier::start_thread(Slot& slot) {
  slot.thread = std::thread([this, &slot] { run(slot); });
}

void Notifier::run(Slot& slot) {
  SubscriptionWorker& worker = *slot.worker;
  uint64_t seen = 0;
  while (!ended(slot)) {
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
    seen = wait(deadline, seen, &slot);
  }
}

void Notifier::watch_store() {
  uint64_t seen = 0;
  while (!stopping()) {
    sync_api_subscriptions();
    std::unique_lock lock(mutex_);
    wake_.wait_for(lock, options_.poll, [&] { return stopped_ || reloads_ != seen; });
    seen = reloads_;
  }
}

std::optional<std::vector<std::pair<std::string, Subscription>>> Notifier::read_api_subscriptions() {
  auto records = store_.subscriptions();
  if (!records.ok()) {
    if (!records.error().is(ErrorCode::kNotImplemented) && !store_error_logged_)
      spdlog::warn("notify: cannot read the subscriptions added through the API: {}", records.error().message);
    store_error_logged_ = true;
    return std::nullopt;
  }
  store_error_logged_ = false;
  std::vector<std::pair<std::string, Subscription>> out;
  for (const store::SubscriptionRecord& record : *records) {
    auto parsed = parse_subscription_json(record.spec);
    Status usable = ok_status();
    if (!parsed) usable = parsed.error();
    else usable = validate_subscriptions({*parsed}, options_.allow_real_network);
    if (usable.ok() && config_names_.contains(parsed->name))
      usable = make_error(ErrorCode::kConfig, "the config file has a subscription of the same name");
    if (!usable.ok()) {
      if (reported_.insert(record.id).second)
        spdlog::warn("notify: subscription {} ({}) is not delivered: {}", record.id, record.name,
                     usable.error().message);
      continue;
    }
    parsed->starts_after = record.starts_after;
    out.emplace_back(record.id, std::move(*parsed));
  }
  return out;
}

void Notifier::sync_api_subscriptions() {
  auto wanted = read_api_subscriptions();
  if (!wanted) return;  // unreadable now: keep what runs
  std::vector<std::unique_ptr<Slot>> retired;
  {
    std::lock_guard lock(slots_mutex_);
    auto wanted_id = [&](const std::string& id) {
      return std::any_of(wanted->begin(), wanted->end(), [&](const auto& w) { return w.first == id; });
    };
    for (auto it = slots_.begin(); it != slots_.end();) {
      if ((*it)->api_id.empty() || wanted_id((*it)->api_id)) {
        ++it;
        continue;
      }
      retired.push_back(std::move(*it));
      it = slots_.erase(it);
    }
    for (auto& [id, subscription] : *wanted) {
      const bool running = std::any_of(slots_.begin(), slots_.end(), [&](const auto& s) { return s->api_id == id; });
      if (running) continue;
      auto channel = make_channel(subscription.channel);  // validated above: it builds
      if (!channel) continue;
      spdlog::info("notify: delivering to subscription {} ({}) added through the API", id, subscription.name);
      slots_.push_back(make_slot(std::move(subscription), std::move(*channel), id));
      start_thread(*slots_.back());
    }
  }
  if (retired.empty()) return;
  {
    std::lock_guard lock(mutex_);
    for (auto& slot : retired) slot->retired = true;
  }
  wake_.notify_all();
  for (auto& slot : retired) {
    if (slot->thread.joinable()) slot->thread.join();
    spdlog::info("notify: subscription {} ({}) removed; its delivery ended", slot->api_id, slot->worker->status().name);
  }
}

uint64_t Notifier::wait(std::chrono::steady_clock::time_point deadline, uint64_t seen, const Slot* slot) {
  std::unique_lock lock(mutex_);
  wake_.wait_until(lock, deadline, [&] { return stopped_ || (slot && slot->retired) || pokes_ != seen; });
  return pokes_;
}

bool Notifier::stopping() const {
  std::lock_guard lock(mutex_);
  return stopped_;
}

bool Notifier::ended(const Slot& slot) const {
  std::lock_guard lock(mutex_);
  return stopped_ || slot.retired;
}

void Notifier::poke() {
  {
    std::lock_guard lock(mutex_);
    ++pokes_;
  }
  wake_.notify_all();
}

void Notifier::reload() {
  {
    std::lock_guard lock(mutex_);
    ++reloads_;
  }
  wake_.notify_all();
}

void Notifier::stop() {
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
  }
  wake_.notify_all();
  if (watch_thread_.joinable()) watch_thread_.join();
  std::lock_guard lock(slots_mutex_);
  for (auto& slot : slots_)
    if (slot->thread.joinable()) slot->thread.join();
}

std::vector<api::SubscriptionStatus> Notifier::status() const {
  std::lock_guard lock(slots_mutex_);
  std::vector<api::SubscriptionStatus> out;
  for (const auto& slot : slots_) out.push_back(slot->worker->status());
  return out;
}

}  // namespace pnode::app
