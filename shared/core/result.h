// Errors as values. Every fallible operation in the core returns a Status or a
// Result<T>; nothing throws (the wasm32 builds have no exceptions). An Error names
// what kind of failure it is (which maps to an HTTP status at the edge), a SCIM
// scimType where one applies (RFC 7644 §3.12), and a detail written for a human.
#pragma once

#include <string>
#include <utility>
#include <variant>

namespace dirbridge {

enum class ErrorKind {
  kInvalidInput,        // 400: the request is malformed or violates the schema
  kUnauthorized,        // 401: no or wrong credentials
  kForbidden,           // 403
  kNotFound,            // 404
  kMethodNotAllowed,    // 405
  kConflict,            // 409: uniqueness or state conflict
  kPreconditionFailed,  // 412: If-Match / If-None-Match
  kPayloadTooLarge,     // 413
  kUriTooLong,          // 414: the request target is over kMaxUrlBytes (core/http_message.h)
  kTooManyRequests,     // 429: a rate limit; retry_after_seconds says when
  kUnsupported,         // 501: a feature we do not offer
  kUnavailable,         // 503: not configured
  kCorrupt,             // 500: a stored record does not parse (the store's fault, not the request's)
  kInternal,            // 500: a bug or a broken host
};

struct Error {
  ErrorKind kind = ErrorKind::kInternal;
  std::string detail;
  std::string scim_type;  // empty when no SCIM scimType applies
  // When to try again, sent as Retry-After (RFC 9110 §10.2.3) by both error writers;
  // 0: no such header. For a 503 whose cause passes (a full outbox draining).
  int retry_after_seconds = 0;
};

int HttpStatusFor(ErrorKind kind);

inline Error InvalidInput(std::string detail, std::string scim_type = "invalidValue") {
  return Error{ErrorKind::kInvalidInput, std::move(detail), std::move(scim_type)};
}
inline Error NotFound(std::string detail) { return Error{ErrorKind::kNotFound, std::move(detail), {}}; }
inline Error Conflict(std::string detail, std::string scim_type = "uniqueness") {
  return Error{ErrorKind::kConflict, std::move(detail), std::move(scim_type)};
}
inline Error Unauthorized(std::string detail) { return Error{ErrorKind::kUnauthorized, std::move(detail), {}}; }
inline Error Forbidden(std::string detail) { return Error{ErrorKind::kForbidden, std::move(detail), {}}; }
inline Error MethodNotAllowedError(std::string detail) {
  return Error{ErrorKind::kMethodNotAllowed, std::move(detail), {}};
}
// If-Match / If-None-Match did not hold.
inline Error PreconditionFailed(std::string detail) {
  return Error{ErrorKind::kPreconditionFailed, std::move(detail), {}};
}
inline Error PayloadTooLarge(std::string detail) { return Error{ErrorKind::kPayloadTooLarge, std::move(detail), {}}; }
inline Error UriTooLong(std::string detail) { return Error{ErrorKind::kUriTooLong, std::move(detail), {}}; }
inline Error Unsupported(std::string detail) { return Error{ErrorKind::kUnsupported, std::move(detail), {}}; }
inline Error Unavailable(std::string detail) { return Error{ErrorKind::kUnavailable, std::move(detail), {}}; }
// 503 with Retry-After: the request is fine, but cannot be taken now.
inline Error UnavailableFor(int retry_after_seconds, std::string detail) {
  return Error{ErrorKind::kUnavailable, std::move(detail), {}, retry_after_seconds};
}
// 429 with Retry-After: a rate limit was reached; the request may be sent again then.
inline Error TooManyRequests(int retry_after_seconds, std::string detail) {
  return Error{ErrorKind::kTooManyRequests, std::move(detail), {}, retry_after_seconds};
}
// A stored record that does not parse: a 500 that says the store holds bad data.
inline Error Corrupt(std::string detail) { return Error{ErrorKind::kCorrupt, std::move(detail), {}}; }
inline Error Internal(std::string detail) { return Error{ErrorKind::kInternal, std::move(detail), {}}; }

// Status: success, or an Error.
class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Error error) : error_(std::move(error)), ok_(false) {}  // NOLINT: implicit by design
  static Status Ok() { return Status(); }
  bool ok() const { return ok_; }
  const Error& error() const { return error_; }

 private:
  Error error_;
  bool ok_ = true;
};

// Result<T>: a value, or an Error.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}        // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}    // NOLINT
  // Only from a failed Status: an OK status carries no value, so it becomes an
  // internal error that says so instead of a default-constructed Error.
  Result(Status status)  // NOLINT
      : v_(status.ok() ? Internal("a successful status was returned where a value was expected")
                       : status.error()) {}
  bool ok() const { return v_.index() == 0; }
  const T& value() const& { return std::get<0>(v_); }
  T& value() & { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  const T& operator*() const& { return value(); }
  T& operator*() & { return value(); }
  const T* operator->() const { return &value(); }
  T* operator->() { return &value(); }
  const Error& error() const { return std::get<1>(v_); }
  Status status() const { return ok() ? Status() : Status(error()); }

 private:
  std::variant<T, Error> v_;
};

}  // namespace dirbridge

// Early return on failure: DB_RETURN_IF_ERROR(status_expr);
#define DB_RETURN_IF_ERROR(expr)              \
  do {                                        \
    auto _db_status = (expr);                 \
    if (!_db_status.ok()) return _db_status.error(); \
  } while (0)

#define DB_CONCAT_INNER(a, b) a##b
#define DB_CONCAT(a, b) DB_CONCAT_INNER(a, b)
// DB_ASSIGN_OR_RETURN(auto x, result_expr);
#define DB_ASSIGN_OR_RETURN(lhs, expr)                          \
  auto DB_CONCAT(_db_result_, __LINE__) = (expr);               \
  if (!DB_CONCAT(_db_result_, __LINE__).ok())                   \
    return DB_CONCAT(_db_result_, __LINE__).error();            \
  lhs = std::move(DB_CONCAT(_db_result_, __LINE__)).value()
