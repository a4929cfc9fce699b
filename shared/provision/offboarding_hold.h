// The hold on an offboarded user. The admin's one-click offboarding suspends a user
// whatever source provisioned them, and holds them: a later change from any source
// that would reactivate them leaves them suspended (its other attributes still
// apply), counts the attempt here and, the first time, logs user.reactivation_held so
// the admin is told. Only the admin's restore lifts the hold. Stored at
// t/{t}/hold/{user} (store/key_layout.h), removed with the user.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/result.h"
#include "store/transaction.h"

namespace dirbridge {

inline constexpr std::size_t kMaxOffboardTextBytes = 200;  // "by" and "reason"

struct OffboardHold {
  std::string by;       // who offboarded the user (the admin's label; "admin" if none)
  std::string reason;   // optional
  std::string at;       // RFC 3339
  std::string request;  // the request id
  uint64_t held_reactivations = 0;  // how many changes tried to reactivate the user since
  nlohmann::json last_held;         // the last such change: {"at","source":{kind,connection,via}}
};

nlohmann::json HoldToJson(const OffboardHold& hold);

// The hold on `user_id`, or nullopt.
Result<std::optional<OffboardHold>> LoadHold(Transaction& txn, std::string_view tenant, std::string_view user_id);
void PutHold(Transaction& txn, std::string_view tenant, std::string_view user_id, const OffboardHold& hold);
void DeleteHold(Transaction& txn, std::string_view tenant, std::string_view user_id);

// Checks the admin's "by" and "reason": at most kMaxOffboardTextBytes, no control
// characters (they end in the audit log and in tables an admin reads).
Status CheckOffboardText(std::string_view field, std::string_view value);

}  // namespace dirbridge
