// Parsing of pRPC responses with simdjson On-Demand. See parse.h for what is accepted.
//
// Choices made here (tested in parse_test.cc):
// - A field of the wrong type, a negative or fractional number in an unsigned field, an
//   integer too large for its field, or a value outside its bound (prpc/bounds.h: a
//   version too long or with odd characters, a percent outside 0-100, a time before 2020,
//   a port outside 1-65535, ...) reads as null (std::nullopt) and is counted in
//   rejected_fields; the row is kept. Only malformed JSON fails the whole parse.
// - A pod row that is not an object, has neither address nor pubkey, or whose address or
//   pubkey is longer than kMaxIdentityBytes, or whose address has a space or a byte outside
//   printable ASCII, is skipped and counted in PodList::skipped.
//   A pubkey with characters outside base58 counts as missing (and rejected).
//   An empty address or pubkey counts as missing; a pod without address is keyed by its
//   pubkey (docs/reference-compat.md §2.3). "uptime_seconds" stands in for a missing "uptime".
// - A get-version answer whose version breaks the version rule is "wrong_shape".
// - "pods": null, a missing "pods" key or a "pods" that is not an array is "wrong_shape":
//   an error says "this node told us nothing", where an empty list would claim it sees
//   no peer at all.
// - A get-stats result must carry at least one get-stats key, so that a response of
//   another method is not mistaken for all-null stats.
#include "prpc/parse.h"

#include "prpc/bounds.h"
#include "prpc/json_values.h"
#include "prpc/parse_buffers.h"
#include "prpc/pod_storage.h"
#include "util/strings.h"

#include <simdjson.h>

#include <cmath>
#include <cstring>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>

namespace pnode::prpc {
namespace {

using namespace json_values;  // NOLINT(google-build-using-namespace): the readers this parser is made of
using detail::ParseBuffers;


// Walks past every element so the document is consumed to its end.
error_code skip_elements(od::array& arr) {
  for (auto element : arr) {
    if (element.error()) return element.error();
  }
  return SUCCESS;
}

// Common to the three readers: the first shape problem seen, if any, and the size of the
// body being read (what a list's storage is sized from).
struct ShapeProblem {
  std::optional<std::string> problem;
  size_t body_bytes = 0;
  void note(std::string text) {
    if (!problem) problem = std::move(text);
  }
};

// A reader whose result is an object: each field goes to Derived::field(); an array
// result is a shape problem unless Derived declares its own array().
template <class Derived>
struct ObjectResultReader : ShapeProblem {
  error_code object(od::object& obj) {
    bool known;
    return for_each_field(obj, [&](const od::raw_json_string& k, od::value& v) {
      return static_cast<Derived*>(this)->field(k, v, known);
    });
  }
  error_code array(od::array& arr) {
    note("result is an array, expected an object");
    return skip_elements(arr);
  }
};

// ---- get-version ---------------------------------------------------------------------

struct VersionReader : ObjectResultReader<VersionReader> {
  using Output = VersionInfo;
  std::optional<std::string> version;
  bool saw_version = false;

  error_code field(const od::raw_json_string& key, od::value& v, bool& known) {
    known = key == "version";
    if (!known) return SUCCESS;
    saw_version = true;
    return read_string(v, version);
  }
  bool usable_as_bare() const { return saw_version; }
  Result<Output> finish() {
    if (problem) return make_error(ErrorCode::kWrongShape, *problem);
    if (!saw_version) return make_error(ErrorCode::kWrongShape, "result has no version");
    if (!version) return make_error(ErrorCode::kWrongShape, "version is not a string");
    if (!is_plausible_version(*version))
      return make_error(ErrorCode::kWrongShape, "version is not a plausible version string (" +
                                                    std::to_string(version->size()) + " bytes)");
    return VersionInfo{std::move(*version)};
  }
};

// ---- get-stats -------------------------------------------------------------------------

struct StatsReader : ObjectResultReader<StatsReader> {
  using Output = NodeStats;
  NodeStats stats;
  bool saw_stats_key = false;

