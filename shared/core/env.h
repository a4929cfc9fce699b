// The host, as the core sees it (modelled on LevelDB's Env): a clock, a source of
// secure randomness, a log, deployment settings, sealing (with signing by a sealed
// key), and JWS signature verification with a public key. The core never calls a
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

  // Verifies a JWS signature (RFC 7515 §5.2) with a public key given as a JWK (RFC 7517):
  // `alg` "RS256" (RSASSA-PKCS1-v1_5 with SHA-256; an RSA key, kty "RSA" with n and e, of
  // at least 2048 bits) or "ES256" (ECDSA P-256 with SHA-256; kty "EC", crv "P-256", x, y;
  // `signature` is the 64-byte R||S of RFC 7518 §3.4). `signing_input` is the ASCII
  // "header.payload"; `signature` the raw (base64url-decoded) bytes. Answers true when it
  // verifies and false when it does not (including a signature of the wrong length);
  // 400 (InvalidInput) when `alg` is neither or the JWK is no usable key for it (the reason
  // says what is wrong); 503 (Unavailable) when the host cannot verify.
  // The host does it (the core has no RSA or EC) and needs no secret for it. Hosts bound
  // the work: a JWK of at most 16 KiB, an RSA key of at most 8192 bits; and refuse a JWK
  // with private members (a key set holds public keys only), or whose "alg", "use" or
  // "key_ops" say it is not for verifying `alg` (wasm/hosts/jws_verify.mjs lists every
  // check). No error ever quotes `alg` or the JWK. A host that cannot verify keeps this
  // default.
  virtual Result<bool> VerifyJwsSignature(std::string_view alg, std::string_view jwk_json,
                                          std::string_view signing_input, std::string_view signature) {
    (void)alg;
    (void)jwk_json;
    (void)signing_input;
    (void)signature;
    return Unavailable("this host cannot verify signatures");
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
