#include "collect/collector.h"

#include <spdlog/spdlog.h>

#include <ctime>

#include "analysis/monitor_state_codec.h"
#include "collect/alert_store.h"

namespace pnode::collect {
namespace {

double ms_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t).count();
}

int64_t system_now() { return static_cast<int64_t>(std::time(nullptr)); }

std::vector<store::EventRecord> to_event_records(const std::vector<analysis::Event>& events) {
  std::vector<store::EventRecord> records;
  records.reserve(events.size());
  for (const auto& e : events) {
    records.push_back(store::EventRecord{e.id, analysis::event_type_name(e.type), e.time, e.cycle, e.address, e.pubkey,
                                         analysis::event_to_json(e)});
  }
  return records;
}

// The states written with the restored snapshot; without them (a store written before
// they were kept) or when they are unreadable, the seeds as the snapshot saw them and no
// alert states (conditions that hold start pending again).
analysis::MonitorState restored_monitor_state(const store::LoadedState& state, const Snapshot& snapshot) {
  if (!state.monitor_state.empty()) {
    auto decoded = analysis::decode_monitor_state(state.monitor_state);
    if (decoded.ok()) return std::move(*decoded);
    spdlog::error("starting the alert states afresh: {}", decoded.error().message);
  }
  return analysis::MonitorState{analysis::SeedStates::from_snapshot(snapshot), {}};
}

}  // namespace

Collector::Collector(CollectorConfig config, prpc::Client& client, store::Store* store, Publish publish, Clock clock)
    : config_(std::move(config)),
      client_(client),
      store_(store),
      publish_(std::move(publish)),
      clock_(clock ? std::move(clock) : Clock(system_now)),
      registry_(std::make_shared<Registry>()),
      pending_(config_.pending) {
  if (store_) status_.store.read_only_reason = store_->read_only_reason();
}

void Collector::restore(const store::LoadedState& state) {
  registry_ = std::make_shared<Registry>(state.registry);
  if (!state.snapshot) return;
  cycle_ = state.snapshot->cycle;
  GrowthBaseline baseline = read_growth_baseline(store_, state.snapshot->last_updated);
  log_baseline_errors(baseline);
  // A follower scores what the leader stored with its own credits view (not stored).
  auto snapshot =
      complete_restored_snapshot(state, config_.cycle, baseline, credits_source_ ? credits_source_() : nullptr);
  // Events continue from the restored snapshot: its nodes are not discovered again, and
  // the alert states go on from those written with it.
  last_conclusive_ = snapshot;
  monitor_ = restored_monitor_state(state, *snapshot);
  spdlog::info("restored the last snapshot (cycle {}, {} pods) and {} registry entries", snapshot->cycle,
               snapshot->nodes.size(), registry_->entries.size());
  publish_(std::move(snapshot));
}

void Collector::log_baseline_errors(const GrowthBaseline& baseline) const {
  for (const auto& e : baseline.errors) spdlog::warn("cannot read network history for growth: {}", e.message);
}

CycleReport Collector::run_cycle() {
  CycleReport report;
  try {
    report = run_cycle_unguarded();
  } catch (const std::exception& e) {
    report.cycle = cycle_;
    report.error = std::string("cycle failed: ") + e.what();
  } catch (...) {
    report.cycle = cycle_;
    report.error = "cycle failed: unknown exception";
  }
  log_cycle(report);
  if (observer_) observer_(report);
  return report;
}

void Collector::schedule_prune(int64_t cutoff) {
  std::lock_guard lock(mutex_);
  pending_prune_ = std::max(cutoff, pending_prune_.value_or(cutoff));
}

void Collector::apply_pending_prune() {
  std::optional<int64_t> cutoff;
  {
    std::lock_guard lock(mutex_);
    std::swap(cutoff, pending_prune_);
  }
  if (!cutoff) return;
  auto pruned = std::make_shared<Registry>();
  for (const auto& e : registry_->entries)
    if (e.last_seen >= *cutoff || e.in_gossip) pruned->entries.push_back(e);
  pruned->reindex();
  spdlog::info("pruned {} registry entries last seen before {}", registry_->entries.size() - pruned->entries.size(),
               *cutoff);
  registry_ = std::move(pruned);
}

