// Error: what went wrong at a boundary (network, disk, user input), as a closed set of
// codes plus structured fields, so that no caller parses a number or a kind back out of
// a message. Each code has one stable snake_case name (error_code_name): the token that
// leaves the process in API JSON, /metrics labels, log lines, stored snapshots, seed
// outcomes and verify reports. Those spellings are a contract: never rename one.
// Thread-safety: plain value types and pure functions; no shared state.
#pragma once

#include <array>
#include <cstdint>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace pnode {

// Every kind of failure any unit reports. Add a code at the end of its group, give it a
// name in error_code_name() and a place in kAllErrorCodes (the static_assert below and
// util/error_test.cc check both).
enum class ErrorCode : uint8_t {
  // Configuration and user input.
  kConfig,              // "config": a bad setting (file, environment or flag)
  kInvalidOption,       // "invalid_option": a bad command-line option
  kInvalidAddress,      // "invalid_address": a host, port or listen address that does not parse
  kInvalidDatabaseUrl,  // "invalid_database_url"
  kInvalidFault,        // "invalid_fault": a simulator --fault spec
  kInvalidSeed,         // "invalid_seed": a simulator seed index out of range
  // Transport (http::Client).
  kRefused,         // "refused": the connection was refused (or could not be made)
  kConnectTimeout,  // "connect_timeout": no TCP connection within the connect timeout
  kTimeout,         // "timeout": connected, but no complete answer within the total timeout
  kResolve,         // "resolve": the host name does not resolve
  kProtocol,        // "protocol": the connection closed early, or the answer is not HTTP
  kTooLarge,        // "too_large": the answer exceeds the size limit
  kCancelled,       // "cancelled": the client shut down before the request completed
  // pRPC answers.
  kHttpStatus,   // "http_status": an HTTP status other than 200 (Error::http_status)
  kInvalidJson,  // "invalid_json": the body is not JSON
  kWrongShape,   // "wrong_shape": JSON, but not the expected result
  kRpcError,     // "rpc_error": a JSON-RPC error envelope (Error::rpc_code when it has one)
  // HTTP server.
  kAddressInUse,    // "address_in_use"
  kBind,            // "bind": cannot listen for another reason
  kAlreadyRunning,  // "already_running"
  // Files.
  kNotFound,  // "not_found"
  kIo,        // "io": a file could not be read or listed
  // Store (the SQLite codes as db.cc maps them, then the store's own).
  kDiskFull,        // "disk_full"
  kIoError,         // "io_error"
  kBusy,            // "busy": locked by another connection past the busy timeout
  kConstraint,      // "constraint"
  kCorrupt,         // "corrupt": the database, or a stored blob, is unreadable
  kReadOnly,        // "read_only"
  kCannotOpen,      // "cannot_open"
  kDatabaseError,   // "database_error": any other database failure
  kSchemaTooNew,    // "schema_too_new": the database is ahead of this build
  kInvalidData,     // "invalid_data": data the store refuses to write
  kNotImplemented,  // "not_implemented": the backend lacks this operation
  kNoStore,         // "no_store": the operation needs a store and none is configured
  kNotLeader,       // "not_leader": a write fenced off: the lease is held by another instance or epoch
  // Anything else.
  kException,  // "exception": an exception caught at a boundary
};

