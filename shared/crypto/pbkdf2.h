// PBKDF2 with HMAC-SHA256 (RFC 8018 §5.2; the test vectors of RFC 7914 §11). The
// keyed HMAC states are computed once and copied for each iteration, so one iteration
// costs two SHA-256 compressions. Bounded: at most kMaxPbkdf2Iterations iterations and
// kMaxPbkdf2KeyBytes of output, an error beyond (a caller's input must not buy
// unbounded work).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dirbridge::crypto {

inline constexpr std::uint32_t kMaxPbkdf2Iterations = 10'000'000;
inline constexpr std::size_t kMaxPbkdf2KeyBytes = 1024;

// dk_len bytes derived from `password` and `salt` with `iterations` rounds.
Result<std::string> Pbkdf2HmacSha256(std::string_view password, std::string_view salt, std::uint32_t iterations,
                                     std::size_t dk_len);

}  // namespace dirbridge::crypto
