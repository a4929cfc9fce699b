// Directory: the user commands (provision/directory.h).
#include "core/timestamp.h"
#include "provision/directory.h"
#include "provision/attribute_changes.h"
#include "provision/attribute_ownership.h"
#include "provision/deprovisioning.h"
#include "provision/event_log.h"
#include "provision/mass_change_guard.h"
#include "provision/membership_staging.h"
#include "provision/offboarding_hold.h"
#include "provision/record_limits.h"
#include "provision/resource_ids.h"
#include "provision/stored_records.h"
#include "provision/user_indexes.h"
#include "store/counter.h"
#include "store/key_layout.h"
#include "store/transaction.h"

namespace dirbridge {
namespace {

Status CheckUserNameFree(Transaction& txn, std::string_view tenant, std::string_view user_name,
                         std::string_view own_id) {
  DB_ASSIGN_OR_RETURN(auto holder, txn.Get(keys::UserNameIndex(tenant, user_name)));
  if (holder && *holder != own_id) {
    return Conflict("userName '" + std::string(user_name) + "' is already taken by another user");
  }
  return Status::Ok();
}

// The groups a user event carries, after the change: at most kMaxEventGroups, and
// "groupsTruncated": true when the user is in more. With the id, userName, email and
// state NewUserEvent puts in, that is what the account service needs to act on a user;
// never a secret (a user record holds none: a pushed password is dropped on arrival).
// Bounded: one list of at most kMaxEventGroups + 1 memberships and one read per group.
constexpr std::size_t kMaxEventGroups = 100;

Status AddGroupsAfter(Transaction& txn, std::string_view tenant, const User& u, LifecycleEvent& e) {
  nlohmann::json listed = nlohmann::json::array();
  DB_ASSIGN_OR_RETURN(auto page, txn.List(keys::MemberOfPrefix(tenant, u.id), "", kMaxEventGroups + 1));
  for (std::size_t i = 0; i < page.size() && i < kMaxEventGroups; ++i) {
    DB_ASSIGN_OR_RETURN(auto group, stored::LoadGroup(txn, tenant, keys::LastSegment(page[i].key)));
    if (group) listed.push_back({{"id", group->id}, {"displayName", group->display_name}});
  }
  if (page.size() > kMaxEventGroups) e.data["groupsTruncated"] = true;
  e.data["groups"] = std::move(listed);
  return Status::Ok();
}

// A change that would reactivate an offboarded user leaves them suspended
// (provision/offboarding_hold.h): the attempt is counted on the hold and, the first
// time, logged. The admin's own changes are not held: restoring is theirs.
Status HoldIfOffboarded(Transaction& txn, std::string_view tenant, const User& current, User& next,
                        const ChangeSource& source, Env& env) {
  if (current.active || !next.active || source.via == ChangeChannel::kAdmin) return Status::Ok();
  DB_ASSIGN_OR_RETURN(auto hold, LoadHold(txn, tenant, current.id));
  if (!hold) return Status::Ok();
  next.active = false;
  hold->held_reactivations += 1;
  auto event = NewUserEvent(EventType::kUserReactivationHeld, current, source, env);
  hold->last_held = nlohmann::json{{"at", event.at}, {"source", ChangeSourceToJson(source)}};
  PutHold(txn, tenant, current.id, *hold);
  if (hold->held_reactivations == 1) {
    event.data["offboardedBy"] = hold->by;
    DB_RETURN_IF_ERROR(EventLog(txn, env, tenant).Append(event));
  }
  return Status::Ok();
}

}  // namespace

Directory::Directory(KvStore& store, Env& env, std::string tenant, ChangeSource source)
    : store_(store), env_(env), tenant_(std::move(tenant)), source_(std::move(source)) {}

Result<User> Directory::CreateUser(User user) {
  DB_RETURN_IF_ERROR(CheckUserLimits(user));
  Transaction txn(store_);
  DB_RETURN_IF_ERROR(CheckUserNameFree(txn, tenant_, user.user_name, ""));
  const std::string now = FormatRfc3339Millis(env_.NowMillis());
  // A user its source deleted comes back under its own id (model/deprovisioning_policy.h):
  // the account service finds the account it suspended, and a scheduled purge ends.
  DB_ASSIGN_OR_RETURN(auto archived, LoadArchivedNamed(txn, tenant_, user.user_name));
  if (archived) {
    user.id = archived->user.id;
    user.meta = ResourceMeta{archived->user.meta.created, now, archived->user.meta.version + 1};
    DB_RETURN_IF_ERROR(DeleteArchived(txn, tenant_, archived->user));
    CancelPurge(txn, tenant_, user.id);
    DB_RETURN_IF_ERROR(HoldIfOffboarded(txn, tenant_, archived->user, user, source_, env_));
  } else {
    user.id = NewResourceId(env_);
    user.meta = ResourceMeta{now, now, 1};
  }
  // Under precedence rules the creating source owns what it set (a revived user starts
  // over: its earlier owners described an account that was deleted).
  DB_ASSIGN_OR_RETURN(auto rules, LoadPrecedence(txn, tenant_));
  if (!rules.empty()) {
    if (archived) DeleteOwnership(txn, tenant_, user.id);
    nlohmann::json shape = UserToJson(user);
    DB_RETURN_IF_ERROR(
        ApplyPrecedence(txn, env_, tenant_, rules, user.id, nlohmann::json::object(), shape, source_).status());
  }
  DB_RETURN_IF_ERROR(stored::PutUser(txn, tenant_, user));
  RestageUserIndexes(txn, tenant_, nullptr, &user);
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::UserCount(tenant_), 1).status());
  DB_RETURN_IF_ERROR(AddToCounter(txn, keys::CollectionGeneration(tenant_, "users"), 1).status());
  auto event = NewUserEvent(EventType::kUserProvisioned, user, source_, env_);
  event.data["groups"] = nlohmann::json::array();  // a new user is in no group yet
  event.data["active"] = user.active;
  if (archived) {
    event.data["revived"] = true;
    event.data["archivedAt"] = archived->at;
  }
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  return user;
}

