// Binds functions/graph to the tenant module's entry points (wasm/function_entry.h).
#include "core/api_error.h"
#include "function_entry.h"
#include "graph_function.h"
#include "normalize/microsoft_graph.h"

namespace dirbridge {

HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env) {
  return graphsync::Handle(request, store, env);
}

HttpResponse FunctionError(const Error& error) { return ApiErrorResponse(error); }

std::string_view FunctionName() { return graph::kModule; }

Status FunctionResume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env) {
  return graphsync::Resume(call, txn, outbox, env);
}

}  // namespace dirbridge