  // The flat keys; "metadata" and "stats" (the nested docs shape) hold the same keys.
  error_code field(const od::raw_json_string& key, od::value& v, bool& known, bool allow_nested = true) {
    known = true;
    error_code e = SUCCESS;
    uint64_t& rejected = stats.rejected_fields;
    if (key == "active_streams") e = read_unsigned_upto(v, stats.active_streams, kMaxCount, rejected);
    else if (key == "cpu_percent") e = read_percent(v, stats.cpu_percent, rejected);
    else if (key == "current_index") e = read_unsigned_upto(v, stats.current_index, kMaxBytes, rejected);
    else if (key == "file_size") e = read_unsigned_upto(v, stats.file_size, kMaxBytes, rejected);
    else if (key == "last_updated") e = read_last_updated(v);
    else if (key == "packets_received") e = read_unsigned_upto(v, stats.packets_received, kMaxBytes, rejected);
    else if (key == "packets_sent") e = read_unsigned_upto(v, stats.packets_sent, kMaxBytes, rejected);
    else if (key == "ram_total") e = read_unsigned_upto(v, stats.ram_total, kMaxBytes, rejected);
    else if (key == "ram_used") e = read_unsigned_upto(v, stats.ram_used, kMaxBytes, rejected);
    else if (key == "total_bytes") e = read_unsigned_upto(v, stats.total_bytes, kMaxBytes, rejected);
    else if (key == "total_pages") e = read_unsigned_upto(v, stats.total_pages, kMaxBytes, rejected);
    else if (key == "uptime") e = read_unsigned_upto(v, stats.uptime, kMaxUptimeSeconds, rejected);
    else if (allow_nested && (key == "metadata" || key == "stats")) return nested(v);
    else known = false;
    saw_stats_key |= known;
    return e;
  }
  // A unix time, or 0 as nodes send before their first update.
  error_code read_last_updated(od::value& v) {
    return read_checked(v, stats.last_updated, stats.rejected_fields, read_unsigned, [](uint64_t t) {
      return t == 0 || (t >= static_cast<uint64_t>(kMinTimestamp) && t < static_cast<uint64_t>(kMaxTimestamp));
    });
  }
  error_code nested(od::value& v) {
    od::json_type t;
    if (auto e = v.type().get(t)) return e;
    if (t != od::json_type::object) return SUCCESS;  // a null group: its fields stay null
    od::object obj;
    if (auto e = v.get_object().get(obj)) return e;
    bool known;
    return for_each_field(obj, [&](const od::raw_json_string& k, od::value& fv) {
      return field(k, fv, known, /*allow_nested=*/false);
    });
  }
  bool usable_as_bare() const { return saw_stats_key; }
  Result<Output> finish() {
    if (problem) return make_error(ErrorCode::kWrongShape, *problem);
    if (!saw_stats_key) return make_error(ErrorCode::kWrongShape, "result has none of the get-stats fields");
    if (stats.ram_used && stats.ram_total && *stats.ram_used > *stats.ram_total) {  // would read as over 100 %
      stats.ram_used.reset();
      ++stats.rejected_fields;
    }
    return std::move(stats);
  }
};

// Reads `v`, a reader's list of rows under `name`: each row for an array; anything else
// notes a shape problem (the list was there, but of the wrong type).
template <class Reader>
error_code read_row_list(Reader& reader, const char* name, od::value& v, bool& saw_rows) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  if (t != od::json_type::array) {
    saw_rows = true;
    reader.note(std::string(name) + " is " + type_name(t) + ", expected an array");
    return SUCCESS;
  }
  od::array arr;
  if (auto e = v.get_array().get(arr)) return e;
  return reader.rows(arr);
}

// ---- get-pods / get-pods-with-stats ------------------------------------------------------

// One pod row into p; `keep` is false when the row must be skipped. Dropped values are
// counted in `rejected`. A pubkey goes into `spare_pubkey`'s buffer.
error_code read_pod(od::value& row, Pod& p, std::string& spare_pubkey, bool& keep, uint64_t& rejected) {
  keep = false;
  od::json_type t;
  if (auto e = row.type().get(t)) return e;
  if (t != od::json_type::object) return SUCCESS;
  od::object obj;
  if (auto e = row.get_object().get(obj)) return e;

  std::optional<std::string_view> address, pubkey;
  std::optional<uint64_t> uptime_seconds;
  error_code e = for_each_field(obj, [&](const od::raw_json_string& key, od::value& v) -> error_code {
    if (key == "address") return read_string_view(v, address);
    if (key == "is_public") return read_checked(v, p.is_public, rejected, read_bool, [](bool) { return true; });
    if (key == "last_seen_timestamp") return read_timestamp(v, p.last_seen_timestamp, rejected);
    if (key == "pubkey") return read_string_view(v, pubkey);
    if (key == "rpc_port") return read_signed_within(v, p.rpc_port, kMinPort, kMaxPort, rejected);
    if (key == "storage_committed") return read_unsigned_upto(v, p.storage_committed, kMaxBytes, rejected);
    if (key == "storage_usage_percent") return read_percent(v, p.storage_usage_percent, rejected);
    if (key == "storage_used") return read_unsigned_upto(v, p.storage_used, kMaxBytes, rejected);
    if (key == "uptime") return read_unsigned_upto(v, p.uptime, kMaxUptimeSeconds, rejected);
    if (key == "version") return read_text(v, p.version, is_plausible_version, rejected);
    if (key == "last_seen") return read_text(v, p.last_seen, is_plausible_text, rejected);
    if (key == "uptime_seconds") return read_unsigned_upto(v, uptime_seconds, kMaxUptimeSeconds, rejected);
    return SUCCESS;
  });
  if (e) return e;

  if (address && address->empty()) address.reset();
  if (pubkey && pubkey->empty()) pubkey.reset();
  if (pubkey && pubkey->size() <= kMaxIdentityBytes && !all_of_chars(*pubkey, is_base58_char)) {
    pubkey.reset();
    ++rejected;
  }
  if (!address && !pubkey) return SUCCESS;
  if (address && !is_plausible_address(*address)) return SUCCESS;
  if (pubkey && pubkey->size() > kMaxIdentityBytes) return SUCCESS;
  p.address = address ? *address : *pubkey;
  if (pubkey) p.pubkey.emplace(std::move(spare_pubkey)).assign(*pubkey);
  if (!p.uptime) p.uptime = uptime_seconds;
  keep = true;
  return SUCCESS;
}

// A pod row is at least this long in the nodes' answers (~150 bytes without stats, ~300
// with them), so a list is sized from its body without counting its rows.
constexpr size_t kRowBytesFloor = 128;

struct PodsReader : ObjectResultReader<PodsReader> {
  using Output = PodList;
  PodList list;
  bool saw_pods = false;
  size_t kept = 0;  // pods read into list.pods; the rest are an earlier list's, to recycle