Result<User> Directory::GetUser(std::string_view id) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto user, stored::LoadUser(txn, tenant_, id));
  if (!user) return NotFound("no user with id '" + std::string(id) + "'");
  return std::move(*user);
}

Result<User> Directory::UpdateUser(std::string_view id, const UserEdit& edit,
                                   std::optional<uint64_t> expected_version) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto current, stored::LoadUser(txn, tenant_, id));
  if (!current) return NotFound("no user with id '" + std::string(id) + "'");
  DB_RETURN_IF_ERROR(stored::CheckVersion(expected_version, current->meta.version));
  User next = *current;
  DB_RETURN_IF_ERROR(edit(next));
  next.id = current->id;
  next.meta = current->meta;
  DB_RETURN_IF_ERROR(CheckUserLimits(next));
  DB_RETURN_IF_ERROR(CheckUserNameFree(txn, tenant_, next.user_name, current->id));
  DB_RETURN_IF_ERROR(HoldIfOffboarded(txn, tenant_, *current, next, source_, env_));
  if (current->active && !next.active) {  // a suspension: the mass-change guardrail decides
    DB_ASSIGN_OR_RETURN(auto admitted, AdmitOrHoldRemoval(txn, tenant_, current->id, current->user_name,
                                                          RemovalKind::kSuspend, source_, env_));
    if (!admitted) next.active = true;
  }
  // What the source's policy makes of a deactivation: a purge after the grace period
  // (remove or delete), which a reactivation cancels.
  std::optional<ScheduledPurge> purge;
  bool purge_cancelled = false;
  const DeprovisionAction on_deactivate = source_.deprovisioning.on_deactivate;
  if (current->active && !next.active && on_deactivate != DeprovisionAction::kSuspend) {
    DB_ASSIGN_OR_RETURN(purge, SchedulePurge(txn, env_, tenant_, current->id, on_deactivate,
                                             source_.deprovisioning.grace_seconds, "deactivated"));
  }
  if (!current->active && next.active) {
    DB_ASSIGN_OR_RETURN(auto scheduled, LoadPurge(txn, tenant_, current->id));
    if (scheduled) {
      CancelPurge(txn, tenant_, current->id);
      purge_cancelled = true;
    }
  }
  const nlohmann::json before_json = UserToJson(*current);
  nlohmann::json after_json = UserToJson(next);
  // Several sources for one person: an attribute whose owner outranks this source
  // keeps its value, and the conflict is recorded (provision/attribute_ownership.h).
  DB_ASSIGN_OR_RETURN(auto rules, LoadPrecedence(txn, tenant_));
  DB_ASSIGN_OR_RETURN(auto precedence,
                      ApplyPrecedence(txn, env_, tenant_, rules, current->id, before_json, after_json, source_));
  if (precedence.kept) {
    DB_ASSIGN_OR_RETURN(next, UserFromJson(after_json));
    next.id = current->id;
    next.meta = current->meta;
  }
  if (!precedence.conflicts.empty()) {
    auto conflict = NewUserEvent(EventType::kUserAttributeConflict, next, source_, env_);
    conflict.data["conflicts"] = std::move(precedence.conflicts);
    DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(conflict));
  }
  if (after_json == before_json) {  // nothing changed: no event (a held reactivation only counts)
    if (!txn.batch().empty()) DB_RETURN_IF_ERROR(txn.Commit());
    return *current;
  }

  next.meta.version = current->meta.version + 1;
  next.meta.last_modified = FormatRfc3339Millis(env_.NowMillis());
  RestageUserIndexes(txn, tenant_, &*current, &next);
  DB_RETURN_IF_ERROR(stored::PutUser(txn, tenant_, next));

  EventType type = EventType::kUserUpdated;
  if (current->active && !next.active) type = EventType::kUserSuspended;
  if (!current->active && next.active) type = EventType::kUserReactivated;
  auto event = NewUserEvent(type, next, source_, env_);
  event.data["version"] = next.meta.version;
  event.data.update(AttributeChanges(before_json, after_json));
  if (purge) event.data["purge"] = ScheduledPurgeToJson(*purge);
  if (purge_cancelled) event.data["purgeCancelled"] = true;
  DB_RETURN_IF_ERROR(AddGroupsAfter(txn, tenant_, next, event));
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  DB_RETURN_IF_ERROR(txn.Commit());
  return next;
}

