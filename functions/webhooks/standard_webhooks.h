// The Standard Webhooks signature scheme (standardwebhooks.com, spec v1): what a
// delivery to /t/{tenant}/hooks/signed/{connection}/{gate} must carry.
//
//   webhook-id         the delivery's unique id (1..128 printable ASCII characters);
//                      the same id again is a replay
//   webhook-timestamp  Unix time in seconds; more than kToleranceSeconds away from
//                      our clock (either way) is refused
//   webhook-signature  space-separated "v1,<base64 HMAC-SHA256>" entries (other
//                      versions are skipped); one must match
//
// The HMAC is over "{webhook-id}.{webhook-timestamp}.{body}" under the bytes of the
// secret "whsec_<base64>" (24 to 64 bytes); the math is crypto/webhook_signature.h,
// shared with the event feed that signs. Comparisons are constant-time. Pure: no
// storage, no I/O (the clock is passed in).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"
#include "crypto/webhook_signature.h"

namespace dirbridge::webhooks {

inline constexpr int64_t kToleranceSeconds = 5 * 60;
inline constexpr std::size_t kMinSecretBytes = crypto::kMinWebhookSecretBytes;
inline constexpr std::size_t kMaxSecretBytes = crypto::kMaxWebhookSecretBytes;
inline constexpr std::size_t kMaxDeliveryIdBytes = 128;
// At most this many signatures are tried per delivery.
inline constexpr std::size_t kMaxSignatures = 8;

// The key bytes of a "whsec_<base64>" secret, and a v1 signature (crypto/webhook_signature.h).
inline Result<std::string> DecodeSigningSecret(std::string_view secret) { return crypto::DecodeWebhookSecret(secret); }
inline std::string SignV1(std::string_view key, std::string_view id, std::string_view timestamp,
                          std::string_view body) {
  return crypto::SignWebhookV1(key, id, timestamp, body);
}

struct SignedHeaders {
  std::string_view id;
  std::string_view timestamp;
  std::string_view signature;
};

// The delivery's timestamp (seconds) when the headers are well-formed, the timestamp
// is within the tolerance of `now_ms` and a v1 signature matches; 401 otherwise, with
// a reason that names what is wrong (never the secret, never the expected signature).
Result<int64_t> VerifyDelivery(std::string_view key, const SignedHeaders& headers, std::string_view body,
                               int64_t now_ms);

}  // namespace dirbridge::webhooks
