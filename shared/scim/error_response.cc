#include "scim/error_response.h"

#include <nlohmann/json.hpp>

#include "model/schema_urns.h"

namespace dirbridge::scim {

HttpResponse ErrorResponse(const Error& error) {
  const int status = HttpStatusFor(error.kind);
  nlohmann::json body = {{"schemas", {kErrorSchemaUrn}}, {"status", std::to_string(status)}, {"detail", error.detail}};
  // scimType is defined for 400 (and 409 uniqueness) responses only.
  if (!error.scim_type.empty() && (status == 400 || status == 409 || status == 413)) body["scimType"] = error.scim_type;
  // replace: a detail may quote client bytes that are not UTF-8; the strict dump()
  // would abort under JSON_NOEXCEPTION.
  auto response = JsonResponse(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  if (status == 401) response.headers["www-authenticate"] = "Bearer realm=\"dirbridge\"";
  if (error.retry_after_seconds > 0) response.headers["retry-after"] = std::to_string(error.retry_after_seconds);
  return response;
}

HttpResponse JsonResponse(int status, const std::string& body) {
  HttpResponse r;
  r.status = status;
  r.headers["content-type"] = kScimContentType;
  r.body = body;
  return r;
}

}  // namespace dirbridge::scim
