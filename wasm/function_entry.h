// The entry points of a function module, in C++ terms. The host boundary (the
// module's exports) turns the ABI's envelopes into these calls, so a function never
// sees raw pointers or host imports. Each module defines them once, in
// functions/<name>/module_entry.cc:
//
//   an edge module    FunctionRoute  + FunctionError  (exports dirbridge_route)
//   a tenant module   FunctionHandle + FunctionError  (exports dirbridge_handle)
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge {

RouteDecision FunctionRoute(const HttpRequest& request, Env& env);
HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env);
// How this module writes an error it could not hand to its function (an envelope it
// cannot read): a SCIM error for scim, the API error (core/api_error.h) otherwise.
HttpResponse FunctionError(const Error& error);

}  // namespace dirbridge
