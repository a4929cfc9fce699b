// How the admin API reads a request: a JSON object body, and numeric query parameters.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http_message.h"
#include "core/result.h"

namespace dirbridge::admin {

// The body as a JSON object; an empty body reads as {}.
Result<nlohmann::json> ObjectBody(const HttpRequest& request);

// Reads "by" (and "reason" when `reason` is not null) from a body that holds nothing
// else: who acted, for the audit trail. 400 for another field or a value not a string.
Status ReadActor(const HttpRequest& request, std::string* by, std::string* reason);

// Takes "by" (a string, or absent: "") out of `body`, leaving the rest to the call.
Result<std::string> TakeActor(nlohmann::json& body);

// Query parameter `name` as an integer from `min` to `max`; `fallback` when absent.
// 400 naming the parameter and the range otherwise.
Result<uint64_t> UnsignedParam(const std::vector<QueryParameter>& params, std::string_view name, uint64_t min,
                               uint64_t max, uint64_t fallback);

}  // namespace dirbridge::admin
