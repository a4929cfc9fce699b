// HMAC-SHA-256 (RFC 2104 with SHA-256 as H, test vectors in RFC 4231). Returns
// the full 32-byte tag; callers that truncate must keep at least 16 bytes
// (RFC 2104 §5). Keys of any length are accepted: a key longer than the 64-byte
// block is replaced by its SHA-256 digest first, as the RFC specifies. To check a
// received tag, compare with ConstantTimeEquals, never with ==.
#pragma once

#include <string>
#include <string_view>

#include "crypto/sha256.h"

namespace dirbridge::crypto {

Sha256Bytes HmacSha256(std::string_view key, std::string_view message);

// The full tag in base64url without padding (43 characters).
std::string HmacSha256Base64Url(std::string_view key, std::string_view message);

}  // namespace dirbridge::crypto
