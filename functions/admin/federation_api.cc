#include "federation_api.h"

#include "core/api_error.h"
#include "core/api_response.h"
#include "effects_api.h"
#include "key_fragments/federation_admin.h"
#include "request_params.h"

namespace dirbridge::admin {

HttpResponse HandleFederation(const HttpRequest& request, KvStore& store, Env& env) {
  const auto& r = request.route;  // ["tenants", t, "federation", ...]
  if (r.size() == 4 && r[3] == "idps") {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    auto list = key_fragments::ListTrustedIdpsJson(store, request.tenant);
    return list.ok() ? ApiJsonResponse(200, *list) : ApiErrorResponse(list.error());
  }
  if (r.size() == 5 && r[3] == "idps") {
    const std::string& connection = r[4];
    if (request.method == "GET") {
      auto idp = key_fragments::GetTrustedIdpJson(store, request.tenant, connection);
      return idp.ok() ? ApiJsonResponse(200, *idp) : ApiErrorResponse(idp.error());
    }
    if (request.method == "PUT") {
      auto body = ObjectBody(request);
      if (!body.ok()) return ApiErrorResponse(body.error());
      auto set = key_fragments::SetTrustedIdp(store, env, request.tenant, connection, *body, TestRoutesEnabled(env),
                                              kModuleName);
      return set.ok() ? ApiJsonResponse(set->created ? 201 : 200, set->idp) : ApiErrorResponse(set.error());
    }
    if (request.method == "DELETE") {
      auto s = key_fragments::RemoveTrustedIdp(store, request.tenant, connection);
      return s.ok() ? ApiNoContent() : ApiErrorResponse(s.error());
    }
    return ApiMethodNotAllowed("GET, PUT, DELETE");
  }
  if (r.size() == 5 && r[3] == "users") {
    if (request.method != "GET") return ApiMethodNotAllowed("GET");
    auto status = key_fragments::KeyFragmentStatus(store, request.tenant, r[4]);
    return status.ok() ? ApiJsonResponse(200, *status) : ApiErrorResponse(status.error());
  }
  if (r.size() == 6 && r[3] == "users" && r[5] == "rotate") {
    if (request.method != "POST") return ApiMethodNotAllowed("POST");
    std::string by;
    if (auto s = ReadActor(request, &by, nullptr); !s.ok()) return ApiErrorResponse(s.error());
    auto rotated = key_fragments::RotateKeyFragment(store, env, request.tenant, r[4], by);
    return rotated.ok() ? ApiJsonResponse(200, *rotated) : ApiErrorResponse(rotated.error());
  }
  if (r.size() == 6 && r[3] == "users" && r[5] == "k2") {
    if (request.method != "DELETE") return ApiMethodNotAllowed("DELETE");
    std::string by;
    if (auto s = ReadActor(request, &by, nullptr); !s.ok()) return ApiErrorResponse(s.error());
    auto s = key_fragments::DestroyKeyFragment(store, env, request.tenant, r[4], by);
    return s.ok() ? ApiNoContent() : ApiErrorResponse(s.error());
  }
  return ApiErrorResponse(NotFound("no such admin endpoint: " + request.path));
}

}  // namespace dirbridge::admin
