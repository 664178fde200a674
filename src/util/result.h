// Result<T>: a value or an error message, for failures at boundaries (network, disk,
// user input) that the caller must handle and report, never throw across.
// Thread-safety: a plain value type; no shared state.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace pnode {

// The error half of a Result: a message a user can act on, plus a machine-readable kind
// chosen by the unit that produced it.
struct Error {
  std::string kind;     // short token, e.g. "timeout", "invalid_json", "rpc_error"
  std::string message;  // human-readable, safe to log and to show
};

template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}         // NOLINT: implicit by design

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const Error& error() const { return std::get<1>(v_); }

  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Error> v_;
};

// For operations that return nothing but may fail.
struct Unit {};
using Status = Result<Unit>;
inline Status ok_status() { return Unit{}; }

inline Error make_error(std::string kind, std::string message) {
  return Error{std::move(kind), std::move(message)};
}

}  // namespace pnode
