// Errors on the wire outside SCIM: the admin API, health, unknown paths and every
// answer the router gives at the edge. One shape, with Content-Type application/json:
//
//   {"status":404,"error":"notFound","detail":"no such endpoint: /nope"}
//
// `status` is the HTTP status as a number, `error` a stable camelCase code named
// after the kind of failure (ErrorCodeFor), `detail` a sentence for a human. SCIM
// paths (/t/{tenant}/scim/v2/...) answer RFC 7644 §3.12 errors instead
// (scim/error_response.h). Both writers accept arbitrary bytes in `detail`:
// invalid UTF-8 is replaced, never a reason to abort.
#pragma once

#include <string>
#include <string_view>

#include "core/http_message.h"
#include "core/result.h"

namespace dirbridge {

inline constexpr const char* kApiErrorContentType = "application/json";

// "invalidInput", "unauthorized", "notFound", ... one per ErrorKind.
const char* ErrorCodeFor(ErrorKind kind);

// The body alone: {"status":..., "error":..., "detail":...}.
std::string ApiErrorBody(int status, std::string_view error_code, std::string_view detail);

// The whole response: status from the error's kind; 401 carries WWW-Authenticate.
HttpResponse ApiErrorResponse(const Error& error);

}  // namespace dirbridge
