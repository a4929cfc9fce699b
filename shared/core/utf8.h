// Whole characters in messages. Parsers that quote "what they found" must quote a
// character, not one byte of it: half a UTF-8 sequence is not text, and an error
// detail is JSON that must stay valid (with invalid input, a byte that starts no valid
// sequence is quoted alone, and the JSON writer replaces it).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dirbridge {

// The length in bytes of the UTF-8 character that starts at `pos` (1 for ASCII, for a
// byte that starts no valid sequence, and for a truncated one); 0 at the end. Valid
// means RFC 3629: no overlong forms, no surrogates, nothing past U+10FFFF.
std::size_t Utf8CharLength(std::string_view text, std::size_t pos);

// The character at `pos`, in single quotes, or "the end of the input".
std::string QuoteCharAt(std::string_view text, std::size_t pos);

// True when `text` is entirely valid UTF-8.
bool IsValidUtf8(std::string_view text);

}  // namespace dirbridge
