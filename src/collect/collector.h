// Collector: the cycle loop. Every interval (measured start to start, so a slow cycle
// does not make the period drift) it polls the seeds, assembles the next Snapshot,
// publishes it, then writes it to the store in one transaction. A cycle in which fewer
// than the quorum of seeds answered is inconclusive: nothing is published or written (no
// node is recorded offline), the last conclusive snapshot stays, and the next attempt
// comes after a short backoff. It never throws and
// never stops on bad input: a failed cycle keeps the last good snapshot published and
// is logged; a failed store write is logged as an error, the in-memory state carries on,
// and what it should have written waits in PendingWrites for the next write that
// succeeds (nothing is lost). A read-only store is not written to at all. status() says
// so in both cases (/health reports it).
// Logs one line per cycle: duration, pods, and each seed's outcome.
// request_stop() also cancels the pRPC calls in flight, so shutdown is prompt even while a
// seed hangs (the cycle it interrupts is inconclusive and publishes nothing).
// Thread-safety: run() on one thread; request_stop() and status() from any.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <vector>

#include "analysis/alert_lifecycle.h"
#include "collect/availability_recorder.h"
#include "collect/cycle.h"
#include "collect/leadership.h"
#include "collect/node_memory.h"
#include "collect/pending_writes.h"
#include "collect/poller.h"
#include "collect/prober.h"
#include "collect/restore.h"
#include "model/cycle_stats.h"
#include "prpc/client.h"
#include "store/store.h"

namespace pnode::collect {

struct CollectorConfig {
  std::vector<SeedTarget> seeds;
  std::chrono::milliseconds interval{60000};
  CycleOptions cycle;
  // Seeds that must answer for a cycle to be conclusive; 0 = half of them, rounded up.
  size_t seed_quorum = 0;
  // After a failed or inconclusive cycle the next starts this much later, doubling up to
  // `interval`, instead of a whole interval later.
  std::chrono::milliseconds retry_initial{2000};
  // All of one seed's calls in a cycle end by this long after they started, so one slow
  // seed cannot stretch the cycle beyond it.
  std::chrono::milliseconds seed_deadline{8000};
  // How much of what failed writes left unwritten is kept for the next write.
  PendingLimits pending{};
  // A follower reads the store's latest cycle this often whatever it heard, and at once
  // when the store's CycleWatch tells of a new cycle or has (re)connected.
  std::chrono::milliseconds follower_poll{3000};
  // The alert rules whose transitions become alert_firing / alert_resolved events.
  analysis::RuleSet alert_rules = analysis::RuleSet::defaults();
};

// What each cycle reports (for logs and metrics).
using CycleReport = model::CycleStats;

class Collector {
 public:
  using Publish = std::function<void(std::shared_ptr<const Snapshot>)>;
  using Clock = std::function<int64_t()>;  // unix seconds
  using Observer = std::function<void(const CycleReport&)>;

  Collector(CollectorConfig config, prpc::Client& client, store::Store* store, Publish publish,
            Clock clock = nullptr);

  // Continues from a restarted server's stored state: the registry, the cycle count, and
  // the last snapshot, completed (views, insights) and published, so every snapshot route
  // answers from memory before the first cycle.
  void restore(const store::LoadedState& state);
  void set_observer(Observer observer) { observer_ = std::move(observer); }
  // Called on the collector's thread after events reached the store: a write with events
  // committed, or a follower loaded a cycle the leader committed (the event stream reads
  // the outbox from there). Call before run().
  void set_events_committed(std::function<void()> committed) { events_committed_ = std::move(committed); }
  // With several instances on one store: cycles run only while `leadership` says this
  // instance leads, and their writes are fenced with its lease token; a follower loads
  // each new cycle the leader committed and publishes it: at once when the store's
  // CycleWatch tells of it, else at the next `follower_poll`. Leadership is looked at
  // every second.
  // Call before run().
  void set_leadership(const Leadership* leadership) { leadership_ = leadership; }
  // Probes the public pods of each published snapshot beside the cycle (prober.h): a
  // round starts after the snapshot is published, unless one still runs, and the latest
  // finished round goes into the next snapshot. Call before run().
  void set_prober(Prober* prober) { prober_ = prober; }
  // The pod-credits view each cycle (or snapshot loaded from the store) scores with
  // (scoring v2); called from the collector's thread. Call before run().
  using CreditsSource = std::function<std::shared_ptr<const analysis::CreditsView>()>;
  void set_credits_source(CreditsSource source) { credits_source_ = std::move(source); }
  // The pods' availability from the probe rounds (availability_recorder.h): its latest
  // table goes into each snapshot beside the probe round. Call before run().
  void set_availability(const AvailabilityRecorder* availability) { availability_ = availability; }

