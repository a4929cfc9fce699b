// GET /ServiceProviderConfig (RFC 7643 §5): exactly what this server supports.
#include <nlohmann/json.hpp>

#include "scim/error_response.h"
#include "scim_context.h"

namespace dirbridge::scim_function {

HttpResponse HandleServiceProviderConfig(ScimContext& ctx) {
  if (ctx.request.method != "GET") {
    auto r = scim::ErrorResponse(Error{ErrorKind::kInvalidInput, "ServiceProviderConfig is read-only; use GET", {}});
    r.status = 405;
    r.headers["allow"] = "GET";
    return r;
  }
  nlohmann::json config = {
      {"schemas", {"urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"}},
      {"documentationUri", "https://github.com/dirbridge/dirbridge#readme"},
      {"patch", {{"supported", false}}},
      {"bulk", {{"supported", false}, {"maxOperations", 0}, {"maxPayloadSize", 0}}},
      {"filter", {{"supported", true}, {"maxResults", 200}}},
      {"changePassword", {{"supported", false}}},
      {"sort", {{"supported", false}}},
      {"etag", {{"supported", true}}},
      {"authenticationSchemes",
       {{{"type", "oauthbearertoken"},
         {"name", "OAuth Bearer Token"},
         {"description", "Authentication with the connection's bearer token, issued once by the admin API"},
         {"primary", true}}}},
      {"meta",
       {{"resourceType", "ServiceProviderConfig"}, {"location", ctx.base_url + "/ServiceProviderConfig"}}}};
  return scim::JsonResponse(200, config.dump());
}

}  // namespace dirbridge::scim_function
