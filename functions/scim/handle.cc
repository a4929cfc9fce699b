// The scim module's entry: authenticates the connection and dispatches on the
// resource segments the router left in request.route (never re-splitting the path).
#include "core/ascii.h"
#include "scim/error_response.h"
#include "scim_context.h"
#include "scim_function.h"
#include "tenancy/tenant.h"

namespace dirbridge::scim_function {

std::string ScimBaseUrl(const std::string& origin, const std::string& tenant) {
  return TenantScimBaseUrl(origin, tenant);
}

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env) {
  if (request.tenant.empty()) return scim::ErrorResponse(Internal("request reached a tenant without a tenant id"));
  auto connection = AuthenticateConnection(store, request.tenant, request.Header("authorization"), env.NowMillis());
  if (!connection.ok()) return scim::ErrorResponse(connection.error());
  Directory directory(store, env, request.tenant, SourceOf(*connection, ChangeChannel::kScim));
  ScimContext ctx{request,
                  directory,
                  ScimBaseUrl(request.origin, request.tenant),
                  std::move(connection).value(),
                  request.route,
                  ParseQuery(request.query)};
  if (ctx.resource.empty()) return scim::ErrorResponse(NotFound("no resource type in the SCIM path"));
  // Resource endpoints are matched ignoring case: RFC 7644 names them "/Users" etc.,
  // but clients (and Microsoft's own test collection) send "/users"; nothing else
  // could be meant.
  std::string type = ctx.resource[0];
  for (const char* canonical : {"ServiceProviderConfig", "Users", "Groups", "Schemas", "ResourceTypes", "Bulk"}) {
    if (EqualsIgnoreCase(type, canonical)) type = canonical;
  }
  if (type == "ServiceProviderConfig") return HandleServiceProviderConfig(ctx);
  if (type == "Users") return HandleUsers(ctx);
  if (type == "Groups") return HandleGroups(ctx);
  if (type == "Schemas") return HandleSchemas(ctx);
  if (type == "ResourceTypes") return HandleResourceTypes(ctx);
  if (type == "Bulk") {
    return scim::ErrorResponse(Unsupported(
        "bulk operations are not supported (see ServiceProviderConfig); send each operation as its own request"));
  }
  return scim::ErrorResponse(NotFound("no SCIM endpoint '" + type + "'"));
}

}  // namespace dirbridge::scim_function
