// The e-mail channel against real SMTP receivers on loopback: the sink of
// test_receivers.h (scripted refusals and silence) and aiosmtpd (Debian's
// python3-aiosmtpd), a real server that files what it accepts in a Maildir.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "http/test_sockets.h"
#include "notify/channels.h"
#include "notify/encoding.h"
#include "notify/test_receivers.h"
#include "notify/test_support.h"

namespace pnode::notify {
namespace {

using namespace std::chrono_literals;
using testing::SmtpScript;
using testing::SmtpSink;
using testing::kTestNow;
using testing::offline_message;

EmailSettings settings_for(const std::string& url) {
  EmailSettings settings;
  settings.smtp.url = url;
  settings.smtp.total_timeout = 5s;
  settings.addressing = {"alerts@example.org", {"ops@example.org", "oncall@example.org"}, "[pnode] ", "mx.test"};
  return settings;
}

std::string decoded_mail_body(const std::string& mail) {
  std::string encoded;
  for (char c : mail.substr(mail.find("\r\n\r\n") + 4))
    if (c != '\r' && c != '\n') encoded += c;
  return base64_decode(encoded).value_or("<not base64>");
}

TEST(Email, DeliversTheEnvelopeAndAProperMessage) {
  SmtpSink sink;
  const Attempt attempt = make_email_channel(settings_for(sink.url()))->deliver(offline_message(), kTestNow);
  EXPECT_EQ(attempt.outcome, Outcome::kDelivered) << (attempt.error ? attempt.error->message : "");
  EXPECT_EQ(attempt.status, 250);
  const auto sessions = sink.sessions();
  ASSERT_EQ(sessions.size(), 1u);
  const auto& commands = sessions[0].commands;
  EXPECT_NE(std::find(commands.begin(), commands.end(), "MAIL FROM:<alerts@example.org>"), commands.end());
  EXPECT_NE(std::find(commands.begin(), commands.end(), "RCPT TO:<ops@example.org>"), commands.end());
  EXPECT_NE(std::find(commands.begin(), commands.end(), "RCPT TO:<oncall@example.org>"), commands.end());
  const std::string& mail = sessions[0].data;
  EXPECT_NE(mail.find("Message-ID: <event-42@mx.test>\r\n"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Subject: [pnode] [FIRING:1] Node 1.2.3.4:9001 is offline\r\n"), std::string::npos);
  EXPECT_NE(mail.find("Date: Fri, 05 Dec 2025 16:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(mail.find("From: alerts@example.org\r\n"), std::string::npos);
  EXPECT_NE(decoded_mail_body(mail).find("No seed has seen it for 2 cycles."), std::string::npos);
}

TEST(Email, ARefusedRecipientIsPermanentAndATemporaryRefusalRetries) {
  {
    SmtpSink sink(SmtpScript{"550 no such user", "250 queued", false});
    const Attempt attempt = make_email_channel(settings_for(sink.url()))->deliver(offline_message(), kTestNow);
    EXPECT_EQ(attempt.outcome, Outcome::kPermanent);
    EXPECT_EQ(attempt.status, 550);
  }
  {
    SmtpSink sink(SmtpScript{"451 try later", "250 queued", false});
    const Attempt attempt = make_email_channel(settings_for(sink.url()))->deliver(offline_message(), kTestNow);
    EXPECT_EQ(attempt.outcome, Outcome::kRetry);
    EXPECT_EQ(attempt.status, 451);
  }
}

TEST(Email, RequiredStartTlsIsNeverSkipped) {
  SmtpSink sink;  // offers no STARTTLS
  auto settings = settings_for(sink.url());
  settings.smtp.starttls = true;
  const Attempt attempt = make_email_channel(settings)->deliver(offline_message(), kTestNow);
  EXPECT_NE(attempt.outcome, Outcome::kDelivered);
  ASSERT_TRUE(attempt.error);
  for (const auto& session : sink.sessions()) EXPECT_EQ(session.data, "");  // nothing went out in clear
}

TEST(Email, ASilentServerTimesOut) {
  SmtpSink sink(SmtpScript{"250 ok", "250 ok", true});
  auto settings = settings_for(sink.url());
  settings.smtp.total_timeout = 300ms;
  const auto started = std::chrono::steady_clock::now();
  const Attempt attempt = make_email_channel(settings)->deliver(offline_message(), kTestNow);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 3s);
  EXPECT_EQ(attempt.outcome, Outcome::kRetry);
  ASSERT_TRUE(attempt.error);
  EXPECT_EQ(attempt.error->code, ErrorCode::kTimeout);
}

TEST(Email, BadAddressesAreRefusedBeforeDialling) {
  SmtpSink sink;
  auto settings = settings_for(sink.url());
  settings.addressing.from = "alerts@example.org>\r\nRCPT TO:<victim@example.org";
  const Attempt attempt = make_email_channel(settings)->deliver(offline_message(), kTestNow);
  EXPECT_EQ(attempt.outcome, Outcome::kPermanent);
  EXPECT_EQ(attempt.error->code, ErrorCode::kConfig);
  EXPECT_TRUE(sink.sessions().empty());
}

// aiosmtpd, run as `python3 -m aiosmtpd` with its Maildir handler.
class Aiosmtpd {
 public:
  Aiosmtpd() {
    for (const char* python : {"/usr/bin/python3", "python3"}) {
      const std::string probe = std::string(python) + " -c 'import aiosmtpd' >/dev/null 2>&1";
      if (std::system(probe.c_str()) == 0) {
        python_ = python;
        break;
      }
    }
    if (python_.empty()) return;
    char pattern[] = "/tmp/notify-maildir-XXXXXX";
    maildir_ = mkdtemp(pattern);
    {
      http::testing::RawListener probe;  // a port free a moment ago
      port_ = probe.port();
    }
    const std::string listen = "127.0.0.1:" + std::to_string(port_);
    pid_ = fork();
    if (pid_ == 0) {
      execlp(python_.c_str(), python_.c_str(), "-m", "aiosmtpd", "-n", "-l", listen.c_str(), "-c",
             "aiosmtpd.handlers.Mailbox", (maildir_ / "box").c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
  }
  ~Aiosmtpd() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      waitpid(pid_, nullptr, 0);
    }
    if (!maildir_.empty()) std::filesystem::remove_all(maildir_);
  }

  bool available() const { return !python_.empty(); }
  std::string url() const { return "smtp://127.0.0.1:" + std::to_string(port_); }

  bool wait_until_listening() const {
    for (int i = 0; i < 100; ++i) {
      if (http::testing::RawConnection(port_, 100).connected()) return true;
      std::this_thread::sleep_for(100ms);
    }
    return false;
  }

  // The messages filed so far.
  std::vector<std::string> messages() const {
    std::vector<std::string> out;
    const auto fresh = maildir_ / "box" / "new";
    if (!std::filesystem::exists(fresh)) return out;
    for (const auto& entry : std::filesystem::directory_iterator(fresh)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream text;
      text << in.rdbuf();
      out.push_back(text.str());
    }
    return out;
  }

 private:
  std::string python_;
  std::filesystem::path maildir_;
  uint16_t port_ = 0;
  pid_t pid_ = -1;
};

TEST(Email, AiosmtpdReceivesTheMessageWithItsHeaders) {
  Aiosmtpd server;
  if (!server.available()) GTEST_SKIP() << "python3-aiosmtpd is not installed (scripts/install-deps.sh installs it)";
  ASSERT_TRUE(server.wait_until_listening());
  const Attempt attempt = make_email_channel(settings_for(server.url()))->deliver(offline_message(), kTestNow);
  ASSERT_EQ(attempt.outcome, Outcome::kDelivered) << (attempt.error ? attempt.error->message : "");
  std::vector<std::string> messages;
  for (int i = 0; i < 50 && messages.empty(); ++i) {
    messages = server.messages();
    if (messages.empty()) std::this_thread::sleep_for(100ms);
  }
  ASSERT_EQ(messages.size(), 1u);
  const std::string& mail = messages[0];  // Maildir files end lines in LF
  EXPECT_NE(mail.find("Message-ID: <event-42@mx.test>\n"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Subject: [pnode] [FIRING:1] Node 1.2.3.4:9001 is offline\n"), std::string::npos);
  EXPECT_NE(mail.find("Date: Fri, 05 Dec 2025 16:00:00 +0000\n"), std::string::npos);
  EXPECT_NE(mail.find("X-MailFrom: alerts@example.org\n"), std::string::npos);
  EXPECT_NE(mail.find("X-RcptTo: ops@example.org, oncall@example.org\n"), std::string::npos);
}

}  // namespace
}  // namespace pnode::notify