  error_code rows(od::array& arr) {
    saw_pods = true;
    // Sized once from the body's size: grown row by row, a list of 100k pods is moved ~17
    // times into fresh, page-faulting memory, and counting the rows first walked the
    // whole list twice (~5% of a cycle). A body of short rows only grows the vector
    // as before; the room a body of long rows leaves unused is never touched.
    // A large list takes the storage an earlier one gave back (prpc/pod_storage.h), and
    // a new one gets 1/16 of room more, so the seeds' lists, a little longer or shorter
    // each, fit in each other's.
    const size_t count = body_bytes / kRowBytesFloor;
    if (list.pods.capacity() == 0) list.pods = take_pod_storage(count);
    if (list.pods.capacity() < kept + count)
      list.pods.reserve(kept + count + (count >= kPooledFromPods ? count / 16 : 0));
    for (auto element : arr) {
      od::value row;
      if (auto e = element.get(row)) return e;
      // Read in place: a Pod is ~300 bytes of strings and optionals, and moving each
      // into the list cost as much as reading its numbers. A pod an earlier list left in
      // its storage is recycled, its strings' buffers reused (a pubkey is an allocation).
      std::string spare_pubkey;
      Pod& pod = kept < list.pods.size() ? recycle(list.pods[kept], spare_pubkey) : list.pods.emplace_back();
      bool keep;
      error_code e = read_pod(row, pod, spare_pubkey, keep, list.rejected_fields);
      if (e) return e;
      if (keep) ++kept;
      else ++list.skipped;
    }
    return SUCCESS;
  }
  // Clears a recycled pod, keeping its address's buffer and handing its pubkey's out.
  static Pod& recycle(Pod& pod, std::string& spare_pubkey) {
    if (pod.pubkey) spare_pubkey = std::move(*pod.pubkey);
    std::string address = std::move(pod.address);
    pod = Pod{};
    pod.address = std::move(address);
    return pod;
  }
  error_code field(const od::raw_json_string& key, od::value& v, bool& known) {
    known = true;
    if (key == "total_count") return read_unsigned_upto(v, list.total_count, kMaxCount, list.rejected_fields);
    if (!(key == "pods")) {
      known = false;
      return SUCCESS;
    }
    return read_row_list(*this, "pods", v, saw_pods);
  }
  error_code array(od::array& arr) { return rows(arr); }
  bool usable_as_bare() const { return saw_pods; }
  Result<Output> finish() {
    list.pods.erase(list.pods.begin() + static_cast<std::ptrdiff_t>(kept), list.pods.end());
    if (problem) return make_error(ErrorCode::kWrongShape, *problem);
    if (!saw_pods) return make_error(ErrorCode::kWrongShape, "result has no pods");
    return std::move(list);
  }
};

// ---- pod credits -------------------------------------------------------------------------

bool is_pubkey(std::string_view s) {
  return s.size() >= kMinPubkeyBytes && s.size() <= kMaxPubkeyBytes && all_of_chars(s, is_base58_char);
}

// One credits row into c; `keep` is false when it must be skipped.
error_code read_credit(od::value& row, PodCredit& c, bool& keep, uint64_t& rejected) {
  keep = false;
  od::json_type t;
  if (auto e = row.type().get(t)) return e;
  if (t != od::json_type::object) return SUCCESS;
  od::object obj;
  if (auto e = row.get_object().get(obj)) return e;
  std::optional<std::string_view> pod_id;
  std::optional<double> credits;
  error_code e = for_each_field(obj, [&](const od::raw_json_string& key, od::value& v) -> error_code {
    if (key == "pod_id") return read_string_view(v, pod_id);
    if (key == "credits") {
      return read_checked(v, credits, rejected, read_double,
                          [](double x) { return x >= -kMaxCreditsMagnitude && x <= kMaxCreditsMagnitude; });
    }
    return SUCCESS;
  });
  if (e) return e;
  if (!pod_id || !is_pubkey(*pod_id) || !credits) return SUCCESS;
  c.pod_id.assign(*pod_id);
  c.credits = *credits;
  keep = true;
  return SUCCESS;
}

struct CreditsReader : ObjectResultReader<CreditsReader> {
  using Output = CreditList;
  CreditList list;
  std::unordered_map<std::string, size_t> index;  // pod_id -> row in list.pods
  bool saw_rows = false;

