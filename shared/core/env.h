// The host, as the core sees it (modelled on LevelDB's Env): a clock, a source of
// secure randomness, a log and deployment settings. The core never calls a
// platform API; each host (native tests, node:wasi, Cloudflare Workers) supplies
// one Env. Storage is the separate KvStore interface (store/kv_store.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace dirbridge {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

class Env {
 public:
  virtual ~Env() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMillis() = 0;
  // Cryptographically secure random bytes.
  virtual void RandomBytes(uint8_t* out, std::size_t len) = 0;
  // One log line. Callers never pass a secret (tokens are redacted before logging).
  virtual void Log(LogLevel level, std::string_view message) = 0;
  // A deployment setting such as DIRBRIDGE_ADMIN_TOKEN; nullopt when unset.
  virtual std::optional<std::string> Config(std::string_view name) = 0;
};

}  // namespace dirbridge
