#include "provision/resource_ids.h"

#include <array>

#include "crypto/uuid.h"

namespace dirbridge {

std::string NewResourceId(Env& env) {
  std::array<uint8_t, 16> random{};
  env.RandomBytes(random.data(), random.size());
  return crypto::UuidV7(static_cast<uint64_t>(env.NowMillis()), random);
}

bool IsResourceId(std::string_view text) {
  if (text.size() != 36) return false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

}  // namespace dirbridge
