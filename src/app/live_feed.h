// The dashboard's live feed (/ws/pnodes) fed by the collector: each published snapshot
// goes to the API's SnapshotHub first (so a client reloading after the message reads that
// cycle), then one message with the nodes that changed since the previous snapshot is
// built once and broadcast. A client connecting gets the current summary. An optional
// preparer (Api::prepare) builds the heaviest bodies before the snapshot goes to the hub.
// Thread-safety: publish() from the collector's thread only; websocket() is shared with
// the HTTP server, whose threads call into it.
#pragma once

#include <functional>
#include <memory>

#include "api/snapshot_hub.h"
#include "http/websocket_hub.h"
#include "model/snapshot.h"

namespace pnode::app {

class LiveFeed {
 public:
  // `options` bound the WebSocket clients (count, queue, Origin).
  explicit LiveFeed(api::SnapshotHub& hub, http::WebSocketOptions options = {});

  // Returns the action that installs what it built once the snapshot is published.
  using Preparer = std::function<std::function<void()>(const std::shared_ptr<const model::Snapshot>&)>;

  void publish(std::shared_ptr<const model::Snapshot> snapshot);
  // Set before the collector's thread starts.
  void set_preparer(Preparer preparer) { preparer_ = std::move(preparer); }
  const std::shared_ptr<http::WebSocketHub>& websocket() const { return websocket_; }

 private:
  api::SnapshotHub& hub_;
  std::shared_ptr<http::WebSocketHub> websocket_;
  std::shared_ptr<const model::Snapshot> previous_;  // the collector's thread only
  Preparer preparer_;
};

}  // namespace pnode::app
