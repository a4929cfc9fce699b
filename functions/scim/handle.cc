// The tenant stage of functions/scim: authenticates and dispatches.
#include "admin_api.h"
#include "scim/error_response.h"
#include "core/ascii.h"
#include "scim_context.h"
#include "scim_function.h"

namespace dirbridge::scim_function {

std::string ScimBaseUrl(const std::string& origin, const std::string& tenant) {
  return origin + "/t/" + tenant + "/scim/v2";
}

namespace {

HttpResponse HandleScim(const HttpRequest& request, const std::vector<std::string>& segments, KvStore& store,
                        Env& env) {
  auto connection = AuthenticateConnection(store, request.tenant, request.Header("authorization"));
  if (!connection.ok()) return scim::ErrorResponse(connection.error());
  ScimContext ctx{request, store, env, request.tenant, ScimBaseUrl(request.origin, request.tenant),
                  std::move(connection).value(), {segments.begin() + 4, segments.end()}, ParseQuery(request.query)};
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
    return scim::ErrorResponse(Error{ErrorKind::kUnsupported,
                                     "bulk operations are not supported (see ServiceProviderConfig); send each "
                                     "operation as its own request", {}});
  }
  return scim::ErrorResponse(NotFound("no SCIM endpoint '" + type + "'"));
}

}  // namespace

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env) {
  if (request.tenant.empty()) return scim::ErrorResponse(Internal("request reached a tenant without a tenant id"));
  auto segments = SplitPath(request.path);
  if (!segments) return scim::ErrorResponse(InvalidInput("malformed percent-escape in the path"));
  const auto& s = *segments;
  if (s.size() >= 3 && s[0] == "admin") return HandleAdmin(request, s, store, env);
  if (s.size() >= 4 && s[0] == "t" && s[1] == request.tenant && s[2] == "scim" && s[3] == "v2") {
    return HandleScim(request, s, store, env);
  }
  return scim::ErrorResponse(NotFound("no such endpoint: " + request.path));
}

}  // namespace dirbridge::scim_function
