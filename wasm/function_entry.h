// The two entry points every function module defines, in C++ terms. The host
// boundary (module_exports.cc) turns the ABI's envelopes into these calls, so a
// function never sees raw pointers or host imports.
#pragma once

#include <optional>

#include "core/env.h"
#include "core/http_message.h"
#include "store/kv_store.h"

namespace dirbridge {

// The edge stage's answer: either a response, or the request to run against the
// storage of request.tenant.
struct RouteDecision {
  std::optional<HttpResponse> response;
  HttpRequest request;
};

// Defined once per module (functions/<name>/module_entry.cc).
RouteDecision FunctionRoute(const HttpRequest& request, Env& env);
HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env);

}  // namespace dirbridge
