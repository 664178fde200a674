// Test-only helpers: blocking POSIX sockets on 127.0.0.1 that speak raw bytes, so the
// http tests can check the wire (keep-alive, pipelining, malformed input) without going
// through our own client. Thread-safety: one object per thread.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace pnode::http::testing {

inline sockaddr_in loopback_address(uint16_t port) {
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  return address;
}

inline void set_receive_timeout(int fd, int milliseconds) {
  timeval tv{};
  tv.tv_sec = milliseconds / 1000;
  tv.tv_usec = (milliseconds % 1000) * 1000;
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

// A client connection that sends raw bytes and reads raw responses.
class RawConnection {
 public:
  // Without wait_for_connect the connect is only started (the socket is non-blocking):
  // for filling a listener's accept queue, whose later connects would hang.
  explicit RawConnection(uint16_t port, int receive_timeout_ms = 3000, bool wait_for_connect = true) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | (wait_for_connect ? 0 : SOCK_NONBLOCK), 0);
    const auto address = loopback_address(port);
    connected_ = ::connect(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address) == 0;
    set_receive_timeout(fd_, receive_timeout_ms);
  }
  ~RawConnection() { ::close(fd_); }
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  bool connected() const { return connected_; }

  bool send_all(std::string_view data) {
    while (!data.empty()) {
      const auto n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL);
      if (n <= 0) return false;
      data.remove_prefix(static_cast<size_t>(n));
    }
    return true;
  }

  // Reads one response: the head, then Content-Length bytes of body unless has_body is
  // false (HEAD). Empty when the connection closed or timed out first.
  std::string read_response(bool has_body = true) {
    size_t head_end;
    while ((head_end = pending_.find("\r\n\r\n")) == std::string::npos) {
      if (!receive_more()) return {};
    }
    head_end += 4;
    size_t length = 0;
    if (has_body) length = content_length(std::string_view(pending_).substr(0, head_end));
    while (pending_.size() < head_end + length) {
      if (!receive_more()) return {};
    }
    std::string response = pending_.substr(0, head_end + length);
    pending_.erase(0, head_end + length);
    return response;
  }

  // Reads until `marker` arrives and returns everything up to and including it; empty when
  // the connection closed or timed out first (what was read stays pending).
  std::string read_until(std::string_view marker) {
    size_t at;
    while ((at = pending_.find(marker)) == std::string::npos) {
      if (!receive_more()) return {};
    }
    std::string out = pending_.substr(0, at + marker.size());
    pending_.erase(0, at + marker.size());
    return out;
  }

  // True when the peer closes the connection (orderly or reset) before the receive timeout.
  bool closed_by_peer() {
    char byte;
    for (;;) {
      const auto n = ::recv(fd_, &byte, 1, 0);
      if (n == 0) return true;
      if (n < 0) return errno == ECONNRESET;
      pending_.push_back(byte);
    }
  }

 private:
  bool receive_more() {
    char chunk[4096];
    const auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n <= 0) return false;
    pending_.append(chunk, static_cast<size_t>(n));
    return true;
  }

  static size_t content_length(std::string_view head) {
    std::string lower(head);
    for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    const auto at = lower.find("\r\ncontent-length:");
    if (at == std::string::npos) return 0;
    return std::strtoul(lower.c_str() + at + 17, nullptr, 10);
  }

  int fd_ = -1;
  bool connected_ = false;
  std::string pending_;
};

// A listening socket that never accepts on its own: tests drive it by hand.
class RawListener {
 public:
  explicit RawListener(int backlog = 16) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    auto address = loopback_address(0);
    ::bind(fd_, reinterpret_cast<const sockaddr*>(&address), sizeof address);
    ::listen(fd_, backlog);
    socklen_t size = sizeof address;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &size);
    port_ = ntohs(address.sin_port);
  }
  ~RawListener() { ::close(fd_); }
  RawListener(const RawListener&) = delete;
  RawListener& operator=(const RawListener&) = delete;

  uint16_t port() const { return port_; }

  // Accepts one connection; -1 when none arrives within timeout_ms. The caller closes it.
  int accept_one(int timeout_ms = 3000) {
    set_receive_timeout(fd_, timeout_ms);  // SO_RCVTIMEO bounds accept() too
    return ::accept(fd_, nullptr, nullptr);
  }

 private:
  int fd_ = -1;
  uint16_t port_ = 0;
};

}  // namespace pnode::http::testing
