#include "native/native_env.h"

#include <chrono>
#include <cstdio>

namespace dirbridge {

NativeEnv::NativeEnv(bool deterministic, uint64_t seed) : deterministic_(deterministic), prng_(seed) {
  if (!deterministic_) {
    std::random_device rd;
    prng_.seed((static_cast<uint64_t>(rd()) << 32) ^ rd());
  }
}

int64_t NativeEnv::NowMillis() {
  if (deterministic_) return now_ms_;
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

void NativeEnv::RandomBytes(uint8_t* out, std::size_t len) {
  if (deterministic_) {
    for (std::size_t i = 0; i < len; ++i) out[i] = static_cast<uint8_t>(prng_());
    return;
  }
  // std::random_device reads the OS's secure source on Linux.
  std::random_device rd;
  for (std::size_t i = 0; i < len; ++i) out[i] = static_cast<uint8_t>(rd());
}

void NativeEnv::Log(LogLevel level, std::string_view message) {
  last_log_ = std::string(message);
  if (!quiet_) std::fprintf(stderr, "[%d] %.*s\n", static_cast<int>(level), static_cast<int>(message.size()), message.data());
}

std::optional<std::string> NativeEnv::Config(std::string_view name) {
  auto it = config_.find(name);
  if (it == config_.end()) return std::nullopt;
  return it->second;
}

}  // namespace dirbridge
