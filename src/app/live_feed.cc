#include "app/live_feed.h"

#include "api/live_updates.h"

namespace pnode::app {

LiveFeed::LiveFeed(api::SnapshotHub& hub, http::WebSocketOptions options)
    : hub_(hub),
      websocket_(std::make_shared<http::WebSocketHub>(std::move(options), [&hub] {
        return api::live_hello_message(hub.current().get(), api::system_unix_seconds());
      })),
      previous_(hub.current()) {}

void LiveFeed::publish(std::shared_ptr<const model::Snapshot> snapshot) {
  std::function<void()> install = preparer_ ? preparer_(snapshot) : nullptr;
  hub_.publish(snapshot);
  if (install) install();
  if (auto message = api::live_update_message(*snapshot, previous_.get(), api::system_unix_seconds()))
    websocket_->broadcast(std::move(message));
  previous_ = std::move(snapshot);
}

}  // namespace pnode::app