  error_code rows(od::array& arr) {
    saw_rows = true;
    for (auto element : arr) {
      od::value row;
      if (auto e = element.get(row)) return e;
      PodCredit credit;
      bool keep;
      if (auto e = read_credit(row, credit, keep, list.rejected_fields)) return e;
      if (!keep) {
        ++list.skipped;
        continue;
      }
      auto [at, inserted] = index.try_emplace(credit.pod_id, list.pods.size());
      if (inserted) {
        list.pods.push_back(std::move(credit));
      } else {
        list.pods[at->second] = std::move(credit);
      }
    }
    return SUCCESS;
  }
  error_code field(const od::raw_json_string& key, od::value& v, bool& known) {
    known = key == "pods_credits";
    if (!known) return SUCCESS;
    return read_row_list(*this, "pods_credits", v, saw_rows);
  }
  error_code array(od::array& arr) { return rows(arr); }
  bool usable_as_bare() const { return saw_rows; }
  Result<Output> finish() {
    if (problem) return make_error(ErrorCode::kWrongShape, *problem);
    if (!saw_rows) return make_error(ErrorCode::kWrongShape, "answer has no pods_credits");
    return std::move(list);
  }
};

// ---- the envelope ------------------------------------------------------------------------

Error invalid_json(error_code e) {
  return make_error(ErrorCode::kInvalidJson, std::string("response is not valid JSON: ") + simdjson::error_message(e));
}

// Reads a result value (under "result" or "data") into reader.
template <class Reader>
error_code read_result_value(od::value& v, Reader& reader) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  bool is_null;
  if (auto e = check_null(v, t, is_null)) return e;
  if (t == od::json_type::object) {
    od::object obj;
    if (auto e = v.get_object().get(obj)) return e;
    return reader.object(obj);
  }
  if (t == od::json_type::array) {
    od::array arr;
    if (auto e = v.get_array().get(arr)) return e;
    return reader.array(arr);
  }
  reader.note(std::string("result is ") + type_name(t) + ", expected an object");
  return SUCCESS;
}

