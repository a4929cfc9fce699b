#include "endpoint_support.h"
#include "core/json_text.h"

#include <charconv>

#include "core/json_input.h"
#include "scim/error_response.h"

namespace dirbridge::scim_function {

HttpResponse MethodNotAllowed(const std::string& allow) {
  auto r = scim::ErrorResponse(MethodNotAllowedError("method not allowed here; use " + allow));
  r.headers["allow"] = allow;
  return r;
}

Result<std::optional<uint64_t>> ExpectedVersion(const HttpRequest& request) {
  std::string v = request.Header("if-match");
  if (v.empty() || v == "*") return std::optional<uint64_t>();
  if (v.rfind("W/", 0) == 0) v = v.substr(2);
  if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
  uint64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size()) {
    return PreconditionFailed("If-Match does not name a version of this resource");
  }
  return std::optional<uint64_t>(n);
}

bool NotModified(const HttpRequest& request, const ResourceMeta& meta) {
  const std::string inm = request.Header("if-none-match");
  if (inm.empty()) return false;
  if (inm == "*") return true;
  const std::string strong = "\"" + std::to_string(meta.version) + "\"";
  return inm == meta.ETag() || inm == strong;
}

HttpResponse NotModifiedResponse(const ResourceMeta& meta) {
  HttpResponse r;
  r.status = 304;
  r.headers["etag"] = meta.ETag();
  return r;
}

Result<nlohmann::json> ObjectBody(const HttpRequest& request, bool allow_empty) {
  if (request.body.empty()) {
    if (allow_empty) return nlohmann::json::object();
    return InvalidInput("the request needs a JSON body", "invalidSyntax");
  }
  DB_ASSIGN_OR_RETURN(auto doc, ParseJson(request.body));
  if (!doc.is_object()) return InvalidInput("the request body must be a JSON object", "invalidSyntax");
  return doc;
}

HttpResponse ResourceResponse(int status, const nlohmann::json& resource, const ResourceMeta& meta) {
  auto r = scim::JsonResponse(status, JsonText(resource));
  r.headers["etag"] = meta.ETag();
  if (status == 201) {
    if (auto m = resource.find("meta"); m != resource.end() && m->contains("location")) {
      r.headers["location"] = (*m)["location"].get<std::string>();
    }
  }
  return r;
}

HttpResponse NoContent() {
  HttpResponse r;
  r.status = 204;
  return r;
}

}  // namespace dirbridge::scim_function
