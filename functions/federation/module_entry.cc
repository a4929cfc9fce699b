// Binds functions/federation to the tenant module's entry points (wasm/function_entry.h).
#include "core/api_error.h"
#include "federation_function.h"
#include "function_entry.h"
#include "key_fragments/jwks_cache.h"

namespace dirbridge {

HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env) {
  return federation_api::Handle(request, store, env);
}

HttpResponse FunctionError(const Error& error) { return ApiErrorResponse(error); }

std::string_view FunctionName() { return federation_api::kModule; }

// The IdP's keys this module asked for (a token named a kid it did not hold).
Status FunctionResume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox&, Env& env) {
  if (call.name == key_fragments::kJwksContinuation) return key_fragments::ResumeJwksFetch(call, txn, env);
  return NotFound("module " + std::string(federation_api::kModule) + " has no continuation named '" + call.name + "'");
}

}  // namespace dirbridge
