#include "core/request_id.h"

#include <cstdint>

namespace dirbridge {

bool IsAcceptableRequestId(std::string_view id) {
  if (id.empty() || id.size() > kMaxRequestIdBytes) return false;
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
                    c == '_' || c == '-' || c == ':';
    if (!ok) return false;
  }
  return true;
}

std::string RequestIdFor(std::string_view presented, Env& env) {
  if (IsAcceptableRequestId(presented)) return std::string(presented);
  uint8_t raw[8];
  env.RandomBytes(raw, sizeof raw);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = "req-";
  for (uint8_t b : raw) {
    id.push_back(kHex[b >> 4]);
    id.push_back(kHex[b & 15]);
  }
  return id;
}

}  // namespace dirbridge
