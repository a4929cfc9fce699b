// SCIM errors on the wire (RFC 7644 §3.12): {"schemas":[...Error], "status":"409",
// "scimType":"uniqueness", "detail":"..."} with Content-Type application/scim+json.
#pragma once

#include "core/http_message.h"
#include "core/result.h"

namespace dirbridge::scim {

inline constexpr const char* kScimContentType = "application/scim+json";

HttpResponse ErrorResponse(const Error& error);
// A JSON response with the SCIM content type.
HttpResponse JsonResponse(int status, const std::string& body);

}  // namespace dirbridge::scim
