// The one way to change a tenant's directory of record. Every source (SCIM, IdP
// hooks, push notifications, reconciles, the custom API, the AD connector, the admin)
// is an adapter that turns its input into these typed commands; only this engine
// reads and writes the store.
//
// A Directory serves one request of one tenant. Each command is one atomic batch: the
// record, its index keys and exactly one ordered event per change (with who made it
// and how, from the ChangeSource) commit together or not at all. An update takes a
// function applied to the record loaded inside the command: one read, one version
// check. Lookups go through index keys, never a scan; listing walks by cursor.
// Callers never see a store key.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/env.h"
#include "core/result.h"
#include "model/group.h"
#include "model/lifecycle_event.h"
#include "model/membership_change.h"
#include "model/record_text.h"
#include "model/user.h"
#include "provision/deprovisioning.h"
#include "provision/indexes.h"
#include "provision/mass_change_guard.h"
#include "provision/offboarding_hold.h"
#include "store/kv_store.h"

namespace dirbridge {

enum class Collection { kUsers, kGroups };

// Resources in creation order. `next_cursor` names the last one returned when more
// may follow, and is empty at the end; pass it back as `after` for the next page.
template <typename T>
struct Page {
  std::vector<T> items;
  std::string next_cursor;
};

// How far index paging (startIndex) may skip ahead of any page served in order.
inline constexpr std::size_t kMaxSkippedResources = 1000;

class Directory {
 public:
  Directory(KvStore& store, Env& env, std::string tenant, ChangeSource source);

  // ---- Users
  // Assigns id and meta; 409 uniqueness when the userName is taken.
  Result<User> CreateUser(User user);
  Result<User> GetUser(std::string_view id);
  // Loads the user, checks `expected_version` (If-Match; 412 on a mismatch), applies
  // `edit` to it and writes the result (id and meta are the engine's). An edit that
  // changes nothing writes nothing and logs no event.
  using UserEdit = std::function<Status(User& user)>;
  Result<User> UpdateUser(std::string_view id, const UserEdit& edit, std::optional<uint64_t> expected_version);
  Result<User> SetUserActive(std::string_view id, bool active, std::optional<uint64_t> expected_version);
  // A source's delete (model/deprovisioning_policy.h): the user leaves the collection
  // (record, index keys, memberships: each a change of its group) and is archived,
  // suspended, with a user.archived event; under a remove or delete policy its purge
  // is scheduled after the grace period. Re-creating the userName revives it.
  Status DeleteUser(std::string_view id, std::optional<uint64_t> expected_version);
  Result<std::vector<User>> FindUsers(UserIndex index, std::string_view value, std::size_t limit);
  // Appends a user.reinvited event for the user (the account service sends the
  // invitation again); the record is not written. 404 when there is no such user.
  Status RequestReinvite(std::string_view id);
  // The ids of the groups a user is a member of, in id order (the reverse membership
  // keys); paged like Members.
  Result<Page<std::string>> GroupsOf(std::string_view user_id, std::string_view after, std::size_t limit);

  // ---- Deprovisioning (provision/deprovisioning.h)
  // Runs the purge scheduled for `id` if `run` is still its run: erases the user
  // (suspended, or archived) with user.removed or user.deprovisioned. False, and
  // nothing logged, when it was cancelled or rescheduled since, or the user is active.
  Result<bool> PurgeUser(std::string_view id, std::string_view run);
  Result<std::optional<ArchivedUser>> Archived(std::string_view id);
  Result<std::optional<ScheduledPurge>> PurgeOf(std::string_view id);

  // ---- Offboarding (the admin's; provision/offboarding_hold.h)
  // Suspends the user and holds them, with a user.offboarded event (`by`, `reason`,
  // whether they were active), in one batch. A user already held keeps the hold as it
  // is and nothing is written (an offboarding repeated changes nothing twice).
  struct Offboarded {
    User user;
    OffboardHold hold;
    bool already = false;  // the user was held before this call
  };
  Result<Offboarded> OffboardUser(std::string_view id, std::string by, std::string reason);
  // Lifts the hold and reactivates the user (user.reactivated, data.restoredBy).
  // 409 when the user is not held.
  Result<User> RestoreUser(std::string_view id, std::string by);
  // The hold on a user, if any.
  Result<std::optional<OffboardHold>> HoldOf(std::string_view id);

  // ---- The mass-change guardrail's pending removals (provision/mass_change_guard.h)
  // Applies the removal held for `user_id` (suspends or deletes, as this Directory's
  // source: the admin's, which is never held) and forgets it. 404 when none is pending;
  // a user gone since is forgotten too. Answers the removal that was pending.
  Result<PendingRemoval> ApprovePending(std::string_view user_id, std::string by);
  // Forgets it, with a change.discarded event. 404 when none is pending.
  Result<PendingRemoval> DiscardPending(std::string_view user_id, std::string by);

  // ---- Groups
  // Members that are not users of the tenant are refused (400 invalidValue) before
  // anything is written.
  Result<Group> CreateGroup(Group group, const std::vector<MemberRef>& members);
  Result<Group> GetGroup(std::string_view id);
  // Loads the group, checks the version, lets `edit` change its attributes and fill
  // in a membership change, then applies both in one batch.
  using GroupEdit = std::function<Status(Group& group, MembershipChange& members)>;
  Result<Group> UpdateGroup(std::string_view id, const GroupEdit& edit, std::optional<uint64_t> expected_version);
  Result<Group> RenameGroup(std::string_view id, std::string display_name, std::optional<uint64_t> expected_version);
  Result<Group> ChangeMembership(std::string_view id, MembershipChange change,
                                 std::optional<uint64_t> expected_version);
  Status DeleteGroup(std::string_view id, std::optional<uint64_t> expected_version);
  Result<std::vector<Group>> FindGroups(GroupIndex index, std::string_view value, std::size_t limit);
  Result<Page<MemberRef>> Members(std::string_view group_id, std::string_view after, std::size_t limit);

  // ---- Listing, in creation order
  // How many users / groups exist (a counter kept in the same batches as the records).
  Result<uint64_t> Count(Collection collection);
  Result<Page<User>> Users(std::string_view after, std::size_t limit);
  Result<Page<Group>> Groups(std::string_view after, std::size_t limit);
  // The stored records as text, for splicing list pages without parsing them.
  Result<Page<RecordText>> Texts(Collection collection, std::string_view after, std::size_t limit);
  // Index paging: the cursor after which the 1-based position `start_index` begins
  // ("" for the first), or nullopt when the collection ends before it. Resumes from
  // where an earlier page of this module instance ended when the collection has not
  // changed since (O(page) for in-order walks, and a GET never writes); otherwise
  // skips ids without reading records, at most kMaxSkippedResources (400 tooMany past
  // that).
  Result<std::optional<std::string>> CursorAt(Collection collection, std::size_t start_index);
  // Tells the directory that position `start_index` begins after `cursor`, as a page
  // it just served shows (kept in memory only).
  Status NotePosition(Collection collection, std::size_t start_index, std::string_view cursor);

 private:
  struct Impl;
  LifecycleEvent DecisionEvent(EventType type, const PendingRemoval& pending, const std::string& by);
  KvStore& store_;
  Env& env_;
  std::string tenant_;
  ChangeSource source_;
};

}  // namespace dirbridge
