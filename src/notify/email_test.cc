// The e-mail channel against real SMTP receivers on loopback: the sink of
// test_receivers.h (scripted refusals and silence) and aiosmtpd (Debian's
// python3-aiosmtpd), a real server that files what it accepts in a Maildir.
#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
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

// Writes a self-signed P-256 certificate for 127.0.0.1 (cert.pem, key.pem) into `dir`,
// so a test server can offer TLS that a client verifies with ca_file = cert.pem.
void write_loopback_certificate(const std::filesystem::path& dir) {
  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  X509_gmtime_adj(X509_getm_notBefore(cert), -60);
  X509_gmtime_adj(X509_getm_notAfter(cert), 24 * 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("127.0.0.1"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  for (const auto& [nid, value] : {std::pair{NID_subject_alt_name, "IP:127.0.0.1"},
                                   std::pair{NID_basic_constraints, "critical,CA:TRUE"}}) {
    X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
    X509_add_ext(cert, extension, -1);
    X509_EXTENSION_free(extension);
  }
  X509_sign(cert, key, EVP_sha256());
  FILE* cert_file = std::fopen((dir / "cert.pem").c_str(), "w");
  PEM_write_X509(cert_file, cert);
  std::fclose(cert_file);
  FILE* key_file = std::fopen((dir / "key.pem").c_str(), "w");
  PEM_write_PrivateKey(key_file, key, nullptr, nullptr, 0, nullptr, nullptr);
  std::fclose(key_file);
  X509_free(cert);
  EVP_PKEY_free(key);
}

// aiosmtpd, run as `python3 -m aiosmtpd` with its Maildir handler; with `starttls` it
// offers STARTTLS with a certificate made for the test (certificate()).
class Aiosmtpd {
 public:
  explicit Aiosmtpd(bool starttls = false) {
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
    std::vector<std::string> args = {python_, "-m", "aiosmtpd", "-n", "-l", "127.0.0.1:" + std::to_string(port_)};
    if (starttls) {
      write_loopback_certificate(maildir_);
      args.insert(args.end(), {"--tlscert", certificate(), "--tlskey", (maildir_ / "key.pem").string()});
    }
    args.insert(args.end(), {"-c", "aiosmtpd.handlers.Mailbox", (maildir_ / "box").string()});
    std::vector<char*> argv;
    for (auto& arg : args) argv.push_back(arg.data());
    argv.push_back(nullptr);
    const std::string log = (maildir_ / "server.log").string();  // its tracebacks stay out of the test output
    pid_ = fork();
    if (pid_ == 0) {
      const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(fd, STDOUT_FILENO);
      dup2(fd, STDERR_FILENO);
      execvp(argv[0], argv.data());
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

  std::string certificate() const { return (maildir_ / "cert.pem").string(); }
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

// The first message filed, waiting up to five seconds for it.
std::string first_filed_message(const Aiosmtpd& server) {
  for (int i = 0; i < 50; ++i) {
    const auto messages = server.messages();
    if (!messages.empty()) return messages.front();
    std::this_thread::sleep_for(100ms);
  }
  return "";
}

TEST(Email, AiosmtpdReceivesTheMessageWithItsHeaders) {
  Aiosmtpd server;
  if (!server.available()) GTEST_SKIP() << "python3-aiosmtpd is not installed (scripts/install-deps.sh installs it)";
  ASSERT_TRUE(server.wait_until_listening());
  const Attempt attempt = make_email_channel(settings_for(server.url()))->deliver(offline_message(), kTestNow);
  ASSERT_EQ(attempt.outcome, Outcome::kDelivered) << (attempt.error ? attempt.error->message : "");
  const std::string mail = first_filed_message(server);  // Maildir files end lines in LF
  EXPECT_EQ(server.messages().size(), 1u);
  EXPECT_NE(mail.find("Message-ID: <event-42@mx.test>\n"), std::string::npos) << mail;
  EXPECT_NE(mail.find("Subject: [pnode] [FIRING:1] Node 1.2.3.4:9001 is offline\n"), std::string::npos);
  EXPECT_NE(mail.find("Date: Fri, 05 Dec 2025 16:00:00 +0000\n"), std::string::npos);
  EXPECT_NE(mail.find("X-MailFrom: alerts@example.org\n"), std::string::npos);
  EXPECT_NE(mail.find("X-RcptTo: ops@example.org, oncall@example.org\n"), std::string::npos);
}

TEST(Email, StartTlsToAiosmtpdVerifiesTheServer) {
  Aiosmtpd server(/*starttls=*/true);
  if (!server.available()) GTEST_SKIP() << "python3-aiosmtpd is not installed (scripts/install-deps.sh installs it)";
  ASSERT_TRUE(server.wait_until_listening());
  auto settings = settings_for(server.url());
  settings.smtp.starttls = true;
  // A certificate the client does not trust: nothing is sent.
  const Attempt untrusted = make_email_channel(settings)->deliver(offline_message(), kTestNow);
  EXPECT_EQ(untrusted.outcome, Outcome::kRetry);
  EXPECT_TRUE(server.messages().empty());
  // Trusted: the message goes through the encrypted session.
  settings.smtp.ca_file = server.certificate();
  const Attempt attempt = make_email_channel(settings)->deliver(offline_message(), kTestNow);
  ASSERT_EQ(attempt.outcome, Outcome::kDelivered) << (attempt.error ? attempt.error->message : "");
  EXPECT_NE(first_filed_message(server).find("Message-ID: <event-42@mx.test>\n"), std::string::npos);
}

}  // namespace
}  // namespace pnode::notify
