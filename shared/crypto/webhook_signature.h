// The signing math of the Standard Webhooks scheme (standardwebhooks.com, spec v1),
// shared by the side that checks deliveries (functions/webhooks/standard_webhooks.h)
// and the side that sends them (the event feed, functions/admin/event_feed_api.h):
//
//   secret     "whsec_" + base64 of the key bytes (24 to 64 bytes)
//   signature  "v1," + base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}"))
//
// Pure: no clock, no storage.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dirbridge::crypto {

inline constexpr std::size_t kMinWebhookSecretBytes = 24;
inline constexpr std::size_t kMaxWebhookSecretBytes = 64;

// The key bytes of "whsec_<base64>" (the prefix optional); 400 when malformed or of
// the wrong length.
Result<std::string> DecodeWebhookSecret(std::string_view secret);

// "v1," + base64(HMAC-SHA256(key, id "." timestamp "." body)).
std::string SignWebhookV1(std::string_view key, std::string_view id, std::string_view timestamp,
                          std::string_view body);

}  // namespace dirbridge::crypto
