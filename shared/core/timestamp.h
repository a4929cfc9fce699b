// Timestamps on the wire: RFC 3339 UTC with millisecond precision
// ("2026-11-25T19:00:00.123Z"), as SCIM meta.created / meta.lastModified use.
#pragma once

#include <cstdint>
#include <string>

namespace dirbridge {

std::string FormatRfc3339Millis(int64_t unix_ms);

}  // namespace dirbridge