  // One cycle, start to end. Never throws.
  CycleReport run_cycle();
  // Cycles until request_stop().
  void run();
  void request_stop();
  // The standing after the latest cycle (for /health). Callable from any thread.
  model::CollectionStatus status() const;
  // Drops registry entries whose last_seen < cutoff (after the store pruned them) at the
  // start of the next cycle, so they leave what is served. Callable from any thread.
  void schedule_prune(int64_t cutoff);

 private:
  CycleReport run_cycle_unguarded();
  void apply_pending_prune();
  CycleResult assemble(MergedAnswers answers, int64_t started_at, int64_t now);
  void log_cycle(const CycleReport& report) const;
  // Writes the cycle with whatever earlier failed writes left (store errors into
  // `report` and the status).
  void persist(store::CycleWrite write, CycleReport& report);
  Status write_with_pending(store::CycleWrite write);
  void record_store_outcome(const Status& written);
  void log_baseline_errors(const GrowthBaseline& baseline) const;
  size_t quorum() const;
  bool stopping();
  CycleReport follow();
  // A follower's wait until it should look at the store again (word of a new cycle, a
  // watch that (re)connected, follower_poll passed) or lead; true when stopping.
  bool await_news();
  store::CycleWatch* follower_watch();
  void drop_watch();
  // Loads and publishes the stored snapshot when it is newer than cycle_; true if it did.
  bool load_newer_cycle();
  void catch_up_on_new_lease();
  // Counts the seeds that answered; false (and the status says why) when too few did.
  bool record_quorum(const std::vector<SeedAnswer>& answers);
  // The events of this attempt (docs/events.md), for the outbox; advances monitor_.
  // `snapshot` is the new conclusive snapshot, or null for an inconclusive attempt.
  std::vector<store::EventRecord> derive_attempt_events(const std::vector<SeedAnswer>& answers,
                                                        const std::shared_ptr<const Snapshot>& snapshot);
  // An inconclusive attempt's events, written alone (or kept for the next write).
  void persist_events(std::vector<store::EventRecord> events);
  bool may_write() const;
  // Reads the silences (into silences_) and acknowledgements (into monitor_) the API
  // stored, before the alert states advance.
  void read_shared_alert_inputs();

  CollectorConfig config_;
  prpc::Client& client_;
  store::Store* store_;
  Publish publish_;
  Clock clock_;
  Observer observer_;
  std::function<void()> events_committed_;
  const Leadership* leadership_ = nullptr;
  Prober* prober_ = nullptr;
  CreditsSource credits_source_;
  const AvailabilityRecorder* availability_ = nullptr;
  int64_t led_epoch_ = 0;  // the lease epoch of the latest cycle this instance led
  std::shared_ptr<const Registry> registry_;
  NodeMemory memory_;
  PendingWrites pending_;
  uint64_t cycle_ = 0;
  // Seed and alert states between attempts, and the last conclusive snapshot the next
  // node events compare with (run()'s thread).
  analysis::MonitorState monitor_;
  analysis::SilenceSet silences_;  // as last read from the store (run()'s thread)
  std::shared_ptr<const Snapshot> last_conclusive_;
  mutable std::mutex status_mutex_;
  model::CollectionStatus status_;
  std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  // The follower's word of new cycles: created and dropped (when leading: a leader
  // needs none) on run()'s thread, guarded by mutex_ so request_stop() can interrupt it.
  std::unique_ptr<store::CycleWatch> watch_;
  bool watch_lost_ = false;  // run()'s thread: the watch's connection is down (logged once)
  std::optional<int64_t> pending_prune_;  // guarded by mutex_
};

}  // namespace pnode::collect