Result<User> Directory::SetUserActive(std::string_view id, bool active, std::optional<uint64_t> expected_version) {
  return UpdateUser(
      id,
      [active](User& u) {
        u.active = active;
        return Status::Ok();
      },
      expected_version);
}

Status Directory::RequestReinvite(std::string_view id) {
  Transaction txn(store_);
  DB_ASSIGN_OR_RETURN(auto current, stored::LoadUser(txn, tenant_, id));
  if (!current) return NotFound("no user with id '" + std::string(id) + "'");
  auto event = NewUserEvent(EventType::kUserReinvited, *current, source_, env_);
  DB_RETURN_IF_ERROR(EventLog(txn, env_, tenant_).Append(event));
  return txn.Commit();
}

Result<std::vector<User>> Directory::FindUsers(UserIndex index, std::string_view value, std::size_t limit) {
  std::vector<User> out;
  if (limit == 0) return out;
  Transaction txn(store_);
  auto load_into_out = [&](std::string_view id) -> Status {
    DB_ASSIGN_OR_RETURN(auto user, stored::LoadUser(txn, tenant_, id));
    if (user) out.push_back(std::move(*user));
    return Status::Ok();
  };
  switch (index) {
    case UserIndex::kId:
      DB_RETURN_IF_ERROR(load_into_out(value));
      break;
    case UserIndex::kUserName: {
      DB_ASSIGN_OR_RETURN(auto id, store_.Get(keys::UserNameIndex(tenant_, value)));
      if (id) DB_RETURN_IF_ERROR(load_into_out(*id));
      break;
    }
    case UserIndex::kExternalId:  // caseExact and not unique: an exact key per (value, user)
    case UserIndex::kEmail: {
      const std::string prefix = index == UserIndex::kEmail ? keys::UserEmailIndexPrefix(tenant_, value)
                                                            : keys::UserExternalIdIndexPrefix(tenant_, value);
      DB_ASSIGN_OR_RETURN(auto entries, store_.List(prefix, "", limit));
      for (const auto& e : entries) DB_RETURN_IF_ERROR(load_into_out(keys::LastSegment(e.key)));
      break;
    }
  }
  return out;
}

}  // namespace dirbridge
