#include "tenancy/sealed_secrets.h"

#include "core/json_input.h"
#include "core/timestamp.h"
#include "crypto/base64.h"
#include "crypto/sha256.h"
#include "model/json_fields.h"
#include "store/key_layout.h"
#include "store/transaction.h"

namespace dirbridge {
namespace {

constexpr std::size_t kMaxListed = 100;

std::string Joined(std::string_view domain, std::string_view tenant, std::string_view connection_id,
                   std::string_view name) {
  std::string out;
  out.append(domain).push_back('\0');
  out.append(tenant).push_back('\0');
  out.append(connection_id).push_back('\0');
  out.append(name);
  return out;
}

// The error of a stored value that does not open: another owner's value, another
// deployment key, or altered. Never guess, never say more.
Error DoesNotOpen(std::string_view connection_id, std::string_view name) {
  return Corrupt("sealed secret '" + std::string(name) + "' of connection " + std::string(connection_id) +
                 " does not open (sealed for another owner or under another DIRBRIDGE_SECRET_KEY); set it again");
}

struct StoredSecret {
  SecretInfo info;
  std::string sealed;
};

Result<StoredSecret> ParseStored(std::string_view name, std::string_view raw) {
  DB_ASSIGN_OR_RETURN(auto doc, ParseRecordJson(raw));
  StoredSecret s;
  s.info.name = std::string(name);
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "sealed", "", &s.sealed));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "fingerprint", "", &s.info.fingerprint));
  DB_RETURN_IF_ERROR(json_fields::ReadString(doc, "updated", "", &s.info.updated));
  if (s.sealed.empty()) return Corrupt("stored secret '" + std::string(name) + "' has no sealed value");
  return s;
}

}  // namespace

std::string NewWebhookSigningSecret(Env& env) {
  std::string raw(32, '\0');
  env.RandomBytes(reinterpret_cast<uint8_t*>(raw.data()), raw.size());
  return "whsec_" + crypto::Base64Encode(raw);
}

bool IsValidSecretName(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return true;
}

nlohmann::json SecretInfoToJson(const SecretInfo& info) {
  return {{"name", info.name}, {"fingerprint", info.fingerprint}, {"updated", info.updated}};
}

std::string SecretAssociatedData(std::string_view tenant, std::string_view connection_id, std::string_view name) {
  return Joined("dirbridge.secret.v1", tenant, connection_id, name);
}

std::string SecretFingerprint(std::string_view tenant, std::string_view connection_id, std::string_view name,
                              std::string_view plaintext) {
  crypto::Sha256 h;
  h.Update(Joined("dirbridge.secret-fingerprint.v1", tenant, connection_id, name));
  h.Update(std::string_view("\0", 1));
  h.Update(plaintext);
  const auto digest = h.Finish();
  return "fp1:" + crypto::HexEncode(std::string_view(reinterpret_cast<const char*>(digest.data()), 8));
}

Result<SecretInfo> PutConnectionSecret(KvStore& store, Env& env, std::string_view tenant,
                                       std::string_view connection_id, std::string_view name,
                                       std::string_view plaintext) {
  if (!IsValidSecretName(name)) {
    return InvalidInput("secret name must be 1 to 64 characters a-z, 0-9, '-', '_' or '.'");
  }
  if (plaintext.empty()) return InvalidInput("the secret's value is empty");
  if (plaintext.size() > kMaxSecretBytes) {
    return InvalidInput("the secret's value is longer than " + std::to_string(kMaxSecretBytes) + " bytes");
  }
  DB_ASSIGN_OR_RETURN(auto sealed, env.Seal(plaintext, SecretAssociatedData(tenant, connection_id, name)));
  SecretInfo info{std::string(name), SecretFingerprint(tenant, connection_id, name, plaintext),
                  FormatRfc3339Millis(env.NowMillis())};
  nlohmann::json record = {{"sealed", sealed}, {"fingerprint", info.fingerprint}, {"updated", info.updated}};
  Transaction txn(store);
  txn.Put(keys::ConnectionSecret(tenant, connection_id, name), record.dump());
  DB_RETURN_IF_ERROR(txn.Commit());
  return info;
}

Result<std::optional<std::string>> ReadConnectionSecret(KvStore& store, Env& env, std::string_view tenant,
                                                        std::string_view connection_id, std::string_view name) {
  if (!IsValidSecretName(name)) return std::optional<std::string>();
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::ConnectionSecret(tenant, connection_id, name)));
  if (!raw) return std::optional<std::string>();
  DB_ASSIGN_OR_RETURN(auto stored, ParseStored(name, *raw));
  DB_ASSIGN_OR_RETURN(auto plain, env.Open(stored.sealed, SecretAssociatedData(tenant, connection_id, name)));
  if (!plain) return DoesNotOpen(connection_id, name);
  return plain;
}

Result<std::optional<std::string>> SignWithConnectionSecret(KvStore& store, Env& env, std::string_view tenant,
                                                            std::string_view connection_id, std::string_view name,
                                                            std::string_view data) {
  if (!IsValidSecretName(name)) return std::optional<std::string>();
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::ConnectionSecret(tenant, connection_id, name)));
  if (!raw) return std::optional<std::string>();
  DB_ASSIGN_OR_RETURN(auto stored, ParseStored(name, *raw));
  auto signature = env.SignRs256WithSealedKey(stored.sealed, SecretAssociatedData(tenant, connection_id, name), data);
  if (!signature.ok()) {
    Error e = signature.error();
    // The host's reason says what is wrong with the key; say which secret it is.
    if (e.kind == ErrorKind::kInvalidInput) {
      e.detail = "secret '" + std::string(name) + "' of connection " + std::string(connection_id) + ": " + e.detail;
    }
    return e;
  }
  if (!*signature) return DoesNotOpen(connection_id, name);
  return signature;
}

Result<std::optional<SecretInfo>> GetConnectionSecretInfo(KvStore& store, std::string_view tenant,
                                                          std::string_view connection_id, std::string_view name) {
  if (!IsValidSecretName(name)) return std::optional<SecretInfo>();
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(keys::ConnectionSecret(tenant, connection_id, name)));
  if (!raw) return std::optional<SecretInfo>();
  DB_ASSIGN_OR_RETURN(auto stored, ParseStored(name, *raw));
  return std::optional<SecretInfo>(std::move(stored.info));
}

Result<std::vector<SecretInfo>> ListConnectionSecrets(KvStore& store, std::string_view tenant,
                                                      std::string_view connection_id) {
  DB_ASSIGN_OR_RETURN(auto entries, store.List(keys::ConnectionSecretPrefix(tenant, connection_id), "", kMaxListed));
  std::vector<SecretInfo> out;
  for (const auto& e : entries) {
    // Names are [a-z0-9._-]: their key part needs no unescaping.
    DB_ASSIGN_OR_RETURN(auto stored, ParseStored(keys::LastSegment(e.key), e.value));
    out.push_back(std::move(stored.info));
  }
  return out;
}

Result<bool> DeleteConnectionSecret(KvStore& store, std::string_view tenant, std::string_view connection_id,
                                    std::string_view name) {
  if (!IsValidSecretName(name)) return false;
  const std::string key = keys::ConnectionSecret(tenant, connection_id, name);
  DB_ASSIGN_OR_RETURN(auto raw, store.Get(key));
  if (!raw) return false;
  Transaction txn(store);
  txn.Delete(key);
  DB_RETURN_IF_ERROR(txn.Commit());
  return true;
}

}  // namespace dirbridge
