#pragma once
// Errors as values at module boundaries. A Status carries a canonical code (the
// small Abseil-style set below), a stable machine-readable reason that clients may
// branch on (for Graph routes it becomes error.code, e.g. "Request_BadRequest"),
// and a human message. "Not found" or "wrong password" is a Status, never an
// exception.
#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace gh {

enum class Code {
  kOk,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kPermissionDenied,
  kUnauthenticated,
  kResourceExhausted,
  kUnavailable,
  kInternal,
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(Code code, std::string message, std::string reason = {})
      : code_(code), message_(std::move(message)), reason_(std::move(reason)) {}

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // Stable identifier for clients; empty means "use the default for the code".
  const std::string& reason() const { return reason_; }
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string reason_;
};

inline Status OkStatus() { return {}; }
inline Status InvalidArgument(std::string m, std::string r = {}) { return {Code::kInvalidArgument, std::move(m), std::move(r)}; }
// A request that is malformed or breaks a rule of its shape (Graph's "Request_BadRequest").
inline Status BadRequest(std::string m) { return InvalidArgument(std::move(m), "Request_BadRequest"); }
inline Status NotFound(std::string m, std::string r = {}) { return {Code::kNotFound, std::move(m), std::move(r)}; }
inline Status AlreadyExists(std::string m, std::string r = {}) { return {Code::kAlreadyExists, std::move(m), std::move(r)}; }
inline Status FailedPrecondition(std::string m, std::string r = {}) { return {Code::kFailedPrecondition, std::move(m), std::move(r)}; }
inline Status PermissionDenied(std::string m, std::string r = {}) { return {Code::kPermissionDenied, std::move(m), std::move(r)}; }
inline Status Unauthenticated(std::string m, std::string r = {}) { return {Code::kUnauthenticated, std::move(m), std::move(r)}; }
inline Status ResourceExhausted(std::string m, std::string r = {}) { return {Code::kResourceExhausted, std::move(m), std::move(r)}; }
inline Status Unavailable(std::string m, std::string r = {}) { return {Code::kUnavailable, std::move(m), std::move(r)}; }
inline Status Internal(std::string m, std::string r = {}) { return {Code::kInternal, std::move(m), std::move(r)}; }

// Either a value or a non-OK Status.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(T value) : v_(std::move(value)) {}                 // NOLINT: implicit by design
  StatusOr(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  Status status() const { return ok() ? Status() : std::get<Status>(v_); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace gh

#define GH_CONCAT_INNER(a, b) a##b
#define GH_CONCAT(a, b) GH_CONCAT_INNER(a, b)

// Returns from the enclosing function when `expr` (a Status) is not OK.
#define GH_RETURN_IF_ERROR(expr)              \
  do {                                        \
    ::gh::Status gh_status_ = (expr);         \
    if (!gh_status_.ok()) return gh_status_;  \
  } while (0)

// `GH_ASSIGN_OR_RETURN(auto x, F());` binds the value or returns the Status.
#define GH_ASSIGN_OR_RETURN(lhs, expr) GH_ASSIGN_OR_RETURN_IMPL(GH_CONCAT(gh_so_, __LINE__), lhs, expr)
#define GH_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = std::move(tmp).value()
