#include "precedence_api.h"

#include "core/api_error.h"
#include "core/api_response.h"
#include "provision/precedence_admin.h"
#include "request_params.h"

namespace dirbridge::admin {
HttpResponse HandlePrecedence(const HttpRequest& request, KvStore& store, Env& env) {
  if (request.method == "GET") {
    auto rules = ReadPrecedence(store, request.tenant);
    if (!rules.ok()) return ApiErrorResponse(rules.error());
    return ApiJsonResponse(200, PrecedenceRulesToJson(*rules));
  }
  if (request.method != "PUT" && request.method != "DELETE") return ApiMethodNotAllowed("GET, PUT, DELETE");
  if (request.method == "DELETE") {
    std::string by;
    if (auto s = ReadActor(request, &by, nullptr); !s.ok()) return ApiErrorResponse(s.error());
    if (auto s = ClearPrecedence(store, env, request.tenant, by); !s.ok()) return ApiErrorResponse(s.error());
    return ApiNoContent();
  }
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  auto by = TakeActor(*body);
  if (!by.ok()) return ApiErrorResponse(by.error());
  auto set = SetPrecedence(store, env, request.tenant, *body, *by);
  if (!set.ok()) return ApiErrorResponse(set.error());
  return ApiJsonResponse(200, PrecedenceRulesToJson(*set));
}

}  // namespace dirbridge::admin
