// Metrics: the service's Prometheus metrics, served by GET /metrics in the text exposition
// format 0.0.4. Three sources feed it:
//   - Api::handle() records every answered request (route pattern, method, status, time);
//   - the collector's observer records every cycle (record_cycle): outcome, durations,
//     store writes, pRPC errors per seed, pods and registry size;
//   - render() computes the rest at scrape time: snapshot age, the collector's role and
//     lease epoch (from set_collection_status's source), the notification subscriptions'
//     delivery (from set_notification_status's source), and process metrics.
// Label values stay bounded: routes are route PATTERNS ("unmatched" when none matched),
// unknown methods count as "other", seeds are the configured ones.
//
// Thread-safety: every method may be called from any thread at any time. The request
// path (record_request) takes a shared lock to find its series, then only relaxed atomic
// increments; a label combination seen for the first time takes the exclusive lock once.
// Cycle data has its own mutex, so the collector never contends with requests.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "api/notification_status.h"

namespace pnode::model {
struct CycleStats;
struct CollectionStatus;
struct Snapshot;
}  // namespace pnode::model

namespace pnode::api {

class Metrics {
 public:
  static constexpr std::string_view kContentType = "text/plain; version=0.0.4; charset=utf-8";
  static constexpr std::string_view kUnmatchedRoute = "unmatched";

  // `process_start_unix` is reported as process_start_time_seconds; 0 means "when this
  // Metrics was constructed".
  explicit Metrics(double process_start_unix = 0);
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One answered request. `route` is the matched route pattern (kUnmatchedRoute when none).
  void record_request(std::string_view route, std::string_view method, int status,
                      std::chrono::nanoseconds duration);

  // One collector cycle, as Collector's observer reports it; `now_unix` is when it ended
  // (pnode_last_cycle_timestamp_seconds). The overload without it uses the system clock.
  void record_cycle(const model::CycleStats& report);
  void record_cycle(const model::CycleStats& report, double now_unix);

  // Where render() reads the collector's role and lease epoch (Collector::status); set
  // before the first scrape. Without one, neither is reported.
  void set_collection_status(std::function<model::CollectionStatus()> source) { status_source_ = std::move(source); }
  // Where render() reads each notification subscription's delivery status (the
  // notifier); set before the first scrape. Without one, no pnode_notify_* series.
  void set_notification_status(NotificationStatusSource source) { notification_source_ = std::move(source); }

  // The exposition text. `current` is the snapshot being served (null before the first
  // one: then no pnode_snapshot_age_seconds sample), `now_unix` the scrape time.
  std::string render(const model::Snapshot* current, double now_unix) const;

  // Fixed upper bounds (seconds) of the histograms; +Inf is implicit.
  static constexpr std::array<double, 11> kRequestBuckets{0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                          0.05,   0.1,   0.25,   0.5,   1};
  static constexpr std::array<double, 11> kCycleBuckets{0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120};
  static constexpr std::array<double, 11> kStoreBuckets{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                        0.1,   0.25,   0.5,   1,    5};

  // A histogram over fixed bounds: per-bucket atomic counts (made cumulative when
  // rendered, so _count always equals the +Inf bucket) and an atomic sum.
  class Histogram {
   public:
    explicit Histogram(std::span<const double> bounds);
    void observe(double value);
    std::span<const double> bounds() const { return bounds_; }
    // Cumulative counts, one per bound then +Inf.
    std::vector<uint64_t> cumulative_counts() const;
    double sum() const { return sum_.load(std::memory_order_relaxed); }

   private:
    std::span<const double> bounds_;
    std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1 (the last is +Inf)
    std::atomic<double> sum_{0};
  };

 private:
  struct RequestKey {
    std::string route, method;
    int status;
  };
  struct RequestKeyView {
    std::string_view route, method;
    int status;
  };
  // Orders keys and views alike, so a lookup needs no string allocation.
  struct RequestKeyLess {
    using is_transparent = void;
    using Tuple = std::tuple<std::string_view, std::string_view, int>;
    static Tuple tuple(const RequestKey& k) { return {k.route, k.method, k.status}; }
    static Tuple tuple(const RequestKeyView& k) { return {k.route, k.method, k.status}; }
    template <class A, class B>
    bool operator()(const A& a, const B& b) const {
      return tuple(a) < tuple(b);
    }
  };
  struct CycleState;

  Histogram& request_series(std::string_view route, std::string_view method, int status);
  void render_requests(std::string& out) const;
  void render_cycles(std::string& out) const;
  static void render_process(std::string& out, double process_start);
  void render_leadership(std::string& out) const;
  void render_notifications(std::string& out) const;

  double process_start_;
  mutable std::shared_mutex requests_mutex_;
  std::map<RequestKey, std::unique_ptr<Histogram>, RequestKeyLess> requests_;
  mutable std::mutex cycle_mutex_;
  std::unique_ptr<CycleState> cycle_;
  std::function<model::CollectionStatus()> status_source_;
  NotificationStatusSource notification_source_;
};

}  // namespace pnode::api
