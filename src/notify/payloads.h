// The bodies the channels send, built from a Message: our own JSON, the Alertmanager
// webhook body (version 4, so receivers written for Alertmanager work unchanged), the
// text of a chat message (plain or Telegram HTML), the Discord webhook body, and the
// e-mail (RFC 5322, with a Message-ID derived from the idempotency key).
// Thread-safety: pure functions.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "notify/notification.h"

namespace pnode::notify {

// {"id","group_key","status","group_labels","notifications":[{id,kind,title,text,
// severity,node,labels,time,started_at,links:[{title,url}]}]}
std::string json_body(const Message& message);

// Alertmanager's webhook body: version "4", groupKey, status, receiver, groupLabels,
// commonLabels, commonAnnotations, externalURL, truncatedAlerts and alerts[] with status,
// labels, annotations (summary = title, description = text, severity), startsAt,
// endsAt, generatorURL (the first link) and fingerprint. Events travel as alerts whose
// startsAt and endsAt are the event's time.
std::string alertmanager_body(const Message& message, std::string_view receiver, std::string_view external_url);

// A chat message: one block per notification (status, title, text, links), cut to at
// most max_bytes on a UTF-8 character boundary with a note saying how many were left
// out. With html, the text is escaped for Telegram's parse_mode "HTML" and titles bold.
std::string chat_text(const Message& message, bool html, size_t max_bytes);

// Discord's webhook body: "content" (the summary line) and one embed per notification
// (at most Discord's 10), no mentions allowed.
std::string discord_body(const Message& message, std::string_view username);

struct MailAddressing {
  std::string from;             // "alerts@example.org"
  std::vector<std::string> to;  // each "someone@example.org"
  std::string subject_prefix;   // e.g. "[pnode] "
  std::string message_id_domain = "pnode-analytics.invalid";
};

// The e-mail: From, To, Subject (RFC 2047 encoded when not ASCII), Date, Message-ID
// <idempotency-key@domain>, MIME-Version, a text/plain UTF-8 body in Base64 (lines of 76)
// so no line runs past SMTP's limit, and X-Idempotency-Key. Lines end in CRLF.
std::string email_message(const Message& message, const MailAddressing& addressing, TimePoint now);

// `s` on one line: control characters (CR and LF above all: header injection) become spaces.
std::string one_line(std::string_view s);

// The Subject of the mail of `message`, before encoding.
std::string summary_line(const Message& message);

}  // namespace pnode::notify
