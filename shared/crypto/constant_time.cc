#include "crypto/constant_time.h"

#include <cstddef>
#include <cstdint>

namespace dirbridge::crypto {

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;  // lengths are public; see the header
  // Accumulate every byte difference with no early exit and no data-dependent
  // branch. The volatile accumulator keeps the optimizer from turning the loop
  // back into an early-exit comparison (as it may do with memcmp-like patterns).
  volatile uint8_t difference = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    difference = static_cast<uint8_t>(difference | (static_cast<uint8_t>(a[i]) ^ static_cast<uint8_t>(b[i])));
  }
  return difference == 0;
}

}  // namespace dirbridge::crypto
