#include "provision/resource_ids.h"

#include <array>

#include "crypto/uuid.h"

namespace dirbridge {

std::string NewResourceId(Env& env) {
  std::array<uint8_t, 16> random{};
  env.RandomBytes(random.data(), random.size());
  return crypto::UuidV7(static_cast<uint64_t>(env.NowMillis()), random);
}

}  // namespace dirbridge
