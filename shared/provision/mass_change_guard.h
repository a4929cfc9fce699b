// The guardrail against mass changes (Entra's "accidental deletions prevention", for
// every source). Each source (a connection) may suspend or delete at most a threshold
// of users within a window: the larger of `users` (default 50) and `percent` (default
// 10) of the tenant's users, within `windowSeconds` (default 3,600) of the source's
// first removal in the window. A removal past it is not applied: it is held as pending
// (one per user, t/{t}/pending/{user}) with a change.held event, so the admin is told,
// and the rest of the change applies (a held suspension leaves the user active; a held
// deletion leaves the user as is). The admin approves (the removal is applied, as the
// admin) or discards it (change.discarded). The admin's own changes are never held.
// Settings per tenant, `enabled` false turns it off.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "model/lifecycle_event.h"
#include "store/kv_store.h"
#include "store/transaction.h"

namespace dirbridge {

struct GuardSettings {
  bool enabled = true;
  uint32_t percent = 10;
  uint32_t users = 50;
  int64_t window_seconds = 3600;
};
inline constexpr int64_t kMaxGuardWindowSeconds = 7 * 24 * 3600;
inline constexpr uint32_t kMaxGuardUsers = 1'000'000;

nlohmann::json GuardSettingsToJson(const GuardSettings& s);
// The admin's settings: known fields only, each in range; fields left out keep `base`.
Result<GuardSettings> GuardSettingsFromJson(const nlohmann::json& j, GuardSettings base);
Result<GuardSettings> LoadGuardSettings(Transaction& txn, std::string_view tenant);
void PutGuardSettings(Transaction& txn, std::string_view tenant, const GuardSettings& s);

// The most removals one source may make in a window, for a tenant of `user_count`.
uint64_t GuardThreshold(const GuardSettings& s, uint64_t user_count);

enum class RemovalKind { kSuspend, kDelete };
const char* RemovalKindName(RemovalKind kind);  // "suspend", "delete"


struct PendingRemoval {
  std::string user_id;
  std::string user_name;
  RemovalKind kind = RemovalKind::kSuspend;
  nlohmann::json source;  // {"kind","connection","via"}
  std::string at;
  std::string request;
  uint64_t threshold = 0;
  DeprovisioningPolicy policy;  // the source's, applied when the admin approves
};
nlohmann::json PendingToJson(const PendingRemoval& p);
Result<std::optional<PendingRemoval>> LoadPending(Transaction& txn, std::string_view tenant, std::string_view user_id);
// Counts one removal of the user by `source` in its window and answers true, or, when
// it would pass the threshold, counts nothing, stages it as pending (with its
// change.held event unless the same removal was already pending) and answers false.
// Always true for the admin and when disabled. Settings and the user count are read once.
Result<bool> AdmitOrHoldRemoval(Transaction& txn, std::string_view tenant, std::string_view user_id,
                                std::string_view user_name, RemovalKind kind, const ChangeSource& source, Env& env);
void DeletePending(Transaction& txn, std::string_view tenant, std::string_view user_id);

inline constexpr std::size_t kMaxPendingPerPage = 200;
// The pending removals after user id `after`, at most `limit` (<= kMaxPendingPerPage).
Result<std::vector<PendingRemoval>> ListPending(KvStore& store, std::string_view tenant, std::string_view after,
                                                std::size_t limit);

}  // namespace dirbridge
