#include "http/websocket_hub.h"

#include <utility>

namespace pnode::http {

WebSocketHub::WebSocketHub(WebSocketOptions options, OnOpen on_open)
    : options_(options), on_open_(std::move(on_open)) {}

std::shared_ptr<const std::string> WebSocketHub::first_message() const {
  return on_open_ ? on_open_() : nullptr;
}

void WebSocketHub::add(const std::shared_ptr<WebSocketPeer>& peer) {
  std::lock_guard lock(mutex_);
  peers_.push_back(peer);
  peer_ids_.push_back(peer.get());
}

void WebSocketHub::remove(const WebSocketPeer* peer) {
  std::lock_guard lock(mutex_);
  for (size_t i = 0; i < peer_ids_.size(); ++i) {
    if (peer_ids_[i] != peer) continue;
    peers_[i] = std::move(peers_.back());
    peers_.pop_back();
    peer_ids_[i] = peer_ids_.back();
    peer_ids_.pop_back();
    return;
  }
}

// Copies the live sessions out so sends happen without the lock (a send may end a
// session, whose destructor calls remove()).
std::vector<std::shared_ptr<WebSocketPeer>> WebSocketHub::live_peers() const {
  std::vector<std::shared_ptr<WebSocketPeer>> live;
  std::lock_guard lock(mutex_);
  live.reserve(peers_.size());
  for (const auto& weak : peers_) {
    if (auto peer = weak.lock()) live.push_back(std::move(peer));
  }
  return live;
}

void WebSocketHub::broadcast(std::shared_ptr<const std::string> text) {
  if (!text) return;
  for (const auto& peer : live_peers()) peer->send(text);
}

void WebSocketHub::close_all() {
  for (const auto& peer : live_peers()) peer->close();
}

size_t WebSocketHub::session_count() const {
  std::lock_guard lock(mutex_);
  return peers_.size();
}

}  // namespace pnode::http