CycleReport Collector::run_cycle_unguarded() {
  apply_pending_prune();
  if (leadership_ && !leadership_->is_leader()) return follow();
  catch_up_on_new_lease();
  auto start = std::chrono::steady_clock::now();
  int64_t started_at = clock_();
  // Each seed's pods are merged on its own thread as soon as they are parsed (and freed),
  // gossip times checked against the cycle's start.
  AnswerMerger merger(config_.seeds.size());
  std::vector<SeedAnswer> answers =
      poll_seeds(client_, config_.seeds, config_.seed_deadline,
                 [&merger, started_at](size_t i, SeedAnswer& answer) { merger.add(i, answer, started_at); });
  CycleReport report;
  if (stopping()) {  // the answers may be cancelled calls: not a cycle to publish or count
    report.cycle = cycle_;
    report.duration_ms = ms_since(start);
    report.error = "stopped: shutting down";
    return report;
  }
  if (!record_quorum(answers)) {
    persist_events(derive_attempt_events(answers, nullptr));
    model::CollectionStatus st = status();
    report.cycle = cycle_;
    report.inconclusive = true;
    report.duration_ms = ms_since(start);
    report.error = fmt::format("inconclusive: {} of {} seeds answered (quorum {}); keeping the last conclusive snapshot",
                               st.seeds_answered, st.seeds_total, st.quorum);
    return report;
  }
  CycleResult result = assemble(merger.finish(), started_at, clock_());
  if (leadership_ && !leadership_->is_leader()) {
    // The lease ran out while the seeds were polled (a pause, a slow cycle): another
    // instance may already lead, so this cycle is neither published nor written, and its
    // number is left for the leader.
    --cycle_;
    report.cycle = cycle_;
    report.lease_refusal = model::LeaseRefusal::kLocal;
    report.duration_ms = ms_since(start);
    report.error = "the collector lease was lost during the cycle: not published or written";
    return report;
  }

  report.cycle = cycle_;
  report.snapshot = result.snapshot;
  registry_ = result.snapshot->registry;
  result.write.events = derive_attempt_events({}, result.snapshot);
  result.write.monitor_state = analysis::encode_monitor_state(monitor_);
  publish_(result.snapshot);
  if (prober_) prober_->start_round(probe_targets(result.snapshot->nodes, *result.snapshot->registry));  // never waits
  report.ok = true;
  report.duration_ms = ms_since(start);

  persist(std::move(result.write), report);
  return report;
}

std::vector<store::EventRecord> Collector::derive_attempt_events(const std::vector<SeedAnswer>& answers,
                                                                 const std::shared_ptr<const Snapshot>& snapshot) {
  std::vector<model::SeedPoll> polls;
  analysis::Observation observation;
  if (snapshot) {
    observation = analysis::conclusive_observation(*snapshot);
  } else {
    for (const auto& a : answers) polls.push_back(a.poll);
    observation = analysis::inconclusive_observation(cycle_, static_cast<uint32_t>(status().inconclusive_cycles),
                                                     clock_(), polls);
  }
  const auto& histories = memory_.gossip_histories();
  read_shared_alert_inputs();
  const analysis::AlertInputs inputs{&config_.alert_rules, &silences_, &histories};
  auto events = analysis::derive_events(monitor_, last_conclusive_.get(), observation, inputs);
  if (snapshot) last_conclusive_ = snapshot;
  return to_event_records(events);
}

// Silences and acknowledgements made through the API of any instance. A failed read keeps
// the silences last read (they are not forgotten for one bad read) and is logged.
void Collector::read_shared_alert_inputs() {
  if (!store_) return;
  const int64_t now = clock_();
  auto silences = store_->silences(now);
  if (silences.ok()) silences_ = to_silence_set(*silences);
  else if (!silences.error().is(ErrorCode::kNotImplemented))
    spdlog::warn("cannot read the silences (the last ones read still apply): {}", silences.error().message);
  auto acks = store_->acks();
  if (acks.ok()) merge_acknowledgements(monitor_.alerts, *acks);
  else if (!acks.error().is(ErrorCode::kNotImplemented))
    spdlog::warn("cannot read the acknowledgements: {}", acks.error().message);
}

