// Binary-to-text encodings of RFC 4648: base64 (§4), base64url (§5) and lowercase
// hex (§8, base16). Encoders accept any bytes and cannot fail. Decoders take
// untrusted text and return std::nullopt, never a partial result, on anything
// that is not a well-formed encoding: a character outside the alphabet
// (whitespace and line breaks included), a length no encoder produces, padding
// in the wrong place, or nonzero bits in the unused tail of the last character
// (RFC 4648 §3.5), so every accepted string has exactly one decoding and vice versa.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace dirbridge::crypto {

// Standard alphabet ('+', '/'), padded with '=' to a multiple of 4 characters.
std::string Base64Encode(std::string_view bytes);

// Requires padding: the length must be a multiple of 4.
std::optional<std::string> Base64Decode(std::string_view text);

// URL- and filename-safe alphabet ('-', '_') without padding, as JWTs and URLs
// want it.
std::string Base64UrlEncode(std::string_view bytes);

// Accepts the URL-safe alphabet with or without '=' padding; when padding is
// present it must be complete.
std::optional<std::string> Base64UrlDecode(std::string_view text);

// Two lowercase hex digits per byte.
std::string HexEncode(std::string_view bytes);

}  // namespace dirbridge::crypto
