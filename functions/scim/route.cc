// The edge stage of functions/scim: picks the tenant, or answers directly.
#include <nlohmann/json.hpp>

#include "core/json_input.h"
#include "endpoint_support.h"
#include "model/json_fields.h"
#include "scim/error_response.h"
#include "scim_function.h"
#include "tenancy/admin_auth.h"
#include "tenancy/tenant.h"

namespace dirbridge::scim_function {
namespace {

RouteDecision Answer(HttpResponse response) {
  RouteDecision d;
  d.response = std::move(response);
  return d;
}

RouteDecision ToTenant(const HttpRequest& request, std::string tenant) {
  RouteDecision d;
  d.request = request;
  d.request.tenant = std::move(tenant);
  return d;
}

HttpResponse NotFoundResponse(const std::string& what) {
  return scim::ErrorResponse(NotFound(what));
}

// POST /admin/v1/tenants: the tenant id is chosen here (by the admin, or
// generated), because it names the storage that will hold the tenant.
RouteDecision RouteTenantCreation(const HttpRequest& request, Env& env) {
  if (auto auth = AuthenticateAdmin(env, request.Header("authorization")); !auth.ok()) {
    return Answer(scim::ErrorResponse(auth.error()));
  }
  auto body = ParseJson(request.body.empty() ? std::string_view("{}") : std::string_view(request.body));
  if (!body.ok()) return Answer(scim::ErrorResponse(body.error()));
  if (!body->is_object()) return Answer(scim::ErrorResponse(InvalidInput("body must be a JSON object")));
  std::string id;
  if (auto s = json_fields::ReadString(*body, "id", "", &id); !s.ok()) return Answer(scim::ErrorResponse(s.error()));
  if (id.empty()) id = NewTenantId(env);
  if (!IsValidTenantId(id)) {
    return Answer(scim::ErrorResponse(InvalidInput(
        "tenant id '" + id + "' is invalid: use 3 to 63 characters a-z, 0-9 and '-', not starting or ending with '-'")));
  }
  return ToTenant(request, id);
}

}  // namespace

RouteDecision Route(const HttpRequest& request, Env& env) {
  auto segments = SplitPath(request.path);
  if (!segments) return Answer(scim::ErrorResponse(InvalidInput("malformed percent-escape in the path")));
  const auto& s = *segments;
  if (s.empty() || (s.size() == 1 && s[0] == "health")) {
    return Answer(scim::JsonResponse(200, R"({"service":"dirbridge","status":"ok"})"));
  }
  if (s.size() >= 3 && s[0] == "admin" && s[1] == "v1" && s[2] == "tenants") {
    if (s.size() == 3) {
      if (request.method != "POST") return Answer(MethodNotAllowed("POST"));
      return RouteTenantCreation(request, env);
    }
    if (!IsValidTenantId(s[3])) return Answer(NotFoundResponse("no tenant '" + s[3] + "'"));
    return ToTenant(request, s[3]);
  }
  if (s.size() >= 4 && s[0] == "t" && s[2] == "scim" && s[3] == "v2") {
    if (!IsValidTenantId(s[1])) return Answer(NotFoundResponse("no tenant '" + s[1] + "'"));
    return ToTenant(request, s[1]);
  }
  return Answer(NotFoundResponse("no such endpoint: " + request.path));
}

}  // namespace dirbridge::scim_function
