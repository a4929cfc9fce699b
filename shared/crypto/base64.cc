#include "crypto/base64.h"

#include <cstddef>
#include <cstdint>

namespace dirbridge::crypto {
namespace {

constexpr std::string_view kStandardAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr std::string_view kUrlAlphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

constexpr int kNotInAlphabet = -1;

// The 6-bit value of `c` in an alphabet whose last two characters are
// `char62`/`char63`; the two alphabets differ only there.
int SextetValue(char c, char char62, char char63) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == char62) return 62;
  if (c == char63) return 63;
  return kNotInAlphabet;
}

std::string EncodeWith(std::string_view bytes, std::string_view alphabet, bool pad) {
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 3 <= bytes.size(); i += 3) {
    const uint32_t group = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                           (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8) |
                           uint32_t{static_cast<uint8_t>(bytes[i + 2])};
    out += alphabet[(group >> 18) & 0x3f];
    out += alphabet[(group >> 12) & 0x3f];
    out += alphabet[(group >> 6) & 0x3f];
    out += alphabet[group & 0x3f];
  }
  const std::size_t tail = bytes.size() - i;
  if (tail == 1) {
    const uint32_t group = uint32_t{static_cast<uint8_t>(bytes[i])} << 16;
    out += alphabet[(group >> 18) & 0x3f];
    out += alphabet[(group >> 12) & 0x3f];
    if (pad) out += "==";
  } else if (tail == 2) {
    const uint32_t group = (uint32_t{static_cast<uint8_t>(bytes[i])} << 16) |
                           (uint32_t{static_cast<uint8_t>(bytes[i + 1])} << 8);
    out += alphabet[(group >> 18) & 0x3f];
    out += alphabet[(group >> 12) & 0x3f];
    out += alphabet[(group >> 6) & 0x3f];
    if (pad) out += '=';
  }
  return out;
}

// Decodes base64 text with any padding already removed.
std::optional<std::string> DecodeUnpadded(std::string_view text, char char62, char char63) {
  // A final group of one character would carry only 6 bits, less than a byte:
  // no encoder produces it.
  if (text.size() % 4 == 1) return std::nullopt;

  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  uint32_t accumulator = 0;
  int bits = 0;
  for (char c : text) {
    const int value = SextetValue(c, char62, char63);
    if (value == kNotInAlphabet) return std::nullopt;
    accumulator = (accumulator << 6) | static_cast<uint32_t>(value);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((accumulator >> bits) & 0xff);
    }
  }
  // Leftover bits are padding of the last character; RFC 4648 §3.5 lets a
  // decoder reject nonzero ones, and we do, so that each byte string has exactly
  // one accepted encoding (no aliasing of signed or compared values).
  if ((accumulator & ((uint32_t{1} << bits) - 1)) != 0) return std::nullopt;
  return out;
}

// How many '=' end `text`.
std::size_t TrailingPadding(std::string_view text) {
  std::size_t n = 0;
  while (n < text.size() && text[text.size() - 1 - n] == '=') ++n;
  return n;
}

// Strips complete padding. Returns nullopt when the padding is present but
// could not have come from an encoder (too much, or total length not a multiple of 4).
std::optional<std::string_view> StripPadding(std::string_view text) {
  const std::size_t padding = TrailingPadding(text);
  if (padding == 0) return text;
  if (padding > 2 || text.size() % 4 != 0) return std::nullopt;
  const std::string_view body = text.substr(0, text.size() - padding);
  // "xx=" with one padding char needs 3 data chars in the last group, "==" needs 2.
  if (body.size() % 4 != 4 - padding) return std::nullopt;
  return body;
}

}  // namespace

std::string Base64Encode(std::string_view bytes) { return EncodeWith(bytes, kStandardAlphabet, /*pad=*/true); }

std::string Base64UrlEncode(std::string_view bytes) { return EncodeWith(bytes, kUrlAlphabet, /*pad=*/false); }

std::optional<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) return std::nullopt;
  const std::optional<std::string_view> body = StripPadding(text);
  if (!body) return std::nullopt;
  return DecodeUnpadded(*body, '+', '/');
}

std::optional<std::string> Base64UrlDecode(std::string_view text) {
  const std::optional<std::string_view> body = StripPadding(text);
  if (!body) return std::nullopt;
  return DecodeUnpadded(*body, '-', '_');
}

std::string HexEncode(std::string_view bytes) {
  constexpr std::string_view kDigits = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) {
    const auto byte = static_cast<uint8_t>(c);
    out += kDigits[byte >> 4];
    out += kDigits[byte & 0x0f];
  }
  return out;
}

}  // namespace dirbridge::crypto
