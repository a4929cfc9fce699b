// The ABI's JSON envelopes (wasm/module_exports.h) to and from HttpRequest,
// HttpResponse and RouteDecision. A malformed envelope is the host's bug, reported
// as a 500 response rather than a crash.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"
#include "function_entry.h"

namespace dirbridge {

Result<HttpRequest> RequestFromEnvelope(std::string_view envelope);
std::string RequestToEnvelope(const HttpRequest& request);
// The head of a handle answer: {"status", "headers"}; the body travels beside it.
std::string ResponseHeadToEnvelope(const HttpResponse& response);
std::string RouteDecisionToEnvelope(const RouteDecision& decision);

}  // namespace dirbridge