bool Collector::may_write() const { return store_ && store_->read_only_reason().empty(); }

void Collector::persist_events(std::vector<store::EventRecord> events) {
  if (events.empty() || !may_write()) return;
  std::string monitor_state = analysis::encode_monitor_state(monitor_);
  if (!pending_.empty()) {  // earlier writes failed: these go after them, with the next write
    pending_.remember_events(std::move(events));
    pending_.remember_monitor_state(std::move(monitor_state));
    return;
  }
  Status written = store_->write_attempt_events(events, monitor_state);
  if (written.ok()) {
    if (events_committed_) events_committed_();
    return;
  }
  spdlog::error("cannot write {} events (they go with the next cycle's write): {}", events.size(),
                written.error().message);
  pending_.remember_events(std::move(events));
  pending_.remember_monitor_state(std::move(monitor_state));
}

void Collector::persist(store::CycleWrite write, CycleReport& report) {
  if (!may_write()) return;
  if (leadership_) {
    auto fence = leadership_->write_fence();
    if (!fence) {  // lost during the cycle: the new leader writes its own cycles
      report.lease_refusal = model::LeaseRefusal::kLocal;
      report.error = "the collector lease was lost during the cycle: not written";
      spdlog::warn("cycle {}: {}", report.cycle, report.error);
      return;
    }
    write.fence = *fence;
  }
  auto store_start = std::chrono::steady_clock::now();
  size_t earlier = pending_.cycles();
  Status written = write_with_pending(std::move(write));
  report.store_ms = ms_since(store_start);
  if (!written.ok() && written.error().is(ErrorCode::kNotLeader)) {
    // Fenced: another instance leads and writes its own cycles; what this one still held
    // must never be written later over theirs.
    pending_.clear();
    report.lease_refusal = model::LeaseRefusal::kFenced;
  }
  record_store_outcome(written);
  if (written.ok() && events_committed_) events_committed_();
  if (!written.ok()) {
    report.error = "store write failed (the snapshot is still served): " + written.error().message;
    spdlog::error("cycle {}: store write failed, {} cycles now wait to be written (the snapshot is still served): {}",
                  report.cycle, pending_.cycles(), written.error().message);
  } else if (earlier > 0) {
    spdlog::warn("cycle {}: store writes recovered; wrote the {} cycles that failed before with this one", report.cycle,
                 earlier);
  }
}

// The fast path writes the cycle as it is; after a failure the cycle joins the pending
// ones and all of them are written together.
Status Collector::write_with_pending(store::CycleWrite write) {
  if (pending_.empty()) {
    Status written = store_->write_cycle(write);
    if (!written.ok()) pending_.remember(std::move(write));
    return written;
  }
  pending_.remember(std::move(write));
  Status written = store_->write_cycle(pending_.combined(*registry_));
  if (written.ok()) {
    if (pending_.dropped_history_cycles() > 0 || pending_.dropped_network_samples() > 0)
      spdlog::warn("while store writes failed, the node history of {} cycles and {} network samples exceeded what is "
                   "kept in memory and were not written",
                   pending_.dropped_history_cycles(), pending_.dropped_network_samples());
    pending_.clear();
  }
  return written;
}

void Collector::record_store_outcome(const Status& written) {
  std::lock_guard lock(status_mutex_);
  model::StoreStatus& st = status_.store;
  st.pending_cycles = static_cast<int64_t>(pending_.cycles());
  if (written.ok()) {
    st.failing_since = 0;
    st.failed_writes = 0;
    st.error_kind.clear();
    return;
  }
  if (st.failed_writes++ == 0) st.failing_since = clock_();
  st.error_kind = std::string(written.error().kind());
}

