// Binds functions/gworkspace to the tenant module's entry points (wasm/function_entry.h).
#include "core/api_error.h"
#include "function_entry.h"
#include "gworkspace_function.h"
#include "normalize/google_workspace.h"

namespace dirbridge {

HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env) {
  return gworkspace::Handle(request, store, env);
}

HttpResponse FunctionError(const Error& error) { return ApiErrorResponse(error); }

std::string_view FunctionName() { return google::kModule; }

Status FunctionResume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  return gworkspace::Resume(call, txn, outbox, env);
}

}  // namespace dirbridge
