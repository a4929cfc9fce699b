#include "crypto/uuid.h"

#include <cstddef>

namespace dirbridge::crypto {
namespace {

// Octet 6's high nibble is the version (RFC 9562 §4.2); octet 8's top two bits
// are the variant, 0b10 for RFC 9562 UUIDs (§4.1).
std::array<uint8_t, 16> WithVersionAndVariant(std::array<uint8_t, 16> octets, uint8_t version) {
  octets[6] = static_cast<uint8_t>((octets[6] & 0x0f) | (version << 4));
  octets[8] = static_cast<uint8_t>((octets[8] & 0x3f) | 0x80);
  return octets;
}

// Dashes go before octets 4, 6, 8 and 10 (RFC 9562 §4).
std::string ToCanonicalText(const std::array<uint8_t, 16>& octets) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(36);
  for (std::size_t i = 0; i < octets.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
    out += kDigits[octets[i] >> 4];
    out += kDigits[octets[i] & 0x0f];
  }
  return out;
}

bool IsHexDigit(char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

}  // namespace

std::string UuidV4(const std::array<uint8_t, 16>& random) {
  return ToCanonicalText(WithVersionAndVariant(random, 4));
}

std::string UuidV7(uint64_t unix_ms, const std::array<uint8_t, 16>& random) {
  std::array<uint8_t, 16> octets = random;
  for (std::size_t i = 0; i < 6; ++i) octets[i] = static_cast<uint8_t>(unix_ms >> (8 * (5 - i)));
  return ToCanonicalText(WithVersionAndVariant(octets, 7));
}

bool IsUuid(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const bool dash_position = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash_position ? text[i] != '-' : !IsHexDigit(text[i])) return false;
  }
  return true;
}

}  // namespace dirbridge::crypto
