// The records behind a connection's deprovisioning policy (model/deprovisioning_policy.h):
// archived users and scheduled purges. The engine (provision/directory.h) writes them
// in the batch of the change that causes them; nothing else does.
//
//   t/{t}/archive/{user}                 {"user": <the record, suspended>, "meta", "at",
//                                         "source": {kind, connection, via}, "action"}
//   t/{t}/idx/archive.userName/{lower}   -> the user id: the same userName provisioned
//                                         again revives the archived user (same id)
//   t/{t}/purge/{user}                   {"action": "remove"|"delete", "due": ms,
//                                         "reason": "deactivated"|"deleted", "run"}
//
// A purge is a timer of the outbox (module kPurgeModule, continuation
// kPurgeContinuation, state {"user", "run"}) staged with its record. The record is
// the truth: a reactivation or a revival deletes it, and a timer whose run is not the
// record's does nothing, so a cancelled purge never fires and a rescheduled one fires
// once.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/env.h"
#include "core/result.h"
#include "model/deprovisioning_policy.h"
#include "model/resource_meta.h"
#include "model/user.h"
#include "store/transaction.h"

namespace dirbridge {

inline constexpr const char* kPurgeModule = "admin";
inline constexpr const char* kPurgeContinuation = "deprovision.purge";

struct ScheduledPurge {
  DeprovisionAction action = DeprovisionAction::kDelete;  // kRemove or kDelete
  int64_t due_ms = 0;
  std::string reason;  // "deactivated" or "deleted"
  std::string run;
};
// {"action", "dueAt", "reason"}, as events and the admin API show it (not the run).
nlohmann::json ScheduledPurgeToJson(const ScheduledPurge& purge);

Result<std::optional<ScheduledPurge>> LoadPurge(Transaction& txn, std::string_view tenant, std::string_view user_id);
// Stages the purge record and its timer, due `grace_seconds` from now, replacing any
// earlier one. A full outbox is refused (effects::OutboxFullError): the change that
// asked for it then commits nothing.
Result<ScheduledPurge> SchedulePurge(Transaction& txn, Env& env, std::string_view tenant, std::string_view user_id,
                                     DeprovisionAction action, int64_t grace_seconds, std::string reason);
void CancelPurge(Transaction& txn, std::string_view tenant, std::string_view user_id);

struct ArchivedUser {
  User user;           // as it was archived: suspended, with its id and meta
  std::string at;      // RFC 3339
  nlohmann::json source;  // who deleted it: {"kind","connection","via"}
  DeprovisionAction action = DeprovisionAction::kSuspend;  // the policy's onDelete then
};

Result<std::optional<ArchivedUser>> LoadArchived(Transaction& txn, std::string_view tenant, std::string_view user_id);
// The archived user with this userName (case-insensitive), if any.
Result<std::optional<ArchivedUser>> LoadArchivedNamed(Transaction& txn, std::string_view tenant,
                                                      std::string_view user_name);
Status PutArchived(Transaction& txn, std::string_view tenant, const ArchivedUser& archived);
// Deletes the archived record and its userName index key, unless a later archive of
// another user with that userName took the key.
Status DeleteArchived(Transaction& txn, std::string_view tenant, const User& user);

}  // namespace dirbridge
