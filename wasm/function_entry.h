// The entry points of a function module, in C++ terms. The host boundary (the
// module's exports) turns the ABI's envelopes into these calls, so a function never
// sees raw pointers or host imports. Each module defines them once, in
// functions/<name>/module_entry.cc:
//
//   an edge module    FunctionRoute  + FunctionError  (exports dirbridge_route)
//   a tenant module   FunctionHandle + FunctionError + FunctionName + FunctionResume
//                     (exports dirbridge_handle, dirbridge_tick, dirbridge_resume)
#pragma once

#include "core/env.h"
#include "core/http_message.h"
#include "core/result.h"
#include "effects/outbox.h"
#include "store/kv_store.h"

namespace dirbridge {

RouteDecision FunctionRoute(const HttpRequest& request, Env& env);
HttpResponse FunctionHandle(const HttpRequest& request, KvStore& store, Env& env);
// How this module writes an error it could not hand to its function (an envelope it
// cannot read): a SCIM error for scim, the API error (core/api_error.h) otherwise.
HttpResponse FunctionError(const Error& error);
// A tenant module's name as the registry knows it ("scim", "admin"): the outbox
// records it with each effect, and the host resumes the effect in that module.
std::string_view FunctionName();
// The module's continuations, dispatched by call.name (effects/outbox.h): an unknown
// name is a NotFound error, which parks the entry and changes nothing else.
Status FunctionResume(const effects::ContinuationCall& call, Transaction& txn, effects::Outbox& outbox, Env& env);

}  // namespace dirbridge
