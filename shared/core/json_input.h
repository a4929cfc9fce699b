// Untrusted JSON in. Parses a request body without exceptions and refuses, before
// parsing, anything nested deeper than a fixed limit: a body nested 100,000 levels
// deep is an InvalidInput error, never a stack overflow in a later recursive walk.
// A request body is also refused above kMaxRequestBodyBytes (core/http_message.h).
#pragma once

#include <cstddef>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/http_message.h"
#include "core/result.h"

namespace dirbridge {

inline constexpr std::size_t kMaxJsonDepth = 32;

// A request body: the parsed document, or InvalidInput with scimType "invalidSyntax"
// that says what is wrong (not JSON, too deep), or PayloadTooLarge above
// kMaxRequestBodyBytes.
Result<nlohmann::json> ParseJson(std::string_view text, std::size_t max_depth = kMaxJsonDepth);

// A record this code stored itself: the same depth bound, but no request size
// limit, since a record may outgrow one request (PATCH adds up) up to what the
// store accepts. A record that does not parse is Corrupt (500), not the client's fault.
Result<nlohmann::json> ParseRecordJson(std::string_view text);

// The answer of a remote service (an effect's response body, which the host already
// bounds: effects/outbox.h kMaxResponseBodyBytes): the same depth bound, no request
// size limit (a page of 500 users is larger than a request may be). InvalidInput when
// it does not parse.
Result<nlohmann::json> ParseResponseJson(std::string_view text);

// The deepest nesting of arrays/objects in `text`, ignoring brackets inside strings.
// Stops counting once `stop_at` is exceeded.
std::size_t JsonNestingDepth(std::string_view text, std::size_t stop_at);

}  // namespace dirbridge
