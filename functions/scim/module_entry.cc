// Binds functions/scim to the tenant module's entry points (wasm/function_entry.h).
#include "function_entry.h"
#include "scim/error_response.h"
#include "scim_function.h"

namespace dirbridge {

HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env) {
  return scim_function::Handle(request, store, env);
}

HttpResponse FunctionError(const Error& error) { return scim::ErrorResponse(error); }

}  // namespace dirbridge
