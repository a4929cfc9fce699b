// What every SCIM endpoint handler receives: the request, the tenant's store and
// host, the authenticated connection, and the SCIM base URL the client used (for
// meta.location).
#pragma once

#include <string>
#include <vector>

#include "core/http_message.h"
#include "provision/directory.h"
#include "tenancy/connection.h"

namespace dirbridge::scim_function {

struct ScimContext {
  const HttpRequest& request;
  Directory& directory;               // the tenant's directory, changed as this connection, via SCIM
  std::string base_url;               // "{origin}/t/{tenant}/scim/v2"
  Connection connection;
  std::vector<std::string> resource;  // path segments after scim/v2
  std::vector<QueryParameter> query;
};

std::string ScimBaseUrl(const std::string& origin, const std::string& tenant);

HttpResponse HandleServiceProviderConfig(ScimContext& ctx);
HttpResponse HandleUsers(ScimContext& ctx);
HttpResponse HandleGroups(ScimContext& ctx);
HttpResponse HandleSchemas(ScimContext& ctx);
HttpResponse HandleResourceTypes(ScimContext& ctx);

}  // namespace dirbridge::scim_function
