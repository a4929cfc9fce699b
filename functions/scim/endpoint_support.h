// Small pieces every SCIM endpoint uses: method checks, If-Match versions, body
// parsing, and the response for one resource.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "core/http_message.h"
#include "core/result.h"
#include "model/resource_meta.h"

namespace dirbridge::scim_function {

HttpResponse MethodNotAllowed(const std::string& allow);
// If-Match: W/"3" or "3" -> 3; absent or "*" -> nullopt; anything else cannot match (412).
Result<std::optional<uint64_t>> ExpectedVersion(const HttpRequest& request);
// True when If-None-Match names the current version; then answer NotModifiedResponse.
bool NotModified(const HttpRequest& request, const ResourceMeta& meta);
HttpResponse NotModifiedResponse(const ResourceMeta& meta);
// The body as a JSON object (400 invalidSyntax otherwise); an empty body reads as
// {} when `allow_empty`.
Result<nlohmann::json> ObjectBody(const HttpRequest& request, bool allow_empty = false);
HttpResponse ResourceResponse(int status, const nlohmann::json& resource, const ResourceMeta& meta);
HttpResponse NoContent();

}  // namespace dirbridge::scim_function
