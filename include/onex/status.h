// Errors as values. Every public onex call that can fail returns a Status or a Result<T>;
// no exception crosses the public API.
#pragma once

#include <cassert>
#include <chrono>
#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

namespace onex {

// What kind of failure a Status is. The kind decides the HTTP status a server answers with;
// the dotted `code` says exactly what happened and is the stable part of the contract.
enum class StatusKind {
  ok,
  bad_request,      // 400: malformed input, wrong types
  unauthenticated,  // 401
  forbidden,        // 403: the role may not do this
  not_found,        // 404: unknown id, or an id outside the caller's scope
  conflict,         // 409: illegal in the current state, version conflict, duplicate
  unprocessable,    // 422: well-formed but invalid fields (see `errors`)
  rate_limited,     // 429
  io_error,         // storage failed; nothing is known to have been written
  corruption,       // stored data is unreadable or its hash chain is broken
};

// One field at fault in a 422 answer.
struct FieldError {
  std::string field;    // "planned_trainees", "majors"
  std::string code;     // "required", "must_be_positive"
  std::string message;  // for people
  // In a table's refusal (an import, all rows or none): the row at fault as a spreadsheet
  // numbers it (the header is row 1); 0 otherwise.
  std::size_t row = 0;
  bool operator==(const FieldError&) const = default;
};

// The outcome of an operation: ok, or a kind, a stable dotted code
// ("declaration.window_closed", "store.io_error") and a message for people.
class Status {
 public:
  Status() = default;  // ok

  static Status ok() { return {}; }
  static Status bad_request(std::string code, std::string message) {
    return {StatusKind::bad_request, std::move(code), std::move(message)};
  }
  static Status forbidden(std::string code, std::string message) {
    return {StatusKind::forbidden, std::move(code), std::move(message)};
  }
  static Status not_found(std::string code, std::string message) {
    return {StatusKind::not_found, std::move(code), std::move(message)};
  }
  static Status conflict(std::string code, std::string message) {
    return {StatusKind::conflict, std::move(code), std::move(message)};
  }
  static Status unprocessable(std::string code, std::string message,
                              std::vector<FieldError> errors = {}) {
    Status s{StatusKind::unprocessable, std::move(code), std::move(message)};
    s.errors_ = std::move(errors);
    return s;
  }
  static Status io_error(std::string message) {
    return {StatusKind::io_error, "store.io_error", std::move(message)};
  }
  static Status corruption(std::string message) {
    return {StatusKind::corruption, "store.corruption", std::move(message)};
  }
  static Status make(StatusKind kind, std::string code, std::string message) {
    return {kind, std::move(code), std::move(message)};
  }

  // Facts of the refusal that a client reads as members of the answer beside `detail`
  // (account.locked: `until`), never parsed out of the message.
  Status with(std::string member, std::string value) && {
    members_.emplace_back(std::move(member), std::move(value));
    return std::move(*this);
  }
  // A rate_limited refusal: how long to wait before the same request can pass (an HTTP
  // answer's Retry-After).
  Status retry_in(std::chrono::seconds wait) && {
    retry_after_ = wait;
    return std::move(*this);
  }

  bool is_ok() const { return kind_ == StatusKind::ok; }
  explicit operator bool() const { return is_ok(); }
  StatusKind kind() const { return kind_; }
  const std::string& code() const { return code_; }
  const std::string& message() const { return message_; }
  const std::vector<FieldError>& errors() const { return errors_; }
  const std::vector<std::pair<std::string, std::string>>& members() const { return members_; }
  // The wait of a rate_limited refusal; a minute when none was said.
  std::chrono::seconds retry_after() const { return retry_after_; }

  // "code: message", for logs and test output.
  std::string to_string() const { return is_ok() ? "ok" : code_ + ": " + message_; }

 private:
  Status(StatusKind kind, std::string code, std::string message)
      : kind_(kind), code_(std::move(code)), message_(std::move(message)) {}

  StatusKind kind_ = StatusKind::ok;
  std::string code_;
  std::string message_;
  std::vector<FieldError> errors_;
  std::vector<std::pair<std::string, std::string>> members_;
  std::chrono::seconds retry_after_{60};
};

// A value or the Status that explains why there is none.
template <class T>
class Result {
 public:
  Result(T value) : v_(std::move(value)) {}             // NOLINT: implicit on purpose
  Result(Status status) : v_(std::move(status)) {       // NOLINT: implicit on purpose
    assert(!std::get<Status>(v_).is_ok() && "a Result holding a Status must hold a failure");
  }

  bool is_ok() const { return std::holds_alternative<T>(v_); }
  explicit operator bool() const { return is_ok(); }

  // Only on success.
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Ok when holding a value.
  Status status() const { return is_ok() ? Status{} : std::get<Status>(v_); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace onex
