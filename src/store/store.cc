// open_store(): picks the backend from a database URL.
// Accepted forms:
//   sqlite:///absolute/path.db   -> /absolute/path.db
//   sqlite://relative/path.db    -> relative/path.db, from the working directory
// The path is taken literally (no percent-decoding, no query parameters). Parent
// directories and the file are created. postgres:// and postgresql:// URLs go to libpq
// as they are (PG* environment variables fill in what they leave out); anything else is
// refused.
#include <string_view>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"
#include "store/store.h"

namespace pnode::store {

Result<std::vector<StoredRegistryRow>> Store::registry_rows() {
  return make_error(ErrorCode::kNotImplemented, "this store cannot list registry rows");
}

Result<int64_t> Store::delete_registry_rows(const std::vector<RegistryRowMatch>&) {
  return make_error(ErrorCode::kNotImplemented, "this store cannot delete registry rows");
}

Status Store::write_history_bulk(const std::vector<NodeHistoryRow>&) {
  return make_error(ErrorCode::kNotImplemented, "this store cannot write history in bulk");
}

Status Store::write_events(const std::vector<EventRecord>&) {
  return make_error(ErrorCode::kNotImplemented, "this store has no event outbox");
}

Status Store::write_attempt_events(const std::vector<EventRecord>& events, const std::string&) {
  return write_events(events);
}

Status Store::write_probe_round(const ProbeRoundWrite&) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no probe history");
}

Result<std::vector<ProbeRecord>> Store::probe_history(const std::string&, int64_t, int64_t, size_t) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no probe history");
}

Result<std::vector<model::AvailabilitySession>> Store::availability_sessions(const std::string&, int64_t) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no availability sessions");
}

Status Store::write_credits(const std::vector<CreditRecord>&, int64_t, const std::optional<LeaseToken>&) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no credits history");
}

Result<std::vector<CreditRecord>> Store::credits_history(const std::string&, int64_t, int64_t, size_t) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no credits history");
}

Result<std::string> Store::monitor_state() {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no alert states");
}

Result<SilenceRecord> Store::add_silence(const SilenceRecord&, int64_t, size_t) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no silences");
}

Result<std::vector<SilenceRecord>> Store::silences(int64_t) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no silences");
}

Result<bool> Store::remove_silence(const std::string&) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no silences");
}

Status Store::record_ack(const AckRecord&, size_t) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no acknowledgements");
}

Result<std::vector<AckRecord>> Store::acks() {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no acknowledgements");
}

Result<SubscriptionRecord> Store::add_subscription(const SubscriptionRecord&, int64_t, size_t) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no subscriptions");
}

Result<std::vector<SubscriptionRecord>> Store::subscriptions() {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no subscriptions");
}

Result<bool> Store::remove_subscription(const std::string&) {
  return make_error(ErrorCode::kNotImplemented, "this store keeps no subscriptions");
}

Result<std::vector<StoredEvent>> Store::read_events(const EventQuery&) {
  return make_error(ErrorCode::kNotImplemented, "this store has no event outbox");
}

Result<int64_t> Store::last_event_seq() {
  return make_error(ErrorCode::kNotImplemented, "this store has no event outbox");
}

Result<int64_t> Store::event_cursor(const std::string&) {
  return make_error(ErrorCode::kNotImplemented, "this store has no event outbox");
}

Status Store::save_event_cursor(const std::string&, int64_t) {
  return make_error(ErrorCode::kNotImplemented, "this store has no event outbox");
}

Result<HistoryFootprint> Store::history_footprint() {
  return make_error(ErrorCode::kNotImplemented, "this store cannot measure its history");
}

Result<uint64_t> Store::latest_cycle() {
  auto state = load();
  if (!state.ok()) return state.error();
  return state->snapshot ? state->snapshot->cycle : uint64_t{0};
}

Result<std::optional<LeaseToken>> Store::try_acquire_lease(const std::string&, std::chrono::milliseconds) {
  return make_error(ErrorCode::kNotImplemented, "this store has no collector lease (one process uses it)");
}

Result<bool> Store::renew_lease(const LeaseToken&, std::chrono::milliseconds) {
  return make_error(ErrorCode::kNotImplemented, "this store has no collector lease (one process uses it)");
}

Status Store::resign_lease(const LeaseToken&) {
  return make_error(ErrorCode::kNotImplemented, "this store has no collector lease (one process uses it)");
}

Result<std::unique_ptr<Store>> open_store(const std::string& database_url, const OpenOptions& options) {
  constexpr std::string_view kSqlite = "sqlite://";
  std::string_view url = database_url;
  if (url.empty()) {
    return make_error(ErrorCode::kInvalidDatabaseUrl, "the database URL is empty; expected sqlite:///absolute/path.db");
  }
  if (url.starts_with(kSqlite)) {
    std::string_view path = url.substr(kSqlite.size());
    if (path.empty() || path == "/") {
      return make_error(ErrorCode::kInvalidDatabaseUrl,
                        "database URL \"" + database_url + "\" names no file; expected sqlite:///absolute/path.db");
    }
    if (path.find('?') != std::string_view::npos) {
      return make_error(
          ErrorCode::kInvalidDatabaseUrl,
          "database URL \"" + database_url + "\" has query parameters, which the SQLite store does not take");
    }
    sqlite::SqliteOptions sqlite_options;
    sqlite_options.max_page_count = options.max_page_count;
    sqlite_options.integrity_check = options.integrity_check;
    sqlite_options.on_corrupt = options.on_corrupt;
    return sqlite::open_sqlite_store(std::string(path), sqlite_options);
  }
  if (url.starts_with("postgres://") || url.starts_with("postgresql://")) {
    return postgres::open_postgres_store(database_url);
  }
  // Name only the scheme: the rest of a URL may hold credentials.
  size_t colon = url.find(':');
  std::string scheme(colon == std::string_view::npos ? std::string_view("(none)") : url.substr(0, colon));
  return make_error(ErrorCode::kInvalidDatabaseUrl,
                    "unsupported database URL scheme \"" + scheme +
                        "\"; expected sqlite:///absolute/path.db (or sqlite://relative/path.db)");
}

}  // namespace pnode::store
