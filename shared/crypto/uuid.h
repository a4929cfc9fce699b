// UUIDs as RFC 9562 defines them, in the canonical lowercase 8-4-4-4-12 text form.
// The core has no entropy source of its own, so the host supplies 16 random bytes
// (from a CSPRNG: crypto.getRandomValues, random_get) and, for version 7, the
// current Unix time in milliseconds. The functions overwrite the version and
// variant bits and the v7 timestamp field, and use the rest of the bytes as given.
// Version 7 ids sort, as strings, in order of their timestamps, which keeps
// resources created later after earlier ones in an index.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace dirbridge::crypto {

// RFC 9562 §5.4: 122 random bits.
std::string UuidV4(const std::array<uint8_t, 16>& random);

// RFC 9562 §5.7: a 48-bit big-endian millisecond timestamp followed by 74 random
// bits (taken from random[6..15]). Only the low 48 bits of unix_ms are used,
// which lasts until the year 10889.
std::string UuidV7(uint64_t unix_ms, const std::array<uint8_t, 16>& random);

// True when `text` is a UUID in 8-4-4-4-12 hex form (upper or lower case, any
// version or variant, including nil and max), with no braces or "urn:uuid:".
bool IsUuid(std::string_view text);

}  // namespace dirbridge::crypto