// The stable token of `code`, e.g. "wrong_shape".
constexpr std::string_view error_code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::kConfig: return "config";
    case ErrorCode::kInvalidOption: return "invalid_option";
    case ErrorCode::kInvalidAddress: return "invalid_address";
    case ErrorCode::kInvalidDatabaseUrl: return "invalid_database_url";
    case ErrorCode::kInvalidFault: return "invalid_fault";
    case ErrorCode::kInvalidSeed: return "invalid_seed";
    case ErrorCode::kRefused: return "refused";
    case ErrorCode::kConnectTimeout: return "connect_timeout";
    case ErrorCode::kTimeout: return "timeout";
    case ErrorCode::kResolve: return "resolve";
    case ErrorCode::kProtocol: return "protocol";
    case ErrorCode::kTooLarge: return "too_large";
    case ErrorCode::kCancelled: return "cancelled";
    case ErrorCode::kHttpStatus: return "http_status";
    case ErrorCode::kInvalidJson: return "invalid_json";
    case ErrorCode::kWrongShape: return "wrong_shape";
    case ErrorCode::kRpcError: return "rpc_error";
    case ErrorCode::kAddressInUse: return "address_in_use";
    case ErrorCode::kBind: return "bind";
    case ErrorCode::kAlreadyRunning: return "already_running";
    case ErrorCode::kNotFound: return "not_found";
    case ErrorCode::kIo: return "io";
    case ErrorCode::kDiskFull: return "disk_full";
    case ErrorCode::kIoError: return "io_error";
    case ErrorCode::kBusy: return "busy";
    case ErrorCode::kConstraint: return "constraint";
    case ErrorCode::kCorrupt: return "corrupt";
    case ErrorCode::kReadOnly: return "read_only";
    case ErrorCode::kCannotOpen: return "cannot_open";
    case ErrorCode::kDatabaseError: return "database_error";
    case ErrorCode::kSchemaTooNew: return "schema_too_new";
    case ErrorCode::kInvalidData: return "invalid_data";
    case ErrorCode::kNotImplemented: return "not_implemented";
    case ErrorCode::kNoStore: return "no_store";
    case ErrorCode::kNotLeader: return "not_leader";
    case ErrorCode::kException: return "exception";
  }
  return {};  // not an enumerator
}

// Every code, in declaration order.
inline constexpr std::array kAllErrorCodes = {
    ErrorCode::kConfig,         ErrorCode::kInvalidOption,
    ErrorCode::kInvalidAddress, ErrorCode::kInvalidDatabaseUrl,
    ErrorCode::kInvalidFault,   ErrorCode::kInvalidSeed,
    ErrorCode::kRefused,        ErrorCode::kConnectTimeout,
    ErrorCode::kTimeout,        ErrorCode::kResolve,
    ErrorCode::kProtocol,       ErrorCode::kTooLarge,
    ErrorCode::kCancelled,      ErrorCode::kHttpStatus,
    ErrorCode::kInvalidJson,    ErrorCode::kWrongShape,
    ErrorCode::kRpcError,       ErrorCode::kAddressInUse,
    ErrorCode::kBind,           ErrorCode::kAlreadyRunning,
    ErrorCode::kNotFound,       ErrorCode::kIo,
    ErrorCode::kDiskFull,       ErrorCode::kIoError,
    ErrorCode::kBusy,           ErrorCode::kConstraint,
    ErrorCode::kCorrupt,        ErrorCode::kReadOnly,
    ErrorCode::kCannotOpen,     ErrorCode::kDatabaseError,
    ErrorCode::kSchemaTooNew,   ErrorCode::kInvalidData,
    ErrorCode::kNotImplemented, ErrorCode::kNoStore,
    ErrorCode::kNotLeader,      ErrorCode::kException,
};

static_assert(
    [] {
      for (size_t i = 0; i < kAllErrorCodes.size(); ++i) {
        if (kAllErrorCodes[i] != static_cast<ErrorCode>(i)) return false;
      }
      return error_code_name(static_cast<ErrorCode>(kAllErrorCodes.size())).empty();  // none left out at the end
    }(),
    "kAllErrorCodes lists every ErrorCode, in declaration order");

// The code whose name is `name`, if any (for reading back a stored token).
std::optional<ErrorCode> error_code_from_name(std::string_view name);

// GoogleTest prints codes by name.
void PrintTo(ErrorCode code, std::ostream* os);

// The error half of a Result: a code, a message a user can act on, and what is known
// about the failure in structured form.
struct Error {
  ErrorCode code;
  std::string message;              // human-readable, safe to log and to show
  std::optional<int64_t> rpc_code;  // kRpcError: the JSON-RPC error object's "code", if it had one
  std::optional<int> http_status;   // kHttpStatus: the status the server answered
  std::string where;                // what was talked to, when known: "host:port" or "host:port method"

  std::string_view kind() const { return error_code_name(code); }  // the stable token
  bool is(ErrorCode c) const { return code == c; }

  // Builders for the optional fields: make_error(...).with_where(w).with_http_status(s).
  Error with_rpc_code(int64_t value) && {
    rpc_code = value;
    return std::move(*this);
  }
  Error with_http_status(int value) && {
    http_status = value;
    return std::move(*this);
  }
  Error with_where(std::string value) && {
    where = std::move(value);
    return std::move(*this);
  }
};

inline Error make_error(ErrorCode code, std::string message) { return Error{code, std::move(message), {}, {}, {}}; }

}  // namespace pnode
