#include "broker/nats_publisher.h"

#include <nats/nats.h>

#include <algorithm>
#include <utility>


namespace pnode::broker {
namespace {

constexpr size_t kMaxEventTypeBytes = 64;
constexpr size_t kMaxEventIdBytes = 128;

bool is_subject_token_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
}

Error nats_error(natsStatus status, const std::string& what) {
  const char* last = nats_GetLastError(nullptr);
  std::string text = what + ": " + natsStatus_GetText(status);
  if (last && *last) text += " (" + std::string(last) + ")";
  ErrorCode code = ErrorCode::kIoError;
  if (status == NATS_TIMEOUT) code = ErrorCode::kTimeout;
  if (status == NATS_NO_SERVER) code = ErrorCode::kRefused;
  return make_error(code, std::move(text));
}

int64_t to_nanoseconds(std::chrono::seconds s) {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(s).count();
}

}  // namespace

bool is_valid_event_type(std::string_view type) {
  return !type.empty() && type.size() <= kMaxEventTypeBytes && std::all_of(type.begin(), type.end(), is_subject_token_char);
}

bool is_valid_event_id(std::string_view id) {
  return !id.empty() && id.size() <= kMaxEventIdBytes &&
         std::all_of(id.begin(), id.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

// libnats objects, destroyed in reverse order of creation.
struct NatsPublisher::Handles {
  natsOptions* options = nullptr;
  natsConnection* connection = nullptr;
  jsCtx* js = nullptr;
  ~Handles() {
    if (js) jsCtx_Destroy(js);
    if (connection) natsConnection_Destroy(connection);
    if (options) natsOptions_Destroy(options);
  }
};

NatsPublisher::NatsPublisher(NatsOptions options, std::unique_ptr<Handles> handles)
    : options_(std::move(options)), handles_(std::move(handles)) {}

NatsPublisher::~NatsPublisher() = default;

Result<std::unique_ptr<NatsPublisher>> NatsPublisher::connect(const NatsOptions& options) {
  if (options.url.empty()) return make_error(ErrorCode::kConfig, "NATS_URL is empty");
  auto handles = std::make_unique<Handles>();
  natsStatus s = natsOptions_Create(&handles->options);
  if (s == NATS_OK) s = natsOptions_SetURL(handles->options, options.url.c_str());
  if (s == NATS_OK) s = natsOptions_SetTimeout(handles->options, options.timeout.count());
  // Reconnect for ever in the background: the outbox keeps what could not be published.
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(handles->options, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(handles->options, 1000);
  if (s != NATS_OK) return make_error(ErrorCode::kConfig, std::string("NATS options: ") + natsStatus_GetText(s));
  s = natsConnection_Connect(&handles->connection, handles->options);
  if (s != NATS_OK) return nats_error(s, "cannot connect to NATS at " + options.url);
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = options.timeout.count();
  s = natsConnection_JetStream(&handles->js, handles->connection, &js_options);
  if (s != NATS_OK) return nats_error(s, "JetStream context");
  std::unique_ptr<NatsPublisher> publisher(new NatsPublisher(options, std::move(handles)));
  if (auto status = publisher->ensure_stream(); !status.ok()) return status.error();
  return publisher;
}

// Looks the stream up; creates it, capturing every subject under the prefix, when missing.
Status NatsPublisher::ensure_stream() {
  jsStreamInfo* info = nullptr;
  jsErrCode js_error = static_cast<jsErrCode>(0);
  natsStatus s = js_GetStreamInfo(&info, handles_->js, options_.stream.c_str(), nullptr, &js_error);
  if (s == NATS_OK) {
    jsStreamInfo_Destroy(info);
    return ok_status();
  }
  if (s != NATS_NOT_FOUND) return nats_error(s, "stream " + options_.stream);
  const std::string subjects = options_.subject_prefix + ".>";
  const char* subject_list[] = {subjects.c_str()};
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = options_.stream.c_str();
  config.Subjects = subject_list;
  config.SubjectsLen = 1;
  config.Storage = js_FileStorage;
  config.Duplicates = to_nanoseconds(options_.duplicate_window);
  config.MaxAge = to_nanoseconds(options_.max_age);
  s = js_AddStream(&info, handles_->js, &config, nullptr, &js_error);
  if (s != NATS_OK) {
    Error e = nats_error(s, "cannot create stream " + options_.stream);
    return make_error(ErrorCode::kConfig, e.message);
  }
  jsStreamInfo_Destroy(info);
  return ok_status();
}

std::string NatsPublisher::subject_for(std::string_view event_type) const {
  return options_.subject_prefix + "." + std::string(event_type);
}

Result<PublishAck> NatsPublisher::publish(std::string_view event_type, std::string_view event_id,
                                          std::string_view payload) {
  if (!is_valid_event_type(event_type)) return make_error(ErrorCode::kInvalidData, "event type is not one subject token");
  if (!is_valid_event_id(event_id)) return make_error(ErrorCode::kInvalidData, "event id is empty, too long or not printable");
  const int64_t max_payload = natsConnection_GetMaxPayload(handles_->connection);
  if (max_payload > 0 && payload.size() > static_cast<size_t>(max_payload))
    return make_error(ErrorCode::kInvalidData, "event payload exceeds the server's max_payload");
  const std::string subject = subject_for(event_type);
  const std::string id(event_id);
  jsPubOptions publish_options;
  jsPubOptions_Init(&publish_options);
  publish_options.MsgId = id.c_str();
  publish_options.MaxWait = options_.timeout.count();
  jsPubAck* ack = nullptr;
  jsErrCode js_error = static_cast<jsErrCode>(0);
  const natsStatus s = js_Publish(&ack, handles_->js, subject.c_str(), payload.data(), static_cast<int>(payload.size()),
                                  &publish_options, &js_error);
  if (s != NATS_OK) return nats_error(s, "publish to " + subject);
  PublishAck out{ack->Sequence, ack->Duplicate};
  jsPubAck_Destroy(ack);
  return out;
}

}  // namespace pnode::broker
