// Text a tool did not write (a server's answer, which may echo untrusted input; a
// directory's value; a file name; an argument) made safe for a terminal or a log line: C0 and C1 control characters
// become spaces (no escape sequence gets through), a byte that is not UTF-8 becomes
// U+FFFD, and text longer than `max_chars` characters is cut, marked with "…".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace dirbridge {

std::string Printable(std::string_view text, std::size_t max_chars = 400);

// The number of UTF-8 characters in `text` (a byte that starts none counts as one).
std::size_t DisplayWidth(std::string_view text);

}  // namespace dirbridge
