// The ABI's JSON envelopes (wasm/module_exports.h) to and from HttpRequest,
// HttpResponse and RouteDecision. A malformed envelope is the host's bug, reported
// as an Internal error (a 500) rather than a crash.
#pragma once

#include <string>
#include <string_view>

#include "core/http_message.h"
#include <cstdint>
#include <optional>

#include "core/result.h"

namespace dirbridge {

Result<HttpRequest> RequestFromEnvelope(std::string_view envelope);
// The head of a handle answer: {"status", "headers"}, and "wake" (ms, or null for
// none) when given; the body travels beside it.
std::string ResponseHeadToEnvelope(const HttpResponse& response,
                                   std::optional<std::optional<int64_t>> wake = std::nullopt);
// {"response": {...}} or {"module", "tenant", "request": {..., "tenant", "route"}}.
std::string RouteDecisionToEnvelope(const RouteDecision& decision);

}  // namespace dirbridge
