#include "core/result.h"

namespace dirbridge {

int HttpStatusFor(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidInput: return 400;
    case ErrorKind::kUnauthorized: return 401;
    case ErrorKind::kForbidden: return 403;
    case ErrorKind::kNotFound: return 404;
    case ErrorKind::kMethodNotAllowed: return 405;
    case ErrorKind::kConflict: return 409;
    case ErrorKind::kPreconditionFailed: return 412;
    case ErrorKind::kPayloadTooLarge: return 413;
    case ErrorKind::kUriTooLong: return 414;
    case ErrorKind::kTooManyRequests: return 429;
    case ErrorKind::kUnsupported: return 501;
    case ErrorKind::kUnavailable: return 503;
    case ErrorKind::kCorrupt: return 500;
    case ErrorKind::kInternal: return 500;
  }
  return 500;
}

}  // namespace dirbridge
