// Test-only loopback receivers for the channel tests: an HTTP receiver (our own
// http::Server) that records every request and answers from a script, and a small SMTP
// sink on a POSIX socket that speaks just enough ESMTP for libcurl, records the envelope
// and the message, and can refuse a recipient or stay silent.
// Thread-safety: each receiver serves on its own thread(s); the accessors lock.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <deque>
#include <cerrno>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "http/server.h"
#include "http/test_sockets.h"

namespace pnode::notify::testing {

class HttpReceiver {
 public:
  HttpReceiver() : server_(http::ServerOptions{}, [this](const http::Request& r) { return handle(r); }) {
    port_ = server_.start().value().at(0);
  }

  // The answers to the next requests, in order; once used up, every answer is the default
  // (200 "{}" until answer_by_default() says otherwise).
  void answer_next(http::Response response) {
    std::lock_guard lock(mutex_);
    script_.push_back(std::move(response));
  }
  void answer_by_default(http::Response response) {
    std::lock_guard lock(mutex_);
    default_ = std::move(response);
  }
  std::vector<http::Request> requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
  }
  std::string url(const std::string& path) const { return "http://127.0.0.1:" + std::to_string(port_) + path; }

 private:
  http::Response handle(const http::Request& request) {
    std::lock_guard lock(mutex_);
    requests_.push_back(request);
    if (script_.empty()) return default_;
    http::Response response = std::move(script_.front());
    script_.pop_front();
    return response;
  }

  mutable std::mutex mutex_;
  std::deque<http::Response> script_;
  http::Response default_ = http::Response::json(200, "{}");
  std::vector<http::Request> requests_;
  http::Server server_;
  uint16_t port_ = 0;
};

struct SmtpScript {
  std::string rcpt_reply = "250 ok";
  std::string data_reply = "250 queued";
  bool silent = false;  // accept, then never say a word
};

// What one SMTP session delivered.
struct SmtpSession {
  std::vector<std::string> commands;  // every command line, without CRLF
  std::string data;                   // the message as sent after DATA, dot-stuffing undone
};

class SmtpSink {
 public:
  explicit SmtpSink(SmtpScript script = {}) : script_(std::move(script)) {
    thread_ = std::thread([this] { serve(); });
  }
  ~SmtpSink() {
    stopping_ = true;
    thread_.join();
  }
  SmtpSink(const SmtpSink&) = delete;
  SmtpSink& operator=(const SmtpSink&) = delete;

  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(listener_.port()); }
  std::vector<SmtpSession> sessions() const {
    std::lock_guard lock(mutex_);
    return sessions_;
  }

 private:
  void serve() {
    while (!stopping_) {
      const int fd = listener_.accept_one(100);
      if (fd < 0) continue;
      http::testing::set_receive_timeout(fd, 100);
      session(fd);
      ::close(fd);
    }
  }

  void session(int fd) {
    SmtpSession record;
    std::string pending;
    if (script_.silent) {
      while (!stopping_ && read_line(fd, pending).has_value()) {
      }
      return;
    }
    send(fd, "220 sink ESMTP\r\n");
    while (auto line = read_line(fd, pending)) {
      record.commands.push_back(*line);
      const std::string verb = line->substr(0, 4);
      if (verb == "EHLO") send(fd, "250-sink\r\n250 8BITMIME\r\n");
      else if (verb == "HELO" || verb == "MAIL" || verb == "RSET" || verb == "NOOP") send(fd, "250 ok\r\n");
      else if (verb == "RCPT") send(fd, script_.rcpt_reply + "\r\n");
      else if (verb == "DATA") {
        send(fd, "354 go ahead\r\n");
        record.data = read_data(fd, pending);
        send(fd, script_.data_reply + "\r\n");
      } else if (verb == "QUIT") {
        // Recorded before the reply: the client returns on "221", and a test reading
        // sessions() at once must find this one.
        keep(std::move(record));
        send(fd, "221 bye\r\n");
        return;
      } else send(fd, "502 not here\r\n");
    }
    keep(std::move(record));
  }

  void keep(SmtpSession record) {
    std::lock_guard lock(mutex_);
    sessions_.push_back(std::move(record));
  }

  // One line without CRLF; nullopt when the client left (or the sink is stopping).
  std::optional<std::string> read_line(int fd, std::string& pending) {
    size_t end;
    while ((end = pending.find("\r\n")) == std::string::npos) {
      char chunk[4096];
      const auto n = ::recv(fd, chunk, sizeof chunk, 0);
      if (n == 0 || (n < 0 && (errno != EAGAIN || stopping_))) return std::nullopt;
      if (n > 0) pending.append(chunk, static_cast<size_t>(n));
    }
    std::string line = pending.substr(0, end);
    pending.erase(0, end + 2);
    return line;
  }

  std::string read_data(int fd, std::string& pending) {
    std::string data;
    while (auto line = read_line(fd, pending)) {
      if (*line == ".") break;
      data += (line->starts_with("..") ? line->substr(1) : *line) + "\r\n";
    }
    return data;
  }

  static void send(int fd, const std::string& text) { ::send(fd, text.data(), text.size(), MSG_NOSIGNAL); }

  SmtpScript script_;
  http::testing::RawListener listener_;
  std::atomic<bool> stopping_{false};
  mutable std::mutex mutex_;
  std::vector<SmtpSession> sessions_;
  std::thread thread_;
};

}  // namespace pnode::notify::testing
