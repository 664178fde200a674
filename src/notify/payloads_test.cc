#include "notify/payloads.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include "notify/encoding.h"
#include "notify/test_support.h"

namespace pnode::notify {
namespace {

using namespace std::chrono_literals;
using testing::json_text;
using testing::kTestNow;
using testing::offline_alert;

Message group_of(std::vector<Notification> notifications) {
  Message m;
  m.id = "grp-1";
  m.group_key = R"({rule="offline"})";
  m.group_labels = {{"rule", "offline"}};
  m.notifications = std::move(notifications);
  return m;
}

simdjson::dom::element parse(simdjson::dom::parser& parser, const std::string& json) {
  simdjson::dom::element root;
  EXPECT_EQ(parser.parse(json).get(root), simdjson::SUCCESS) << json;
  return root;
}

TEST(JsonBody, CarriesTheMessageAndEachNotification) {
  simdjson::dom::parser parser;
  const auto root = parse(parser, json_body(group_of({offline_alert("1.2.3.4:9001")})));
  EXPECT_EQ(json_text(root["id"]), "grp-1");
  EXPECT_EQ(json_text(root["status"]), "firing");
  EXPECT_EQ(json_text(root["group_labels"]["rule"]), "offline");
  const auto n = root["notifications"].at(0);
  EXPECT_EQ(json_text(n["id"]), "ev-1.2.3.4:9001-firing");
  EXPECT_EQ(json_text(n["kind"]), "firing");
  EXPECT_EQ(json_text(n["severity"]), "critical");
  EXPECT_EQ(json_text(n["time"]), "2025-12-05T16:00:00Z");
  EXPECT_EQ(json_text(n["labels"]["node"]), "1.2.3.4:9001");
  EXPECT_EQ(json_text(n["links"].at(0)["url"]), "http://127.0.0.1:8080/node/1.2.3.4:9001");
}

TEST(AlertmanagerBody, HasTheVersion4Shape) {
  simdjson::dom::parser parser;
  const auto root = parse(parser, alertmanager_body(group_of({offline_alert("a"), offline_alert("b", Kind::kResolved)}), "ops",
                                                    "http://127.0.0.1:8080"));
  EXPECT_EQ(json_text(root["version"]), "4");
  EXPECT_EQ(json_text(root["groupKey"]), R"({rule="offline"})");
  EXPECT_EQ(json_text(root["status"]), "firing");
  EXPECT_EQ(json_text(root["receiver"]), "ops");
  EXPECT_EQ(json_text(root["externalURL"]), "http://127.0.0.1:8080");
  EXPECT_EQ(int64_t(root["truncatedAlerts"]), 0);
  EXPECT_EQ(json_text(root["groupLabels"]["rule"]), "offline");
  EXPECT_EQ(json_text(root["commonLabels"]["rule"]), "offline");
  EXPECT_TRUE(root["commonLabels"]["node"].error());  // differs between the two
  EXPECT_EQ(json_text(root["commonAnnotations"]["severity"]), "critical");
  const auto firing = root["alerts"].at(0);
  EXPECT_EQ(json_text(firing["status"]), "firing");
  EXPECT_EQ(json_text(firing["labels"]["node"]), "a");
  EXPECT_EQ(json_text(firing["annotations"]["summary"]), "Node a is offline");
  EXPECT_EQ(json_text(firing["startsAt"]), "2025-12-05T16:00:00Z");
  EXPECT_EQ(json_text(firing["endsAt"]), "0001-01-01T00:00:00Z");
  EXPECT_EQ(json_text(firing["generatorURL"]), "http://127.0.0.1:8080/node/a");
  EXPECT_EQ(json_text(firing["fingerprint"]), fingerprint(offline_alert("a")));
  const auto resolved = root["alerts"].at(1);
  EXPECT_EQ(json_text(resolved["status"]), "resolved");
  EXPECT_EQ(json_text(resolved["endsAt"]), "2025-12-05T16:10:00Z");
}

TEST(AlertmanagerBody, AllResolvedIsResolved) {
  simdjson::dom::parser parser;
  const auto root = parse(parser, alertmanager_body(group_of({offline_alert("a", Kind::kResolved)}), "ops", ""));
  EXPECT_EQ(json_text(root["status"]), "resolved");
}

TEST(Fingerprint, SameAlertSameFingerprintWhateverItsState) {
  EXPECT_EQ(fingerprint(offline_alert("a")), fingerprint(offline_alert("a", Kind::kResolved)));
  EXPECT_NE(fingerprint(offline_alert("a")), fingerprint(offline_alert("b")));
  Notification tricky = offline_alert("a");
  tricky.labels = {{"rule", "offline\nnode=a"}};  // cannot pass for the two labels
  EXPECT_NE(fingerprint(tricky), fingerprint(offline_alert("a")));
}

TEST(ChatText, HtmlEscapesAndBoldsTheTitle) {
  auto n = offline_alert("a");
  n.title = "version <1.0> & more";
  const std::string text = chat_text(group_of({n}), true, 4096);
  EXPECT_NE(text.find("[FIRING] <b>version &lt;1.0&gt; &amp; more</b>"), std::string::npos) << text;
  EXPECT_NE(text.find("<a href=\"http://127.0.0.1:8080/node/a\">dashboard</a>"), std::string::npos) << text;
  const std::string plain = chat_text(group_of({n}), false, 4096);
  EXPECT_NE(plain.find("[FIRING] version <1.0> & more"), std::string::npos) << plain;
}

TEST(ChatText, StaysWithinItsLimitAndSaysWhatItLeftOut) {
  std::vector<Notification> many;
  for (int i = 0; i < 200; ++i) many.push_back(offline_alert("node-" + std::to_string(i)));
  const std::string text = chat_text(group_of(many), true, 4096);
  EXPECT_LE(text.size(), 4096u);
  EXPECT_NE(text.find(" more\n"), std::string::npos);
  EXPECT_NE(text.find("node-0"), std::string::npos);
  EXPECT_EQ(text.find("node-199"), std::string::npos);
}

TEST(ChatText, ShortensAHugeFirstNotificationOnACharacterBoundary) {
  auto n = offline_alert("a");
  n.text.clear();
  for (int i = 0; i < 5000; ++i) n.text += "\xc3\xa9";  // "é", two bytes each
  const std::string text = chat_text(group_of({n}), false, 4096);
  EXPECT_LE(text.size(), 4096u);
  EXPECT_NE(text.find("[FIRING] Node a is offline"), std::string::npos);
  const size_t body = text.find("\xc3\xa9");
  ASSERT_NE(body, std::string::npos);
  for (size_t i = body; i + 1 < text.size() && text[i] != '\n'; i += 2) ASSERT_EQ(text.substr(i, 2), "\xc3\xa9");
}

TEST(DiscordBody, HasContentEmbedsAndNoMentions) {
  simdjson::dom::parser parser;
  auto n = offline_alert("a");
  n.title = "@everyone node down";
  const auto root = parse(parser, discord_body(group_of({n, offline_alert("b")}), "pnode"));
  EXPECT_EQ(json_text(root["content"]), "[FIRING:2] @everyone node down (+1 more)");
  EXPECT_EQ(json_text(root["username"]), "pnode");
  EXPECT_EQ(root["allowed_mentions"]["parse"].get_array().size(), 0u);
  EXPECT_EQ(root["embeds"].get_array().size(), 2u);
  EXPECT_EQ(json_text(root["embeds"].at(1)["title"]), "[FIRING] Node b is offline");
  EXPECT_EQ(json_text(root["embeds"].at(1)["url"]), "http://127.0.0.1:8080/node/b");
  EXPECT_EQ(json_text(root["embeds"].at(1)["fields"].at(0)["value"]), "b");
}

TEST(DiscordBody, KeepsWithinDiscordsLimits) {
  std::vector<Notification> many;
  for (int i = 0; i < 25; ++i) {
    auto n = offline_alert("n" + std::to_string(i));
    n.title = std::string(1000, 't');
    n.text = std::string(10000, 'x');
    many.push_back(n);
  }
  simdjson::dom::parser parser;
  const auto root = parse(parser, discord_body(group_of(many), ""));
  const auto embeds = root["embeds"].get_array();
  EXPECT_EQ(embeds.size(), 10u);
  size_t characters = 0;
  for (auto embed : embeds) {
    characters += std::string_view(embed["title"]).size() + std::string_view(embed["description"]).size();
    for (auto field : embed["fields"].get_array()) {
      characters += std::string_view(field["name"]).size() + std::string_view(field["value"]).size();
    }
    EXPECT_LE(std::string_view(embed["title"]).size(), 256u);
  }
  EXPECT_LE(characters, 6000u);
  EXPECT_NE(json_text(root["content"]).find("15 not shown"), std::string::npos);
}

TEST(DiscordBody, ALoneHugeNotificationKeepsWithinTheDescriptionLimit) {
  auto n = offline_alert("a");
  n.text = std::string(10000, 'x');
  simdjson::dom::parser parser;
  const auto root = parse(parser, discord_body(group_of({n}), ""));
  EXPECT_EQ(std::string_view(root["embeds"].at(0)["description"]).size(), 4096u);
}

// The header block of a mail, and its body decoded.
struct ParsedMail {
  std::string head;
  std::string body;
};
ParsedMail split_mail(const std::string& mail) {
  const size_t blank = mail.find("\r\n\r\n");
  std::string encoded;
  for (char c : mail.substr(blank + 4))
    if (c != '\r' && c != '\n') encoded += c;
  return {mail.substr(0, blank + 2), base64_decode(encoded).value_or("<not base64>")};
}

TEST(EmailMessage, HasTheRfc5322Headers) {
  MailAddressing addressing{"alerts@example.org", {"ops@example.org", "oncall@example.org"}, "[pnode] ", "mx.test"};
  auto message = group_of({offline_alert("a")});
  message.id = "grp/1 x";
  const auto mail = split_mail(email_message(message, addressing, kTestNow));
  EXPECT_NE(mail.head.find("From: alerts@example.org\r\n"), std::string::npos) << mail.head;
  EXPECT_NE(mail.head.find("To: ops@example.org, oncall@example.org\r\n"), std::string::npos);
  EXPECT_NE(mail.head.find("Subject: [pnode] [FIRING:1] Node a is offline\r\n"), std::string::npos);
  EXPECT_NE(mail.head.find("Date: Fri, 05 Dec 2025 16:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(mail.head.find("Message-ID: <grp-1-x@mx.test>\r\n"), std::string::npos);
  EXPECT_NE(mail.head.find("Content-Type: text/plain; charset=utf-8\r\n"), std::string::npos);
  EXPECT_NE(mail.body.find("No seed has seen it for 2 cycles."), std::string::npos) << mail.body;
}

TEST(EmailMessage, NoHeaderInjectionThroughATitle) {
  MailAddressing addressing{"alerts@example.org", {"ops@example.org"}, "", "mx.test"};
  auto n = offline_alert("a");
  n.title = "down\r\nBcc: victim@example.org";
  const auto head = split_mail(email_message(group_of({n}), addressing, kTestNow)).head;
  EXPECT_EQ(head.find("\r\nBcc:"), std::string::npos) << head;
  EXPECT_NE(head.find("Subject: [FIRING:1] down  Bcc: victim@example.org\r\n"), std::string::npos) << head;
}

TEST(EmailMessage, NonAsciiSubjectsAreEncodedWordsAndLinesStayShort) {
  MailAddressing addressing{"alerts@example.org", {"ops@example.org"}, "", "mx.test"};
  auto n = offline_alert("a");
  n.title = "caf\xc3\xa9 " + std::string(150, 'x');
  n.text = std::string(5000, 'y');  // one long line of text
  const std::string mail = email_message(group_of({n}), addressing, kTestNow);
  const auto head = split_mail(mail).head;
  EXPECT_NE(head.find("Subject: =?UTF-8?B?"), std::string::npos) << head;
  std::string subject;
  for (size_t at = head.find("=?UTF-8?B?"); at != std::string::npos; at = head.find("=?UTF-8?B?", at + 1)) {
    const size_t end = head.find("?=", at + 10);
    subject += base64_decode(head.substr(at + 10, end - at - 10)).value_or("<bad>");
  }
  EXPECT_EQ(subject, "[FIRING:1] caf\xc3\xa9 " + std::string(150, 'x'));  // the words join up again
  for (size_t at = 0, next; (next = mail.find("\r\n", at)) != std::string::npos; at = next + 2) {
    EXPECT_LE(next - at, 78u);  // RFC 5322's recommended line length; 998 is the hard limit
  }
}

}  // namespace
}  // namespace pnode::notify
