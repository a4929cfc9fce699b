// The client side of federated login (README, "Federated login"): the key that opens a
// vault, derived on the user's device from two fragments that are each useless alone.
//
//   K1  32 random bytes the company's IdP holds (a user attribute released as a claim
//       to the password manager's client only); dirbridge never receives it
//   K2  32 random bytes dirbridge holds, sealed, and releases only to a user the IdP
//       has just authenticated and provisioning says is active
//
//   hidden master password  = base64(SHA-256(K1 XOR K2))          (44 characters)
//   vault key               = PBKDF2-HMAC-SHA256(hidden master password,
//                                 salt = the userName, ASCII letters lower-cased,
//                                 600,000 iterations, 32 bytes)   (an AES-256 key)
//
// Either fragment alone is uniformly random and independent of K1 XOR K2, so it says
// nothing about the password; both are needed, and then the password is as strong as
// 256 random bits (PBKDF2 adds cost per guess, not entropy). Compiled natively and to
// WebAssembly (dist/client/vault_key.wasm, wasm/client/vault_key.mjs) for a browser
// extension; the published test vectors are tests/federation/vault_key_vectors.json.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/result.h"

namespace dirbridge::federation {

inline constexpr std::size_t kKeyFragmentBytes = 32;
inline constexpr std::uint32_t kVaultKeyIterations = 600'000;
inline constexpr std::size_t kVaultKeyBytes = 32;
inline constexpr std::size_t kMaxUserNameBytes = 512;  // the edge's userName cap

// base64(SHA-256(K1 XOR K2)); both fragments exactly 32 bytes.
Result<std::string> HiddenMasterPassword(std::string_view k1, std::string_view k2);

// The salt: the userName with A-Z lower-cased (other bytes as they are; a client in
// another language must do exactly this, not a Unicode lower-casing).
std::string VaultKeySalt(std::string_view user_name);

// The 32-byte vault key; an error for a fragment of the wrong size or an empty or
// over-long userName.
Result<std::string> DeriveVaultKey(std::string_view k1, std::string_view k2, std::string_view user_name);

}  // namespace dirbridge::federation
