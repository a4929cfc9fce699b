// ASCII case rules. SCIM attribute names, operators, URNs, HTTP header names and
// auth schemes compare without regard to ASCII case; indexes of case-insensitive
// values (userName, emails, group names) key on the lower-cased form.
#pragma once

#include <string>
#include <string_view>

namespace dirbridge {

inline char ToLowerAscii(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }
std::string ToLowerAscii(std::string_view text);
bool EqualsIgnoreCase(std::string_view a, std::string_view b);
bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix);
// Whether `text` holds an ASCII control character (C0 or DEL): what may not reach a
// log line, a table an admin reads, or a header.
bool HasAsciiControl(std::string_view text);
// The value of a hex digit (either case), or -1.
inline int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace dirbridge
