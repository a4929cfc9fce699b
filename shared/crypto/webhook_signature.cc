#include "crypto/webhook_signature.h"

#include "crypto/base64.h"
#include "crypto/hmac.h"

namespace dirbridge::crypto {

Result<std::string> DecodeWebhookSecret(std::string_view secret) {
  if (secret.substr(0, 6) == "whsec_") secret.remove_prefix(6);
  auto key = Base64Decode(secret);
  if (!key) return InvalidInput("the signing secret is not 'whsec_' followed by base64");
  if (key->size() < kMinWebhookSecretBytes || key->size() > kMaxWebhookSecretBytes) {
    return InvalidInput("the signing secret must be " + std::to_string(kMinWebhookSecretBytes) + " to " +
                        std::to_string(kMaxWebhookSecretBytes) + " bytes");
  }
  return std::move(*key);
}

std::string SignWebhookV1(std::string_view key, std::string_view id, std::string_view timestamp,
                          std::string_view body) {
  std::string message;
  message.reserve(id.size() + timestamp.size() + body.size() + 2);
  message.append(id).push_back('.');
  message.append(timestamp).push_back('.');
  message.append(body);
  const auto mac = HmacSha256(key, message);
  return "v1," + Base64Encode(std::string_view(reinterpret_cast<const char*>(mac.data()), mac.size()));
}

}  // namespace dirbridge::crypto
