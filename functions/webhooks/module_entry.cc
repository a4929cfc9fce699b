// Binds functions/webhooks to the tenant module's entry points (wasm/function_entry.h).
#include "core/api_error.h"
#include "function_entry.h"
#include "webhooks_function.h"

namespace dirbridge {

HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env) {
  return webhooks::Handle(request, store, env);
}

HttpResponse FunctionError(const Error& error) { return ApiErrorResponse(error); }

std::string_view FunctionName() { return "webhooks"; }

// No effects yet (the Okta System Log catch-up will be the first), so no continuations.
Status FunctionResume(const effects::ContinuationCall& call, Transaction&, effects::Outbox&, Env&) {
  return NotFound("module webhooks has no continuation named '" + call.name + "'");
}

}  // namespace dirbridge
