// Status and Result: how every fallible call in crmledger reports failure.
//
// A Status is ok or carries a code and one human-readable message. Codes are chosen by what the
// caller should do next (Abseil's convention), and the CLI maps each code to one exit code:
//   kInvalidArgument    malformed input (usage)                       exit 1
//   kNotFound, kAlreadyExists, kFailedPrecondition
//                       a rule says no; do not retry                  exit 2
//   kAborted            version conflict; reload and retry            exit 3
//   kUnavailable        transient storage/broker trouble; retry       exit 4
//   kCorruption         an undecodable or tampered record             exit 4 (verify: 2)
//   kInternal           a bug or an unexpected library failure        exit 4
// Result<T> holds a value or a non-ok Status. Both are [[nodiscard]]. Thread-compatible values.
#pragma once

#include <cassert>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace crm {

enum class StatusCode {
  kOk = 0,
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kFailedPrecondition,
  kAborted,
  kUnavailable,
  kCorruption,
  kInternal,
  kPermissionDenied,  // the actor's role does not allow the command (exit 2)
};

class [[nodiscard]] Status {
 public:
  Status() = default;
  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string msg) { return {StatusCode::kInvalidArgument, std::move(msg)}; }
  static Status NotFound(std::string msg) { return {StatusCode::kNotFound, std::move(msg)}; }
  static Status AlreadyExists(std::string msg) { return {StatusCode::kAlreadyExists, std::move(msg)}; }
  static Status FailedPrecondition(std::string msg) {
    return {StatusCode::kFailedPrecondition, std::move(msg)};
  }
  static Status Aborted(std::string msg) { return {StatusCode::kAborted, std::move(msg)}; }
  static Status Unavailable(std::string msg) { return {StatusCode::kUnavailable, std::move(msg)}; }
  static Status Corruption(std::string msg) { return {StatusCode::kCorruption, std::move(msg)}; }
  static Status Internal(std::string msg) { return {StatusCode::kInternal, std::move(msg)}; }
  static Status PermissionDenied(std::string msg) { return {StatusCode::kPermissionDenied, std::move(msg)}; }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }
  // "not found: campaign CP0009 does not exist" style, for logs.
  std::string ToString() const;
  // Returns a copy whose message is prefixed by `context: `.
  Status WithContext(std::string_view context) const;

 private:
  Status(StatusCode code, std::string msg) : code_(code), message_(std::move(msg)) {}
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

std::string_view StatusCodeName(StatusCode code);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}  // NOLINT: implicit by design, like absl::StatusOr
  Result(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }  // NOLINT

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace crm

// Early-return helpers; keep call sites flat instead of nesting `if (s.ok())`.
#define CRM_RETURN_IF_ERROR(expr)          \
  do {                                     \
    ::crm::Status crm_status_ = (expr);    \
    if (!crm_status_.ok()) return crm_status_; \
  } while (0)

#define CRM_CONCAT_INNER_(a, b) a##b
#define CRM_CONCAT_(a, b) CRM_CONCAT_INNER_(a, b)
#define CRM_ASSIGN_OR_RETURN(lhs, expr) CRM_ASSIGN_OR_RETURN_IMPL_(CRM_CONCAT_(crm_result_, __LINE__), lhs, expr)
#define CRM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                               \
  if (!tmp.ok()) return tmp.status();              \
  lhs = std::move(tmp).value()