// A JSON-RPC error member: its text, "<code> <message>" (parse.h promises the code
// first), and its code when it had an integral one.
struct RpcErrorMember {
  std::string text;
  std::optional<int64_t> code;
};

error_code read_rpc_error(od::value& v, std::optional<RpcErrorMember>& out) {
  od::json_type t;
  if (auto e = v.type().get(t)) return e;
  bool is_null;
  if (auto e = check_null(v, t, is_null)) return e;
  if (is_null) return SUCCESS;
  if (t == od::json_type::boolean) {  // "error": false means no error, as for null
    std::optional<bool> b;
    if (auto e = read_bool(v, b)) return e;
    if (!*b) return SUCCESS;
  }
  if (t == od::json_type::string) {
    std::optional<std::string> text;
    if (auto e = read_error_text(v, text)) return e;
    if (text) out = RpcErrorMember{std::move(*text), std::nullopt};
    return SUCCESS;
  }
  if (t != od::json_type::object) {
    out = RpcErrorMember{std::string("malformed error member (") + type_name(t) + ")", std::nullopt};
    return SUCCESS;
  }
  od::object obj;
  if (auto e = v.get_object().get(obj)) return e;
  std::optional<int64_t> code;
  std::optional<std::string> message;
  error_code e = for_each_field(obj, [&](const od::raw_json_string& key, od::value& fv) -> error_code {
    if (key == "code") return read_signed(fv, code);
    if (key == "message") return read_error_text(fv, message);
    return SUCCESS;
  });
  if (e) return e;
  std::string text = code ? std::to_string(*code) : std::string();
  if (message) text += (text.empty() ? "" : " ") + *message;
  out = RpcErrorMember{text.empty() ? std::string("unspecified error") : std::move(text), code};
  return SUCCESS;
}

// Parses a top-level object that is an envelope, a {"status","data"} wrapper or a bare
// result. A JSON-RPC error wins over any result; "result" wins over "data"; fields
// outside the envelope keys are read as a bare result, used only when there is no
// "result" or "data".
template <class Reader>
Result<typename Reader::Output> parse_top_object(od::object& top, size_t body_bytes) {
  Reader enveloped, bare;
  enveloped.body_bytes = bare.body_bytes = body_bytes;
  bool saw_result = false, result_null = false, saw_data = false, data_null = false;
  std::optional<RpcErrorMember> rpc_error;
  error_code e = for_each_field(top, [&](const od::raw_json_string& key, od::value& v) -> error_code {
    const bool is_result = key == "result";
    if (is_result || key == "data") {
      if (is_result ? saw_result : (saw_data || saw_result)) return SUCCESS;  // "result" wins
      (is_result ? saw_result : saw_data) = true;
      od::json_type t;
      if (auto te = v.type().get(t)) return te;
      bool is_null;
      if (auto ne = check_null(v, t, is_null)) return ne;
      (is_result ? result_null : data_null) = is_null;
      if (is_result) {  // a "data" read before "result" is dropped
        enveloped = Reader{};
        enveloped.body_bytes = body_bytes;
      }
      return is_null ? SUCCESS : read_result_value(v, enveloped);
    }
    if (key == "error") return read_rpc_error(v, rpc_error);
    if (key == "jsonrpc" || key == "id" || key == "status") return SUCCESS;
    bool known;
    return bare.field(key, v, known);
  });
  if (e) return invalid_json(e);
  if (rpc_error) {
    Error error = make_error(ErrorCode::kRpcError, std::move(rpc_error->text));
    error.rpc_code = rpc_error->code;
    return error;
  }
  if (saw_result || saw_data) {
    if (saw_result ? result_null : data_null) return make_error(ErrorCode::kWrongShape, "result is null");
    return enveloped.finish();
  }
  if (bare.usable_as_bare()) return bare.finish();
  return make_error(ErrorCode::kWrongShape, "response has no result");
}

