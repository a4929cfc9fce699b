#include "request_params.h"

#include <charconv>
#include <string>

#include "core/json_input.h"
#include "model/json_fields.h"

namespace dirbridge::admin {

Result<nlohmann::json> ObjectBody(const HttpRequest& request) {
  if (request.body.empty()) return nlohmann::json::object();
  DB_ASSIGN_OR_RETURN(auto doc, ParseJson(request.body));
  if (!doc.is_object()) return InvalidInput("the request body must be a JSON object", "invalidSyntax");
  return doc;
}

Status ReadActor(const HttpRequest& request, std::string* by, std::string* reason) {
  DB_ASSIGN_OR_RETURN(auto body, ObjectBody(request));
  DB_RETURN_IF_ERROR(json_fields::ReadString(body, "by", "", by));
  if (reason) DB_RETURN_IF_ERROR(json_fields::ReadString(body, "reason", "", reason));
  for (auto it = body.begin(); it != body.end(); ++it) {
    if (it.key() != "by" && !(reason && it.key() == "reason")) {
      return InvalidInput(std::string("the body has a field this call does not take: it takes ") +
                          (reason ? "'by' and 'reason'" : "'by'"));
    }
  }
  return Status::Ok();
}

Result<std::string> TakeActor(nlohmann::json& body) {
  std::string by;
  DB_RETURN_IF_ERROR(json_fields::ReadString(body, "by", "", &by));
  body.erase("by");
  return by;
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
