// StampedBody: a response body that is the same for every request on one snapshot except
// for a few integers derived from the request time ("timestamp": now, or
// "snapshot_age_seconds": now - last_updated). The body is serialised once per snapshot
// with holes for those integers (a BodyTemplate), then stamped with the time at most once
// per second; every request in that second shares the same immutable string, so a cached
// route costs a pointer copy (/network/topology, /network/analytics, /network/health,
// /alerts, /operators ... without parameters).
// Thread-safety: BodyTemplate is built by one thread and then immutable. StampedBody::get
// may be called concurrently from any thread without locks; two threads racing on a new
// snapshot or a new second may both build (one result is kept).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "api/per_snapshot.h"
#include "util/json_writer.h"

namespace pnode::api {

// A serialised JSON text with integer holes, each filled with now + offset.
class BodyTemplate {
 public:
  // Write the body with writer(); call hole() where a time-derived integer belongs (right
  // after key(), or as an array element), then finish().
  JsonWriter& writer() { return writer_; }
  void hole(int64_t offset_from_now);
  BodyTemplate& finish();

  // The text with every hole filled for `now`.
  std::string render(int64_t now) const;
  // The text's length with its holes empty.
  size_t size() const { return text_.size(); }

 private:
  JsonWriter writer_;
  std::string text_;
  std::vector<std::pair<size_t, int64_t>> holes_;  // (position in text_, offset), ascending
};

class StampedBody {
 public:
  // The body for `snapshot` (non-null) at `now`; build(const Snapshot&) -> BodyTemplate
  // runs when this cache holds no template for that snapshot yet.
  template <class Build>
  std::shared_ptr<const std::string> get(const std::shared_ptr<const model::Snapshot>& snapshot, int64_t now,
                                         Build&& build) const {
    std::shared_ptr<const BodyTemplate> source = templates_.get(snapshot, build);
    std::shared_ptr<const Rendered> last = last_.load(std::memory_order_acquire);
    // `last` keeps its template alive, so the same address means the same template.
    if (last && last->now == now && last->source == source) return last->body;
    auto fresh = std::make_shared<const Rendered>(
        Rendered{source, now, std::make_shared<const std::string>(source->render(now))});
    last_.store(fresh, std::memory_order_release);
    return fresh->body;
  }

 private:
  struct Rendered {
    std::shared_ptr<const BodyTemplate> source;
    int64_t now = 0;
    std::shared_ptr<const std::string> body;
  };

  PerSnapshot<BodyTemplate> templates_;
  mutable std::atomic<std::shared_ptr<const Rendered>> last_;
};

}  // namespace pnode::api