// A document that is not an object or array: tell malformed from merely unexpected.
error_code check_scalar_document(od::document& doc, od::json_type t) {
  switch (t) {
    case od::json_type::number: return doc.get_number().error();
    case od::json_type::string: return doc.get_string().error();
    case od::json_type::boolean: return doc.get_bool().error();
    case od::json_type::null: {
      bool is_null = false;
      if (auto e = doc.is_null().get(is_null)) return e;
      return is_null ? SUCCESS : simdjson::TAPE_ERROR;
    }
    default: return SUCCESS;
  }
}

// The set large bodies of one kind of response share, with the lock a parse holds on it.
template <class Reader>
std::pair<std::mutex, ParseBuffers>& shared_buffers() {
  static std::pair<std::mutex, ParseBuffers> shared;
  return shared;
}

// `owner`, when given, holds `body` and may be padded in place (and is given back as it
// was); otherwise the body is copied into padded buffers.
template <class Reader>
Result<typename Reader::Output> parse_response(std::string_view body, std::string* owner = nullptr) {
  if (body.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    return make_error(ErrorCode::kInvalidJson, "empty response body");
  }
  thread_local ParseBuffers reused;
  auto& [shared_mutex, shared] = shared_buffers<Reader>();
  std::optional<ParseBuffers> one_off;
  std::unique_lock<std::mutex> shared_lock(shared_mutex, std::defer_lock);
  ParseBuffers* chosen = &reused;
  if (body.size() > ParseBuffers::kReusableBytes) {
    chosen = &one_off.emplace();
  } else if (body.size() >= ParseBuffers::kSharedFromBytes) {
    shared_lock.lock();
    chosen = &shared;
  }
  ParseBuffers& buffers = *chosen;
  struct Unpad {  // the owner's padding goes when the parse is over, whatever its outcome
    std::string* owner;
    size_t size;
    ~Unpad() {
      if (owner) owner->resize(size);
    }
  } unpad{owner, owner ? owner->size() : 0};
  od::document doc;
  if (auto e = buffers.parser().iterate(buffers.pad(body, owner)).get(doc)) return invalid_json(e);
  od::json_type t;
  if (auto e = doc.type().get(t)) return invalid_json(e);

  std::optional<Result<typename Reader::Output>> answer;
  if (t == od::json_type::object) {
    od::object top;
    if (auto e = doc.get_object().get(top)) return invalid_json(e);
    answer = parse_top_object<Reader>(top, body.size());
    if (!answer->ok() && answer->error().code == ErrorCode::kInvalidJson) return std::move(*answer);
  } else if (t == od::json_type::array) {
    od::array top;
    if (auto e = doc.get_array().get(top)) return invalid_json(e);
    Reader reader;
    reader.body_bytes = body.size();
    if (auto e = reader.array(top)) return invalid_json(e);
    answer = reader.finish();
  } else {
    if (auto e = check_scalar_document(doc, t)) return invalid_json(e);
    answer = make_error(ErrorCode::kWrongShape, std::string("response is ") + type_name(t) + ", expected an object");
  }
  if (doc.current_location().error() != simdjson::OUT_OF_BOUNDS) {  // something after the value
    return invalid_json(simdjson::TRAILING_CONTENT);
  }
  return std::move(*answer);
}

}  // namespace

Result<VersionInfo> parse_get_version(std::string_view body) { return parse_response<VersionReader>(body); }
Result<NodeStats> parse_get_stats(std::string_view body) { return parse_response<StatsReader>(body); }
Result<PodList> parse_pods(std::string_view body) { return parse_response<PodsReader>(body); }
Result<PodList> parse_pods_in_place(std::string& body) { return parse_response<PodsReader>(body, &body); }
Result<CreditList> parse_pod_credits(std::string_view body) { return parse_response<CreditsReader>(body); }

template <class Reader>
void release_shared_buffers() {
  auto& [mutex, buffers] = shared_buffers<Reader>();
  std::lock_guard lock(mutex);
  buffers.release();
}

void release_shared_parse_buffers() {
  release_shared_buffers<VersionReader>();
  release_shared_buffers<StatsReader>();
  release_shared_buffers<PodsReader>();
  release_shared_buffers<CreditsReader>();
}

size_t shared_pods_parse_buffer_bytes() {
  auto& [mutex, buffers] = shared_buffers<PodsReader>();
  std::lock_guard lock(mutex);
  return buffers.capacity();
}

}  // namespace pnode::prpc
