// Secrets dirbridge must use later (an IdP API token for catch-up polling, a Google
// service-account key, a Graph client secret, a Standard Webhooks signing secret),
// which cannot be kept as a hash: each is sealed by the host (Env::Seal, AES-256-GCM
// under DIRBRIDGE_SECRET_KEY, a key the core never sees) and stored sealed, one per
// (connection, name), at t/{tenant}/secret/{connection}/{name}.
//
// The associated data binds a sealed value to its owner: "dirbridge.secret.v1", the
// tenant, the connection and the name, NUL-separated. A value copied under another
// tenant, connection or name does not open (ReadConnectionSecret: 500 Corrupt, never
// the plaintext, never a crash).
//
// Nothing here ever returns the plaintext except ReadConnectionSecret, for the code
// that uses the credential; a private key need not even be read: SignWithConnectionSecret
// has the host sign with it (Env::SignRs256WithSealedKey), so it never enters the
// module. What the admin API shows is SecretInfo: the name, when it was set, and a
// fingerprint:
//
//   fingerprint = "fp1:" + hex(first 8 bytes of SHA-256("dirbridge.secret-fingerprint.v1"
//                 NUL tenant NUL connection NUL name NUL plaintext))
//
// which lets an operator check which value is set (compute it from the value they
// hold) without the answer revealing it, and differs between owners for one value.
// (It is a hash: a guessable, low-entropy value can be confirmed from it. Credentials
// are high-entropy; the truncation to 64 bits is for display.)
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "store/kv_store.h"

namespace dirbridge {

// Secret names: 1 to 64 characters a-z, 0-9, '-', '_', '.'.
bool IsValidSecretName(std::string_view name);
// Largest plaintext accepted (a service-account key JSON fits).
inline constexpr std::size_t kMaxSecretBytes = 16 * 1024;

// The Standard Webhooks signing secret of a signed_webhook connection
// (functions/webhooks/standard_webhooks.h), made at the connection's creation.
inline constexpr const char* kWebhookSigningSecretName = "webhook-signing";
// A new signing secret: "whsec_" + base64 of 32 random bytes (the scheme asks for 24
// to 64). Shown once, then only stored sealed.
std::string NewWebhookSigningSecret(Env& env);

struct SecretInfo {
  std::string name;
  std::string fingerprint;
  std::string updated;  // RFC 3339
};
nlohmann::json SecretInfoToJson(const SecretInfo& info);

std::string SecretAssociatedData(std::string_view tenant, std::string_view connection_id, std::string_view name);
std::string SecretFingerprint(std::string_view tenant, std::string_view connection_id, std::string_view name,
                              std::string_view plaintext);

// Seals `plaintext` and stores it (creating or replacing) in one batch. 400 for a bad
// name or an empty / oversized value; 503 when the host cannot seal (no key).
Result<SecretInfo> PutConnectionSecret(KvStore& store, Env& env, std::string_view tenant,
                                       std::string_view connection_id, std::string_view name,
                                       std::string_view plaintext);

// The plaintext, for the code that uses it; nullopt when no such secret is set.
// 500 (Corrupt) when the stored value does not open under its owner's associated
// data or the current key; 503 when the host cannot open (no key).
Result<std::optional<std::string>> ReadConnectionSecret(KvStore& store, Env& env, std::string_view tenant,
                                                        std::string_view connection_id, std::string_view name);

// The RS256 signature of `data` (raw bytes) made by the host with the RSA key sealed
// as this secret (a Google service-account key file, or a PEM key), which the module
// never sees; nullopt when no such secret is set. 500 (Corrupt) when the stored value
// does not open, as ReadConnectionSecret; 400 when it holds no RSA key of at least
// 2048 bits; 503 when the host cannot open or sign (no key).
Result<std::optional<std::string>> SignWithConnectionSecret(KvStore& store, Env& env, std::string_view tenant,
                                                            std::string_view connection_id, std::string_view name,
                                                            std::string_view data);

// The secret's info without opening it; nullopt when not set.
Result<std::optional<SecretInfo>> GetConnectionSecretInfo(KvStore& store, std::string_view tenant,
                                                          std::string_view connection_id, std::string_view name);

// Every secret of a connection (names and fingerprints), at most 100.
Result<std::vector<SecretInfo>> ListConnectionSecrets(KvStore& store, std::string_view tenant,
                                                      std::string_view connection_id);

// Removes it; false when it was not set.
Result<bool> DeleteConnectionSecret(KvStore& store, std::string_view tenant, std::string_view connection_id,
                                    std::string_view name);

}  // namespace dirbridge
