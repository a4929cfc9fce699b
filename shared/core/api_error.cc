#include "core/api_error.h"

#include <nlohmann/json.hpp>

namespace dirbridge {

const char* ErrorCodeFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput: return "invalidInput";
    case ErrorKind::kUnauthorized: return "unauthorized";
    case ErrorKind::kForbidden: return "forbidden";
    case ErrorKind::kNotFound: return "notFound";
    case ErrorKind::kMethodNotAllowed: return "methodNotAllowed";
    case ErrorKind::kConflict: return "conflict";
    case ErrorKind::kPreconditionFailed: return "preconditionFailed";
    case ErrorKind::kPayloadTooLarge: return "payloadTooLarge";
    case ErrorKind::kUriTooLong: return "uriTooLong";
    case ErrorKind::kTooManyRequests: return "tooManyRequests";
    case ErrorKind::kUnsupported: return "unsupported";
    case ErrorKind::kUnavailable: return "unavailable";
    case ErrorKind::kCorrupt: return "corrupt";
    case ErrorKind::kInternal: return "internal";
  }
  return "internal";
}

std::string ApiErrorBody(int status, std::string_view error_code, std::string_view detail) {
  const nlohmann::json body = {{"status", status}, {"error", error_code}, {"detail", detail}};
  // replace: a detail may quote client bytes that are not UTF-8; the strict dump()
  // would abort under JSON_NOEXCEPTION.
  return body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HttpResponse ApiErrorResponse(const Error& error) {
  HttpResponse r;
  r.status = HttpStatusFor(error.kind);
  r.headers["content-type"] = kApiErrorContentType;
  r.headers["cache-control"] = "no-store";
  r.body = ApiErrorBody(r.status, ErrorCodeFor(error.kind), error.detail);
  if (r.status == 401) r.headers["www-authenticate"] = "Bearer realm=\"dirbridge\"";
  if (error.retry_after_seconds > 0) r.headers["retry-after"] = std::to_string(error.retry_after_seconds);
  return r;
}

}  // namespace dirbridge
