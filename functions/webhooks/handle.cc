// The webhooks module's entry: dispatches on the source named by the route.
#include "core/api_error.h"
#include "webhooks_function.h"

namespace dirbridge::webhooks {

HttpResponse Handle(const HttpRequest& request, KvStore& store, Env& env) {
  if (request.tenant.empty()) return ApiErrorResponse(Internal("request reached a tenant without a tenant id"));
  const auto& r = request.route;
  if (r.size() == 2 && r[0] == "okta") return HandleOktaHook(request, store, env);
  if (r.size() == 2 && r[0] == "signed") return HandleSignedHook(request, store, env, r[1]);
  return ApiErrorResponse(NotFound("no such hook endpoint: " + request.path));
}

}  // namespace dirbridge::webhooks
