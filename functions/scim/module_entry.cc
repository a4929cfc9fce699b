// Binds functions/scim to the module entry points of the host boundary.
#include "function_entry.h"
#include "scim_function.h"

namespace dirbridge {

RouteDecision FunctionRoute(const HttpRequest& request, Env& env) { return scim_function::Route(request, env); }

HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env) {
  return scim_function::Handle(request, store, env);
}

}  // namespace dirbridge