// A follower polls nothing: it loads what the leader committed, when there is something
// newer than what it serves, and publishes it as a restart would.
CycleReport Collector::follow() {
  CycleReport report;
  report.follower = true;
  report.error = "follower: another instance holds the collector lease";
  load_newer_cycle();
  report.cycle = cycle_;
  return report;
}

bool Collector::await_news() {
  constexpr std::chrono::milliseconds kLeadershipCheck{1000};
  const auto poll_at = std::chrono::steady_clock::now() + config_.follower_poll;
  store::CycleWatch* watch = follower_watch();
  while (!stopping()) {
    if (!leadership_ || leadership_->is_leader()) return false;
    const auto now = std::chrono::steady_clock::now();
    if (now >= poll_at) return false;
    const auto slice = std::min(std::chrono::ceil<std::chrono::milliseconds>(poll_at - now), kLeadershipCheck);
    if (!watch) {  // the store cannot tell: polling alone
      std::unique_lock lock(mutex_);
      wake_.wait_for(lock, slice, [this] { return stop_; });
      continue;
    }
    auto event = watch->wait(slice);
    using Wake = store::CycleWatch::Wake;
    if (event.wake == Wake::kLost && !watch_lost_) {
      watch_lost_ = true;
      spdlog::warn("follower: not hearing of new cycles ({}); reading the store every {} ms meanwhile", event.error,
                   config_.follower_poll.count());
    }
    if (event.wake == Wake::kResumed) {
      if (watch_lost_) spdlog::info("follower: hearing of new cycles again");
      watch_lost_ = false;
      return false;  // what was committed while it was away went unheard
    }
    if (event.wake == Wake::kCycle && event.notice.cycle > cycle_) return false;
  }
  return true;
}

store::CycleWatch* Collector::follower_watch() {
  std::lock_guard lock(mutex_);
  if (!watch_ && store_) watch_ = store_->watch_cycles();
  return watch_.get();
}

// A leader hears its own cycles only: it drops the watch, which would otherwise hold
// unread notices (and, on PostgreSQL, the server's notification queue) for nothing.
void Collector::drop_watch() {
  std::lock_guard lock(mutex_);
  watch_.reset();
  watch_lost_ = false;
}

bool Collector::load_newer_cycle() {
  if (!store_) return false;
  auto latest = store_->latest_cycle();
  if (!latest.ok() || *latest <= cycle_) return false;
  auto state = store_->load();
  if (!state.ok()) {
    spdlog::warn("cannot load cycle {} from the store: {}", *latest, state.error().message);
    return false;
  }
  restore(*state);
  if (events_committed_) events_committed_();
  return true;
}

// The first cycle under a new lease continues from what the store holds: the previous
// leader may have committed after this instance last looked, and its cycle numbers must
// not be used again. Writes this instance could not make before are dropped when someone
// else wrote since (theirs are newer).
void Collector::catch_up_on_new_lease() {
  if (!leadership_) return;
  auto token = leadership_->token();
  if (!token || token->epoch == led_epoch_) return;
  led_epoch_ = token->epoch;
  if (load_newer_cycle() && !pending_.empty()) {
    spdlog::warn("dropping {} cycles this instance could not write before: another instance wrote newer ones",
                 pending_.cycles());
    pending_.clear();
  }
  spdlog::info("collecting under lease epoch {}, continuing from cycle {}", led_epoch_, cycle_);
}

size_t Collector::quorum() const {
  if (config_.seed_quorum > 0) return std::min(config_.seed_quorum, config_.seeds.size());
  return (config_.seeds.size() + 1) / 2;
}

bool Collector::record_quorum(const std::vector<SeedAnswer>& answers) {
  size_t answered = 0;
  for (const auto& a : answers) answered += a.poll.ok();
  bool conclusive = answered >= quorum() && answered > 0;
  std::lock_guard lock(status_mutex_);
  status_.seeds_total = static_cast<int64_t>(config_.seeds.size());
  status_.seeds_answered = static_cast<int64_t>(answered);
  status_.quorum = static_cast<int64_t>(quorum());
  status_.inconclusive_cycles = conclusive ? 0 : status_.inconclusive_cycles + 1;
  return conclusive;
}

