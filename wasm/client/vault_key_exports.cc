// dist/client/vault_key.wasm: the vault-key derivation (shared/federation/vault_key.h)
// for a browser extension, as a WebAssembly reactor with three exports and no host
// calls; wasm/client/vault_key.mjs is its JavaScript face.
//
//   vault_key_alloc(n) -> pointer, vault_key_free(pointer)
//   vault_key_derive(k1, k2, user_name, user_name_len, out) -> 0, or 1 for bad input
//     (k1, k2: 32 bytes each; out: 32 bytes written on success)
#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <string_view>

#include "federation/vault_key.h"

extern "C" {

__attribute__((export_name("vault_key_alloc"))) void* VaultKeyAlloc(std::size_t size) {
  return std::malloc(size == 0 ? 1 : size);
}

__attribute__((export_name("vault_key_free"))) void VaultKeyFree(void* pointer) { std::free(pointer); }

__attribute__((export_name("vault_key_derive"))) int VaultKeyDerive(const char* k1, const char* k2,
                                                                     const char* user_name,
                                                                     std::size_t user_name_len, char* out) {
  namespace fed = dirbridge::federation;
  auto key = fed::DeriveVaultKey(std::string_view(k1, fed::kKeyFragmentBytes),
                                 std::string_view(k2, fed::kKeyFragmentBytes),
                                 std::string_view(user_name, user_name_len));
  if (!key.ok()) return 1;
  std::memcpy(out, key->data(), fed::kVaultKeyBytes);
  return 0;
}

}  // extern "C"
