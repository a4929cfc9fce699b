// Timestamps on the wire: RFC 3339 UTC with millisecond precision
// ("2026-11-25T19:00:00.123Z"), as SCIM meta.created / meta.lastModified use.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dirbridge {

std::string FormatRfc3339Millis(int64_t unix_ms);

// An RFC 3339 date-time ("2026-11-25T19:00:00Z", "2026-11-25T20:00:00.5+01:00"; 't'
// and 'z' accepted, fractions beyond milliseconds truncated) as milliseconds since
// the epoch; nullopt for anything else, including out-of-range fields.
std::optional<int64_t> ParseRfc3339Millis(std::string_view text);

}  // namespace dirbridge
