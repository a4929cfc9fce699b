// Directory: what a source's delete does, and the purges a connection's
// deprovisioning policy schedules (provision/directory.h, provision/deprovisioning.h).
#include "core/timestamp.h"
#include "provision/attribute_ownership.h"
#include "provision/deprovisioning.h"
#include "provision/directory.h"
#include "provision/event_log.h"
#include "provision/mass_change_guard.h"
#include "provision/membership_staging.h"
#include "provision/offboarding_hold.h"
#include "provision/stored_records.h"
#include "provision/user_indexes.h"
#include "store/counter.h"
#include "store/key_layout.h"
#include "store/transaction.h"

namespace dirbridge {
namespace {

// Takes a user out of the users collection: its record, its index keys, its
// memberships (each a change of its group, with its event) and the removal the
// guardrail held for it. What else is kept by the id (the offboarding hold, the
// attribute owners) stays for an archived user and goes with a purge.
Status TakeOutOfCollection(Transaction& txn, std::string_view tenant, const User& user, const ChangeSource& source,
                           Env& env) {
  RestageUserIndexes(txn, tenant, &user, nullptr);
  txn.Delete(keys::User(tenant, user.id));
  DeletePending(txn, tenant, user.id);
  DB_RETURN_IF_ERROR((MembershipStaging{txn, tenant, source, env}.EndAllOf(user.id, user.user_name)));
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::UserCount(tenant), -1).status());
  return AddToCounter(txn, keys::CollectionGeneration(tenant, "users"), 1).status();
}

}  // namespace

Status Directory::DeleteUser(std::string_view id, std::optional<uint64_t> expected_version) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto current, stored::LoadUser(txn, tenant_, id));
  if (!current) return NotFound("no user with id '" + std::string(id) + "'");
  DB_RETURN_IF_ERROR(stored::CheckVersion(expected_version, current->meta.version));
  DB_ASSIGN_OR_RETURN(auto admitted, AdmitOrHoldRemoval(txn, tenant_, current->id, current->user_name,
                                                        RemovalKind::kDelete, source_, env_));
  if (!admitted) return txn.Commit();  // held by the mass-change guardrail: the user stays as is
  DB_RETURN_IF_ERROR(TakeOutOfCollection(txn, tenant_, *current, source_, env_));

  ArchivedUser archived;
  archived.user = *current;
  archived.user.active = false;
  archived.user.meta.version = current->meta.version + 1;
  archived.user.meta.last_modified = FormatRfc3339Millis(env_.NowMillis());
  archived.at = archived.user.meta.last_modified;
  archived.source = ChangeSourceToJson(source_);
  archived.action = source_.deprovisioning.on_delete;
  DB_RETURN_IF_ERROR(PutArchived(txn, tenant_, archived));
  // A deactivation's purge gives way to the delete's (or to none, under suspend).
  CancelPurge(txn, tenant_, current->id);
  std::optional<ScheduledPurge> purge;
  if (archived.action != DeprovisionAction::kSuspend) {
    DB_ASSIGN_OR_RETURN(purge, SchedulePurge(txn, env_, tenant_, current->id, archived.action,
                                             source_.deprovisioning.grace_seconds, "deleted"));
  }
  // Its memberships ended in this batch (each its own group.member_removed event).
  auto event = NewUserEvent(EventType::kUserArchived, archived.user, source_, env_);
  event.data["groups"] = nlohmann::json::array();
  event.data["wasActive"] = current->active;
  event.data["policy"] = DeprovisionActionName(archived.action);
  if (purge) event.data["purge"] = ScheduledPurgeToJson(*purge);
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  return txn.Commit();
}

Result<bool> Directory::PurgeUser(std::string_view id, std::string_view run) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto purge, LoadPurge(txn, tenant_, id));
  if (!purge || purge->run != run) return false;  // cancelled or rescheduled since: nothing to do
  CancelPurge(txn, tenant_, id);
  std::optional<User> gone;
  DB_ASSIGN_OR_RETURN(auto live, stored::LoadUser(txn, tenant_, id));
  if (live && !live->active) {
    DB_RETURN_IF_ERROR(TakeOutOfCollection(txn, tenant_, *live, source_, env_));
    gone = std::move(*live);
  } else if (!live) {
    DB_ASSIGN_OR_RETURN(auto archived, LoadArchived(txn, tenant_, id));
    if (archived) {
      DB_RETURN_IF_ERROR(DeleteArchived(txn, tenant_, archived->user));
      gone = std::move(archived->user);
    }
  }
  if (!gone) {  // active again without the purge record noticing, or gone: drop the record
    DB_RETURN_IF_ERROR(txn.Commit());
    return false;
  }
  DeleteHold(txn, tenant_, id);
  DeleteOwnership(txn, tenant_, id);
  // Deprovisioned for good: federated login's K2 goes with the user, so nothing can
  // ever derive their vault key again (key_fragments/k2_store.h).
  DB_ASSIGN_OR_RETURN(auto key_fragment, txn.Get(keys::UserKeyFragment(tenant_, id)));
  if (key_fragment) txn.Delete(keys::UserKeyFragment(tenant_, id));
  const EventType type = purge->action == DeprovisionAction::kRemove ? EventType::kUserRemoved
                                                                      : EventType::kUserDeprovisioned;
  auto event = NewUserEvent(type, *gone, source_, env_);
  event.data["groups"] = nlohmann::json::array();
  event.data["policy"] = DeprovisionActionName(purge->action);
  event.data["reason"] = purge->reason;
  event.data["graceEndedAt"] = FormatRfc3339Millis(purge->due_ms);
  if (key_fragment) event.data["keyFragmentDestroyed"] = true;
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  return true;
}

Result<std::optional<ArchivedUser>> Directory::Archived(std::string_view id) {
  Transaction txn(store_);
  return LoadArchived(txn, tenant_, id);
}

Result<std::optional<ScheduledPurge>> Directory::PurgeOf(std::string_view id) {
  Transaction txn(store_);
  return LoadPurge(txn, tenant_, id);
}

}  // namespace dirbridge
