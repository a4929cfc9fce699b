// Discovery (RFC 7644 §4): /ServiceProviderConfig, /Schemas, /ResourceTypes. They
// describe exactly what this server does: nothing is advertised that it lacks.
#include <nlohmann/json.hpp>

#include "endpoint_support.h"
#include "model/schema_urns.h"
#include "list_query.h"
#include "list_response.h"
#include "resource_listing.h"
#include "scim/error_response.h"
#include "scim/schema.h"
#include "scim_context.h"

namespace dirbridge::scim_function {
namespace {

using nlohmann::json;

HttpResponse Fail(const Error& e) { return scim::ErrorResponse(e); }

// One item of a fixed list by id, or the whole list.
HttpResponse ListOrOne(const ScimContext& ctx, const std::vector<json>& items, const char* what) {
  if (ctx.request.method != "GET") return MethodNotAllowed("GET");
  if (ctx.resource.size() == 1) {
    std::vector<std::string> all;
    for (const auto& item : items) all.push_back(item.dump());
    return scim::JsonResponse(200, ListResponseText(all, items.size(), 1));
  }
  if (ctx.resource.size() == 2) {
    for (const auto& item : items) {
      if (item.value("id", std::string()) == ctx.resource[1]) return scim::JsonResponse(200, item.dump());
    }
    return Fail(NotFound(std::string("no ") + what + " '" + ctx.resource[1] + "'"));
  }
  return Fail(NotFound("no such SCIM path"));
}

}  // namespace

HttpResponse HandleServiceProviderConfig(ScimContext& ctx) {
  if (ctx.request.method != "GET") return MethodNotAllowed("GET");
  json config = {
      {"schemas", {kServiceProviderConfigSchemaUrn}},
      {"documentationUri", "https://github.com/dirbridge/dirbridge#readme"},
      {"patch", {{"supported", true}}},
      {"bulk", {{"supported", false}, {"maxOperations", 0}, {"maxPayloadSize", 0}}},
      {"filter", {{"supported", true}, {"maxResults", kMaxPageSize}}},
      {"changePassword", {{"supported", false}}},
      {"sort", {{"supported", true}}},
      {"etag", {{"supported", true}}},
      {"authenticationSchemes",
       {{{"type", "oauthbearertoken"},
         {"name", "OAuth Bearer Token"},
         {"description", "The connection's bearer token, issued once by the admin API"},
         {"primary", true}}}},
      {"meta", {{"resourceType", "ServiceProviderConfig"}, {"location", ctx.base_url + "/ServiceProviderConfig"}}}};
  return scim::JsonResponse(200, config.dump());
}

HttpResponse HandleSchemas(ScimContext& ctx) {
  std::vector<json> schemas = {scim::SchemaToJson(scim::UserSchema(), ctx.base_url),
                               scim::SchemaToJson(scim::EnterpriseUserSchema(), ctx.base_url),
                               scim::SchemaToJson(scim::GroupSchema(), ctx.base_url)};
  return ListOrOne(ctx, schemas, "schema");
}

HttpResponse HandleResourceTypes(ScimContext& ctx) {
  std::vector<json> types = {scim::ResourceTypeToJson(scim::UserResource(), ctx.base_url),
                             scim::ResourceTypeToJson(scim::GroupResource(), ctx.base_url)};
  return ListOrOne(ctx, types, "resource type");
}

}  // namespace dirbridge::scim_function
