// Per-user K2, the password manager's half of a federated user's key (K1 is the
// IdP's): 256 random bits, made when the user first logs in federated (enrolled),
// stored only sealed (Env::Seal: AES-256-GCM under the deployment's key, which only
// the host holds), at t/{t}/fed/k2/{user}:
//
//   {"sealed": "dbs1....", "generation": n, "created", "rotated"?}
//
// The associated data is "dirbridge.k2.v1" NUL tenant NUL user NUL generation, so a
// sealed K2 copied to another user, tenant or generation does not open. Rotation makes
// a new K2 (generation + 1): the client must re-wrap the vault key it derives (the
// README's federated login section). The engine deletes the record in the batch that
// purges the user (provision: deprovisioned for good); the admin may destroy it
// earlier (the next login enrolls afresh, and what the old K2 protected is lost).
//
// Nothing here returns K2 except OpenKeyFragment, for the release answer alone.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "store/transaction.h"

namespace dirbridge::key_fragments {

inline constexpr std::size_t kKeyFragmentBytes = 32;

struct KeyFragmentRecord {
  std::string sealed;
  uint64_t generation = 1;
  std::string created;  // RFC 3339
  std::string rotated;  // RFC 3339; empty if never
};

Result<std::optional<KeyFragmentRecord>> LoadKeyFragment(Transaction& txn, std::string_view tenant,
                                                         std::string_view user_id);
// A new random K2 for `user_id`, sealed and staged (generation 1, or `previous`'s + 1
// when rotating). Answers the record; the plaintext never leaves the call.
Result<KeyFragmentRecord> StageNewKeyFragment(Transaction& txn, Env& env, std::string_view tenant,
                                              std::string_view user_id, const KeyFragmentRecord* previous);
// K2's 32 bytes. Corrupt (500) when the record does not open (another key, altered).
Result<std::string> OpenKeyFragment(Env& env, std::string_view tenant, std::string_view user_id,
                                    const KeyFragmentRecord& record);
void StageKeyFragmentRemoval(Transaction& txn, std::string_view tenant, std::string_view user_id);
// What the admin sees: enrolled, generation, created, rotated. Never K2.
nlohmann::json KeyFragmentStatusJson(const std::optional<KeyFragmentRecord>& record);

}  // namespace dirbridge::key_fragments
