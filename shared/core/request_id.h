// Request ids: what ties an audit entry (an event of the log) to the call that made
// it. A caller may name its request with `X-Request-Id` (1 to 64 characters of
// A-Z a-z 0-9 '.', '_', '-', ':'), which is kept so its own logs and ours meet; any
// other value is replaced, never echoed, and a request without one gets "req-" and 16
// random hex digits. The answer carries the id back in `X-Request-Id`. An outbox
// entry's continuation runs under "fx-" and the entry's id.
#pragma once

#include <string>
#include <string_view>

#include "core/env.h"

namespace dirbridge {

inline constexpr std::size_t kMaxRequestIdBytes = 64;

// True for a caller's id this service keeps as given.
bool IsAcceptableRequestId(std::string_view id);

// The id for a request whose X-Request-Id header holds `presented` ("" when absent).
std::string RequestIdFor(std::string_view presented, Env& env);

}  // namespace dirbridge
