// Answers outside SCIM (the admin API, the hook endpoints): a JSON body, never cached,
// with the error shape of core/api_error.h for failures.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "core/http_message.h"

namespace dirbridge {

// `status` with `body` as application/json and Cache-Control: no-store; text that is
// not valid UTF-8 is replaced, never a reason to abort.
HttpResponse ApiJsonResponse(int status, const nlohmann::json& body);

// 204 No Content with Cache-Control: no-store: a change done, nothing to show.
HttpResponse ApiNoContent();

// 405 in the API error shape, with the Allow header ("GET, POST").
HttpResponse ApiMethodNotAllowed(const std::string& allow);

}  // namespace dirbridge
