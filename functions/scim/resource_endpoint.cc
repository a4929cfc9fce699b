#include "resource_endpoint.h"

#include "endpoint_support.h"
#include "scim/error_response.h"
#include "scim/projection.h"

namespace dirbridge::scim_function {

HttpResponse DispatchResource(const ScimContext& ctx, const scim::ResourceSchema& schema, const ResourceEndpoint& e) {
  const std::string& method = ctx.request.method;
  if (auto shaped = scim::CheckProjection(schema, QueryValue(ctx.query, "attributes").value_or(""),
                                          QueryValue(ctx.query, "excludedAttributes").value_or(""));
      !shaped.ok()) {
    return scim::ErrorResponse(shaped.error());
  }
  if (ctx.resource.size() == 1) {
    if (method == "GET") return e.list(ListQueryFromUrl(ctx.query));
    if (method == "POST") return e.create();
    return MethodNotAllowed("GET, POST");
  }
  if (ctx.resource.size() != 2) return scim::ErrorResponse(NotFound("no such SCIM path"));
  const std::string& id = ctx.resource[1];
  if (id == ".search") {
    if (method != "POST") return MethodNotAllowed("POST");
    return e.list(ListQueryFromSearchRequest(ctx.request));
  }
  if (method == "GET") return e.read(id);
  if (method != "PUT" && method != "PATCH" && method != "DELETE") return MethodNotAllowed("GET, PUT, PATCH, DELETE");
  auto expected = ExpectedVersion(ctx.request);
  if (!expected.ok()) return scim::ErrorResponse(expected.error());
  if (method == "PUT") return e.replace(id, *expected);
  if (method == "PATCH") return e.patch(id, *expected);
  return e.remove(id, *expected);
}

}  // namespace dirbridge::scim_function
