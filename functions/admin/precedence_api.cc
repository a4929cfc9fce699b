#include "precedence_api.h"

#include "core/api_error.h"
#include "core/api_response.h"
#include "provision/precedence_admin.h"
#include "request_params.h"

namespace dirbridge::admin {
namespace {

using nlohmann::json;

// Takes "by" out of the body: a string, or absent.
Result<std::string> TakeBy(json& body) {
  std::string by;
  if (auto it = body.find("by"); it != body.end()) {
    if (!it->is_string()) return InvalidInput("'by' must be a string");
    by = it->get<std::string>();
    body.erase(it);
  }
  return by;
}

}  // namespace

HttpResponse HandlePrecedence(const HttpRequest& request, KvStore& store, Env& env) {
  if (request.method == "GET") {
    auto rules = ReadPrecedence(store, request.tenant);
    if (!rules.ok()) return ApiErrorResponse(rules.error());
    return ApiJsonResponse(200, PrecedenceRulesToJson(*rules));
  }
  if (request.method != "PUT" && request.method != "DELETE") return ApiMethodNotAllowed("GET, PUT, DELETE");
  auto body = ObjectBody(request);
  if (!body.ok()) return ApiErrorResponse(body.error());
  auto by = TakeBy(*body);
  if (!by.ok()) return ApiErrorResponse(by.error());
  if (request.method == "DELETE") {
    if (!body->empty()) return ApiErrorResponse(InvalidInput("the body of the precedence's DELETE takes only 'by'"));
    if (auto s = ClearPrecedence(store, env, request.tenant, *by); !s.ok()) return ApiErrorResponse(s.error());
    return ApiNoContent();
  }
  auto set = SetPrecedence(store, env, request.tenant, *body, *by);
  if (!set.ok()) return ApiErrorResponse(set.error());
  return ApiJsonResponse(200, PrecedenceRulesToJson(*set));
}

}  // namespace dirbridge::admin
