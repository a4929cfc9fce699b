// Untrusted JSON in. Parses a request body without exceptions and refuses, before
// parsing, anything nested deeper than a fixed limit: a body nested 100,000 levels
// deep is an InvalidInput error, never a stack overflow in a later recursive walk.
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"

namespace dirbridge {

inline constexpr std::size_t kMaxJsonDepth = 32;
inline constexpr std::size_t kMaxJsonBytes = 4 * 1024 * 1024;

// Returns the parsed document, or InvalidInput with scimType "invalidSyntax" that
// says what is wrong (not JSON, too deep, too large).
Result<nlohmann::json> ParseJson(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

// The deepest nesting of arrays/objects in `text`, ignoring brackets inside strings.
// Stops counting once `stop_at` is exceeded.
std::size_t JsonNestingDepth(std::string_view text, std::size_t stop_at);

}  // namespace dirbridge
