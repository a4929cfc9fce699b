#include "core/utf8.h"

namespace dirbridge {

std::size_t Utf8CharLength(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return 0;
  const auto lead = static_cast<unsigned char>(text[pos]);
  std::size_t length = 1;
  if (lead >= 0xC2 && lead <= 0xDF) length = 2;
  else if (lead >= 0xE0 && lead <= 0xEF) length = 3;
  else if (lead >= 0xF0 && lead <= 0xF4) length = 4;
  if (pos + length > text.size()) return 1;
  // The second byte's range excludes overlong forms, surrogates and code points past
  // U+10FFFF (RFC 3629 §4), exactly what a strict decoder (JavaScript's fatal
  // TextDecoder, which the hosts use for keys) refuses.
  const auto second = static_cast<unsigned char>(text[pos + 1 < text.size() ? pos + 1 : pos]);
  unsigned char low = 0x80, high = 0xBF;
  if (lead == 0xE0) low = 0xA0;
  if (lead == 0xED) high = 0x9F;
  if (lead == 0xF0) low = 0x90;
  if (lead == 0xF4) high = 0x8F;
  if (length > 1 && (second < low || second > high)) return 1;
  for (std::size_t i = 2; i < length; ++i) {
    if ((static_cast<unsigned char>(text[pos + i]) & 0xC0) != 0x80) return 1;
  }
  return length;
}

bool IsValidUtf8(std::string_view text) {
  for (std::size_t pos = 0; pos < text.size();) {
    const std::size_t n = Utf8CharLength(text, pos);
    if (n == 1 && static_cast<unsigned char>(text[pos]) >= 0x80) return false;
    pos += n;
  }
  return true;
}

std::string QuoteCharAt(std::string_view text, std::size_t pos) {
  if (pos >= text.size()) return "the end of the input";
  return "'" + std::string(text.substr(pos, Utf8CharLength(text, pos))) + "'";
}

}  // namespace dirbridge
