// Binds functions/webhooks to the tenant module's entry points (wasm/function_entry.h).
#include "core/api_error.h"
#include "function_entry.h"
#include "webhooks_function.h"

namespace dirbridge {

HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env) {
  return webhooks::Handle(request, store, env);
}

HttpResponse FunctionError(const Error& error) { return ApiErrorResponse(error); }

}  // namespace dirbridge
