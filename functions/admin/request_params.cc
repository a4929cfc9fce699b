#include "request_params.h"

#include <charconv>
#include <string>

#include "core/json_input.h"

namespace dirbridge::admin {

Result<nlohmann::json> ObjectBody(const HttpRequest& request) {
  if (request.body.empty()) return nlohmann::json::object();
  DB_ASSIGN_OR_RETURN(auto doc, ParseJson(request.body));
  if (!doc.is_object()) return InvalidInput("the request body must be a JSON object", "invalidSyntax");
  return doc;
}

Result<uint64_t> UnsignedParam(const std::vector<QueryParameter>& params, std::string_view name, uint64_t min,
                               uint64_t max, uint64_t fallback) {
  auto raw = QueryValue(params, name);
  if (!raw) return fallback;
  uint64_t value = 0;
  auto [p, ec] = std::from_chars(raw->data(), raw->data() + raw->size(), value);
  if (ec != std::errc() || p != raw->data() + raw->size() || value < min || value > max) {
    return InvalidInput("'" + std::string(name) + "' must be an integer from " + std::to_string(min) + " to " +
                        std::to_string(max));
  }
  return value;
}

}  // namespace dirbridge::admin
