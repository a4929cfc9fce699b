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

// The Okta System Log catch-up (okta_catchup.cc) is the only user of effects here.
Status FunctionResume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  return webhooks::ResumeOktaCatchup(call, txn, outbox, env);
}

}  // namespace dirbridge
