// The host, as the core sees it (modelled on LevelDB's Env): a clock, a source of
// secure randomness, a log, deployment settings, and sealing (with signing by a
// sealed key). The core never calls a
// platform API; each host (native tests, node:wasi, Cloudflare Workers) supplies
// one Env. Storage is the separate KvStore interface (store/kv_store.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.h"

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

  // Sealing (AES-256-GCM under the deployment's secret key, DIRBRIDGE_SECRET_KEY, which
  // only the host holds: the core never sees it). Seal returns printable text (safe to
  // store) that only Open with the same `associated` data turns back into `plaintext`.
  // Open answers nullopt when the text was sealed with other associated data, under
  // another key, or was altered: never a crash. Both answer 503 (Unavailable) when the
  // host has no usable key, with the host's reason. A host that cannot seal at all
  // keeps these defaults.
  virtual Result<std::string> Seal(std::string_view plaintext, std::string_view associated) {
    (void)plaintext;
    (void)associated;
    return Unavailable("this host cannot seal secrets");
  }
  virtual Result<std::optional<std::string>> Open(std::string_view sealed, std::string_view associated) {
    (void)sealed;
    (void)associated;
    return Unavailable("this host cannot open sealed secrets");
  }

  // Signing with a sealed key: the host opens `sealed` as Open does and signs `data`
  // with the RSA private key it holds (a Google service-account key file, JSON with a
  // "private_key", or a PEM key), RS256 (RSASSA-PKCS1-v1_5 with SHA-256), so the key
  // never enters the core, which has no RSA. Answers the raw signature bytes; nullopt
  // when `sealed` does not open (as Open); 503 (Unavailable) with the host's reason
  // when it has no usable key; 400 (InvalidInput) when what opened is no RSA key of
  // at least 2048 bits. No error ever holds the plaintext. A host that cannot sign
  // keeps this default.
  virtual Result<std::optional<std::string>> SignRs256WithSealedKey(std::string_view sealed,
                                                                    std::string_view associated,
                                                                    std::string_view data) {
    (void)sealed;
    (void)associated;
    (void)data;
    return Unavailable("this host cannot sign");
  }

  // The request (or outbox entry) this Env serves, for the audit trail: every event a
  // change appends names it (provision/event_log.h). The module boundary sets it once
  // per call (core/request_id.h); "" when unknown.
  std::string_view RequestId() const { return request_id_; }
  void SetRequestId(std::string id) { request_id_ = std::move(id); }

 private:
  std::string request_id_;
};

}  // namespace dirbridge
