// Binds functions/scim to the tenant module's entry points (wasm/function_entry.h).
#include "function_entry.h"
#include "scim/error_response.h"
#include "scim_function.h"

namespace dirbridge {

HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env) {
  return scim_function::Handle(request, store, env);
}

HttpResponse FunctionError(const Error& error) { return scim::ErrorResponse(error); }

std::string_view FunctionName() { return "scim"; }

// SCIM emits no effects yet, so it has no continuations.
Status FunctionResume(const effects::ContinuationCall& call, Transaction&, effects::Outbox&, Env&) {
  return NotFound("module scim has no continuation named '" + call.name + "'");
}

}  // namespace dirbridge