model::CollectionStatus Collector::status() const {
  model::CollectionStatus out;
  {
    std::lock_guard lock(status_mutex_);
    out = status_;
  }
  if (leadership_) {
    const Role role = leadership_->role();
    out.role = role == Role::kSoleInstance ? "sole" : role == Role::kLeader ? "leader" : "follower";
    if (auto token = leadership_->token()) out.lease_epoch = token->epoch;
  }
  return out;
}

CycleResult Collector::assemble(MergedAnswers answers, int64_t started_at, int64_t now) {
  analysis::GrowthTrends trends = memory_.growth_trends();
  const auto& histories = memory_.gossip_histories();
  GrowthBaseline baseline = read_growth_baseline(store_, now);
  log_baseline_errors(baseline);
  CycleContext context{&trends, &histories, std::move(baseline.day_ago), std::move(baseline.week_ago),
                       prober_ ? prober_->latest() : nullptr, credits_source_ ? credits_source_() : nullptr,
                       availability_ ? availability_->current() : nullptr};
  CycleResult result = assemble_cycle(std::move(answers), *registry_, ++cycle_, started_at, now, config_.cycle, context);
  for (const auto& move : result.snapshot->changes.moved) memory_.rename(move.from, move.to);
  memory_.record(*result.snapshot->views, now);
  return result;
}

void Collector::log_cycle(const CycleReport& r) const {
  if (r.follower) return;  // every look at the store while another instance leads: not news
  if (!r.snapshot) {
    spdlog::error("cycle {}: {}", r.cycle, r.error);
    return;
  }
  const Snapshot& s = *r.snapshot;
  std::string seeds;
  for (const auto& seed : s.seeds) {
    if (!seeds.empty()) seeds += ", ";
    seeds += fmt::format("{} {} {:.0f}ms", seed.seed, seed.outcome(), seed.duration_ms);
  }
  spdlog::info("cycle {}: {:.0f} ms, {} pods ({} raw, +{} -{} ~{} moved{}), seeds {}/{} ok [{}], store {}", r.cycle,
               r.duration_ms, s.summary.total_pnodes, s.summary.total_pnodes_raw, s.changes.appeared.size(),
               s.changes.dropped.size(), s.changes.moved.size(),
               s.changes.admission_deferred + s.changes.evicted.size() > 0
                   ? fmt::format(", {} not admitted, {} evicted", s.changes.admission_deferred, s.changes.evicted.size())
                   : std::string(),
               s.summary.seeds_responding, s.summary.total_nodes, seeds,
               !store_                                 ? std::string("off")
               : !store_->read_only_reason().empty() ? std::string("read-only, not written")
               : r.error.empty()                       ? fmt::format("ok {:.0f}ms", r.store_ms)
                                                       : r.error);
}

void Collector::run() {
  auto next = std::chrono::steady_clock::now();
  std::chrono::milliseconds retry = config_.retry_initial;
  while (true) {
    auto started = std::chrono::steady_clock::now();
    CycleReport report = run_cycle();
    if (report.follower) {
      if (await_news()) return;
      next = std::chrono::steady_clock::now();
      continue;
    }
    drop_watch();
    if (report.snapshot) {
      retry = config_.retry_initial;
      next += config_.interval;
    } else {  // failed or inconclusive: try again soon, backing off up to the interval
      next = started + std::min(retry, config_.interval);
      retry = std::min(retry * 2, config_.interval);
    }
    auto now = std::chrono::steady_clock::now();
    if (next < now) next = now;  // a cycle longer than the interval: start the next at once
    std::unique_lock lock(mutex_);
    if (wake_.wait_until(lock, next, [this] { return stop_; })) return;
  }
}

bool Collector::stopping() {
  std::lock_guard lock(mutex_);
  return stop_;
}

void Collector::request_stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
    if (watch_) watch_->interrupt();  // a follower waiting for word of a new cycle
  }
  wake_.notify_all();
  client_.shutdown();  // a cycle waiting on a hanging seed ends now, not at its deadline
}

}  // namespace pnode::collect
