// Binds functions/admin to the tenant module's entry points (wasm/function_entry.h).
#include "admin_api.h"
#include "effects_api.h"
#include "core/api_error.h"
#include "function_entry.h"

namespace dirbridge {

HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env) {
  return admin::Handle(request, store, env);
}

HttpResponse FunctionError(const Error& error) { return ApiErrorResponse(error); }

std::string_view FunctionName() { return admin::kModuleName; }

Status FunctionResume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  return admin::Resume(call, txn, outbox, env);
}

}  // namespace dirbridge
