// Directory: the admin's decisions on removals the mass-change guardrail held
// (provision/directory.h, mass_change_guard.h).
#include "provision/directory.h"
#include "provision/event_log.h"
#include "provision/offboarding_hold.h"
#include "store/transaction.h"

namespace dirbridge {
namespace {

Result<PendingRemoval> PendingOrNotFound(KvStore& store, std::string_view tenant, std::string_view user_id) {
  Transaction txn(store);
  DB_ASSIGN_OR_RETURN(auto pending, LoadPending(txn, tenant, user_id));
  if (!pending) return NotFound("no removal is pending for user '" + std::string(user_id) + "'");
  return std::move(*pending);
}

}  // namespace

// change.approved / change.discarded: the admin's decision on a held removal.
LifecycleEvent Directory::DecisionEvent(EventType type, const PendingRemoval& pending, const std::string& by) {
  auto event = NewEvent(type, source_, env_);
  event.user_id = pending.user_id;
  event.data = {{"userName", pending.user_name},
                {"action", RemovalKindName(pending.kind)},
                {"by", by.empty() ? std::string("admin") : by},
                {"heldFrom", pending.source},
                {"heldAt", pending.at}};
  return event;
}

Result<PendingRemoval> Directory::ApprovePending(std::string_view user_id, std::string by) {
  DB_RETURN_IF_ERROR(CheckOffboardText("by", by));
  DB_ASSIGN_OR_RETURN(auto pending, PendingOrNotFound(store_, tenant_, user_id));
  // The removal, as this Directory's source (the admin's: never held) with the
  // deprovisioning policy of the source it was held from. A user gone since needs
  // nothing more. Then the pending record goes; a crash in between leaves it, and
  // approving again finds the removal done.
  ChangeSource as = source_;
  as.deprovisioning = pending.policy;
  Directory applier(store_, env_, tenant_, as);
  Status applied = pending.kind == RemovalKind::kDelete
                       ? applier.DeleteUser(pending.user_id, std::nullopt)
                       : applier.SetUserActive(pending.user_id, false, std::nullopt).status();
  if (!applied.ok() && applied.error().kind != ErrorKind::kNotFound) return applied.error();
  Transaction txn(store_);
  DeletePending(txn, tenant_, pending.user_id);
  auto event = DecisionEvent(EventType::kChangeApproved, pending, by);
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  return pending;
}

Result<PendingRemoval> Directory::DiscardPending(std::string_view user_id, std::string by) {
  DB_RETURN_IF_ERROR(CheckOffboardText("by", by));
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto pending, LoadPending(txn, tenant_, user_id));
  if (!pending) return NotFound("no removal is pending for user '" + std::string(user_id) + "'");
  DeletePending(txn, tenant_, pending->user_id);
  auto event = DecisionEvent(EventType::kChangeDiscarded, *pending, by);
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  return std::move(*pending);
}

}  // namespace dirbridge
