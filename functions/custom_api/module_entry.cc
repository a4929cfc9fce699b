// Binds functions/custom_api to the tenant module's entry points (wasm/function_entry.h).
#include "answer.h"
#include "custom_api_function.h"
#include "function_entry.h"

namespace dirbridge {

HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env) {
  return custom_api::Handle(request, store, env);
}

HttpResponse FunctionError(const Error& error) { return custom_api::RefusalResponse(error); }

std::string_view FunctionName() { return custom_api::kModule; }

// The custom API answers within the request: it has no continuations.
Status FunctionResume(const effects::ContinuationCall& call, Transaction&, effects::Outbox&, Env&) {
  return NotFound("module " + std::string(custom_api::kModule) + " has no continuation named '" + call.name + "'");
}

}  // namespace dirbridge
