#include "federation/vault_key.h"

#include "core/ascii.h"
#include "crypto/base64.h"
#include "crypto/pbkdf2.h"
#include "crypto/sha256.h"

namespace dirbridge::federation {

Result<std::string> HiddenMasterPassword(std::string_view k1, std::string_view k2) {
  if (k1.size() != kKeyFragmentBytes || k2.size() != kKeyFragmentBytes) {
    return InvalidInput("K1 and K2 must be 32 bytes each (K1 is " + std::to_string(k1.size()) + ", K2 is " +
                        std::to_string(k2.size()) + ")");
  }
  std::string mixed(kKeyFragmentBytes, '\0');
  for (std::size_t i = 0; i < kKeyFragmentBytes; ++i) mixed[i] = static_cast<char>(k1[i] ^ k2[i]);
  const crypto::Sha256Bytes digest = crypto::Sha256Digest(mixed);
  return crypto::Base64Encode(std::string_view(reinterpret_cast<const char*>(digest.data()), digest.size()));
}

std::string VaultKeySalt(std::string_view user_name) { return ToLowerAscii(user_name); }

Result<std::string> DeriveVaultKey(std::string_view k1, std::string_view k2, std::string_view user_name) {
  if (user_name.empty() || user_name.size() > kMaxUserNameBytes) {
    return InvalidInput("the userName must be 1 to " + std::to_string(kMaxUserNameBytes) + " bytes");
  }
  DB_ASSIGN_OR_RETURN(std::string password, HiddenMasterPassword(k1, k2));
  return crypto::Pbkdf2HmacSha256(password, VaultKeySalt(user_name), kVaultKeyIterations, kVaultKeyBytes);
}

}  // namespace dirbridge::federation
