// Directory: offboarding and restoring (provision/directory.h, offboarding_hold.h).
#include "core/timestamp.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "provision/stored_records.h"
#include "store/transaction.h"

namespace dirbridge {
namespace {

// The user with `active` set, version and lastModified moved on, staged.
Status StageActive(Transaction& txn, std::string_view tenant, User& user, bool active, Env& env) {
  user.active = active;
  user.meta.version += 1;
  user.meta.last_modified = FormatRfc3339Millis(env.NowMillis());
  return stored::PutUser(txn, tenant, user);
}

}  // namespace

Result<Directory::Offboarded> Directory::OffboardUser(std::string_view id, std::string by, std::string reason) {
  DB_RETURN_IF_ERROR(CheckOffboardText("by", by));
  DB_RETURN_IF_ERROR(CheckOffboardText("reason", reason));
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto user, stored::LoadUser(txn, tenant_, id));
  if (!user) return NotFound("no user with id '" + std::string(id) + "'");
  DB_ASSIGN_OR_RETURN(auto held, LoadHold(txn, tenant_, user->id));
  if (held) return Offboarded{std::move(*user), std::move(*held), true};

  const bool was_active = user->active;
  if (was_active) DB_RETURN_IF_ERROR(StageActive(txn, tenant_, *user, false, env_));
  OffboardHold hold;
  hold.by = by.empty() ? std::string("admin") : std::move(by);
  hold.reason = std::move(reason);
  hold.at = FormatRfc3339Millis(env_.NowMillis());
  hold.request = std::string(env_.RequestId());
  PutHold(txn, tenant_, user->id, hold);
  auto event = NewUserEvent(EventType::kUserOffboarded, *user, source_, env_);
  event.data["by"] = hold.by;
  if (!hold.reason.empty()) event.data["reason"] = hold.reason;
  event.data["wasActive"] = was_active;
  event.data["active"] = false;
  event.data["version"] = user->meta.version;
  if (auto email = user->PrimaryEmail(); !email.empty()) event.data["email"] = email;
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  return Offboarded{std::move(*user), std::move(hold), false};
}

Result<User> Directory::RestoreUser(std::string_view id, std::string by) {
  DB_RETURN_IF_ERROR(CheckOffboardText("by", by));
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto user, stored::LoadUser(txn, tenant_, id));
  if (!user) return NotFound("no user with id '" + std::string(id) + "'");
  DB_ASSIGN_OR_RETURN(auto held, LoadHold(txn, tenant_, user->id));
  if (!held) return Conflict("user '" + user->id + "' is not offboarded; there is nothing to restore");
  DeleteHold(txn, tenant_, user->id);
  const bool was_active = user->active;
  if (!was_active) DB_RETURN_IF_ERROR(StageActive(txn, tenant_, *user, true, env_));
  auto event = NewUserEvent(EventType::kUserReactivated, *user, source_, env_);
  event.data["restoredBy"] = by.empty() ? std::string("admin") : std::move(by);
  event.data["offboardedBy"] = held->by;
  event.data["active"] = true;
  event.data["version"] = user->meta.version;
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  return std::move(*user);
}

Result<std::optional<OffboardHold>> Directory::HoldOf(std::string_view id) {
  Transaction txn(store_);
  return LoadHold(txn, tenant_, id);
}

}  // namespace dirbridge
