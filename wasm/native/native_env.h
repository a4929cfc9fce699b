// A native host for tests, benchmarks and native tools: the real clock and the
// operating system's randomness, or (for reproducible tests) a settable clock and
// a seeded generator. Settings come from a map the caller fills.
#pragma once

#include <map>
#include <random>
#include <string>

#include "core/env.h"

namespace dirbridge {

class NativeEnv : public Env {
 public:
  // deterministic: fixed start time, advanced by hand, and seeded (not secure) bytes.
  explicit NativeEnv(bool deterministic = false, uint64_t seed = 42);

  int64_t NowMillis() override;
  void RandomBytes(uint8_t* out, std::size_t len) override;
  void Log(LogLevel level, std::string_view message) override;
  std::optional<std::string> Config(std::string_view name) override;
  // AES-256-GCM (OpenSSL) in the sealed text format of the JS hosts
  // (wasm/hosts/sealing.mjs): "dbs1." + base64url(nonce || ciphertext || tag). Without
  // a key (SetSecretKey) both answer 503, as the hosts do without DIRBRIDGE_SECRET_KEY.
  Result<std::string> Seal(std::string_view plaintext, std::string_view associated) override;
  Result<std::optional<std::string>> Open(std::string_view sealed, std::string_view associated) override;
  // RS256 and ES256 with a JWK (OpenSSL), with the checks, bounds and reasons of the JS
  // hosts (wasm/hosts/jws_verify.mjs): a module answers the same under either.
  Result<bool> VerifyJwsSignature(std::string_view alg, std::string_view jwk_json, std::string_view signing_input,
                                  std::string_view signature) override;

  // The 32-byte deployment secret key (never visible through Config).
  void SetSecretKey(std::string key32) { secret_key_ = std::move(key32); }
  void SetConfig(std::string name, std::string value) { config_[std::move(name)] = std::move(value); }
  void AdvanceMillis(int64_t ms) { now_ms_ += ms; }
  // The last line logged (tests check that secrets never reach the log).
  const std::string& last_log() const { return last_log_; }
  void set_quiet(bool quiet) { quiet_ = quiet; }

 private:
  bool deterministic_;
  int64_t now_ms_ = 1764000000000;  // 2025-11-24, for deterministic runs
  std::mt19937_64 prng_;
  std::map<std::string, std::string, std::less<>> config_;
  std::string last_log_;
  std::string secret_key_;
  bool quiet_ = true;
};

}  // namespace dirbridge
