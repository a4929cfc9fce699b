// How the admin API reads a request: a JSON object body, and numeric query parameters.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/http_message.h"
#include "core/result.h"

namespace dirbridge::admin {

// The body as a JSON object; an empty body reads as {}.
Result<nlohmann::json> ObjectBody(const HttpRequest& request);

// Query parameter `name` as an integer from `min` to `max`; `fallback` when absent.
// 400 naming the parameter and the range otherwise.
Result<uint64_t> UnsignedParam(const std::vector<QueryParameter>& params, std::string_view name, uint64_t min,
                               uint64_t max, uint64_t fallback);

}  // namespace dirbridge::admin
