// Timestamps on the wire: RFC 3339 UTC with millisecond precision
// ("2026-11-25T19:00:00.123Z"), as SCIM meta.created / meta.lastModified use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dirbridge {

std::string FormatRfc3339Millis(int64_t unix_ms);

// Milliseconds since the Unix epoch of an RFC 3339 date-time ("2026-11-25T19:00:00Z",
// "...00.123Z", "...00.123456+02:00"; digits past milliseconds are dropped); nullopt
// for anything else, including impossible dates and years outside 1970..9999.
std::optional<int64_t> ParseRfc3339Millis(std::string_view text);

}  // namespace dirbridge
