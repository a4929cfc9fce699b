#include "core/printable.h"

#include "core/utf8.h"

namespace dirbridge {

std::size_t DisplayWidth(std::string_view text) {
  std::size_t chars = 0;
  for (std::size_t pos = 0; pos < text.size(); pos += Utf8CharLength(text, pos)) ++chars;
  return chars;
}

std::string Printable(std::string_view text, std::size_t max_chars) {
  const bool cut = DisplayWidth(text) > max_chars;
  const std::size_t keep = cut ? (max_chars > 0 ? max_chars - 1 : 0) : max_chars;
  std::string out;
  std::size_t chars = 0;
  for (std::size_t pos = 0; pos < text.size() && chars < keep; ++chars) {
    const std::size_t len = Utf8CharLength(text, pos);
    const auto lead = static_cast<unsigned char>(text[pos]);
    const bool c0 = len == 1 && (lead < 0x20 || lead == 0x7f);
    const bool c1 = len == 2 && lead == 0xC2 && static_cast<unsigned char>(text[pos + 1]) < 0xA0;  // U+0080..U+009F
    if (c0 || c1) {
      out.push_back(' ');
    } else if (len == 1 && lead >= 0x80) {
      out += "\xEF\xBF\xBD";  // U+FFFD: not UTF-8
    } else {
      out.append(text.substr(pos, len));
    }
    pos += len;
  }
  if (cut) out += "\xE2\x80\xA6";  // U+2026 …
  return out;
}

}  // namespace dirbridge
