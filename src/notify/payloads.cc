#include "notify/payloads.h"

#include <algorithm>
#include <map>
#include <optional>

#include "notify/encoding.h"
#include "util/json_writer.h"

namespace pnode::notify {
namespace {

using Labels = std::map<std::string, std::string>;

// The first max_bytes of `s`, never splitting a UTF-8 sequence.
std::string_view utf8_prefix(std::string_view s, size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  return s.substr(0, end);
}

std::string html_escape(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string status_tag(Kind kind) {
  switch (kind) {
    case Kind::kFiring: return "[FIRING]";
    case Kind::kResolved: return "[RESOLVED]";
    case Kind::kEvent: return "[EVENT]";
  }
  return "[EVENT]";
}

void write_labels(JsonWriter& w, const Labels& labels) {
  w.begin_object();
  for (const auto& [name, value] : labels) w.field(name, value);
  w.end_object();
}

Labels annotations_of(const Notification& n) {
  Labels annotations{{"summary", n.title}, {"description", n.text}};
  if (!n.severity.empty()) annotations["severity"] = n.severity;
  return annotations;
}

// The pairs every one of `sets` holds.
Labels common_pairs(const std::vector<Labels>& sets) {
  if (sets.empty()) return {};
  Labels common = sets.front();
  for (const auto& set : sets) {
    std::erase_if(common, [&set](const auto& pair) {
      const auto it = set.find(pair.first);
      return it == set.end() || it->second != pair.second;
    });
  }
  return common;
}

std::string chat_block(const Notification& n, bool html, size_t title_cap, size_t text_cap) {
  const auto esc = [html](std::string_view s) { return html ? html_escape(s) : std::string(s); };
  const std::string title(utf8_prefix(n.title, title_cap));
  std::string block = status_tag(n.kind) + " " + (html ? "<b>" + esc(title) + "</b>" : title) + "\n";
  if (!n.text.empty()) block += esc(utf8_prefix(n.text, text_cap)) + "\n";
  for (const auto& link : n.links) {
    block += html ? "<a href=\"" + esc(link.url) + "\">" + esc(link.title) + "</a>\n" : link.title + ": " + link.url + "\n";
  }
  return block;
}

// The block of `n` with its title and text halved until it fits in `budget`.
std::string fitted_chat_block(const Notification& n, bool html, size_t budget) {
  size_t cap = std::max(n.title.size(), n.text.size());
  std::string block = chat_block(n, html, cap, cap);
  while (block.size() > budget && cap > 0) {
    cap /= 2;
    block = chat_block(n, html, cap, cap);
  }
  return block;
}

// RFC 2047 "B" encoded words of at most 39 bytes of UTF-8 each (64 characters encoded),
// so even the first line, after "Subject: ", stays within 78 characters.
std::string encode_header_words(std::string_view text) {
  const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
  if (ascii) return std::string(text);
  std::string out;
  while (!text.empty()) {
    const std::string_view chunk = utf8_prefix(text, 39);
    if (!out.empty()) out += "\r\n ";
    out += "=?UTF-8?B?" + base64_encode(chunk) + "?=";
    text.remove_prefix(chunk.empty() ? text.size() : chunk.size());
  }
  return out;
}

// A Message-ID's left part: the key with anything outside dot-atom text replaced.
std::string message_id_local_part(std::string_view key) {
  std::string out(utf8_prefix(key, 128));
  for (char& c : out) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
                    c == '.';
    if (!ok) c = '-';
  }
  return out.empty() ? "empty" : out;
}

std::string base64_lines(std::string_view bytes) {
  const std::string encoded = base64_encode(bytes);
  std::string out;
  for (size_t at = 0; at < encoded.size(); at += 76) out += encoded.substr(at, 76) + "\r\n";
  return out;
}

size_t count_kind(const Message& message, Kind kind) {
  return static_cast<size_t>(std::count_if(message.notifications.begin(), message.notifications.end(),
                                           [kind](const Notification& n) { return n.kind == kind; }));
}

}  // namespace

std::string one_line(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  return out;
}

std::string json_body(const Message& message) {
  JsonWriter w;
  w.begin_object().field("id", message.id).field("group_key", message.group_key).field("status", message.status());
  w.key("group_labels");
  write_labels(w, message.group_labels);
  w.key("notifications").begin_array();
  for (const auto& n : message.notifications) {
    w.begin_object().field("id", n.id).field("kind", kind_name(n.kind)).field("title", n.title).field("text", n.text);
    w.field("severity", n.severity).field("node", n.node).field("time", rfc3339(n.time));
    if (n.kind != Kind::kEvent) w.field("started_at", rfc3339(n.started_at));
    w.key("labels");
    write_labels(w, n.labels);
    w.key("links").begin_array();
    for (const auto& link : n.links) w.begin_object().field("title", link.title).field("url", link.url).end_object();
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return w.take();
}

std::string alertmanager_body(const Message& message, std::string_view receiver, std::string_view external_url) {
  std::vector<Labels> label_sets, annotation_sets;
  for (const auto& n : message.notifications) {
    label_sets.push_back(n.labels);
    annotation_sets.push_back(annotations_of(n));
  }
  const std::string_view status = message.status() == "resolved" ? "resolved" : "firing";
  JsonWriter w;
  w.begin_object().field("version", "4").field("groupKey", message.group_key).field("truncatedAlerts", 0);
  w.field("status", status).field("receiver", receiver).field("externalURL", external_url);
  w.key("groupLabels");
  write_labels(w, message.group_labels);
  w.key("commonLabels");
  write_labels(w, common_pairs(label_sets));
  w.key("commonAnnotations");
  write_labels(w, common_pairs(annotation_sets));
  w.key("alerts").begin_array();
  for (const auto& n : message.notifications) {
    const bool resolved = n.kind == Kind::kResolved;
    const bool event = n.kind == Kind::kEvent;
    w.begin_object().field("status", resolved ? "resolved" : "firing");
    w.key("labels");
    write_labels(w, n.labels);
    w.key("annotations");
    write_labels(w, annotations_of(n));
    w.field("startsAt", rfc3339(event ? n.time : n.started_at));
    w.field("endsAt", rfc3339(resolved || event ? n.time : TimePoint{}));
    w.field("generatorURL", n.links.empty() ? std::string() : n.links.front().url);
    w.field("fingerprint", fingerprint(n)).end_object();
  }
  w.end_array().end_object();
  return w.take();
}

std::string chat_text(const Message& message, bool html, size_t max_bytes) {
  constexpr size_t kNoteReserve = 48;  // room for the "... N more" line
  const size_t budget = max_bytes > kNoteReserve ? max_bytes - kNoteReserve : 0;
  std::string out;
  size_t shown = 0;
  for (const auto& n : message.notifications) {
    // The first block always shows, shortened until it fits; later ones only whole.
    const std::string block = shown == 0 ? fitted_chat_block(n, html, budget)
                                         : chat_block(n, html, n.title.size(), n.text.size());
    if (shown > 0 && out.size() + block.size() + 1 > budget) break;
    if (shown > 0) out += "\n";
    out += block;
    ++shown;
  }
  if (shown < message.notifications.size()) {
    out += "... and " + std::to_string(message.notifications.size() - shown) + " more\n";
  }
  return std::string(utf8_prefix(out, max_bytes));
}

std::string summary_line(const Message& message) {
  if (message.notifications.empty()) return "";
  const size_t firing = count_kind(message, Kind::kFiring);
  const size_t resolved = count_kind(message, Kind::kResolved);
  std::string tag = firing > 0 ? "[FIRING:" + std::to_string(firing) + "]"
                    : resolved > 0 ? "[RESOLVED:" + std::to_string(resolved) + "]"
                                   : "[EVENT]";
  std::string line = tag + " " + one_line(message.notifications.front().title);
  if (message.notifications.size() > 1) line += " (+" + std::to_string(message.notifications.size() - 1) + " more)";
  return line;
}

std::string discord_body(const Message& message, std::string_view username) {
  constexpr size_t kMaxEmbeds = 10;           // Discord's limit per message
  constexpr size_t kEmbedCharacters = 5400;   // of Discord's 6000 across all embeds
  const size_t shown = std::min(message.notifications.size(), kMaxEmbeds);
  const size_t per_embed = kEmbedCharacters / std::max<size_t>(shown, 1);
  const size_t title_cap = std::min<size_t>(256, per_embed / 4);  // Discord's limits: 256 and 4096
  constexpr size_t kFieldCap = 100;
  const size_t description_cap = std::min<size_t>(4096, per_embed - title_cap - 2 * (kFieldCap + 8));
  std::string content = summary_line(message);
  if (shown < message.notifications.size()) {
    content += " - " + std::to_string(message.notifications.size() - shown) + " not shown";
  }
  JsonWriter w;
  w.begin_object().field("content", utf8_prefix(content, 2000));
  if (!username.empty()) w.field("username", username);
  w.key("allowed_mentions").begin_object().key("parse").begin_array().end_array().end_object();
  w.key("embeds").begin_array();
  for (size_t i = 0; i < shown; ++i) {
    const Notification& n = message.notifications[i];
    const int color = n.kind == Kind::kFiring ? 0xE01E5A : n.kind == Kind::kResolved ? 0x2EB67D : 0x1D9BD1;
    w.begin_object().field("title", utf8_prefix(status_tag(n.kind) + " " + n.title, title_cap));
    w.field("description", utf8_prefix(n.text, description_cap)).field("color", color);
    w.field("timestamp", rfc3339(n.time));
    if (!n.links.empty() && n.links.front().url.starts_with("http")) w.field("url", n.links.front().url);
    w.key("fields").begin_array();
    if (!n.node.empty()) {
      w.begin_object().field("name", "node").field("value", utf8_prefix(n.node, kFieldCap)).field("inline", true).end_object();
    }
    if (!n.severity.empty()) {
      w.begin_object().field("name", "severity").field("value", utf8_prefix(n.severity, kFieldCap));
      w.field("inline", true).end_object();
    }
    w.end_array().end_object();
  }
  w.end_array().end_object();
  return w.take();
}

std::string email_message(const Message& message, const MailAddressing& addressing, TimePoint now) {
  std::string to;
  for (const auto& address : addressing.to) to += (to.empty() ? "" : ", ") + one_line(address);
  const std::string subject(utf8_prefix(one_line(addressing.subject_prefix + summary_line(message)), 200));
  std::string mail;
  mail += "From: " + one_line(addressing.from) + "\r\n";
  mail += "To: " + to + "\r\n";
  mail += "Subject: " + encode_header_words(subject) + "\r\n";
  mail += "Date: " + rfc5322_date(now) + "\r\n";
  mail += "Message-ID: <" + message_id_local_part(message.id) + "@" + one_line(addressing.message_id_domain) + ">\r\n";
  mail += "X-Idempotency-Key: " + message_id_local_part(message.id) + "\r\n";
  mail += "MIME-Version: 1.0\r\n";
  mail += "Content-Type: text/plain; charset=utf-8\r\n";
  mail += "Content-Transfer-Encoding: base64\r\n";
  mail += "\r\n";
  mail += base64_lines(chat_text(message, false, 64 * 1024));
  return mail;
}

}  // namespace pnode::notify
